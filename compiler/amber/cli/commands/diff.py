"""``amber diff``: compiled config compared by JSON path; exit 0 equal, 1 different, 2 error."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import click

from amber.cli import inputs
from amber.cli.output import Exit, format_option, report, say
from amber.compiler.diff.compare import diff_artifacts
from amber.compiler.diff.render import render_html, render_markdown, render_text, to_json
from amber.compiler.diff.sides import every_environment, side
from amber.errors import UsageError


@click.command("diff")
@click.argument("sides", nargs=-1, metavar="A B")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="A and B are git revisions (B: the working tree when omitted); diff every environment.",
)
@format_option("text", "json", "markdown", "html")
@click.pass_context
def diff_command(
    ctx: click.Context, sides: tuple[str, ...], every: bool, output_format: str
) -> None:
    """Semantic diff of compiled config, by JSON path; exit 0 equal, 1 different, 2 error.

    A and B are each an environment (compiled from the working tree), ENV@REF (compiled from
    a git revision, e.g. prod@origin/main) or an artifact file.
    """
    with tempfile.TemporaryDirectory(prefix="amber-diff-") as temp:
        scratch = Path(temp)
        if every:
            reports = every_environment(inputs.settings(ctx), sides, scratch)
        else:
            if len(sides) != 2:
                raise UsageError("amber diff A B: two sides (or --all BASE [HEAD])")
            old, new = (_side(ctx, spec, scratch) for spec in sides)
            reports = [diff_artifacts(old, new, f"{sides[0]} -> {sides[1]}")]
    if output_format == "json":
        report(to_json(reports))
    elif output_format == "markdown":
        say(render_markdown(reports))
    elif output_format == "html":
        say(render_html(reports).rstrip("\n"))
    else:
        say(render_text(reports))
    if not all(r.equal for r in reports):
        raise Exit(1)


def _side(ctx: click.Context, spec: str, scratch: Path) -> dict[str, Any]:
    file = inputs.artifact_file(ctx, spec)
    if file is not None:  # no repository needed
        return side(None, spec, file, scratch)
    return side(inputs.settings(ctx), spec, None, scratch)
