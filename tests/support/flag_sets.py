"""Generated flag sets and contexts, and openfeature-flagd-core (the reference) to evaluate them.

openfeature-flagd-core 2.x (fractional v3) is a test dependency; 1.x (fractional v2) is
installed once per machine into a directory of its own, as the two cannot share a venv.
The generator stays out of the corners where flagd's own Go and Python evaluators disagree
(see `amber.flags.jsonlogic`); those corners have tests of their own in test_jsonlogic.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.repo import ROOT

ORACLE = ROOT / "tests" / "support" / "flagd_oracle.py"
CORE_1 = ROOT / ".venv" / "flagd-core-1"
CASES = 3000


def core_1_path() -> Path:
    """openfeature-flagd-core 1.0.0 and its dependencies, installed once, under a lock."""
    CORE_1.parent.mkdir(parents=True, exist_ok=True)
    with open(CORE_1.parent / "flagd-core-1.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (CORE_1 / ".complete").exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--target",
                    str(CORE_1),
                    "openfeature-flagd-core==1.0.0",
                ],
                check=True,
            )
            (CORE_1 / ".complete").write_text("")
    return CORE_1


VARIANT_SETS: list[dict[str, Any]] = [
    {"on": True, "off": False},
    {"red": "#f00", "green": "#0f0", "blue": "#00f"},
    {"small": 10, "medium": 50, "large": 100},
    {"a": {"x": 1}, "b": {"x": 2}},
]
EMAILS = ["ann@example.com", "bob@test.org", "cy@example.com", "dee@corp.example", ""]
VERSIONS = ["1.0.0", "2.4.0", "2.4.1-beta", "v3.0", "2", "not-a-version", "10.0.0"]


def gen_condition(rng: random.Random, depth: int) -> Any:
    choice = rng.randrange(14 if depth < 2 else 11)
    if choice == 0:
        return {"==": [{"var": "tier"}, rng.choice(["gold", "silver", "bronze"])]}
    if choice == 1:
        return {"!=": [{"var": "tier"}, rng.choice(["gold", "silver"])]}
    if choice == 2:
        return {"in": [{"var": "targetingKey"}, rng.sample([f"user{i}" for i in range(20)], 5)]}
    if choice == 3:
        return {"in": [rng.choice(["example", "test", "corp"]), {"var": "email"}]}
    if choice == 4:
        op = rng.choice(["<", "<=", ">", ">="])
        return {op: [{"var": "age"}, rng.randrange(10, 70)]}
    if choice == 5:
        low = rng.randrange(10, 40)
        return {rng.choice(["<", "<="]): [low, {"var": "age"}, low + rng.randrange(1, 30)]}
    if choice == 6:
        op = rng.choice(["=", "!=", "<", "<=", ">", ">=", "^", "~"])
        return {"sem_ver": [{"var": "version"}, op, rng.choice(["1.0.0", "2.4.0", "2", "v2.0"])]}
    if choice == 7:
        return {"starts_with": [{"var": "email"}, rng.choice(["ann", "bob", "x"])]}
    if choice == 8:
        return {"ends_with": [{"var": "email"}, rng.choice(["example.com", ".org", "y"])]}
    if choice == 9:
        return {"!!": {"var": rng.choice(["beta", "tier", "missing"])}}
    if choice == 10:
        return {">": [{"var": "$flagd.timestamp"}, 1_000_000]}
    if choice == 11:
        return {
            rng.choice(["and", "or"]): [
                gen_condition(rng, depth + 1) for _ in range(rng.randrange(1, 4))
            ]
        }
    if choice == 12:
        return {"!": gen_condition(rng, depth + 1)}
    return {"missing": rng.sample(["email", "age", "tier", "beta"], 2)}


def gen_result(rng: random.Random, variants: list[str], depth: int) -> Any:
    choice = rng.randrange(6 if depth < 2 else 3)
    if choice == 0:
        return rng.choice(variants)
    if choice == 1:
        return None
    if choice == 2:
        return rng.choice([*variants, "not-a-variant"])
    if choice == 3:
        return gen_fractional(rng, variants)
    if choice == 4:
        return {"var": "choice"}
    return gen_if(rng, variants, depth + 1)


def gen_fractional(rng: random.Random, variants: list[str]) -> Any:
    buckets = [
        [v, rng.randrange(0, 60)] for v in rng.sample(variants, rng.randrange(1, len(variants) + 1))
    ]
    if rng.random() < 0.2:
        buckets = [[v] for v, _ in buckets]  # omitted weights count 1
    elif rng.random() < 0.2:
        # A weight computed from the context: the rule then needs the whole context, $flagd too.
        buckets[0][1] = {"var": "age"}
    seed = rng.choice(
        [
            None,
            None,
            {"var": "targetingKey"},
            {"var": "email"},
            {"cat": [{"var": "$flagd.flagKey"}, {"var": "email"}]},
            "fixed-seed",
        ]
    )
    return {"fractional": buckets if seed is None else [seed, *buckets]}


def gen_if(rng: random.Random, variants: list[str], depth: int) -> Any:
    args: list[Any] = []
    for _ in range(rng.randrange(1, 3)):
        args += [gen_condition(rng, depth), gen_result(rng, variants, depth)]
    if rng.random() < 0.7:
        args.append(gen_result(rng, variants, depth))
    return {"if": args}


def gen_flag(rng: random.Random) -> dict[str, Any]:
    variants = dict(rng.choice(VARIANT_SETS))
    names = list(variants)
    flag: dict[str, Any] = {
        "state": "DISABLED" if rng.random() < 0.05 else "ENABLED",
        "variants": variants,
    }
    default = rng.random()
    if default < 0.8:
        flag["defaultVariant"] = rng.choice(names)
    elif default < 0.9:
        flag["defaultVariant"] = None
    shape = rng.random()
    if shape < 0.1:
        flag["targeting"] = {}
    elif shape < 0.4:
        flag["targeting"] = gen_fractional(rng, names)
    elif shape < 0.95:
        flag["targeting"] = gen_if(rng, names, 0)
    if rng.random() < 0.3:
        flag["metadata"] = {"owner": rng.choice(["team-a", "team-b"]), "version": rng.randrange(5)}
    return flag


def gen_context(rng: random.Random, names: list[str]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if rng.random() < 0.9:
        context["targetingKey"] = rng.choice([f"user{rng.randrange(20)}", f"u-{rng.random():.6f}"])
    for key, make in (
        ("email", lambda: rng.choice(EMAILS)),
        ("age", lambda: rng.randrange(5, 80)),
        ("tier", lambda: rng.choice(["gold", "silver", "bronze"])),
        ("version", lambda: rng.choice(VERSIONS)),
        ("beta", lambda: rng.choice([True, False])),
        ("choice", lambda: rng.choice([*names, "nope"])),
    ):
        if rng.random() < 0.85:
            context[key] = make()
    return context


DEFAULTS = {
    "boolean": False,
    "string": "dflt",
    "integer": -1,
    "float": -1.5,
    "object": {"dflt": True},
}


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    return "object"


def generate(seed: int, count: int = CASES) -> tuple[dict[str, Any], list[list[Any]]]:
    """300 flags and ``count`` cases of [flag key, context, default, type] to ask about them."""
    rng = random.Random(seed)
    flags = {f"flag-{i}": gen_flag(rng) for i in range(300)}
    cases = []
    for _ in range(count):
        key = rng.choice([*flags, "no-such-flag"]) if rng.random() < 0.99 else "no-such-flag"
        variants = flags.get(key, {"variants": {"x": True}})["variants"]
        kind = kind_of(next(iter(variants.values())))
        if rng.random() < 0.1:
            kind = rng.choice(list(DEFAULTS))  # sometimes the wrong type
            if kind == "float" and isinstance(next(iter(variants.values())), bool):
                # flagd-core 2.0 lets a boolean pass as a float; flagd's conformance suite
                # (errors.feature) says TYPE_MISMATCH, as Amber does: test_flags.py.
                kind = "string"
        cases.append([key, gen_context(rng, list(variants)), DEFAULTS[kind], kind])
    return flags, cases


def oracle(
    flags: dict[str, Any] | str, cases: list[list[Any]], path: Path | None
) -> list[dict[str, Any]]:
    """flagd-core's answers (2.x, or the one at ``path``), for flags or a whole flag file."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    job = {"document": flags} if isinstance(flags, str) else {"flags": flags}
    done = subprocess.run(
        [sys.executable, str(ORACLE)],
        input=json.dumps({**job, "cases": cases}),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results
