"""The OpenFeature provider, through the real openfeature-sdk client."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.event import EventDetails, ProviderEvent
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import Reason

import amber
from amber.compiler import artifact
from amber.openfeature import AmberProvider
from tests.support.repo import ROOT

GOLDEN = ROOT / "tests" / "golden" / "prod.json"


@pytest.fixture(autouse=True)
def fresh_api() -> None:
    api.clear_providers()
    api.clear_hooks()


def test_round_trip_through_the_sdk() -> None:
    api.set_provider_and_wait(AmberProvider(amber.load(GOLDEN, secrets="lazy")))
    client = api.get_client()
    admin = EvaluationContext("admin@learnapp.example")
    details = client.get_boolean_details("adaptive_learning", False, admin)
    assert (details.value, details.variant, details.reason) == (True, "on", Reason.TARGETING_MATCH)
    assert details.flag_metadata == {"owner": "learning-team"}
    flow = client.get_string_details("diagnostic_flow", "classic", EvaluationContext("user-7"))
    assert flow.value in {"classic", "short", "adaptive"} and flow.reason == Reason.TARGETING_MATCH
    old_app = EvaluationContext("u1", {"app_version": "2.3.9"})
    assert client.get_boolean_value("ai_hints", True, old_app) is False
    disabled = client.get_boolean_details("new_scheduler", True, admin)
    assert (disabled.value, disabled.reason) == (True, Reason.DISABLED)


def test_errors_reach_the_sdk_with_the_callers_default() -> None:
    api.set_provider_and_wait(AmberProvider(amber.load(GOLDEN, secrets="lazy")))
    client = api.get_client()
    missing = client.get_boolean_details("no-such-flag", True)
    assert (missing.value, missing.reason, missing.error_code) == (
        True,
        Reason.ERROR,
        ErrorCode.FLAG_NOT_FOUND,
    )
    wrong = client.get_string_details("adaptive_learning", "x", EvaluationContext("u"))
    assert (wrong.value, wrong.error_code) == ("x", ErrorCode.TYPE_MISMATCH)
    as_int = client.get_integer_details("adaptive_learning", 7, EvaluationContext("u"))
    assert (as_int.value, as_int.error_code) == (7, ErrorCode.TYPE_MISMATCH)


def flag_artifact(path: Path, rollout: int) -> None:
    rule = {"fractional": [["on", rollout], ["off", 100 - rollout]]}
    flags = {
        "rollout": {
            "state": "ENABLED",
            "variants": {"on": True, "off": False},
            "defaultVariant": "off",
            "targeting": rule,
        },
        "steady": {"state": "ENABLED", "variants": {"a": {"k": [1, 2]}}, "defaultVariant": "a"},
    }
    data = artifact.to_bytes(
        artifact.envelope({"flags": flags}, "prod", "1.2.0", {"flags": {"fractional": "v3"}})
    )
    temp = path.with_suffix(".tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def test_a_watched_artifact_announces_changed_flags(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    flag_artifact(path, 0)
    watcher = amber.Watcher(path)
    api.set_provider_and_wait(AmberProvider(watcher))
    client = api.get_client()
    assert client.get_object_value("steady", {}) == {"k": [1, 2]}
    user = EvaluationContext("user-1")
    assert client.get_boolean_value("rollout", True, user) is False
    changed: list[EventDetails] = []
    seen = threading.Event()

    def handler(details: EventDetails) -> None:
        changed.append(details)
        seen.set()

    api.add_handler(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED, handler)
    try:
        flag_artifact(path, 100)
        assert watcher.poll() is True
        assert seen.wait(5)
        assert changed[0].flags_changed == ["rollout"]
        assert client.get_boolean_value("rollout", False, user) is True
    finally:
        api.remove_handler(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED, handler)
