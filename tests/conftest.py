"""Shared fixtures: a copy of the reference config repository for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.repo import copy_reference


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_reference(tmp_path / "repo")
