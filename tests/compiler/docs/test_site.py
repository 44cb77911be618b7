"""`amber docs` through the real command: what it writes, that it writes the same bytes for the
same inputs, and that a broken config leaves the last good site alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.history import publish_and_roll_back
from tests.support.repo import amber, clean_env, copy_reference


def site_bytes(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(site.iterdir())}


def test_the_same_inputs_give_the_same_files(tmp_path: Path) -> None:
    # Two copies in different places, built at different times: nothing in the site may say
    # where or when it was made.
    first = copy_reference(tmp_path / "one" / "repo")
    second = copy_reference(tmp_path / "elsewhere" / "deeper" / "repo")
    amber("docs", "--out", "site", cwd=first, check=0)
    amber("docs", "--out", "site", cwd=second, check=0)
    built = site_bytes(first / "site")
    assert built == site_bytes(second / "site")
    amber("docs", "--out", "site", "-q", cwd=first, check=0)
    assert site_bytes(first / "site") == built
    assert set(built) == {
        "index.html",
        "environments.html",
        "flags.html",
        "migrations.html",
        "schema-1.0.0.html",
        "schema-1.1.0.html",
        "schema-1.2.0.html",
        "site.css",
        "site.js",
        ".amber-docs",
    }


def test_secrets_show_their_reference_never_a_value(repo: Path) -> None:
    env = clean_env(OPENAI_API_KEY="sk-live-do-not-show-1234567890")
    amber("docs", "--out", "site", cwd=repo, env=env, check=0)
    text = "".join(p.read_text() for p in (repo / "site").glob("*.html"))
    assert "secret env:OPENAI_API_KEY" in text
    assert "sk-live-do-not-show" not in text


def test_the_schema_pages_say_where_a_field_came_from(repo: Path) -> None:
    amber("docs", "--out", "site", cwd=repo, check=0)
    newest = (repo / "site" / "schema-1.2.0.html").read_text()
    row = re.search(r'<tr><th scope="row"><code id="f-ai_provider.max_retries">.*?</tr>', newest)
    assert row is not None
    assert "since 1.1.0" in row.group(0)
    assert 'href="schema-1.1.0.html#f-ai_provider.max_retries"' in row.group(0)
    oldest = (repo / "site" / "schema-1.0.0.html").read_text()
    assert "f-ai_provider" not in oldest
    migrations = (repo / "site" / "migrations.html").read_text()
    assert "Add the AI provider section" in migrations
    assert "<code>ai_provider.max_retries</code>" in migrations  # what 1.0.0 -> 1.1.0 adds


def test_a_broken_config_keeps_the_last_good_site(repo: Path) -> None:
    amber("docs", "--out", "site", cwd=repo, check=0)
    before = site_bytes(repo / "site")
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().replace("batch_size: 500", "batch_size: -5"))
    run = amber("docs", "--out", "site", cwd=repo)
    assert run.code == 1
    assert re.search(r"environments/prod\.jsonnet:\d+: .*batch_size", run.err), run.err
    assert site_bytes(repo / "site") == before


def test_a_new_repository_from_amber_init_has_a_site(tmp_path: Path) -> None:
    amber("init", "fresh", cwd=tmp_path, check=0)
    run = amber("docs", "--out", "site", cwd=tmp_path / "fresh", check=0)
    assert "open site/index.html" in run.out
    site = tmp_path / "fresh" / "site"
    assert {"index.html", "environments.html", "flags.html", "migrations.html"} <= {
        p.name for p in site.iterdir()
    }


def test_history_pages_come_with_a_store(repo: Path, tmp_path: Path) -> None:
    publish_and_roll_back(repo, tmp_path / "store")
    amber("docs", "--out", "site", "--store", str(tmp_path / "store"), cwd=repo, check=0)
    history = (repo / "site" / "history.html").read_text()
    assert history.count("<td>publish</td>") == 4  # three environments, then prod again
    assert history.count("<td>rollback</td>") == 1
    diffs = sorted(p.name for p in (repo / "site").glob("diff-*.html"))
    assert diffs == ["diff-prod-2.html", "diff-prod-3.html"]
    moved = (repo / "site" / "diff-prod-3.html").read_text()
    assert "spaced_repetition.batch_size" in moved and "450" in moved and "500" in moved


def test_history_needs_a_directory_store(repo: Path) -> None:
    registry = amber("docs", "--store", "oci://localhost:5000/app", cwd=repo, check=2)
    assert registry.err.startswith("oci://localhost:5000/app: error: history is read from a")
    missing = amber("docs", "--store", "nowhere", cwd=repo, check=2)
    assert missing.err == "nowhere: error: not a directory store (no objects/ in it)\n"
    assert not (repo / "site").exists()


def test_keys_with_dots_and_brackets_keep_their_own_rows(tmp_path: Path) -> None:
    amber("init", "app", cwd=tmp_path, check=0)
    repo = tmp_path / "app"
    schema_file = repo / "config" / "schema" / "1.0.0.json"
    schema = json.loads(schema_file.read_text())
    schema["properties"]["routes"] = {"type": "object", "additionalProperties": {"type": "object"}}
    schema_file.write_text(json.dumps(schema))
    library = repo / "config" / "lib" / "app.libsonnet"
    routes = "routes: { '/api/[id]': { to: 'x' }, 'a.b': { to: 'y' }, a: { b: { to: 'z' } } },\n"
    library.write_text(library.read_text().replace("  http: {", "  " + routes + "  http: {", 1))
    amber("docs", "--out", "site", cwd=repo, check=0)
    page = (repo / "site" / "environments.html").read_text()
    paths = re.findall(r'data-env="prod" data-path="([^"]*)"><code>([^<]*)</code>', page)
    assert ("routes[&quot;/api/[id]&quot;].to", "&quot;x&quot;") in paths
    assert ("routes[&quot;a.b&quot;].to", "&quot;y&quot;") in paths
    assert ("routes.a.b.to", "&quot;z&quot;") in paths
    ids = re.findall(r'id="([^"]*)"', page)
    assert len(ids) == len(set(ids))


def test_what_amber_check_refuses_gets_no_site(repo: Path) -> None:
    migration = repo / "migrations" / "0003_next.py"
    migration.write_text(
        '"""Next."""\nFROM = "1.2.0"\nTO = "1.3.0"\n\n\ndef up(c):\n    return c\n\n\ndef down(c):\n    return c\n'
    )
    run = amber("docs", "--out", "site", cwd=repo, check=1)
    assert "migrations/0003_next.py" in run.err and "1.3.0" in run.err
    assert not (repo / "site").exists()


def test_pages_an_earlier_build_wrote_are_swept(repo: Path, tmp_path: Path) -> None:
    publish_and_roll_back(repo, tmp_path / "store")
    amber("docs", "--out", "site", "--store", str(tmp_path / "store"), cwd=repo, check=0)
    (repo / "site" / "notes.html").write_text("mine")
    assert (repo / "site" / "diff-prod-2.html").exists()
    amber("docs", "--out", "site", cwd=repo, check=0)
    left = {p.name for p in (repo / "site").iterdir()}
    assert "history.html" not in left and not any(n.startswith("diff-") for n in left)
    assert "notes.html" in left and "index.html" in left


def test_reading_a_store_never_changes_it(repo: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    publish_and_roll_back(repo, store)
    log = store / "prod" / "history.jsonl"
    log.write_bytes(log.read_bytes() + b'{"action": "publ')  # a publisher killed mid-line
    first_object = next((store / "objects" / "sha256").glob("*.json"))
    first_object.unlink()  # and an object gone
    before = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    amber("docs", "--out", "site", "--store", str(store), cwd=repo, check=0)
    assert {p: p.read_bytes() for p in store.rglob("*") if p.is_file()} == before
    history = (repo / "site" / "history.html").read_text()
    assert history.count("<td>rollback</td>") == 1
