"""The artifact as the compiler writes it: canonical bytes, atomic writes, provenance clock."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from amber import canonical
from amber.compiler import artifact
from amber.errors import IntegrityError, UsageError

CONFIG = {"b": [1, 2], "a": {"x": "y"}, "s": {"$secret": "env:TOKEN"}}


def test_joined_bytes_equal_the_canonical_dump_of_the_envelope() -> None:
    config_bytes, spans = canonical.dump_config(CONFIG)
    joined = artifact.assemble(
        config_bytes, spans, "prod", "1.0.0", {"compiler": "x"}, artifact.secret_paths(CONFIG)
    )
    assert joined == artifact.to_bytes(
        artifact.envelope(CONFIG, "prod", "1.0.0", {"compiler": "x"})
    )
    assert canonical.is_canonical(joined)
    assert json.loads(joined)["provenance"]["secrets"] == ["s"]


def test_file_names() -> None:
    assert artifact.file_name("prod") == "prod.json"
    assert artifact.file_name("prod", "1.1.0") == "prod@1.1.0.json"


def test_write_skips_identical_bytes_and_names_the_file_it_cannot_write(tmp_path: Path) -> None:
    target = tmp_path / "out" / "prod.json"
    assert artifact.write(target, b"{}") is True
    os.utime(target, (1, 1))
    assert artifact.write(target, b"{}") is False
    assert target.stat().st_mtime == 1
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(UsageError, match="cannot write") as raised:
        artifact.write(blocked / "prod.json", b"{}")
    assert raised.value.file == str(blocked / "prod.json")


def test_built_at_reads_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert artifact.built_at() is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert artifact.built_at() == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        artifact.built_at()


def test_verified_refuses_bytes_amber_did_not_write(tmp_path: Path) -> None:
    data = artifact.to_bytes(artifact.envelope({"a": 1}, "prod", "1.0.0", {}))
    assert artifact.verified(data, "x").environment == "prod"
    spaced = data.replace(b'"provenance":', b'"provenance": ')
    with pytest.raises(IntegrityError):
        artifact.verified(spaced, "x")
    with pytest.raises(UsageError, match="no such file"):
        artifact.read(tmp_path / "missing.json")
