"""The ``amber`` command.  The one place where errors become messages and exit codes.

Exit codes: 0 success, 1 the config is invalid (for ``diff``: differs), 2 usage or
environment error.  Diagnostics go to stderr, one line each; ``--format json`` prints a
report on stdout instead.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from amber import build as builder
from amber import secretscan
from amber import settings as settings_mod
from amber.artifact import file_name as artifact_file_name
from amber.artifact import verified
from amber.errors import AmberError, ConfigError, Diagnostic, LoadError, UsageError
from amber.flags import TYPES
from amber.git import export as git_export
from amber.paths import parse_path
from amber.runtime import Config, read_bytes
from amber.secrets import mask_references

F = TypeVar("F", bound=Callable[..., Any])

FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a machine-readable report on stdout instead of diagnostics on stderr.",
)
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print only problems.")


class Exit(Exception):
    """Leave with an exit code after output is done."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _settings(ctx: click.Context, **overrides: Any) -> settings_mod.Settings:
    repo: Path | None = ctx.obj
    loaded = settings_mod.load(repo)
    return settings_mod.with_overrides(loaded, **overrides)


def _emit(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(), err=True)


def _report(payload: dict[str, Any]) -> None:
    click.echo(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The config repository (default: found upward from the current directory).",
)
@click.version_option(builder.amber_version(), prog_name="amber")
@click.pass_context
def main(ctx: click.Context, repo: Path | None) -> None:
    """Amber: compile Jsonnet config into frozen, validated, versioned JSON artifacts."""
    ctx.obj = repo


def _results_report(results: list[builder.Result], out: Path | None) -> dict[str, Any]:
    environments = []
    diagnostics: list[dict[str, object]] = []
    for result in results:
        artifacts = []
        for name, data in result.outputs.items():
            head = json.loads(data)
            artifacts.append(
                {
                    "path": str(out / name) if out is not None else None,
                    "content_hash": head["content_hash"],
                    "schema_version": head["schema_version"],
                }
            )
        environments.append(
            {
                "environment": result.env,
                "ok": result.ok,
                "cached": result.cached,
                "artifacts": artifacts,
            }
        )
        diagnostics += [d.to_json() for d in result.diagnostics]
    return {
        "ok": all(r.ok for r in results),
        "environments": environments,
        "diagnostics": diagnostics,
    }


def _finish(
    results: list[builder.Result],
    out: Path | None,
    output_format: str,
    quiet: bool,
    settings: settings_mod.Settings,
    verb: str,
    repository: list[Diagnostic] | None = None,
) -> None:
    repository = repository or []
    if output_format == "json":
        report = _results_report(results, out)
        report["diagnostics"] = [d.to_json() for d in repository] + report["diagnostics"]
        report["ok"] = report["ok"] and not any(d.severity == "error" for d in repository)
        _report(report)
    else:
        _emit(repository)
        for result in results:
            _emit(result.diagnostics)
        if not quiet:
            for result in results:
                if not result.ok:
                    continue
                for name, data in result.outputs.items():
                    head = json.loads(data)
                    where = settings.rel(out / name) if out is not None else name
                    click.echo(
                        f"{verb} {result.env}: {where} "
                        f"({head['schema_version']}, {head['content_hash'][:19]})"
                    )
    if not all(r.ok for r in results) or any(d.severity == "error" for d in repository):
        raise Exit(1)


JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Compile N environments at a time (default: one per core).",
)
NO_CACHE = click.option(
    "--no-cache", is_flag=True, help="Ignore and do not update the build cache."
)


def _progress(quiet: bool, output_format: str) -> builder.Progress | None:
    """A one-line counter on a terminal for long builds; nothing in CI, -q or --format json."""
    if quiet or output_format != "text" or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, env: str) -> None:
        if total < 10:
            return
        end = "\n" if done == total else ""
        click.echo(f"\r\033[Kcompiled {done}/{total}: {env}", err=True, nl=False)
        if end:
            click.echo("\r\033[K", err=True, nl=False)

    return show


