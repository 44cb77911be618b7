"""Which artifacts ``amber publish`` takes: what ``amber build`` wrote for each environment."""

from __future__ import annotations

from pathlib import Path

from amber.compiler.environments import discover
from amber.compiler.settings import Settings
from amber.errors import UsageError
from amber.publish.verify import verify


def built_artifacts(
    settings: Settings, out: Path, names: tuple[str, ...]
) -> tuple[list[Path], list[str]]:
    """The artifacts built for the named environments (default: every one that has been
    built), and why any ``env@V.json`` beside them is skipped."""
    if not out.is_dir():
        raise UsageError(f"no {settings.rel(out)}/ to publish: run amber build first")
    known = discover(settings)
    wanted = list(names) or list(known)
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise UsageError(f"unknown environment {', '.join(unknown)} (known: {', '.join(known)})")
    found: list[Path] = []
    skipped: list[str] = []
    for env in wanted:
        current = out / f"{env}.json"
        if not current.is_file():
            if names:
                raise UsageError(f"{env} has no artifact in {settings.rel(out)}/: run amber build")
            continue
        found.append(current)
        head = verify(current.read_bytes(), str(current))
        for other in sorted(out.glob(f"{env}@*.json")):
            origin = verify(other.read_bytes(), str(other)).provenance.get("migrated_from", {})
            if origin.get("content_hash") != head.content_hash:
                # Left by an earlier `build --version`: publishing it would serve old config.
                skipped.append(
                    f"skipping {settings.rel(other)}: not migrated from the current "
                    f"{env}.json (rebuild with --version to publish it)"
                )
                continue
            found.append(other)
    if not found:
        raise UsageError(f"no artifacts in {settings.rel(out)}/ to publish: run amber build")
    return found, skipped
