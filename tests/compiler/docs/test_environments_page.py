"""The environments table, from hand-made environments."""

from __future__ import annotations

import re
from pathlib import Path

from amber.compiler.docs.environments_page import render
from amber.compiler.docs.gather import Environment, SiteData


def site(*environments: Environment) -> SiteData:
    return SiteData(
        versions=[], fields={}, environments=list(environments), migrations=[], rules=[]
    )


def test_differences_absences_secrets_and_long_values(tmp_path: Path) -> None:
    long_list = list(range(100))
    dev = Environment("dev", {"size": 1, "key": {"$secret": "env:K"}, "hosts": long_list}, {})
    prod = Environment("prod", {"size": 2, "key": {"$secret": "env:K"}, "only": True}, {})
    dev.sources["size"] = ("environments/dev.jsonnet", 3)
    body = render(site(dev, prod), tmp_path, tmp_path / "site").body
    assert "4 values in 2 environments; 3 differ" in body
    assert '<td class="differs" data-env="dev" data-path="size"><code>1</code>' in body
    assert '<a class="muted source" href="../environments/dev.jsonnet">' in body
    assert '<td data-env="prod" data-path="key"><code>secret env:K</code></td>' in body
    assert (
        '<td class="differs" data-env="dev" data-path="only"><span class="muted">absent</span>'
        in body
    )
    # a long value is folded behind its start, and still all there
    assert re.search(r"<details><summary><code>\[0, 1, 2, [^<]{20,60}…</code></summary>", body)
    assert ", 98, 99]</code></details>" in body


def test_values_differ_as_json_values_do(tmp_path: Path) -> None:
    one = Environment("one", {"a": "1", "b": 1, "c": 1, "d": "a\nb"}, {})
    two = Environment("two", {"a": 1, "b": True, "c": 1.0, "d": "a b"}, {})
    body = render(site(one, two), tmp_path, tmp_path / "site").body
    marked = set(re.findall(r'<td class="differs" data-env="one" data-path="(\w)"', body))
    assert marked == {"a", "b", "d"}  # "1" is not 1, 1 is not true; 1 and 1.0 are one number
    assert "<code>&quot;1&quot;</code>" in body and "<code>&quot;a\\nb&quot;</code>" in body


def test_source_links_and_control_characters_survive_html(tmp_path: Path) -> None:
    env = Environment("dev", {"note": "bell\x07 nul\x00"}, {})
    env.sources["note"] = ("config/app#v2 100%.libsonnet", 4)
    body = render(site(env), tmp_path, tmp_path / "site").body
    assert 'href="../config/app%23v2%20100%25.libsonnet"' in body
    assert "\x00" not in body and "\x07" not in body
    assert "bell\\u0007 nul\\u0000" in body
