"""Problems in a compiled config: schema errors at useful paths, credentials cut out, placed at
the line most likely to set them."""

from __future__ import annotations

from pathlib import Path

from amber.compiler.checks import validate
from amber.compiler.checks.schemas import Schema

SCHEMA = Schema(
    version=(1, 0, 0),
    file="config/schema/1.0.0.json",
    digest="sha256:0",
    document={
        "type": "object",
        "additionalProperties": False,
        "required": ["app"],
        "properties": {
            "app": {
                "type": "object",
                "required": ["name", "port"],
                "properties": {"name": {"type": "string"}, "port": {"type": "integer"}},
            },
            "token": {"type": "object"},
        },
    },
)


def test_an_unknown_field_is_reported_at_its_own_path() -> None:
    (problem,) = validate.schema_problems({"app": {"name": "x", "port": 1}, "colour": 1}, SCHEMA)
    assert problem.path == ("colour",)
    assert problem.message == "unknown field 'colour' (allowed: app, token)"
    assert problem.code == "schema:additionalProperties"


def test_a_missing_field_is_reported_at_its_path_and_anchored_at_its_parent() -> None:
    (problem,) = validate.schema_problems({"app": {"name": "x"}}, SCHEMA)
    assert problem.path == ("app", "port")
    assert problem.anchor == ("app",)
    assert problem.message == "required field is missing"


def test_every_message_that_quotes_a_credential_is_cut() -> None:
    key = "sk-proj-" + "Ab1" * 12
    config = {"app": {"name": "x", "port": 1}, "token": key}
    found, secrets = validate.secret_problems(config)
    problems = validate.schema_problems(config, SCHEMA) + found
    assert any(key in p.message for p in problems)  # the schema error quotes it
    redacted = validate.redact(problems, secrets)
    assert not any(key in p.message for p in redacted)
    assert {p.code for p in redacted} == {"schema:type", "security:credential"}


def test_flags_must_be_an_object() -> None:
    (problem,) = validate.flag_problems({"flags": []})
    assert (problem.path, problem.code) == (("flags",), "flags")


def test_problems_are_placed_at_the_line_that_sets_them(tmp_path: Path) -> None:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "prod.jsonnet").write_text(
        "{\n  app: {\n    name: 'x',\n  },\n  colour: 1,\n}\n"
    )
    config = {"app": {"name": "x"}, "colour": 1}
    problems = validate.schema_problems(config, SCHEMA)
    placed = validate.place(
        problems, "prod", "environments/prod.jsonnet", ["environments/prod.jsonnet"], tmp_path
    )
    assert [(d.path, d.line) for d in placed] == [("app.port", 2), ("colour", 5)]
    assert all(d.env == "prod" and d.file == "environments/prod.jsonnet" for d in placed)
