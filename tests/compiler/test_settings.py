"""Settings: conventions by default, pyproject.toml and amber.toml overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from amber.compiler import settings
from amber.errors import UsageError


def test_defaults_need_no_file(tmp_path: Path) -> None:
    loaded = settings.load(tmp_path)
    assert (loaded.environments, loaded.library, loaded.out, loaded.engine) == (
        "environments",
        ("config",),
        "dist",
        "go",
    )
    assert loaded.source == ""


def test_amber_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.amber]\nengine = "rust"\nout = "build"\nlibrary = ["lib", "vendor"]\n'
    )
    (tmp_path / "amber.toml").write_text('engine = "go"\n[ext_vars]\nregion = "eu"\n')
    loaded = settings.load(tmp_path)
    assert loaded.engine == "go"
    assert loaded.out == "build"
    assert loaded.library == ("lib", "vendor")
    assert loaded.ext_vars == {"region": "eu"}
    assert loaded.source == "pyproject.toml + amber.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('engine = "cpp"\n', "engine must be one of go, rust"),
        ('fractional = "v9"\n', "fractional must be one of v2, v3"),
        ("max_stack = 0\n", "must be a positive integer"),
        ("timeout = 10000000000\n", "from 1 to 1000000, or 0 for no limit"),
        ("timeout = -1\n", "from 1 to 1000000, or 0 for no limit"),
        ("library = 3\n", "must be a string or a list of strings"),
        ("outt = 'x'\n", "unknown setting 'outt'"),
        ("engine = \n", "invalid TOML"),
    ],
)
def test_bad_settings_are_usage_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "amber.toml").write_text(text)
    with pytest.raises(UsageError, match=message):
        settings.load(tmp_path)


def test_root_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / "amber.toml").write_text("")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert settings.find_root(deep) == tmp_path.resolve()


def test_a_pyproject_without_tool_amber_is_not_a_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    assert settings.find_root(inner) == inner.resolve()


def test_a_timeout_of_zero_means_no_limit(tmp_path: Path) -> None:
    (tmp_path / "amber.toml").write_text("timeout = 0\n")
    assert settings.load(tmp_path).timeout == 0
