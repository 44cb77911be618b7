"""``amber flags``: evaluate a flag of an environment (or an artifact file) for a context."""

from __future__ import annotations

import json

import click

from amber.cli import inputs
from amber.cli.output import Exit, format_option, report, say, warn
from amber.errors import UsageError
from amber.flags.evaluate import TYPES


@click.command("flags")
@click.argument("environment")
@click.argument("flag")
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
    "--default",
    "default_json",
    default="null",
    show_default=True,
    help="The caller's default, as JSON.",
)
@format_option("text", "json")
@click.pass_context
def flags_command(
    ctx: click.Context,
    environment: str,
    flag: str,
    context_json: str,
    kind: str | None,
    default_json: str,
    output_format: str,
) -> None:
    """Evaluate FLAG of ENVIRONMENT (or an artifact file) for a context: value, variant, reason.

    Exit 0 when the flag evaluates, 1 when the evaluation reports an error, 2 when the flag
    does not exist.
    """
    context = inputs.json_argument(context_json, "--context")
    if not isinstance(context, dict):
        raise UsageError("--context must be a JSON object")
    default = inputs.json_argument(default_json, "--default")
    config = inputs.config_of(ctx, environment)
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
        known = ", ".join(sorted(config.get("flags", {}))) or "none"
        if output_format != "json":  # the report says FLAG_NOT_FOUND; nothing on stderr
            warn(f"amber: error: no flag {flag!r} in {environment} (flags: {known})")
        raise Exit(2)
    if result.error_code:
        raise Exit(1)
