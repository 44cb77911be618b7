"""The migration chain: one linear path through every schema version, oldest to newest.

A gap, a fork (two migrations from one version: the "multiple heads" two pull requests each
adding a migration produce), a migration that goes backwards or skips a version, or one that
names a version without a schema, is reported with the fix.
"""

from __future__ import annotations

import itertools

from amber import versions
from amber.compiler.checks import schemas
from amber.compiler.settings import Settings
from amber.compiler.versioning import guard, migrations
from amber.compiler.versioning.migrations import Migration
from amber.errors import Diagnostic


def check_repository(settings: Settings) -> list[Diagnostic]:
    """What `amber check` adds to a build: the migration chain and the version numbering."""
    found, problems = migrations.load(settings)
    known = sorted(schemas.schema_files(settings))
    problems += check_chain(found, known, settings.migrations, settings.schemas)
    problems += guard.check_versions(settings)
    return problems


def check_chain(
    migrations: list[Migration],
    schema_versions: list[versions.Version],
    directory: str,
    schemas: str,
) -> list[Diagnostic]:
    """One linear chain through every schema version, oldest to newest.

    ``directory`` and ``schemas`` are the migrations and schema folders, as messages name them.
    """
    ordered = sorted(set(schema_versions))
    by_source: dict[versions.Version, list[Migration]] = {}
    by_target: dict[versions.Version, list[Migration]] = {}
    for migration in migrations:
        by_source.setdefault(migration.source, []).append(migration)
        by_target.setdefault(migration.target, []).append(migration)
    return [
        *_without_schema(migrations, set(ordered), schemas),
        *_forks(by_source),
        *_merges(by_target),
        *_gaps(by_source, ordered, directory),
        *_skips(migrations, ordered),
    ]


def _without_schema(
    migrations: list[Migration], known: set[versions.Version], schemas: str
) -> list[Diagnostic]:
    problems = []
    for migration in migrations:
        for end in (migration.source, migration.target):
            if end not in known:
                problems.append(
                    Diagnostic(
                        f"migration goes {'from' if end == migration.source else 'to'} "
                        f"{versions.text(end)}, which has no schema "
                        f"(add {schemas}/{versions.text(end)}.json, or fix FROM/TO)",
                        file=migration.file,
                        code="migration",
                    )
                )
    return problems


def _forks(by_source: dict[versions.Version, list[Migration]]) -> list[Diagnostic]:
    return [
        Diagnostic(
            f"two migrations start at {versions.text(version)}: "
            f"{' and '.join(m.file for m in group)}. The chain forked "
            "(two branches each added one): make one start where the other ends",
            file=group[1].file,
            code="migration",
        )
        for version, group in sorted(by_source.items())
        if len(group) > 1
    ]


def _merges(by_target: dict[versions.Version, list[Migration]]) -> list[Diagnostic]:
    return [
        Diagnostic(
            f"two migrations lead to {versions.text(version)}: "
            f"{' and '.join(m.file for m in group)}; keep one",
            file=group[1].file,
            code="migration",
        )
        for version, group in sorted(by_target.items())
        if len(group) > 1
    ]


def _gaps(
    by_source: dict[versions.Version, list[Migration]],
    ordered: list[versions.Version],
    directory: str,
) -> list[Diagnostic]:
    return [
        Diagnostic(
            f"no migration from {versions.text(older)} to {versions.text(newer)}: add "
            f'{directory}/<name>.py with FROM = "{versions.text(older)}" and '
            f'TO = "{versions.text(newer)}"',
            file=directory,
            code="migration",
        )
        for older, newer in itertools.pairwise(ordered)
        if not any(m.target == newer for m in by_source.get(older, []))
    ]


def _skips(migrations: list[Migration], ordered: list[versions.Version]) -> list[Diagnostic]:
    problems = []
    for migration in migrations:
        skipped = [v for v in ordered if migration.source < v < migration.target]
        if skipped:
            problems.append(
                Diagnostic(
                    f"migration skips {', '.join(versions.text(v) for v in skipped)}: the chain "
                    "goes through every schema version, one step each",
                    file=migration.file,
                    code="migration",
                )
            )
    return problems
