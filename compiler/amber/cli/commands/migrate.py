"""``amber migrate`` and ``amber migrations``: artifacts up or down the chain, and the chain."""

from __future__ import annotations

import json
from pathlib import Path

import click

from amber import versions
from amber.cli import inputs, options
from amber.cli.output import Exit, emit, say
from amber.compiler import artifact
from amber.compiler.checks import schemas
from amber.compiler.versioning import migrations
from amber.compiler.versioning.chain import check_chain
from amber.compiler.versioning.migrate_artifact import migrate_artifact


@click.command("migrate")
@click.argument("artifact_path", metavar="ARTIFACT", type=click.Path(path_type=Path))
@click.option("--to", "target", required=True, metavar="V", help="The schema version to reach.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: <env>@<V>.json next to ARTIFACT).",
)
@options.QUIET
@click.pass_context
def migrate_command(
    ctx: click.Context, artifact_path: Path, target: str, output: Path | None, quiet: bool
) -> None:
    """Migrate a published artifact up or down the migration chain."""
    settings = inputs.settings(ctx)
    source = artifact.read(artifact_path)
    data = migrate_artifact(settings, source, target)
    version = json.loads(data)["schema_version"]
    destination = output or artifact_path.with_name(
        artifact.file_name(source["environment"], version)
    )
    artifact.write(destination, data)
    if not quiet:
        say(f"migrated {artifact_path} ({source['schema_version']}) -> {destination} ({version})")


@click.command("migrations")
@click.pass_context
def migrations_command(ctx: click.Context) -> None:
    """The migration chain, oldest first: each step, what it changes, whether down is lossless."""
    settings = inputs.settings(ctx)
    found, problems = migrations.load(settings)
    problems += check_chain(
        found, sorted(schemas.schema_files(settings)), settings.migrations, settings.schemas
    )
    for step in migrations.chain(found):
        down = "lossless" if step.lossless else f"lossy, drops {', '.join(step.drops)}"
        say(
            f"{versions.text(step.source)} -> {versions.text(step.target)}  "
            f"{step.file}  (down: {down})"
        )
        say(f"    {step.description}")
    if not found:
        say(f"no migrations in {settings.migrations}/")
    emit(problems)
    if problems:
        raise Exit(1)
