"""``amber publish``, ``rollback``, ``history`` and ``pull``: artifacts in a directory store or
an OCI registry."""

from __future__ import annotations

from pathlib import Path

import click

from amber import versions
from amber.atomic import write_bytes
from amber.cli import inputs, options
from amber.cli.output import format_option, report, say, warn
from amber.compiler import artifact
from amber.compiler.export.flagd import FLAGD_BUCKETING
from amber.errors import UsageError
from amber.flags.fractional import GENERATIONS
from amber.publish import directory, oci
from amber.publish.built import built_artifacts
from amber.publish.destination import parse
from amber.publish.signing import Signer, expiry, keygen, load_key
from amber.runtime.registry import Reference
from amber.runtime.signatures import signature_path

SIGN = click.option(
    "--sign",
    metavar="KEY",
    help="Sign what is published with this private key (a file, or env:VAR holding the PEM).",
)
EXPIRES = click.option(
    "--expires",
    metavar="DURATION",
    help="With --sign: the signature's expiry (30d, 12h); apps warn past it.",
)


def _signer(sign: str | None, expires: str | None) -> Signer | None:
    if sign is None:
        if expires is not None:
            raise UsageError("--expires needs --sign")
        return None
    return Signer(load_key(sign), expiry(expires))


@click.command("keygen")
@click.argument("name", type=click.Path(dir_okay=False, path_type=Path))
def keygen_command(name: Path) -> None:
    """Write a signing key pair: NAME.key (private, mode 0600) and NAME.pub (ECDSA P-256)."""
    private, public = keygen(name)
    say(f"wrote {private} (keep it secret: a CI secret) and {public} (give it to apps)")


@click.command("publish")
@options.DESTINATION
@click.argument("environments", nargs=-1)
@click.option(
    "--from",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the built artifacts are (default: the out setting, dist/).",
)
@click.option(
    "--format",
    "kind",
    type=click.Choice(("artifact", "flagd")),
    default="artifact",
    show_default=True,
    help="What to publish: the artifacts, or their flags as flagd flag-definition files.",
)
@click.option(
    "--flagd-bucketing",
    type=click.Choice(GENERATIONS),
    default=FLAGD_BUCKETING,
    show_default=True,
    help="flagd format: the fractional generation the file's readers bucket with.",
)
@SIGN
@EXPIRES
@options.INSECURE
@options.QUIET
@click.pass_context
def publish_command(
    ctx: click.Context,
    destination: str,
    environments: tuple[str, ...],
    source: Path | None,
    kind: str,
    flagd_bucketing: str,
    sign: str | None,
    expires: str | None,
    insecure: bool,
    quiet: bool,
) -> None:
    """Publish built artifacts to a directory store or an OCI registry.

    With --format flagd, each artifact's flags go beside it as a flagd flag-definition file:
    DIR/<env>/<major>.<minor>.flagd.json in a directory store, tags <env>-<major>.<minor>-flagd
    (and one with the content hash) in a registry.
    """
    settings = inputs.settings(ctx)
    target = parse(destination)
    files, skipped = built_artifacts(settings, source or settings.path(settings.out), environments)
    for why in skipped:
        warn(f"amber: {why}")
    signer = _signer(sign, expires)
    for path in files:
        if kind == "flagd":
            line = _publish_flagd(target, path, flagd_bucketing, insecure)
        else:
            line = _publish_one(target, path, insecure, signer)
        if not quiet:
            say(line)


def _publish_flagd(target: Path | Reference, path: Path, consumer: str, insecure: bool) -> str:
    data = path.read_bytes()
    if isinstance(target, Reference):
        pushed = oci.push(target, data, str(path), insecure, flagd=consumer)
        return f"pushed flags of {path.name}: {', '.join(pushed.tags)} ({pushed.digest})"
    written = directory.publish_flagd(target, data, str(path), consumer)
    return f"published flags of {path.name} -> {written}"


