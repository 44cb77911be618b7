"""``amber export``: an environment (compiled now, or an artifact file) in another format."""

from __future__ import annotations

import json

import click
import yaml

from amber.cli import inputs
from amber.cli.output import format_option, say
from amber.compiler.export.configmap import configmap
from amber.publish.verify import verify


@click.command("export")
@click.argument("environment")
@format_option("configmap", default="configmap")
@click.option("--name", help="The ConfigMap's name (default: <env>-config).")
@click.option("--namespace", help="The ConfigMap's namespace.")
@click.pass_context
def export_command(
    ctx: click.Context,
    environment: str,
    output_format: str,
    name: str | None,
    namespace: str | None,
) -> None:
    """ENVIRONMENT (compiled now, or an artifact file) as a Kubernetes ConfigMap manifest."""
    candidate = inputs.artifact_file(ctx, environment)
    if candidate is not None:
        data = candidate.read_bytes()
    else:
        data = inputs.compiled_artifact(inputs.settings(ctx), environment)
    verify(data, environment, "refusing to export")
    manifest = configmap(json.loads(data), data, name, namespace)
    say(yaml.safe_dump(manifest, sort_keys=False, width=2**31).rstrip("\n"))
