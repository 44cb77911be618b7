"""Which environments a repository has: one entry file each in ``environments/``."""

from __future__ import annotations

import re

from amber.compiler.settings import Settings
from amber.errors import UsageError

_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
NAME_RULE = (
    "must start with a letter or digit and hold only letters, digits, '_', '.' and '-' "
    "(at most 100)"
)


def is_name(name: str) -> bool:
    """Can ``name`` be an environment?  A plain name: it becomes a file name, a store folder
    and part of a registry tag, so it can never be a path."""
    return _ENV_NAME.fullmatch(name) is not None


def check_name(name: str, *, file: str = "", doing: str = "") -> str:
    """``name``, or a usage error if it cannot be an environment."""
    if not is_name(name):
        prefix = f"{doing}: " if doing else ""
        raise UsageError(f"{prefix}environment name {name!r} {NAME_RULE}", file=file)
    return name


def discover(settings: Settings, *, strict: bool = True) -> dict[str, str]:
    """Environment name -> repo-relative entry file, sorted by name.

    ``environments/<name>.jsonnet``, or Tanka's ``environments/<name>/main.jsonnet`` (the
    folder names the environment).  Hidden files are not environments (an editor's lock file,
    ``.#prod.jsonnet``, must not break the hook).  A file whose name cannot be an environment
    is an error when ``strict`` (building everything), and left out otherwise.
    """
    directory = settings.path(settings.environments)
    if not directory.is_dir():
        raise UsageError(f"no environments directory {settings.environments}/")
    found: dict[str, str] = {}
    entries = [(p.stem, p) for p in directory.glob("*.jsonnet")]
    entries += [(p.parent.name, p) for p in directory.glob("*/main.jsonnet")]
    for name, path in sorted(entries, key=lambda pair: (pair[0], str(pair[1]))):
        if name.startswith("."):
            continue
        if not is_name(name):
            if not strict:
                continue
            check_name(name, file=settings.rel(path))
        if name in found:
            raise UsageError(
                f"two entry files for environment {name}: {found[name]} and {settings.rel(path)}",
                file=settings.rel(path),
            )
        found[name] = settings.rel(path)
    if not found:
        raise UsageError(
            f"no environments: add {settings.environments}/<name>.jsonnet "
            f"(or {settings.environments}/<name>/main.jsonnet, as Tanka lays them out)"
        )
    return found


def select(settings: Settings, names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """The named environments (all when ``names`` is empty); an unknown name is a usage error."""
    known = discover(settings, strict=not names)
    if not names:
        return known
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown environment {', '.join(unknown)} (known: {', '.join(known)})")
    return {name: known[name] for name in names}
