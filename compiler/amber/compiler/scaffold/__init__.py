"""``amber init``: a new config repository that checks and builds as created."""

from __future__ import annotations

from pathlib import Path

from amber.errors import UsageError

TEMPLATE = Path(__file__).parent / "template"


def _target_name(part: str) -> str:
    # Dotfiles are stored as "_name" so that packaging keeps them.
    return "." + part[1:] if part.startswith("_") else part


def files() -> dict[str, Path]:
    """Repo-relative destination -> template file."""
    found = {}
    for path in sorted(TEMPLATE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(TEMPLATE)
            found["/".join(_target_name(part) for part in rel.parts)] = path
    return found


def init(directory: Path) -> list[str]:
    """Write the scaffold into ``directory``; refuse to overwrite anything."""
    planned = files()
    existing = sorted(rel for rel in planned if (directory / rel).exists())
    if existing:
        raise UsageError(
            f"{directory}: would overwrite {', '.join(existing)}; choose an empty directory"
        )
    for rel, template in planned.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(template.read_bytes())
    return list(planned)