VERSION = click.option(
    "--version",
    "targets",
    multiple=True,
    metavar="V",
    help="Also write the config migrated to schema version V (dist/<env>@<V>.json); repeatable.",
)
CHECK_VERSION = click.option(
    "--version",
    "targets",
    multiple=True,
    metavar="V",
    help="Also check the config migrated to schema version V; repeatable.",
)


@main.command()
@click.argument("environments", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output directory.")
@click.option("--engine", type=click.Choice(settings_mod.ENGINES), help="Jsonnet engine.")
@VERSION
@JOBS
@NO_CACHE
@FORMAT
@QUIET
@click.pass_context
def build(
    ctx: click.Context,
    environments: tuple[str, ...],
    out: Path | None,
    engine: str | None,
    targets: tuple[str, ...],
    jobs: int | None,
    no_cache: bool,
    output_format: str,
    quiet: bool,
) -> None:
    """Compile, validate and write artifacts (all environments by default)."""
    settings = _settings(ctx, engine=engine)
    target = out if out is not None else settings.path(settings.out)
    results = builder.run(
        settings,
        environments,
        out=target,
        targets=targets,
        jobs=jobs,
        use_cache=not no_cache,
        progress=_progress(quiet, output_format),
    )
    _finish(results, target, output_format, quiet, settings, "built")


@main.command()
@click.argument("environments", nargs=-1)
@click.option("--engine", type=click.Choice(settings_mod.ENGINES), help="Jsonnet engine.")
@CHECK_VERSION
@JOBS
@NO_CACHE
@FORMAT
@QUIET
@click.pass_context
def check(
    ctx: click.Context,
    environments: tuple[str, ...],
    engine: str | None,
    targets: tuple[str, ...],
    jobs: int | None,
    no_cache: bool,
    output_format: str,
    quiet: bool,
) -> None:
    """Everything build checks, plus the migration chain and schema version numbering.

    Writes nothing.  The pre-commit hook's entry.
    """
    settings = _settings(ctx, engine=engine)
    try:
        results = builder.run(
            settings,
            environments,
            out=None,
            targets=targets,
            jobs=jobs,
            use_cache=not no_cache,
            progress=_progress(quiet, output_format),
        )
        broken: list[Diagnostic] = []
    except ConfigError as exc:  # the repository itself is broken: report it all
        results, broken = [], exc.problems
    repository = builder.check_repository(settings)
    repository += [p for p in broken if p not in repository]
    _finish(results, None, output_format, quiet, settings, "ok", repository)


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


@main.command()
@click.argument("environment")
@click.argument("path", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
)
@click.pass_context
def show(ctx: click.Context, environment: str, path: str | None, output_format: str) -> None:
    """The compiled config of ENVIRONMENT (or an artifact file), or the value at PATH.

    Secret references are shown masked.
    """
    candidate = _artifact_file(ctx, environment)
    valid = True
    if candidate is not None:
        config = builder.read_artifact(candidate)["config"]
    else:
        settings = _settings(ctx)
        (result,) = builder.run(settings, [environment], out=None)
        if result.config is None:
            raise ConfigError(result.diagnostics)
        _emit(result.diagnostics)
        config, valid = result.config, result.ok
    config = secretscan.redacted(config)  # an invalid config may hold a live key
    value = mask_references(_lookup(config, path) if path else config)
    if output_format == "yaml":
        import yaml

        click.echo(yaml.safe_dump(value, sort_keys=True, allow_unicode=True).rstrip("\n"))
    else:
        click.echo(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))
    if not valid:
        raise Exit(1)


def _artifact_file(ctx: click.Context, spec: str) -> Path | None:
    """``spec`` as an artifact file (it ends in .json), or None: it names an environment."""
    path = Path(spec)
    if path.suffix != ".json":
        return None
    if not path.exists():
        if spec in _environments(_settings(ctx)):  # an environment named like a file
            return None
        raise UsageError("no such file", file=spec)
    return path


