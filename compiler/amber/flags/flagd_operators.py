"""JsonLogic's operators plus flagd's: ``fractional``, ``sem_ver``, ``starts_with``, ``ends_with``.

Bad arguments give null, never an exception, so a rule falls through to the default variant
as it does in flagd.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from amber.flags.fractional import GENERATIONS, fractional
from amber.flags.jsonlogic_operators import OPERATORS, Operator
from amber.flags.semver import sem_ver


def starts_with(data: Any, *args: Any) -> bool | None:
    if len(args) != 2 or not all(isinstance(a, str) for a in args):
        return None
    return bool(args[0].startswith(args[1]))


def ends_with(data: Any, *args: Any) -> bool | None:
    if len(args) != 2 or not all(isinstance(a, str) for a in args):
        return None
    return bool(args[0].endswith(args[1]))


def operators(generation: str) -> dict[str, Operator]:
    """JsonLogic's operators plus flagd's, with ``fractional`` of the given generation."""
    if generation not in GENERATIONS:
        raise ValueError(f"fractional generation must be one of {GENERATIONS}, not {generation!r}")
    return {
        **OPERATORS,
        "fractional": partial(fractional, generation),
        "sem_ver": sem_ver,
        "starts_with": starts_with,
        "ends_with": ends_with,
    }
