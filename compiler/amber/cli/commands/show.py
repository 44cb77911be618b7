"""``amber show``: the compiled config of an environment, or one value of it, secrets masked."""

from __future__ import annotations

import json
from typing import Any

import click
import yaml

from amber.cli import inputs, options
from amber.cli.output import Exit, emit, format_option, say
from amber.compiler import artifact
from amber.compiler.build.pipeline import build
from amber.compiler.checks.credentials import redacted
from amber.errors import ConfigError, UsageError
from amber.jsonpath import parse_path
from amber.runtime.secrets import mask_references


@click.command("show")
@click.argument("environment")
@click.argument("path", required=False)
@format_option("json", "yaml", default="json")
@options.jsonnet_arguments
@click.pass_context
def show_command(
    ctx: click.Context,
    environment: str,
    path: str | None,
    output_format: str,
    arguments: dict[str, dict[str, str]],
) -> None:
    """The compiled config of ENVIRONMENT (or an artifact file), or the value at PATH.

    Secret references are shown masked.
    """
    candidate = inputs.artifact_file(ctx, environment)
    valid = True
    if candidate is not None:
        config = artifact.read(candidate)["config"]
    else:
        (result,) = build(inputs.settings(ctx, arguments), [environment], out=None)
        if result.config is None:
            raise ConfigError(result.diagnostics)
        emit(result.diagnostics)
        config, valid = result.config, result.ok
    config = redacted(config)  # an invalid config may hold a live key
    value = mask_references(_lookup(config, path) if path else config)
    if output_format == "yaml":
        say(yaml.safe_dump(value, sort_keys=True, allow_unicode=True).rstrip("\n"))
    else:
        say(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))
    if not valid:
        raise Exit(1)


def _lookup(value: Any, path: str) -> Any:
    try:
        segments = parse_path(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    current = value
    for segment in segments:
        if isinstance(current, dict) and str(segment) in current:
            current = current[str(segment)]
        elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
            current = current[segment]
        else:
            raise UsageError(f"no value at {path}")
    return current
