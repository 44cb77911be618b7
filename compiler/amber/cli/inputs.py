"""What commands take as input: the repository's settings, an environment compiled now, or an
artifact file (a name ending in ``.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from amber.cli.output import allow, emit
from amber.compiler import artifact
from amber.compiler import settings as settings_mod
from amber.compiler.arguments import with_command_line
from amber.compiler.build.pipeline import build
from amber.compiler.environments import discover
from amber.errors import ConfigError, UsageError
from amber.runtime.config import Config
from amber.runtime.envelope import read_bytes


def settings(
    ctx: click.Context, arguments: dict[str, dict[str, str]] | None = None, **overrides: Any
) -> settings_mod.Settings:
    """The settings of the repository ``--repo`` names (found upward from here by default),
    with what the command line overrides (the engine, Jsonnet arguments)."""
    repo: Path | None = ctx.obj
    loaded = settings_mod.load(repo)
    if arguments:
        overrides.update(with_command_line(loaded, arguments))
    loaded = settings_mod.with_overrides(loaded, **overrides)
    allow(loaded.allow_credentials)
    return loaded


def environments(settings: settings_mod.Settings) -> dict[str, str]:
    """The repository's environments, or none if it has no environments folder."""
    try:
        return discover(settings)
    except UsageError:
        return {}


def artifact_file(ctx: click.Context, spec: str) -> Path | None:
    """``spec`` as an artifact file (it ends in .json), or None: it names an environment."""
    path = Path(spec)
    if path.suffix != ".json":
        return None
    if not path.exists():
        if spec in environments(settings(ctx)):  # an environment named like a file
            return None
        raise UsageError("no such file", file=spec)
    return path


def compiled_artifact(settings: settings_mod.Settings, environment: str) -> bytes:
    """ENVIRONMENT compiled now, as artifact bytes; its warnings are printed, errors raised."""
    (result,) = build(settings, [environment], out=None)
    if not result.ok:
        raise ConfigError(result.diagnostics)
    emit(result.diagnostics)
    return result.outputs[artifact.file_name(environment)]


def config_of(ctx: click.Context, environment: str) -> Config:
    """An environment compiled now, or an artifact file, as the runtime loads it."""
    candidate = artifact_file(ctx, environment)
    if candidate is not None:
        return artifact.verified(read_bytes(candidate), str(candidate))
    return Config(compiled_artifact(settings(ctx), environment), environment, secrets="lazy")


def json_argument(text: str, what: str) -> Any:
    """A command-line argument that holds JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} is not JSON: {exc.msg} at column {exc.colno}") from None
