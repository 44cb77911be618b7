"""The breaking-change guard over a repository: is each schema version a safe successor?

Each version is compared with the one before it (``compat``); the change must be no bigger
than the version bump says: breaking changes need a new major, additions a new minor.
"""

from __future__ import annotations

import itertools

from amber import versions
from amber.compiler.checks import schemas
from amber.compiler.settings import Settings
from amber.compiler.versioning import compat
from amber.errors import ConfigError, Diagnostic


def check_versions(settings: Settings) -> list[Diagnostic]:
    """The breaking-change guard over every pair of consecutive schema versions."""
    files = schemas.schema_files(settings)
    ordered = sorted(files)
    problems: list[Diagnostic] = []
    documents = {}
    for version in files:
        try:  # only valid JSON Schemas are compared; a broken one is reported as such
            documents[version] = schemas.resolve_refs(schemas.load(settings, version).document)
        except ConfigError as exc:
            problems += exc.problems
    for older, newer in itertools.pairwise(ordered):
        if older not in documents or newer not in documents:
            continue
        old, new = documents[older], documents[newer]
        changes = compat.compare(old, new)
        needed = changes.level
        bump = "major" if newer[0] > older[0] else "minor" if newer[1] > older[1] else "patch"
        rank = {"none": 0, "patch": 1, "minor": 2, "major": 3}
        if rank[needed] > rank[bump]:
            listed = changes.breaking if needed == "major" else changes.additions
            suggestion = (
                f"{newer[0] + 1}.0.0" if needed == "major" else f"{newer[0]}.{older[1] + 1}.0"
            )
            what = "breaking changes" if needed == "major" else "additions"
            problems.append(
                Diagnostic(
                    f"{versions.text(newer)} makes {what} to {versions.text(older)} "
                    f"({'; '.join(listed)}), so it must be a new {needed} version, "
                    f"e.g. {suggestion}",
                    file=settings.rel(files[newer]),
                    code="schema-version",
                )
            )
    return problems