def _config_of(ctx: click.Context, environment: str) -> Config:
    """An environment compiled now, or an artifact file, as the runtime loads it."""
    candidate = _artifact_file(ctx, environment)
    if candidate is not None:
        return verified(read_bytes(candidate), str(candidate))
    settings = _settings(ctx)
    (result,) = builder.run(settings, [environment], out=None)
    if not result.ok:
        raise ConfigError(result.diagnostics)
    _emit(result.diagnostics)
    data = result.outputs[artifact_file_name(environment)]
    return Config(data, environment, secrets="lazy")


def _json_argument(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} is not JSON: {exc.msg} at column {exc.colno}") from None


@main.command()
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
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.pass_context
def flags(
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
    context = _json_argument(context_json, "--context")
    if not isinstance(context, dict):
        raise UsageError("--context must be a JSON object")
    default = _json_argument(default_json, "--default")
    config = _config_of(ctx, environment)
    result = config.evaluate(flag, context, default, type=kind)
    if output_format == "json":
        _report(
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
        click.echo(f"value: {json.dumps(result.value, ensure_ascii=False)}")
        click.echo(f"variant: {result.variant if result.variant is not None else '-'}")
        click.echo(f"reason: {result.reason}")
        if result.error_code:
            click.echo(f"error: {result.error_code}: {result.error_message}")
    if result.error_code == "FLAG_NOT_FOUND":
        known = ", ".join(sorted(config.get("flags", {}))) or "none"
        if output_format != "json":  # the report says FLAG_NOT_FOUND; nothing on stderr
            click.echo(
                f"amber: error: no flag {flag!r} in {environment} (flags: {known})", err=True
            )
        raise Exit(2)
    if result.error_code:
        raise Exit(1)


def _compiled(settings: settings_mod.Settings, env: str, label: str) -> dict[str, Any]:
    (result,) = builder.run(settings, [env], out=None)
    if not result.ok:
        why = Diagnostic(f"{label} does not compile; fix it (amber check) before diffing")
        raise ConfigError([*result.diagnostics, why], exit_code=2)
    artifact: dict[str, Any] = json.loads(result.outputs[artifact_file_name(env)])
    return artifact


def _side(ctx: click.Context, spec: str, scratch: Path) -> dict[str, Any]:
    """An artifact file, ENV (the working tree) or ENV@REF (a git revision), as an artifact."""
    path = _artifact_file(ctx, spec)
    if path is not None:
        try:
            return builder.read_artifact(path)
        except LoadError as exc:
            exc.exit_code = 2  # for diff, 1 means "they differ"; a bad input is an error
            raise
    env, at, ref = spec.partition("@")
    settings = _settings(ctx)
    if not at:
        return _compiled(settings, env, spec)
    root = git_export(settings.root, ref, scratch / f"{len(list(scratch.iterdir()))}")
    return _compiled(settings_mod.load(root), env, spec)


def _environments(settings: settings_mod.Settings) -> dict[str, str]:
    try:
        return builder.discover(settings)
    except UsageError:
        return {}


@main.command("diff")
@click.argument("sides", nargs=-1, metavar="A B")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="A and B are git revisions (B: the working tree when omitted); diff every environment.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.pass_context
def diff_command(
    ctx: click.Context, sides: tuple[str, ...], every: bool, output_format: str
) -> None:
    """Semantic diff of compiled config, by JSON path; exit 0 equal, 1 different, 2 error.

    A and B are each an environment (compiled from the working tree), ENV@REF (compiled from
    a git revision, e.g. prod@origin/main) or an artifact file.
    """
    import tempfile

    from amber import diff

    with tempfile.TemporaryDirectory(prefix="amber-diff-") as temp:
        scratch = Path(temp)
        if every:
            if not 1 <= len(sides) <= 2:
                raise UsageError("amber diff --all BASE [HEAD]: one or two git revisions")
            settings = _settings(ctx)
            base = settings_mod.load(git_export(settings.root, sides[0], scratch / "base"))
            head = (
                settings_mod.load(git_export(settings.root, sides[1], scratch / "head"))
                if len(sides) == 2
                else settings
            )
            before, after = _environments(base), _environments(head)
            reports = []
            for env in sorted(set(before) | set(after)):
                if env not in before or env not in after:
                    reports.append(
                        diff.environment_change(
                            env,
                            None if env not in before else _compiled(base, env, env),
                            None if env not in after else _compiled(head, env, env),
                        )
                    )
                    continue
                old = _compiled(base, env, f"{env}@{sides[0]}")
                report = diff.diff_artifacts(old, _compiled(head, env, env), env)
                reports.append(report)
        else:
            if len(sides) != 2:
                raise UsageError("amber diff A B: two sides (or --all BASE [HEAD])")
            old, new = (_side(ctx, spec, scratch) for spec in sides)
            reports = [diff.diff_artifacts(old, new, f"{sides[0]} -> {sides[1]}")]
    if output_format == "json":
        _report(diff.to_json(reports))
    elif output_format == "markdown":
        click.echo(diff.render_markdown(reports))
    else:
        click.echo(diff.render_text(reports))
    if not all(report.equal for report in reports):
        raise Exit(1)


@main.command("init")
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@QUIET
def init_command(directory: Path, quiet: bool) -> None:
    """Scaffold a new config repository in DIRECTORY (default: here) that checks and builds."""
    from amber import scaffold

    written = scaffold.init(directory)
    if not quiet:
        for rel in written:
            click.echo(f"created {directory / rel}")
        click.echo(f"next: cd {directory} && amber check && amber build")


@main.command("migrate")
@click.argument("artifact_path", metavar="ARTIFACT", type=click.Path(path_type=Path))
@click.option("--to", "target", required=True, metavar="V", help="The schema version to reach.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: <env>@<V>.json next to ARTIFACT).",
)
@QUIET
@click.pass_context
def migrate_command(
    ctx: click.Context, artifact_path: Path, target: str, output: Path | None, quiet: bool
) -> None:
    """Migrate a published artifact up or down the migration chain."""
    settings = _settings(ctx)
    source = builder.read_artifact(artifact_path)
    data = builder.migrate_artifact(settings, source, target)
    version = json.loads(data)["schema_version"]
    destination = output or artifact_path.with_name(
        artifact_file_name(source["environment"], version)
    )
    from amber.artifact import write

    write(destination, data)
    if not quiet:
        click.echo(
            f"migrated {artifact_path} ({source['schema_version']}) -> {destination} ({version})"
        )


@main.command("migrations")
@click.pass_context
def migrations_command(ctx: click.Context) -> None:
    """The migration chain, oldest first: each step, what it changes, whether down is lossless."""
    from amber import migrate, schemas, versions

    settings = _settings(ctx)
    found, problems = migrate.load(settings)
    problems += migrate.check_chain(
        found, sorted(schemas.schema_files(settings)), settings.migrations, settings.schemas
    )
    for step in migrate.chain(found):
        down = "lossless" if step.lossless else f"lossy, drops {', '.join(step.drops)}"
        click.echo(
            f"{versions.text(step.source)} -> {versions.text(step.target)}  "
            f"{step.file}  (down: {down})"
        )
        click.echo(f"    {step.description}")
    if not found:
        click.echo(f"no migrations in {settings.migrations}/")
    _emit(problems)
    if problems:
        raise Exit(1)


INSECURE = click.option(
    "--insecure", is_flag=True, help="Plain HTTP to a registry that is not on a loopback address."
)
DESTINATION = click.option(
    "--to",
    "destination",
    required=True,
    metavar="DEST",
    help="A directory store, or an OCI registry as oci://HOST[:PORT]/REPOSITORY.",
)


def _built_artifacts(
    settings: settings_mod.Settings, out: Path, names: tuple[str, ...]
) -> list[Path]:
    """The artifacts ``amber build`` wrote for the named environments (default: every one
    that has been built)."""
    from amber import store

    if not out.is_dir():
        raise UsageError(f"no {settings.rel(out)}/ to publish: run amber build first")
    known = builder.discover(settings)
    wanted = list(names) or list(known)
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise UsageError(f"unknown environment {', '.join(unknown)} (known: {', '.join(known)})")
    found: list[Path] = []
    for env in wanted:
        current = out / f"{env}.json"
        if not current.is_file():
            if names:
                raise UsageError(f"{env} has no artifact in {settings.rel(out)}/: run amber build")
            continue
        found.append(current)
        head = store.verify(current.read_bytes(), str(current))
        for other in sorted(out.glob(f"{env}@*.json")):
            origin = store.verify(other.read_bytes(), str(other)).provenance.get(
                "migrated_from", {}
            )
            if origin.get("content_hash") != head.content_hash:
                # Left by an earlier `build --version`: publishing it would serve old config.
                click.echo(
                    f"amber: skipping {settings.rel(other)}: not migrated from the current "
                    f"{env}.json (rebuild with --version to publish it)",
                    err=True,
                )
                continue
            found.append(other)
    if not found:
        raise UsageError(f"no artifacts in {settings.rel(out)}/ to publish: run amber build")
    return found


@main.command("publish")
@DESTINATION
@click.argument("environments", nargs=-1)
@click.option(
    "--from",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the built artifacts are (default: the out setting, dist/).",
)
@INSECURE
@QUIET
@click.pass_context
def publish_command(
    ctx: click.Context,
    destination: str,
    environments: tuple[str, ...],
    source: Path | None,
    insecure: bool,
    quiet: bool,
) -> None:
    """Publish built artifacts to a directory store or an OCI registry."""
    from amber import oci, store

    settings = _settings(ctx)
    files = _built_artifacts(settings, source or settings.path(settings.out), environments)
    for path in files:
        data = path.read_bytes()
        if destination.startswith("oci://"):
            pushed = oci.push(oci.Reference.parse(destination), data, str(path), insecure)
            line = f"pushed {path.name}: {', '.join(pushed.tags)} ({pushed.digest})"
        else:
            done = store.publish(Path(destination), data, str(path))
            change = f"moved from {done.previous}" if done.previous else "new"
            state = change if done.moved else "unchanged"
            if done.repaired:
                state += ", damaged stored copy rewritten"
            line = f"published {done.environment}/{done.pointer} -> {done.object} ({state})"
        if not quiet:
            click.echo(line)


@main.command("rollback")
@DESTINATION
@click.argument("environment")
@click.option("--version", "pointer", metavar="V", help="Only this version's pointer (e.g. 1.2).")
@click.option(
    "--steps", type=click.IntRange(min=1), default=None, help="How many publishes back (default 1)."
)
@click.option(
    "--to-hash",
    "to_hash",
    metavar="H",
    help="The artifact to point at: its object digest or content hash (a prefix will do).",
)
@INSECURE
@click.pass_context
def rollback_command(
    ctx: click.Context,
    destination: str,
    environment: str,
    pointer: str | None,
    steps: int | None,
    to_hash: str | None,
    insecure: bool,
) -> None:
    """Move ENVIRONMENT's pointers back, and record it in the history.

    Without --version, the versions the newest publish moved go back (or, with --to-hash,
    the one that published it).
    """
    from amber import oci, store, versions

    if steps is not None and to_hash is not None:
        raise UsageError("give --steps or --to-hash, not both")
    if pointer is not None:
        try:
            parsed = versions.parse(pointer)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        pointer = f"{parsed[0]}.{parsed[1]}"
    if destination.startswith("oci://"):
        if to_hash is None or pointer is None:
            raise UsageError(
                "in a registry, roll back with --version V --to-hash H "
                "(the kept tags list what was published)"
            )
        reference = oci.Reference.parse(destination)
        moving = f"{environment}-{pointer}"
        kept = [
            t
            for t in oci.kept_tags(reference, moving, insecure)
            if t.removeprefix(moving + "-").startswith(to_hash.removeprefix("sha256:")[:12])
        ]
        if len(kept) != 1:
            raise UsageError(
                f"{'no' if not kept else 'several'} kept tags of {moving} match {to_hash}"
            )
        digest = oci.retag(reference, moving, kept[0], insecure)
        click.echo(f"rolled back {moving} to {kept[0]} ({digest})")
        return
    moves = store.rollback(
        Path(destination), environment, pointer, steps=steps or 1, to_hash=to_hash
    )
    for done in moves:
        state = f"from {done.previous}" if done.moved else "already there"
        click.echo(f"rolled back {done.environment}/{done.pointer} -> {done.object} ({state})")


@main.command("history")
@DESTINATION
@click.argument("environment")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def history_command(destination: str, environment: str, output_format: str) -> None:
    """Every pointer move of ENVIRONMENT in a directory store, oldest first."""
    from amber import store

    if destination.startswith("oci://"):
        raise UsageError("a registry keeps no history; `amber history` reads a directory store")
    entries = store.history(Path(destination), environment)
    if output_format == "json":
        _report({"environment": environment, "history": entries})
        return
    if not entries:
        click.echo(f"nothing published for {environment}")
    for e in entries:
        commit = f" commit {str(e['commit'])[:12]}" if e.get("commit") else ""
        click.echo(
            f"{e.get('at')}  {e.get('action'):9} {environment}/{e.get('pointer')}  "
            f"{e.get('from') or '-'} -> {e.get('to')}{commit}"
        )


@main.command("pull")
@click.argument("reference", metavar="oci://HOST/REPO:TAG")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the artifact (atomically).",
)
@INSECURE
@QUIET
def pull_command(reference: str, output: Path, insecure: bool, quiet: bool) -> None:
    """Fetch an artifact from a registry, verify digest and content hash, write it atomically."""
    from amber import oci
    from amber.artifact import write

    data, digest = oci.fetch(oci.Reference.parse(reference), insecure)
    write(output, data)
    if not quiet:
        click.echo(f"pulled {reference} ({digest}) -> {output}")


@main.command("export")
@click.argument("environment")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["configmap"]),
    default="configmap",
    show_default=True,
)
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
    import yaml

    from amber.export import configmap

    candidate = _artifact_file(ctx, environment)
    if candidate is not None:
        data = candidate.read_bytes()
    else:
        (result,) = builder.run(_settings(ctx), [environment], out=None)
        if not result.ok:
            raise ConfigError(result.diagnostics)
        _emit(result.diagnostics)
        data = result.outputs[artifact_file_name(environment)]
    from amber.store import verify

    verify(data, environment, "refusing to export")
    manifest = configmap(json.loads(data), data, name, namespace)
    click.echo(yaml.safe_dump(manifest, sort_keys=False, width=2**31).rstrip("\n"))