def _publish_one(
    target: Path | Reference, path: Path, insecure: bool, signer: Signer | None
) -> str:
    data = path.read_bytes()
    signed = ", signed" if signer is not None else ""
    if isinstance(target, Reference):
        pushed = oci.push(target, data, str(path), insecure, signer=signer)
        return f"pushed {path.name}: {', '.join(pushed.tags)} ({pushed.digest}{signed})"
    done = directory.publish(target, data, str(path), signer)
    change = f"moved from {done.previous}" if done.previous else "new"
    state = (change if done.moved else "unchanged") + (signed if done.moved else "")
    if done.repaired:
        state += ", damaged stored copy rewritten"
    return f"published {done.environment}/{done.pointer} -> {done.object} ({state})"


@click.command("rollback")
@options.DESTINATION
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
@SIGN
@options.INSECURE
def rollback_command(
    destination: str,
    environment: str,
    pointer: str | None,
    steps: int | None,
    to_hash: str | None,
    sign: str | None,
    insecure: bool,
) -> None:
    """Move ENVIRONMENT's pointers back, and record it in the history.

    Without --version, the versions the newest publish moved go back (or, with --to-hash,
    the one that published it).  With --sign, the older content is signed again under a new,
    higher sequence, so that apps that verify accept the rollback (and refuse a replay).
    """
    signer = _signer(sign, None)
    if steps is not None and to_hash is not None:
        raise UsageError("give --steps or --to-hash, not both")
    if pointer is not None:
        try:
            pointer = versions.major_minor(pointer)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    target = parse(destination)
    if isinstance(target, Reference):
        if to_hash is None or pointer is None:
            raise UsageError(
                "in a registry, roll back with --version V --to-hash H "
                "(the kept tags list what was published)"
            )
        kept, digest = oci.rollback(target, environment, pointer, to_hash, insecure, signer)
        say(f"rolled back {environment}-{pointer} to {kept} ({digest})")
        return
    moves = directory.rollback(
        target, environment, pointer, steps=steps or 1, to_hash=to_hash, signer=signer
    )
    for done in moves:
        state = f"from {done.previous}" if done.moved else "already there"
        say(f"rolled back {done.environment}/{done.pointer} -> {done.object} ({state})")


@click.command("history")
@options.DESTINATION
@click.argument("environment")
@format_option("text", "json")
def history_command(destination: str, environment: str, output_format: str) -> None:
    """Every pointer move of ENVIRONMENT in a directory store, oldest first."""
    target = parse(destination)
    if isinstance(target, Reference):
        raise UsageError("a registry keeps no history; `amber history` reads a directory store")
    entries = directory.history(target, environment)
    if output_format == "json":
        report({"environment": environment, "history": entries})
        return
    if not entries:
        say(f"nothing published for {environment}")
    for e in entries:
        commit = f" commit {str(e['commit'])[:12]}" if e.get("commit") else ""
        commit += f" sequence {e['sequence']}" if e.get("sequence") else ""
        say(
            f"{e.get('at')}  {e.get('action'):9} {environment}/{e.get('pointer')}  "
            f"{e.get('from') or '-'} -> {e.get('to')}{commit}"
        )


@click.command("pull")
@click.argument("reference", metavar="oci://HOST/REPO:TAG")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the artifact (atomically).",
)
@click.option(
    "--trust",
    "trust",
    multiple=True,
    metavar="KEY.pub",
    help="Refuse an artifact not signed by one of these public keys (repeat for several).",
)
@options.INSECURE
@options.QUIET
def pull_command(
    reference: str, output: Path, trust: tuple[str, ...], insecure: bool, quiet: bool
) -> None:
    """Fetch an artifact from a registry, verify digest and content hash (and with --trust its
    signature, written beside it as OUTPUT.sig), write it atomically."""
    data, digest, envelope = oci.fetch(Reference.parse(reference), insecure, list(trust) or None)
    if envelope is not None:
        write_bytes(Path(signature_path(output)), envelope)
    artifact.write(output, data)
    if not quiet:
        say(f"pulled {reference} ({digest}) -> {output}")
