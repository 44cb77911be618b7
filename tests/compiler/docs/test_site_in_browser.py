"""The site as a person sees it: Debian's headless Chromium, driven by Playwright, on the site
`amber docs` writes for the reference config (with a store holding two publishes and a
rollback) and for a repository made by `amber init`.  Screenshots of every page, wide and
phone-sized, are saved under the test's temporary directory (`screenshots/`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser

from tests.compiler.test_bring_your_jsonnet import monorepo
from tests.compiler.test_generality import payments_repo
from tests.support.browser import chromium, visit
from tests.support.history import publish_and_roll_back
from tests.support.repo import amber, copy_reference

WIDE, PHONE = 1280, 390


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        yield found


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference config's site; its repository (with dist/) is the site's parent."""
    repo = copy_reference(tmp_path_factory.mktemp("reference") / "repo")
    store = repo.parent / "store"
    publish_and_roll_back(repo, store)
    amber("build", cwd=repo, check=0)
    amber("docs", "--out", "site", "--store", str(store), cwd=repo, check=0)
    return repo / "site"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("init")
    amber("init", "fresh", cwd=where, check=0)
    amber("docs", "--out", "site", cwd=where / "fresh", check=0)
    return where / "fresh" / "site"


@pytest.fixture(scope="module")
def payments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another team's repository: its own folders, schemas, rules and migrations."""
    repo = payments_repo(tmp_path_factory.mktemp("payments") / "payments")
    amber("docs", "--out", "site", cwd=repo, check=0)
    return repo / "site"


@pytest.fixture(scope="module")
def monorepo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """vendor/ at the top of the work tree, the config and its site two folders down: source
    links lead up and out of the config folder."""
    config = monorepo(tmp_path_factory.mktemp("mono"), depth=4) / "deploy" / "config"
    amber("docs", "--out", "site", cwd=config, check=0)
    return config / "site"


def broken_links(browser: Browser, page_file: Path) -> list[str]:
    """Every link on the page that leads nowhere: a missing file, or a fragment with no element
    of that id in the page it points into."""
    with visit(browser, page_file) as seen:
        # getAttribute, not .href: links inside the SVG picture have no string .href
        hrefs = seen.page.eval_on_selector_all(
            "a[href]",
            "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)",
        )
    broken = []
    for href in hrefs:
        parts = urlsplit(href)
        assert parts.scheme == "file", f"{page_file.name} links off the site: {href}"
        target = Path(unquote(parts.path))
        fragment = f'id="{unquote(parts.fragment)}"'
        if not target.is_file() or (
            parts.fragment and target.suffix == ".html" and fragment not in target.read_text()
        ):
            broken.append(href)
    return broken


