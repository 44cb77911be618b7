"""Evaluate flag cases with openfeature-flagd-core (the reference), for differential tests.

Run as a script: reads {"flags": ..., "cases": [[key, context, default, type], ...]} as JSON
on stdin (or {"document": "<a flag-definition file's text>", "cases": ...}: the file loaded as
it is), prints one JSON result per case.  Whichever flagd core is importable answers: the
test runs it with 2.x (v3 bucketing) and 1.x (v2) on the path.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from openfeature.contrib.tools.flagd.core import FlagdCore
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import OpenFeatureError


def resolve(
    core: FlagdCore, key: str, context: dict[str, Any], default: Any, kind: str
) -> dict[str, Any]:
    attributes = {k: v for k, v in context.items() if k != "targetingKey"}
    ctx = EvaluationContext(context.get("targetingKey"), attributes)
    method = getattr(core, f"resolve_{kind}_value")
    try:
        result = method(key, default, ctx)
    except OpenFeatureError as exc:
        return {"value": default, "variant": None, "reason": "ERROR", "error": str(exc.error_code)}
    except Exception as exc:  # noqa: BLE001 - an OpenFeature client reports these as GENERAL
        return {
            "value": default,
            "variant": None,
            "reason": "ERROR",
            "error": "GENERAL",
            "why": repr(exc),
        }
    return {
        "value": result.value,
        "variant": result.variant,
        "reason": str(result.reason),
        "error": None,
        "metadata": dict(result.flag_metadata),
    }


def main() -> None:
    job = json.load(sys.stdin)
    core = FlagdCore()
    core.set_flags(job["document"] if "document" in job else json.dumps({"flags": job["flags"]}))
    results = [resolve(core, *case) for case in job["cases"]]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