# Set from the command line before running: a failure is then also reported as JSON on
# stdout, so a script reading --format json always has a report to read.
_json_failures = False


def _fail(message: str, code: int) -> NoReturn:
    if _json_failures:
        _report({"ok": False, "diagnostics": [Diagnostic(message).to_json()]})
    else:
        click.echo(f"amber: {message}", err=True)
    sys.exit(code)


def _wants_json(argv: list[str]) -> bool:
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in pairs)


def run(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every outcome into an exit code."""
    global _json_failures
    _json_failures = _wants_json(sys.argv[1:] if argv is None else argv)
    try:
        main.main(args=argv, prog_name="amber", standalone_mode=False)
    except Exit as done:
        sys.exit(done.code)
    except AmberError as exc:
        if _json_failures:  # the report instead of the lines, as for a config that fails
            _report({"ok": False, "diagnostics": [d.to_json() for d in exc.diagnostics()]})
        else:
            _emit(exc.diagnostics())
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.ClickException as exc:
        if _json_failures:
            _report({"ok": False, "diagnostics": [Diagnostic(exc.format_message()).to_json()]})
        else:
            exc.show()
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:  # before OSError, its base class
        # stdout closed early (| head): quiet exit, and no second error on flush at shutdown
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:  # a path the user gave cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        _fail(f"error: {exc.strerror or exc}{where}", 2)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:  # noqa: BLE001 - a bug: say so briefly, full trace on request
        if os.environ.get("AMBER_DEBUG"):
            traceback.print_exc()
        _fail(f"internal error: {type(exc).__name__}: {exc} (set AMBER_DEBUG=1 for a trace)", 2)
    sys.exit(0)
