"""``amber build`` and ``amber check``: compile every environment (or the ones named)."""

from __future__ import annotations

from pathlib import Path

import click

from amber.cli import inputs, options
from amber.cli.output import FORMAT, finish, progress
from amber.compiler.build.compiled import Result
from amber.compiler.build.pipeline import build
from amber.compiler.settings import Settings
from amber.compiler.typed.flags import flag_specs
from amber.compiler.versioning.chain import check_repository
from amber.errors import ConfigError, Diagnostic


@click.command("build")
@click.argument("environments", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output directory.")
@options.ENGINE
@options.jsonnet_arguments
@options.BUILD_VERSION
@options.JOBS
@options.NO_CACHE
@FORMAT
@options.QUIET
@click.pass_context
def build_command(
    ctx: click.Context,
    environments: tuple[str, ...],
    out: Path | None,
    engine: str | None,
    arguments: dict[str, dict[str, str]],
    targets: tuple[str, ...],
    jobs: int | None,
    no_cache: bool,
    output_format: str,
    quiet: bool,
) -> None:
    """Compile, validate and write artifacts (all environments by default)."""
    settings = inputs.settings(ctx, arguments, engine=engine)
    target = out if out is not None else settings.path(settings.out)
    results = _build(settings, environments, target, targets, jobs, no_cache, quiet, output_format)
    finish(results, target, output_format, quiet, settings, "built")


@click.command("check")
@click.argument("environments", nargs=-1)
@options.ENGINE
@options.jsonnet_arguments
@options.CHECK_VERSION
@options.JOBS
@options.NO_CACHE
@FORMAT
@options.QUIET
@click.pass_context
def check_command(
    ctx: click.Context,
    environments: tuple[str, ...],
    engine: str | None,
    arguments: dict[str, dict[str, str]],
    targets: tuple[str, ...],
    jobs: int | None,
    no_cache: bool,
    output_format: str,
    quiet: bool,
) -> None:
    """Everything build checks, plus the migration chain and schema version numbering.

    Writes nothing.  The pre-commit hook's entry.
    """
    settings = inputs.settings(ctx, arguments, engine=engine)
    try:
        results = _build(
            settings, environments, None, targets, jobs, no_cache, quiet, output_format
        )
        broken: list[Diagnostic] = []
    except ConfigError as exc:  # the repository itself is broken: report it all
        results, broken = [], exc.problems
    repository = check_repository(settings)
    repository += [p for p in broken if p not in repository]
    # An app asks for a flag with one type, whichever environment it runs in.
    compiled = {r.env: r.config for r in results if r.config is not None and r.ok}
    repository += flag_specs(compiled)[1]
    finish(results, None, output_format, quiet, settings, "ok", repository)


def _build(
    settings: Settings,
    environments: tuple[str, ...],
    out: Path | None,
    targets: tuple[str, ...],
    jobs: int | None,
    no_cache: bool,
    quiet: bool,
    output_format: str,
) -> list[Result]:
    progress_bar = progress(quiet, output_format)
    return build(
        settings,
        environments,
        out,
        targets,
        jobs=jobs,
        use_cache=not no_cache,
        progress=progress_bar,
    )
