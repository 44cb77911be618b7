"""``amber flags``: list an environment's flags, evaluate one for a context, or measure who a
flag serves what over a population and who moves against another version."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click

from amber.cli import inputs
from amber.cli.output import Exit, format_option, report, say, warn
from amber.compiler.diff.sides import side
from amber.compiler.flag_simulation import (
    Moves,
    Shares,
    describe_moves,
    moves,
    population,
    shares,
)
from amber.compiler.flag_summary import flag_type, summarize
from amber.errors import UsageError
from amber.flags import FlagSet
from amber.flags.evaluate import TYPES
from amber.runtime.config import Config


@click.command("flags")
@click.argument("environment")
@click.argument("flag", required=False)
@click.option(
    "--context",
    "context_json",
    default="{}",
    show_default=True,
    help='Evaluation context as JSON, e.g. \'{"targetingKey": "u1"}\'.',
)
@click.option(
    "--type",
    "kind",
    type=click.Choice(TYPES),
    help="Check the value's type, as an OpenFeature client does.",
)
@click.option(
    "--default", "default_json", default="null", show_default=True, help="The caller's default."
)
@click.option("--simulate", type=click.IntRange(min=1), help="Shares over N synthetic users.")
@click.option(
    "--keys",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Shares over these targeting keys, one per line.",
)
@click.option("--against", metavar="REF", help="Who moves against the flag at a git revision.")
@format_option("text", "json")
@click.pass_context
def flags_command(
    ctx: click.Context,
    environment: str,
    flag: str | None,
    context_json: str,
    kind: str | None,
    default_json: str,
    simulate: int | None,
    keys: Path | None,
    against: str | None,
    output_format: str,
) -> None:
    """Without FLAG: every flag of ENVIRONMENT (or an artifact file).  With FLAG: its value,
    variant and reason for a context; with --simulate N or --keys FILE, the share of each
    variant over a population, and with --against REF who changes variant.

    Exit 0 when the flag evaluates, 1 when the evaluation reports an error, 2 when the flag
    does not exist.
    """
    context = inputs.json_argument(context_json, "--context")
    if not isinstance(context, dict):
        raise UsageError("--context must be a JSON object")
    config = inputs.config_of(ctx, environment)
    if flag is None:
        if simulate or keys or against:
            raise UsageError("--simulate, --keys and --against need a FLAG")
        _list(config, output_format)
    elif simulate or keys or against:
        _simulate(ctx, config, flag, context, simulate, keys, against, output_format)
    else:
        default = inputs.json_argument(default_json, "--default")
        _evaluate(config, environment, flag, context, kind, default, output_format)


def _list(config: Config, output_format: str) -> None:
    flags = config.to_dict().get("flags", {})
    rows = [
        {
            "key": key,
            "type": flag_type(flag),
            "state": flag.get("state"),
            "variants": list(flag.get("variants", {})),
            "default": flag.get("defaultVariant"),
            "targeting": summarize(flag),
        }
        for key, flag in sorted(flags.items())
    ]
    if output_format == "json":
        report({"environment": config.environment, "flags": rows})
        return
    if not rows:
        say(f"no flags in {config.environment}")
    for row in rows:
        variants = ", ".join(row["variants"])
        say(
            f"{row['key']}  {row['type']}  {row['state']}  variants: {variants}  "
            f"default: {row['default']}\n    {row['targeting']}"
        )


def _evaluate(
    config: Config,
    environment: str,
    flag: str,
    context: dict[str, Any],
    kind: str | None,
    default: Any,
    output_format: str,
) -> None:
    result = config.evaluate(flag, context, default, type=kind)
    if output_format == "json":
        report(
            {
                "flag": flag,
                "value": result.value,
                "variant": result.variant,
                "reason": result.reason,
                "error_code": result.error_code,
                "error_message": result.error_message,
                "metadata": dict(result.metadata),
                "fractional": config.fractional,
            }
        )
    else:
        say(f"value: {json.dumps(result.value, ensure_ascii=False)}")
        say(f"variant: {result.variant if result.variant is not None else '-'}")
        say(f"reason: {result.reason}")
        if result.error_code:
            say(f"error: {result.error_code}: {result.error_message}")
    if result.error_code == "FLAG_NOT_FOUND":
        _not_found(config, environment, flag, output_format)
    if result.error_code:
        raise Exit(1)


def _not_found(config: Config, environment: str, flag: str, output_format: str) -> None:
    known = ", ".join(sorted(config.get("flags", {}))) or "none"
    if output_format != "json":  # the report says FLAG_NOT_FOUND; nothing on stderr
        warn(f"amber: error: no flag {flag!r} in {environment} (flags: {known})")
    raise Exit(2)


def _simulate(
    ctx: click.Context,
    config: Config,
    flag: str,
    context: dict[str, Any],
    count: int | None,
    keys: Path | None,
    against: str | None,
    output_format: str,
) -> None:
    if flag not in config.get("flags", {}):
        _not_found(config, config.environment, flag, output_format)
    users = population(count, keys, context)
    measured = shares(config.flag_set(), flag, users)
    moved = _against(ctx, config, flag, users, against) if against else None
    if output_format == "json":
        report(_simulation_report(config, flag, measured, moved, against))
        return
    say(f"{flag} in {config.environment}, {measured.users:,} users:")
    for variant, users_served in measured.counts.items():
        say(f"  {variant:<12} {users_served:>9,}  {measured.percent(variant):5.1f}%")
    if moved is not None:
        say(f"against {against}: {describe_moves(moved)}")


def _against(
    ctx: click.Context, config: Config, flag: str, users: list[dict[str, Any]], ref: str
) -> Moves:
    """Who moves from the flag at ``ref`` (the same environment, compiled at that revision)."""
    with tempfile.TemporaryDirectory(prefix="amber-flags-") as scratch:
        old = side(inputs.settings(ctx), f"{config.environment}@{ref}", None, Path(scratch))
    old_flags = old["config"].get("flags", {})
    generation = old["provenance"].get("flags", {}).get("fractional", "v3")
    if flag not in old_flags:
        raise UsageError(f"{config.environment}@{ref} has no flag {flag!r}")
    return moves(FlagSet(old_flags, fractional=generation), config.flag_set(), flag, users)


def _simulation_report(
    config: Config, flag: str, measured: Shares, moved: Moves | None, against: str | None
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "environment": config.environment,
        "flag": flag,
        "users": measured.users,
        "variants": {
            v: {"users": n, "percent": measured.percent(v)} for v, n in measured.counts.items()
        },
    }
    if moved is not None:
        payload["against"] = {
            "ref": against,
            "moved": moved.total,
            "moves": [{"from": a, "to": b, "users": n} for (a, b), n in moved.moved.items()],
        }
    return payload