@pytest.mark.parametrize("site_name", ["reference", "scaffolded", "payments", "monorepo_site"])
def test_every_page_loads_clean_with_no_broken_link(
    browser: Browser, site_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    site: Path = request.getfixturevalue(site_name)
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 5
    shots = tmp_path / "screenshots"
    for page_file in pages:
        for width in (WIDE, PHONE):
            with visit(browser, page_file, width=width) as seen:
                assert seen.errors == [], f"{page_file.name} at {width}px: {seen.errors}"
                assert seen.page.locator("h1").count() == 1
                # A phone scrolls a wide table inside its box, never the whole page sideways.
                overflow = seen.page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{page_file.name} is {overflow}px too wide at {width}px"
                seen.page.screenshot(path=str(shots / f"{page_file.stem}-{width}.png"))
        assert broken_links(browser, page_file) == [], page_file.name
    assert len(list(shots.iterdir())) == 2 * len(pages)


def test_differing_values_are_marked(browser: Browser, reference: Path) -> None:
    with visit(browser, reference / "environments.html") as seen:

        def cell(env: str, path: str) -> Any:
            return seen.page.locator(f'td[data-env="{env}"][data-path="{path}"]')

        batch_prod = cell("prod", "spaced_repetition.batch_size")
        batch_dev = cell("dev", "spaced_repetition.batch_size")
        assert batch_prod.locator("code").inner_text() == "500"
        assert batch_dev.locator("code").inner_text() == "20"
        for marked in (batch_prod, batch_dev):
            assert marked.get_attribute("class") == "differs"
            # the mark a reader sees, drawn by the stylesheet
            before = marked.evaluate("e => getComputedStyle(e, '::before').content")
            assert "≠" in before
        same = cell("prod", "ai_provider.primary_provider")
        assert same.get_attribute("class") is None
        link = batch_prod.locator("a.source")
        assert re.fullmatch(r"environments/prod\.jsonnet:\d+", link.inner_text())


def fractional_weights(rule: Any) -> list[float] | None:
    """The percentages of the first `fractional` in a targeting rule, read independently of
    the site's own reading."""
    if isinstance(rule, list):
        found = [fractional_weights(item) for item in rule]
        return next((f for f in found if f), None)
    if not isinstance(rule, dict):
        return None
    if "fractional" in rule:
        buckets = [b for b in rule["fractional"] if isinstance(b, list)]
        weights = [b[1] if len(b) > 1 else 1 for b in buckets]
        return [100 * w / sum(weights) for w in weights]
    return fractional_weights(list(rule.values()))


def test_rollout_bars_are_as_wide_as_the_weights(browser: Browser, reference: Path) -> None:
    dist = reference.parent / "dist"
    checked = 0
    with visit(browser, reference / "flags.html") as seen:
        for env in ("dev", "staging", "prod"):
            flags = json.loads((dist / f"{env}.json").read_text())["config"]["flags"]
            for key, flag in flags.items():
                weights = fractional_weights(flag.get("targeting"))
                block = seen.page.locator(f'div.env[data-env="{env}"][data-flag="{key}"]')
                bar = block.locator(".bar.weights")
                if weights is None:
                    assert bar.count() == 0
                    continue
                inner = bar.evaluate("e => e.clientWidth")
                widths = bar.locator("span").evaluate_all(
                    "els => els.map(e => e.getBoundingClientRect().width)"
                )
                expected = [inner * w / 100 for w in weights]
                assert len(widths) == len(expected)
                for drawn, wanted in zip(widths, expected, strict=True):
                    assert abs(drawn - wanted) <= 1, (env, key, widths, expected)
                checked += 1
    assert checked >= 4  # adaptive_learning and diagnostic_flow, in more than one environment


def test_diagnostic_flow_shares_are_measured_near_its_weights(
    browser: Browser, reference: Path
) -> None:
    with visit(browser, reference / "flags.html") as seen:
        texts = seen.page.locator('div.env[data-flag="diagnostic_flow"] p.shares').all_inner_texts()
    assert texts
    for text in texts:
        shares = {m[0]: float(m[1]) for m in re.findall(r"(\w+) (\d+\.\d)%", text)}
        assert set(shares) == {"classic", "short", "adaptive"}, text
        for variant, weight in {"classic": 50, "short": 25, "adaptive": 25}.items():
            assert abs(shares[variant] - weight) <= 1.5, text


def test_history_lists_the_publish_and_the_rollback(browser: Browser, reference: Path) -> None:
    with visit(browser, reference / "history.html") as seen:
        rows = seen.page.locator("#history-prod + .scroll tbody tr")
        actions = [r.locator("td").nth(0).inner_text() for r in rows.all()]
        assert actions == ["publish", "publish", "rollback"]
        rows.nth(2).get_by_role("link", name="diff").click()
        seen.page.wait_for_load_state()
        assert seen.page.url.endswith("diff-prod-3.html")
        change = seen.page.locator("tr", has_text="spaced_repetition.batch_size")
        assert change.locator("td").nth(1).inner_text() == "450"
        assert change.locator("td").nth(2).inner_text() == "500"
        assert seen.errors == []


def test_search_narrows_the_field_list(browser: Browser, reference: Path) -> None:
    with visit(browser, reference / "index.html") as seen:
        items = seen.page.locator("#results li")
        total = items.count()
        seen.page.get_by_label("Search fields").fill("batch")
        visible = seen.page.locator("#results li:visible").all_inner_texts()
        assert visible and len(visible) < total
        assert all("batch" in text for text in visible)
        seen.page.get_by_label("Search fields").fill("")
        assert seen.page.locator("#results li:visible").count() == total


HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_what_the_repository_says_is_shown_never_run(browser: Browser, tmp_path: Path) -> None:
    """Descriptions, values and flag variants come from whoever edits the repository: the site
    shows them as text, and nothing in them runs."""
    repo = copy_reference(tmp_path / "repo")
    schema = repo / "config" / "schema" / "1.2.0.json"
    document = json.loads(schema.read_text())
    document["$defs"]["spaced_repetition"]["properties"]["batch_size"]["description"] = HOSTILE
    schema.write_text(json.dumps(document))
    flags = repo / "config" / "lib" / "flags.libsonnet"
    flags.write_text(flags.read_text().replace("classic: 'classic'", f"classic: '{HOSTILE}'"))
    amber("docs", "--out", "site", cwd=repo, check=0)
    dialogs: list[str] = []
    # a description is prose; a variant's value is shown as the JSON it is
    for name, shown in (("schema-1.2.0.html", HOSTILE), ("flags.html", json.dumps(HOSTILE))):
        with visit(browser, repo / "site" / name) as seen:
            seen.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            seen.page.reload(wait_until="load")
            assert shown in seen.page.locator("main").inner_text(), name
            assert seen.page.locator("main script, main img").count() == 0, name
            assert dialogs == [] and seen.errors == [], (name, dialogs, seen.errors)
