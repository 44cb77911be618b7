"""``amber build`` and ``amber check``: compile environments, from the cache where nothing changed.

Compiling an environment (the expensive part: Jsonnet, JSON Schema, rules, migrations) gives a
``Compiled`` record that holds no build-time facts, so it can be cached and computed in worker
processes; assembling the artifacts from it (the envelope, with the git commit and the clock) is
cheap and done every time.
"""

from __future__ import annotations

import os
from pathlib import Path

from amber.compiler import artifact
from amber.compiler.build import cache
from amber.compiler.build.compiled import Compiled, Result
from amber.compiler.build.facts import Facts
from amber.compiler.build.pool import Progress, compile_all
from amber.compiler.build.provenance import assemble
from amber.compiler.environments import select
from amber.compiler.jsonnet.imports import Importer
from amber.compiler.settings import Settings
from amber.errors import UsageError


def build(
    settings: Settings,
    names: list[str] | tuple[str, ...] = (),
    out: Path | None = None,
    targets: list[str] | tuple[str, ...] = (),
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> list[Result]:
    """Compile the named environments (all by default); write artifacts when ``out`` is given.

    ``targets`` are other schema versions to write too (``dist/<env>@<version>.json``).
    Unchanged environments come from the cache; the rest are compiled, ``jobs`` at a time
    (default: one per core).  A failed environment writes nothing, so its previous artifacts
    stay as they were.
    """
    selected = select(settings, names)
    facts = Facts.gather(settings, targets)
    keys = (
        {env: cache.key(facts, env, entry) for env, entry in selected.items()} if use_cache else {}
    )
    compiled = _from_cache(settings, keys)
    cached = set(compiled)
    work = [(env, entry) for env, entry in selected.items() if env not in compiled]
    if work:
        jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        for fresh in compile_all(facts, work, jobs, progress):
            compiled[fresh.env] = fresh
            if use_cache and fresh.cacheable:
                cache.save(keys[fresh.env], fresh.inputs, fresh.absent, fresh.to_json())
    results = []
    for env in selected:
        result = assemble(facts, compiled[env])
        result.cached = env in cached
        results.append(result)
    if out is not None:
        _write(settings, out, results)
    return results


def _from_cache(settings: Settings, keys: dict[str, str]) -> dict[str, Compiled]:
    """The environments whose cache entries are still valid: every file read is unchanged."""
    files = cache.Files(Importer(settings).digest)
    found = {}
    for env, key in keys.items():
        payload = cache.lookup(key, files)
        if payload is not None:
            found[env] = Compiled.from_json(payload)
    return found


def _write(settings: Settings, out: Path, results: list[Result]) -> None:
    """Write every artifact; a write error names what was written before it."""
    written: list[str] = []
    for result in results:
        for name, data in result.outputs.items():
            try:
                artifact.write(out / name, data)
            except UsageError as exc:
                done = f" (written before it: {', '.join(written)})" if written else ""
                raise UsageError(exc.message + done, file=settings.rel(out / name)) from None
            written.append(name)
