"""Import confinement: every file an evaluation reads goes through one import callback.

It resolves an import as Jsonnet does (relative to the importing file, then under each library
directory, then in Amber's own library), refuses paths outside the directories the settings
declare (``roots``; symlinks included, checked on the opened file), says which paths it
searched when a file is missing, and records the digest of the exact bytes it handed to the
engine, which is what provenance and the build cache key are made of.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from amber import canonical
from amber.compiler.jsonnet import confined
from amber.compiler.jsonnet.roots import BUNDLED_PREFIX, Root, bundled, roots
from amber.compiler.settings import Settings
from amber.errors import Diagnostic


class Refused(Exception):
    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(message)
        self.file = file  # the file at fault, when it is not the one importing it


@dataclass
class Importer:
    """The import callback: resolution, confinement and the record of what was read."""

    settings: Settings
    inputs: dict[str, str] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    problem: Diagnostic | None = None
    refused: tuple[str, str] = ("", "")  # (directory, path) of the import refused first
    _roots: list[Root] = field(default_factory=list)
    _bundled: Root = field(default_factory=bundled)

    def __post_init__(self) -> None:
        self._roots = roots(self.settings)

    @property
    def _real_bases(self) -> list[str]:
        return [root.real for root in (*self._roots, self._bundled)]

    def _real(self, virtual: str) -> str | None:
        """The path of a normalized virtual path, None if it leaves every readable root."""
        if virtual.startswith(BUNDLED_PREFIX):
            rest = virtual[len(BUNDLED_PREFIX) :]
            if rest.startswith("../") or rest == ".." or os.path.isabs(rest):
                return None
            return os.path.join(self._bundled.path, rest)
        path = os.path.normpath(os.path.join(self._roots[0].path, virtual))
        return path if confined.inside(path, [root.path for root in self._roots]) else None

    def _read(self, virtual: str) -> bytes | None:
        """The bytes at a virtual path, or None where there is no file; refused if it leaves
        the readable roots, lexically or through a symlink, even one swapped in as we read."""
        real = self._real(virtual)
        if real is None:
            raise Refused(f"import escapes the repository: {virtual}")
        try:
            return confined.read(real, self._real_bases)
        except confined.Escaped:
            # Recorded as unreadable: replacing the link with a real file must rebuild.
            if virtual not in self.absent:
                self.absent.append(virtual)
            raise Refused(f"import escapes the repository through a symlink: {virtual}") from None

    def read(self, virtual: str) -> bytes:
        """Read a source file given by its virtual path, confined and recorded."""
        data = self._read(virtual)
        if data is None:
            raise FileNotFoundError(2, "No such file or directory", virtual)
        return self._recorded(virtual, data, binary=False)

    def _recorded(self, virtual: str, data: bytes, *, binary: bool) -> bytes:
        if virtual not in self.inputs:
            self.inputs[virtual] = canonical.sha256_tag(data)
        if not binary:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                # go-jsonnet would read it with U+FFFD in place of the bad bytes, silently.
                raise Refused(
                    f"file is not UTF-8 text: {exc.reason} at byte {exc.start} "
                    "(importbin reads bytes)",
                    file=virtual,
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
            return [os.path.relpath(absolute, self._roots[0].path).replace(os.sep, "/")]
        directory = directory.rstrip("/")
        if directory in ("", "."):
            directory = ""
        found = [_join(directory, rel)]
        found += [_join(lib, rel) for lib in self.settings.library]
        found.append(BUNDLED_PREFIX + _join("", rel))
        return list(dict.fromkeys(found))  # each once, in order

    def resolve(self, directory: str, rel: str) -> tuple[str, bytes]:
        escaped, searched = "", []
        for virtual in self.candidates(directory, rel):
            if self._real(virtual) is None:
                escaped = escaped or virtual
                continue
            data = self._read(virtual)
            if data is not None:
                binary = self._written_as(directory, rel, "importbin")
                return virtual, self._recorded(virtual, data, binary=binary)
            searched.append(virtual)
            if virtual not in self.absent:
                self.absent.append(virtual)
        if not searched:  # every way to read it leads outside
            raise Refused(f"import escapes the repository: {rel}")
        raise Refused(f"import not found: {rel} (looked for {', '.join(searched)})")

    def refuse(self, directory: str, rel: str, reason: Refused) -> None:
        """Record why an import was refused (an engine's callback may refuse what we found)."""
        if self.problem is None:
            problem = Diagnostic(str(reason), file=reason.file, code="import")
            self.problem, self.refused = problem, (directory, rel)

    def callback(self, directory: str, rel: str) -> tuple[str, bytes] | None:
        """The engine's import callback: None (after recording why) refuses the import.

        The reason is kept here, not in the engine's error: go-jsonnet's binding passes a
        refusal's message to Go without its terminating NUL, so that message can end in
        whatever bytes follow it in memory.
        """
        try:
            return self.resolve(directory, rel)
        except Refused as exc:
            self.refuse(directory, rel, exc)
        except OSError as exc:
            self.refuse(directory, rel, Refused(f"cannot read import {rel}: {exc.strerror}"))
        return None

    def _written_as(self, directory: str, rel: str, kind: str) -> bool:
        """Is ``rel`` imported with ``kind`` (importbin) by a file read from ``directory``?"""
        return self._site(directory, rel, kind) is not None

    def import_site(self) -> tuple[str, int | None, int | None]:
        """Where the refused import is written, found in the files read (file, line, col)."""
        site = self._site(*self.refused, "import(?:str|bin)?")
        return site if site is not None else ("", None, None)

    def _site(self, directory: str, rel: str, kind: str) -> tuple[str, int, int] | None:
        directory = directory.rstrip("/").removeprefix("./")
        directory = "" if directory == "." else directory
        pattern = re.compile(rf"\b{kind}\s*(['\"])" + re.escape(rel) + r"\1")
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
        return None


def _join(directory: str, rel: str) -> str:
    joined = os.path.normpath(os.path.join(directory, rel)) if directory else os.path.normpath(rel)
    return joined.replace(os.sep, "/")
