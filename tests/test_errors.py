"""Diagnostics print as `path[:line[:col]]: severity: <env> <json.path>: message [code]`."""

from __future__ import annotations

from amber.errors import ConfigError, Diagnostic, LoadError, UsageError


def test_render_forms() -> None:
    full = Diagnostic(
        "too big", file="e/p.jsonnet", line=3, col=7, env="prod", path="a.b", code="r"
    )
    assert full.render() == "e/p.jsonnet:3:7: error: prod a.b: too big [r]"
    warning = Diagnostic("low", file="x.jsonnet", line=2, severity="warning", env="dev")
    assert warning.render() == "x.jsonnet:2: warning: dev: low"
    bare = Diagnostic("no environments")
    assert bare.render() == "amber: error: no environments"


def test_exit_codes_by_kind() -> None:
    assert ConfigError([Diagnostic("x")]).exit_code == 1
    assert UsageError("x").exit_code == 2
    assert LoadError("x").exit_code == 1


def test_config_error_names_the_first_error() -> None:
    problems = [
        Diagnostic("only a warning", severity="warning"),
        Diagnostic("the error", file="f", env="prod", path="a"),
    ]
    error = ConfigError(problems)
    assert (error.message, error.file, error.env, error.path) == ("the error", "f", "prod", "a")
    assert str(error).splitlines()[1] == "f: error: prod a: the error"
