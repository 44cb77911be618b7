"""Finding the Jsonnet line that sets a JSON path."""

from __future__ import annotations

from pathlib import Path

from amber.compiler.checks import locate

LIB = """{
  cache: {
    enabled: true,
    ttl: 30,
  },
  breaker: {
    enabled: false,
    'ttl': 60,
  },
}
"""
ENV = """local lib = import 'lib.libsonnet';
lib {
  breaker+: { enabled: true },
} + {
  breaker+: { enabled: false },
}
"""


def test_the_environment_file_is_searched_first_and_the_last_override_wins(tmp_path: Path) -> None:
    (tmp_path / "lib.libsonnet").write_text(LIB)
    (tmp_path / "env.jsonnet").write_text(ENV)
    files = ["env.jsonnet", "lib.libsonnet"]
    assert locate.find(tmp_path, files, ["breaker", "enabled"]) == ("env.jsonnet", 5)
    assert locate.find(tmp_path, files, ["cache", "ttl"]) == ("lib.libsonnet", 4)
    assert locate.find(tmp_path, files, ["breaker", "ttl"]) == ("lib.libsonnet", 8)
    assert locate.find(tmp_path, files, ["cache", "enabled"]) == ("lib.libsonnet", 3)


def test_a_missing_leaf_falls_back_to_its_parent(tmp_path: Path) -> None:
    (tmp_path / "lib.libsonnet").write_text(LIB)
    assert locate.find(tmp_path, ["lib.libsonnet"], ["cache", "size"]) == ("lib.libsonnet", 2)
    assert locate.find(tmp_path, ["lib.libsonnet"], ["nothing", 0, "here"]) is None


def test_fields_are_matched_as_whole_names(tmp_path: Path) -> None:
    (tmp_path / "a.jsonnet").write_text("{\n  max_ttl: 1,\n  x: self.ttl,\n  ttl:: 2,\n}\n")
    assert locate.find(tmp_path, ["a.jsonnet"], ["ttl"]) == ("a.jsonnet", 4)
