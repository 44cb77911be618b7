"""``amber export``: an environment (compiled now, or an artifact file) in another format."""

from __future__ import annotations

import json

import click
import yaml

from amber.cli import inputs
from amber.cli.output import format_option, say
from amber.compiler.export.configmap import configmap
from amber.compiler.export.flagd import FLAGD_BUCKETING, flagd_bytes
from amber.flags.fractional import GENERATIONS
from amber.publish.verify import verify


@click.command("export")
@click.argument("environment")
@format_option("configmap", "flagd", default="configmap")
@click.option("--name", help="The ConfigMap's name (default: <env>-config).")
@click.option("--namespace", help="The ConfigMap's namespace.")
@click.option(
    "--flagd-bucketing",
    type=click.Choice(GENERATIONS),
    default=FLAGD_BUCKETING,
    show_default=True,
    help="flagd format: the fractional generation the file's readers bucket with.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    environment: str,
    output_format: str,
    name: str | None,
    namespace: str | None,
    flagd_bucketing: str,
) -> None:
    """ENVIRONMENT (compiled now, or an artifact file) as a Kubernetes ConfigMap manifest, or
    its flags as a flagd flag-definition file."""
    candidate = inputs.artifact_file(ctx, environment)
    if candidate is not None:
        data = candidate.read_bytes()
    else:
        data = inputs.compiled_artifact(inputs.settings(ctx), environment)
    verify(data, environment, "refusing to export")
    artifact = json.loads(data)
    if output_format == "flagd":
        source = str(candidate) if candidate is not None else environment
        say(flagd_bytes(artifact, flagd_bucketing, source).decode().rstrip("\n"))
        return
    manifest = configmap(artifact, data, name, namespace)
    say(yaml.safe_dump(manifest, sort_keys=False, width=2**31).rstrip("\n"))
