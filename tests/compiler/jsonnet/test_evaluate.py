"""Evaluation: both real engines, import confinement, and engine error text to diagnostics."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from amber.compiler.jsonnet import engine_errors, engines, evaluate, imports
from amber.compiler.settings import Settings
from amber.errors import ConfigError


def make_repo(root: Path, files: dict[str, str]) -> Settings:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Settings(root=root)


@pytest.mark.parametrize("engine", ["go", "rust"])
def test_library_path_relative_imports_and_ext_var(tmp_path: Path, engine: str) -> None:
    settings = make_repo(
        tmp_path,
        {
            "config/lib/a.libsonnet": "local b = import 'b.libsonnet'; { b: b, env: std.extVar('env') }",
            "config/lib/b.libsonnet": "{ n: 1.0, text: importstr 'note.txt' }",
            "config/lib/note.txt": "hello",
            "environments/dev.jsonnet": "(import 'lib/a.libsonnet') + { flags: (import 'amber/flags.libsonnet') != null }",
        },
    )
    settings = Settings(root=tmp_path, engine=engine)
    result = evaluate.evaluate(settings, "dev", "environments/dev.jsonnet")
    assert result.value == {"b": {"n": 1, "text": "hello"}, "env": "dev", "flags": True}
    assert type(result.value["b"]["n"]) is int  # 1.0 and 1 are one number
    assert list(result.inputs) == [
        "environments/dev.jsonnet",
        "config/lib/a.libsonnet",
        "config/lib/b.libsonnet",
        "config/lib/note.txt",
        "<amber>/amber/flags.libsonnet",
    ]


@pytest.mark.parametrize("engine", ["go", "rust"])
@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "import '../../../outside.libsonnet'",
            "import escapes the repository: ../../../outside.libsonnet",
        ),
        (  # from environments/, ../ is the repository's root: not an escape, a missing file
            "import '../outside.libsonnet'",
            "import not found: ../outside.libsonnet (looked for outside.libsonnet)",
        ),
        ("import '/etc/passwd'", "import escapes the repository: /etc/passwd"),
        ("import 'lib/link.libsonnet'", "import escapes the repository through a symlink"),
        (
            "import 'nowhere.libsonnet'",
            "import not found: nowhere.libsonnet (looked for environments/nowhere.libsonnet, "
            "config/nowhere.libsonnet, <amber>/nowhere.libsonnet)",
        ),
    ],
)
def test_imports_are_confined(tmp_path: Path, engine: str, source: str, message: str) -> None:
    (tmp_path.parent / "outside.libsonnet").write_text("{ leaked: true }")
    settings = make_repo(tmp_path / "repo", {"environments/x.jsonnet": source})
    (tmp_path / "repo" / "config" / "lib").mkdir(parents=True)
    os.symlink(tmp_path.parent / "outside.libsonnet", tmp_path / "repo/config/lib/link.libsonnet")
    settings = Settings(root=tmp_path / "repo", engine=engine)
    with pytest.raises(ConfigError) as caught:
        evaluate.evaluate(settings, "x", "environments/x.jsonnet")
    (problem,) = caught.value.problems
    assert message in problem.message
    assert problem.file == "environments/x.jsonnet"
    assert problem.code == "import"


@pytest.mark.parametrize(
    ("entry", "source"),
    [
        ("environments/x.jsonnet", "local a = 1;\nlocal b =  importstr 'nowhere.txt';\n{ b: b }"),
        ("environments/x.jsonnet", "{\n  a: (import 'lib/missing.libsonnet').a,\n}"),
        ("x.jsonnet", 'import "../outside.libsonnet"'),
    ],
)
def test_a_refused_import_is_placed_without_the_engine(
    tmp_path: Path, entry: str, source: str
) -> None:
    # go-jsonnet's binding can garble the error text of a refused import (see
    # _Importer.callback); the importer then places the import itself, where the engine would.
    settings = make_repo(tmp_path, {entry: source})
    with pytest.raises(ConfigError) as caught:
        evaluate.evaluate(settings, "x", entry)
    (by_engine,) = caught.value.problems
    importer = imports.Importer(settings)
    importer.read(entry)
    rel = source.split("'")[1] if "'" in source else source.split('"')[1]
    assert importer.callback(os.path.dirname(entry) + "/" if "/" in entry else "", rel) is None
    assert importer.import_site() == (by_engine.file, by_engine.line, by_engine.col)


def test_a_symlink_inside_the_repo_is_fine(tmp_path: Path) -> None:
    settings = make_repo(tmp_path, {"config/lib/real.libsonnet": "{ a: 1 }"})
    os.symlink(tmp_path / "config/lib/real.libsonnet", tmp_path / "config/lib/alias.libsonnet")
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments/x.jsonnet").write_text("import 'lib/alias.libsonnet'")
    assert evaluate.evaluate(settings, "x", "environments/x.jsonnet").value == {"a": 1}


GO_TRACE = (
    "RUNTIME ERROR: boom\n\t<std>:12:3-20\tfunction <x>\n"
    "\tconfig/lib/a.libsonnet:4:7-30\tobject <anonymous>\n"
    "\tenvironments/dev.jsonnet:2:1-9\t$\n\tDuring evaluation\t\n"
)


@pytest.mark.parametrize(
    ("text", "file", "line", "col", "message"),
    [
        (GO_TRACE, "config/lib/a.libsonnet", 4, 7, "boom"),
        (
            'environments/dev.jsonnet:3:5-6 Unexpected: "}"\n\n{ a: }\n',
            "environments/dev.jsonnet",
            3,
            5,
            'Unexpected: "}"',
        ),
        (
            "environments/dev.jsonnet:(3:1)-(4:2) Object comprehension oops\n",
            "environments/dev.jsonnet",
            3,
            1,
            "Object comprehension oops",
        ),
        (
            "runtime error: line1\nline2\n    environments/dev.jsonnet:1:1-22: error statement",
            "environments/dev.jsonnet",
            1,
            1,
            "line1\nline2",
        ),
        (
            "assert failed: too big\n    config/lib/a.libsonnet:9:10-21: assertion failure",
            "config/lib/a.libsonnet",
            9,
            10,
            "too big",
        ),
        ("no such field: b", "environments/dev.jsonnet", None, None, "no such field: b"),
    ],
)
def test_engine_errors_become_diagnostics(
    text: str, file: str, line: int | None, col: int | None, message: str
) -> None:
    known = {"environments/dev.jsonnet", "config/lib/a.libsonnet"}
    problem = engine_errors.parse_engine_error(text, "environments/dev.jsonnet", "dev", known)
    assert (problem.file, problem.line, problem.col, problem.message) == (file, line, col, message)
    assert problem.env == "dev"


def test_missing_engine_is_a_usage_error_naming_the_extra() -> None:
    message = engines.missing_engine("rust")
    assert "pip install 'amber-config[rust]'" in message
