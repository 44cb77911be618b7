"""No credential in any artifact, any command's output or the build cache: 14 kinds of
credential, each brought in 14 ways, through the real command line.

Every credential here is fake: the right shape, random letters.  Each way in is an environment
of its own; for each kind, ``check`` (text and JSON), ``build``, ``show`` of every environment
and ``diff`` must not print it, ``dist/`` must not hold it, and neither must the cache, in any
form the detector recognises: raw, JSON-escaped or base64.
"""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

import pytest

from tests.support.repo import amber, clean_env

RANDOM = random.Random(19)


def _chars(alphabet: str, count: int) -> str:
    return "".join(RANDOM.choice(alphabet) for _ in range(count))


ALNUM = string.ascii_letters + string.digits
UPPER = string.ascii_uppercase + string.digits
KINDS = {
    "openai": "sk-proj-" + _chars(ALNUM, 48),
    "anthropic": "sk-ant-api03-" + _chars(ALNUM, 40),
    "google": "AIza" + _chars(ALNUM, 35),
    "aws-key-id": "AKIA" + _chars(UPPER, 16),
    "aws-secret": _chars(ALNUM, 30) + "/" + _chars(ALNUM, 9),
    "github": "ghp_" + _chars(ALNUM, 36),
    "slack-bot": "xoxb-" + _chars(string.digits, 12) + "-" + _chars(ALNUM, 24),
    "slack-app": "xapp-1-"
    + _chars(UPPER, 11)
    + "-"
    + _chars(string.digits, 13)
    + "-"
    + _chars("abcdef0123456789", 64),
    "stripe": "sk_live_" + _chars(ALNUM, 24),
    "pem": "-----BEGIN RSA PRIVATE KEY-----\n"
    + "\n".join(_chars(ALNUM + "+/", 64) for _ in range(3))
    + "\n-----END RSA PRIVATE KEY-----",
    "pgp": "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
    + "\n".join(_chars(ALNUM + "+/", 64) for _ in range(3))
    + "\n-----END PGP PRIVATE KEY BLOCK-----",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJ" + _chars(ALNUM, 40) + "." + _chars(ALNUM + "-_", 43),
    "url-password": "postgres://app:" + _chars(ALNUM, 18) + "@db.internal:5432/app",
    "random": _chars(ALNUM, 40),
}
# Where a secret may hide: a string the schema takes (flag metadata), an unknown field, an
# object key, glued into other text, base64, an error and an assert message, std.trace, a
# value a schema error quotes (type, enum), an array item, a flag variant, a rule's message,
# and a secret reference with the key where the variable's name should be.
WAYS = {
    "metadata": "flags+: { ai_hints+: { metadata+: { note: SECRET } } }",
    "unknown-field": "extra_setting: SECRET",
    "object-key": "flags+: { ai_hints+: { metadata+: { [SECRET]: 'x' } } }",
    "glued": "flags+: { ai_hints+: { metadata+: { note: 'id-' + SECRET + '-x' } } }",
    "base64": "flags+: { ai_hints+: { metadata+: { note: std.base64(SECRET) } } }",
    "error": "debug: error 'bad key: ' + SECRET",
    "assert": "assert std.length(SECRET) == 0 : 'key was ' + SECRET,",
    "trace": "debug: std.trace('key ' + SECRET, false)",
    "type-error": "debug: SECRET",
    "enum-error": "ai_provider+: { primary_provider: SECRET }",
    "array": "ai_provider+: { fallback_providers: [SECRET] }",
    "variant": "flags+: { diagnostic_flow+: { variants+: { classic: SECRET } } }",
    "rule": "spaced_repetition+: { algorithm_notes:: SECRET }, rule_bait: 'x'",
    "reference": "ai_provider+: { api_keys+: { openai: { '$secret': SECRET } } }",
}
RULE = """
from amber.rules import rule

@rule("rule_bait", environments=["rule"])
def quotes_what_it_read(config):
    return "rule_bait is not allowed here: " + json.dumps(config, sort_keys=True)[:2000]
"""


def forms(secret: str) -> list[str]:
    """Every form of ``secret`` that must never show: raw, JSON-escaped, base64."""
    escaped = json.dumps(secret)[1:-1]
    return [secret, escaped, base64.b64encode(secret.encode()).decode()]


def repository(tmp_path: Path, secret: str) -> Path:
    repo = tmp_path / "repo"
    from tests.support.repo import copy_reference

    copy_reference(repo)
    base = (repo / "environments" / "prod.jsonnet").read_text()
    literal = json.dumps(secret)
    for way, snippet in WAYS.items():
        text = snippet.replace("SECRET", literal)
        if way == "rule":
            text = text.replace(f"algorithm_notes:: {literal}", "batch_size: 500") + (
                f", flags+: {{ ai_hints+: {{ metadata+: {{ note: {literal} }} }} }}"
            )
        (repo / "environments" / f"{way}.jsonnet").write_text(f"{base}\n+ {{ {text} }}\n")
    with (repo / "config" / "rules.py").open("a") as rules:
        rules.write("import json\n" + RULE)
    return repo


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_credential_leaks_anywhere(tmp_path: Path, kind: str) -> None:
    secret = KINDS[kind]
    repo = repository(tmp_path, secret)
    cache = tmp_path / "cache"
    env = clean_env(AMBER_CACHE_DIR=str(cache))
    seen: dict[str, str] = {}
    for args in (("check",), ("check", "--format", "json"), ("build", "-j", "2")):
        done = amber(*args, cwd=repo, env=env)
        assert done.code == 1, done.err
        seen[" ".join(args)] = done.out + done.err
    for way in WAYS:
        done = amber("show", way, cwd=repo, env=env)
        seen[f"show {way}"] = done.out + done.err
    done = amber("diff", "prod", "variant", cwd=repo, env=env)
    seen["diff"] = done.out + done.err
    for path in [*(repo / "dist").glob("*.json"), *cache.rglob("*")]:
        if path.is_file():
            seen[str(path)] = path.read_text(errors="replace")
    leaks = sorted(
        (where, line.strip()[:160])
        for where, text in seen.items()
        for form in forms(secret)
        for line in text.splitlines()
        if form in line
    )
    assert leaks == [], f"{kind}: {len(leaks)} leaks: {leaks[:5]}"
    built = {p.stem for p in (repo / "dist").glob("*.json")}
    assert built <= {"dev", "staging", "prod", "trace"}  # trace: the config itself is clean
