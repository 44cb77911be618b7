"""Import confinement: every file an evaluation reads goes through one import callback.

It resolves an import as Jsonnet does (relative to the importing file, then under each library
directory, then in Amber's own library), refuses paths outside the repository (symlinks
included), and records the digest of the exact bytes it handed to the engine, which is what
provenance and the build cache key are made of.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from amber import canonical
from amber.compiler.jsonnet import confined
from amber.compiler.settings import Settings
from amber.errors import Diagnostic

# Amber's own Jsonnet library (``import 'amber/flags.libsonnet'``), always on the import path.
# Files in it are named with this prefix, which no repository path can start with.
BUNDLED_PREFIX = "<amber>/"
BUNDLED_DIR = Path(__file__).parent / "library"


@dataclass
class Importer:
    """The import callback: resolution, confinement and the record of what was read."""

    settings: Settings
    inputs: dict[str, str] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    problem: Diagnostic | None = None
    refused: tuple[str, str] = ("", "")  # (directory, path) of the import refused first
    _root: str = ""
    _bundled: str = ""

    def __post_init__(self) -> None:
        self._root = os.path.realpath(self.settings.root)
        self._bundled = os.path.realpath(BUNDLED_DIR)

    def _real(self, virtual: str) -> str | None:
        """The path of a normalized virtual path, None if it leaves the repository."""
        if virtual.startswith(BUNDLED_PREFIX):
            base, rest = self._bundled, virtual[len(BUNDLED_PREFIX) :]
        else:
            base, rest = self._root, virtual
        if rest.startswith("../") or rest == ".." or os.path.isabs(rest):
            return None
        return os.path.join(base, rest)

    def _read(self, virtual: str) -> bytes | None:
        """The bytes at a virtual path, or None where there is no file; refused if it leaves
        the repository, lexically or through a symlink, even one swapped in as we read."""
        real = self._real(virtual)
        if real is None:
            raise Refused(f"import escapes the repository: {virtual}")
        try:
            return confined.read(real, [self._root, self._bundled])
        except confined.Escaped:
            # Recorded as unreadable: replacing the link with a real file must rebuild.
            if virtual not in self.absent:
                self.absent.append(virtual)
            raise Refused(f"import escapes the repository through a symlink: {virtual}") from None

    def read(self, virtual: str) -> bytes:
        """Read a file given by its virtual path, confined and recorded."""
        data = self._read(virtual)
        if data is None:
            raise FileNotFoundError(2, "No such file or directory", virtual)
        return self._recorded(virtual, data)

    def _recorded(self, virtual: str, data: bytes) -> bytes:
        if virtual not in self.inputs:
            self.inputs[virtual] = canonical.sha256_tag(data)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # go-jsonnet would read it with U+FFFD in place of the bad bytes, silently.
            raise Refused(
                f"file is not UTF-8 text: {exc.reason} at byte {exc.start}", file=virtual
            ) from None
        return data

    def digest(self, virtual: str) -> str | None:
        """The digest of what evaluation would read at ``virtual`` now, or None where it could
        read nothing (the build cache compares these with what was read before)."""
        try:
            data = self._read(virtual)
        except (Refused, OSError):
            return None
        return canonical.sha256_tag(data) if data is not None else None

    def candidates(self, directory: str, rel: str) -> list[str]:
        if os.path.isabs(rel):
            absolute = os.path.normpath(rel)
            relative = os.path.relpath(absolute, self._root)
            return [relative.replace(os.sep, "/")]
        directory = directory.rstrip("/")
        if directory in ("", "."):
            directory = ""
        found = [_join(directory, rel)]
        found += [_join(lib, rel) for lib in self.settings.library]
        found.append(BUNDLED_PREFIX + _join("", rel))
        return found

    def resolve(self, directory: str, rel: str) -> tuple[str, bytes]:
        escaped = ""
        for virtual in self.candidates(directory, rel):
            if self._real(virtual) is None:
                escaped = escaped or virtual
                continue
            data = self._read(virtual)
            if data is not None:
                return virtual, self._recorded(virtual, data)
            if virtual not in self.absent:
                self.absent.append(virtual)
        if escaped:
            raise Refused(f"import escapes the repository: {rel}")
        raise Refused(f"import not found: {rel}")

    def callback(self, directory: str, rel: str) -> tuple[str, bytes] | None:
        """The engine's import callback: None (after recording why) refuses the import.

        The reason is kept here, not in the engine's error: go-jsonnet's binding passes a
        refusal's message to Go without its terminating NUL, so that message can end in
        whatever bytes follow it in memory.
        """
        try:
            return self.resolve(directory, rel)
        except Refused as exc:
            problem = Diagnostic(str(exc), file=exc.file, code="import")
        except OSError as exc:
            problem = Diagnostic(f"cannot read import {rel}: {exc.strerror}", code="import")
        if self.problem is None:
            self.problem, self.refused = problem, (directory, rel)
        return None

    def import_site(self) -> tuple[str, int | None, int | None]:
        """Where the refused import is written, found in the files read (file, line, col)."""
        directory, rel = self.refused
        directory = directory.rstrip("/").removeprefix("./")
        directory = "" if directory == "." else directory
        pattern = re.compile(r"\bimport(?:str|bin)?\s*(['\"])" + re.escape(rel) + r"\1")
        for virtual in self.inputs:
            if os.path.dirname(virtual) != directory:
                continue
            try:
                text = (self._read(virtual) or b"").decode("utf-8")
            except (Refused, OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                found = pattern.search(line)
                if found:
                    return virtual, number, found.start() + 1
        return "", None, None


class Refused(Exception):
    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(message)
        self.file = file  # the file at fault, when it is not the one importing it


def _join(directory: str, rel: str) -> str:
    joined = os.path.normpath(os.path.join(directory, rel)) if directory else os.path.normpath(rel)
    return joined.replace(os.sep, "/")
