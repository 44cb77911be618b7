"""The two sides of ``amber diff``: an artifact file, ENV (compiled from the working tree) or
ENV@REF (compiled from a git revision, exported with ``git archive`` so the working tree, the
index and the stash are left alone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from amber.compiler import artifact
from amber.compiler.build.pipeline import build
from amber.compiler.diff.compare import diff_artifacts, environment_change
from amber.compiler.diff.report import Report
from amber.compiler.environments import discover
from amber.compiler.git import export
from amber.compiler.settings import Settings, load
from amber.errors import ConfigError, Diagnostic, LoadError, UsageError


def compiled(settings: Settings, env: str, label: str) -> dict[str, Any]:
    """ENV compiled in ``settings``' repository, as plain artifact data."""
    (result,) = build(settings, [env], out=None)
    if not result.ok:
        why = Diagnostic(f"{label} does not compile; fix it (amber check) before diffing")
        raise ConfigError([*result.diagnostics, why], exit_code=2)
    data: dict[str, Any] = json.loads(result.outputs[artifact.file_name(env)])
    return data


def side(settings: Settings | None, spec: str, file: Path | None, scratch: Path) -> dict[str, Any]:
    """One side: ``file`` when the spec names an artifact file, else ENV or ENV@REF in the
    repository of ``settings``."""
    if file is not None or settings is None:
        assert file is not None
        try:
            return artifact.read(file)
        except LoadError as exc:
            exc.exit_code = 2  # for diff, 1 means "they differ"; a bad input is an error
            raise
    env, at, ref = spec.partition("@")
    if not at:
        return compiled(settings, env, spec)
    root = export(settings.root, ref, scratch / f"{len(list(scratch.iterdir()))}")
    return compiled(load(root), env, spec)


def every_environment(settings: Settings, refs: tuple[str, ...], scratch: Path) -> list[Report]:
    """``amber diff --all BASE [HEAD]``: every environment of either revision (HEAD: the
    working tree when omitted)."""
    if not 1 <= len(refs) <= 2:
        raise UsageError("amber diff --all BASE [HEAD]: one or two git revisions")
    base = load(export(settings.root, refs[0], scratch / "base"))
    head = load(export(settings.root, refs[1], scratch / "head")) if len(refs) == 2 else settings
    before, after = _environments(base), _environments(head)
    reports = []
    for env in sorted(set(before) | set(after)):
        if env not in before or env not in after:
            old = compiled(base, env, env) if env in before else None
            new = compiled(head, env, env) if env in after else None
            reports.append(environment_change(env, old, new))
            continue
        old = compiled(base, env, f"{env}@{refs[0]}")
        reports.append(diff_artifacts(old, compiled(head, env, env), env))
    return reports


def _environments(settings: Settings) -> dict[str, str]:
    try:
        return discover(settings)
    except UsageError:
        return {}
