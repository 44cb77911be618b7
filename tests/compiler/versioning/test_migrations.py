"""Migrations: property tests on every step of the reference chain and of a second repo's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from amber import canonical, versions
from amber.compiler import settings as settings_mod
from amber.compiler.checks import schemas
from amber.compiler.versioning import chain as chain_check
from amber.compiler.versioning import guard
from amber.compiler.versioning import migrations as migrate
from amber.errors import ConfigError, UsageError
from tests.compiler.test_generality import payments_repo
from tests.support.repo import ROOT
from tests.support.schema_strategy import from_schema

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def chain_of(root: Path) -> tuple[settings_mod.Settings, list[migrate.Migration]]:
    loaded = settings_mod.load(root)
    found, problems = migrate.load(loaded)
    assert problems == []
    return loaded, migrate.chain(found)


def resolved(loaded: settings_mod.Settings, version: versions.Version) -> dict[str, Any]:
    return schemas.resolve_refs(schemas.load(loaded, version).document)


def is_valid(loaded: settings_mod.Settings, version: versions.Version, config: Any) -> bool:
    return schemas.validator(schemas.load(loaded, version)).is_valid(config)


def drop(config: dict[str, Any], paths: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in paths}


@pytest.fixture(scope="module")
def payments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return payments_repo(tmp_path_factory.mktemp("payments"))


def steps() -> list[tuple[str, str]]:
    reference = [(str(ROOT), m.name) for m in chain_of(ROOT)[1]]
    return [
        *reference,
        ("payments", "001_rename_psp_key"),
        ("payments", "002_statement_descriptor"),
    ]


@pytest.mark.parametrize(("repo", "name"), steps())
def test_each_step_round_trips_validates_and_is_pure(repo: str, name: str, payments: Path) -> None:
    root = payments if repo == "payments" else Path(repo)
    loaded, chain = chain_of(root)
    (step,) = [m for m in chain if m.name == name]
    older = from_schema(resolved(loaded, step.source))
    newer = from_schema(resolved(loaded, step.target))

    @PROPERTY
    @given(older)
    def up_then_down(config: dict[str, Any]) -> None:
        assert is_valid(loaded, step.source, config)  # the generator makes valid configs
        frozen = canonical.dump_bytes(config)
        lifted = migrate.apply(migrate.Step(step, "up"), config)
        assert canonical.dump_bytes(config) == frozen  # the input is untouched
        assert is_valid(loaded, step.target, lifted)
        assert migrate.apply(migrate.Step(step, "up"), config) == lifted  # deterministic
        assert migrate.apply(migrate.Step(step, "down"), lifted) == config

    @PROPERTY
    @given(newer)
    def down_then_up(config: dict[str, Any]) -> None:
        assert is_valid(loaded, step.target, config)
        lowered = migrate.apply(migrate.Step(step, "down"), config)
        assert is_valid(loaded, step.source, lowered)
        # What down() loses is exactly what the module declares in DROPS.
        again = migrate.apply(migrate.Step(step, "up"), lowered)
        assert drop(again, step.drops) == drop(config, step.drops)

    up_then_down()
    down_then_up()


def test_the_reference_chain_is_whole() -> None:
    loaded, chain = chain_of(ROOT)
    assert [(versions.text(m.source), versions.text(m.target)) for m in chain] == [
        ("1.0.0", "1.1.0"),
        ("1.1.0", "1.2.0"),
    ]
    assert (
        chain_check.check_chain(
            chain, sorted(schemas.schema_files(loaded)), "migrations", "config/schema"
        )
        == []
    )
    assert guard.check_versions(loaded) == []


def test_plans_go_up_and_down_the_chain() -> None:
    _, chain = chain_of(ROOT)
    down = migrate.plan(chain, (1, 2, 0), (1, 0, 0))
    assert [s.describe() for s in down] == [
        "0002_flags (down, 1.2.0 -> 1.1.0)",
        "0001_ai_provider (down, 1.1.0 -> 1.0.0)",
    ]
    up = migrate.plan(chain, (1, 0, 0), (1, 2, 0))
    assert [s.direction for s in up] == ["up", "up"]
    assert migrate.plan(chain, (1, 1, 0), (1, 1, 0)) == []
    with pytest.raises(UsageError, match=r"no migration path from 1\.2\.0 to 3\.0\.0"):
        migrate.plan(chain, (1, 2, 0), (3, 0, 0))


def test_an_impure_migration_is_caught() -> None:
    def sneaky(config: dict[str, Any]) -> dict[str, Any]:
        config["touched"] = True
        return config

    bad = migrate.Migration("migrations/x.py", (1, 0, 0), (1, 1, 0), "x", (), sneaky, sneaky)
    with pytest.raises(ConfigError, match="changed its input"):
        migrate.apply(migrate.Step(bad, "up"), {"a": 1})


@given(st.dictionaries(st.text(max_size=5), st.integers(-(2**53) + 1, 2**53 - 1), max_size=4))
def test_apply_returns_plain_json(config: dict[str, Any]) -> None:
    echo = migrate.Migration("m.py", (1, 0, 0), (1, 1, 0), "x", (), dict, dict)
    out = migrate.apply(migrate.Step(echo, "up"), config)
    assert out == config and out is not config
    assert json.loads(json.dumps(out)) == out


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0", "1.2.0"])
def test_generated_configs_are_valid(version: str) -> None:
    loaded = settings_mod.load(ROOT)
    document = resolved(loaded, versions.parse(version))
    validator = Draft202012Validator(document)

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(from_schema(document))
    def valid(config: dict[str, Any]) -> None:
        assert validator.is_valid(config)

    valid()
