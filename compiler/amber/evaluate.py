"""Evaluate one environment's Jsonnet with a real engine, confined to the repository.

Every file evaluation reads goes through one import callback: it refuses paths outside the
repository (symlinks included), and records the digest of the exact bytes it handed to the
engine, which is what provenance and the build cache key are made of.  Engine errors come
back as ``file:line:col`` diagnostics parsed from the engine's text, never as tracebacks.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amber import canonical
from amber.errors import ConfigError, Diagnostic, UsageError
from amber.paths import format_path
from amber.settings import Settings

# Amber's own Jsonnet library (``import 'amber/flags.libsonnet'``), always on the import path.
# Files in it are named with this prefix, which no repository path can start with.
BUNDLED_PREFIX = "<amber>/"
BUNDLED_DIR = Path(__file__).parent / "jsonnet"


@dataclass
class Evaluation:
    value: dict[str, Any]
    # Repo-relative path -> "sha256:<hex>" of each file read, in the order first read.
    inputs: dict[str, str] = field(default_factory=dict)
    # Paths an import looked for and did not find: creating one would change the result.
    absent: list[str] = field(default_factory=list)


@dataclass
class _Importer:
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

    def _real(self, virtual: str) -> tuple[str, str] | None:
        """Real path and confining directory of a normalized virtual path, None if it escapes."""
        if virtual.startswith(BUNDLED_PREFIX):
            base, rest = self._bundled, virtual[len(BUNDLED_PREFIX) :]
        else:
            base, rest = self._root, virtual
        if rest.startswith("../") or rest == ".." or os.path.isabs(rest):
            return None
        return os.path.join(base, rest), base

    def read(self, virtual: str) -> bytes:
        """Read a file given by its virtual path, confined and recorded."""
        located = self._real(virtual)
        if located is None:
            raise _Refused(f"import escapes the repository: {virtual}")
        real, base = located
        resolved = os.path.realpath(real)
        if resolved != base and not resolved.startswith(base + os.sep):
            # Recorded as unreadable: replacing the link with a real file must rebuild.
            if virtual not in self.absent:
                self.absent.append(virtual)
            raise _Refused(f"import escapes the repository through a symlink: {virtual}")
        with open(resolved, "rb") as handle:
            data = handle.read()
        if virtual not in self.inputs:
            self.inputs[virtual] = canonical.sha256_tag(data)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # go-jsonnet would read it with U+FFFD in place of the bad bytes, silently.
            raise _Refused(
                f"file is not UTF-8 text: {exc.reason} at byte {exc.start}", file=virtual
            ) from None
        return data

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
            located = self._real(virtual)
            if located is None:
                escaped = escaped or virtual
                continue
            if os.path.isfile(located[0]):
                return virtual, self.read(virtual)
            if virtual not in self.absent:
                self.absent.append(virtual)
        if escaped:
            raise _Refused(f"import escapes the repository: {rel}")
        raise _Refused(f"import not found: {rel}")

    def callback(self, directory: str, rel: str) -> tuple[str, bytes] | None:
        """The engine's import callback: None (after recording why) refuses the import.

        The reason is kept here, not in the engine's error: go-jsonnet's binding passes a
        refusal's message to Go without its terminating NUL, so that message can end in
        whatever bytes follow it in memory.
        """
        try:
            return self.resolve(directory, rel)
        except _Refused as exc:
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
            located = self._real(virtual)
            if located is None:
                continue
            try:
                with open(located[0], encoding="utf-8") as handle:
                    for number, line in enumerate(handle, start=1):
                        found = pattern.search(line)
                        if found:
                            return virtual, number, found.start() + 1
            except (OSError, UnicodeDecodeError):
                continue
        return "", None, None


class _Refused(Exception):
    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(message)
        self.file = file  # the file at fault, when it is not the one importing it


class EvaluationFailed(ConfigError):
    """A failed evaluation, with what it had read: the cache keys failures on those too."""

    def __init__(self, importer: _Importer, problems: list[Diagnostic]) -> None:
        super().__init__(problems)
        self.inputs = dict(importer.inputs)
        self.absent = list(importer.absent)


def real_path(settings: Settings, virtual: str) -> Path | None:
    """The file behind a path an evaluation recorded, or None where evaluation could not read
    one: outside the repository, or reached through a symlink that leaves it."""
    located = _Importer(settings)._real(virtual)
    if located is None:
        return None
    real, base = located
    resolved = os.path.realpath(real)
    if resolved != base and not resolved.startswith(base + os.sep):
        return None
    return Path(resolved)


def _join(directory: str, rel: str) -> str:
    joined = os.path.normpath(os.path.join(directory, rel)) if directory else os.path.normpath(rel)
    return joined.replace(os.sep, "/")


# --- engines ---------------------------------------------------------------------------

EngineCall = Callable[[str, _Importer, dict[str, str], int], str]


def _go(entry: str, importer: _Importer, ext_vars: dict[str, str], max_stack: int) -> str:
    import _gojsonnet

    # evaluate_snippet with bytes we read ourselves: the entry file is confined and recorded
    # like every import, and what we hash is exactly what the engine saw.
    source = importer.read(entry).decode("utf-8")
    return str(
        _gojsonnet.evaluate_snippet(
            entry,
            source,
            ext_vars=ext_vars,
            max_stack=max_stack,
            import_callback=importer.callback,
        )
    )


def _rust(entry: str, importer: _Importer, ext_vars: dict[str, str], max_stack: int) -> str:
    import rjsonnet

    def callback(directory: str, rel: str) -> tuple[str, str]:
        # rjsonnet asks for the entry file through the callback too, and wants text.
        if directory == "." and rel == entry:
            return entry, importer.read(entry).decode("utf-8")
        found = importer.callback(directory, rel)
        if found is None:
            raise RuntimeError("import refused")  # importer.problem says why
        return found[0], found[1].decode("utf-8")

    return str(
        rjsonnet.evaluate_file(
            entry,
            ext_vars=ext_vars,
            max_stack=max_stack,
            import_callback=callback,
        )
    )


ENGINES: dict[str, EngineCall] = {"go": _go, "rust": _rust}


def _missing_engine(engine: str) -> str:
    package = "gojsonnet" if engine == "go" else "rjsonnet"
    extra = "compiler" if engine == "go" else "rust"
    return (
        f"the {engine!r} Jsonnet engine is not installed "
        f"(pip install 'amber-config[{extra}]' provides {package})"
    )


# --- engine errors -----------------------------------------------------------------------

# file:line:col[-col2]  or  file:(line:col)-(line:col)
_LOCATION = (
    r"(?P<file>[^\s:][^:\t\n]*?):"
    r"(?:(?P<line>\d+):(?P<col>\d+)(?:-\d+)?|\((?P<pline>\d+):(?P<pcol>\d+)\)-\(\d+:\d+\))"
)
_STATIC = re.compile(rf"^{_LOCATION}\s+(?P<message>.*)$")
_FRAME = re.compile(rf"^(?:\t|\s{{4}}){_LOCATION}")
_PREFIXES = ("RUNTIME ERROR: ", "runtime error: ", "syntax error: ", "assert failed: ")


def parse_engine_error(text: str, entry: str, env: str, known: set[str]) -> Diagnostic:
    """A diagnostic from an engine's error text, at the first frame in a repository file."""
    lines = text.rstrip().splitlines() or [""]
    static = _STATIC.match(lines[0])
    if static:  # go-jsonnet's static errors put the location first
        return _located(static, static.group("message"), env, "jsonnet")
    message_lines: list[str] = []
    frame = None  # the innermost frame in the repository; Amber's own library is skipped
    fallback = None
    for line in lines:
        matched = _FRAME.match(line)
        if matched:
            file = matched.group("file")
            if frame is None and file in known and not file.startswith(BUNDLED_PREFIX):
                frame = matched
            elif fallback is None and file in known:
                fallback = matched
        elif frame is None and fallback is None and not line.startswith(("\t", "    ")):
            message_lines.append(line)
    frame = frame or fallback
    message = "\n".join(message_lines).strip()
    for prefix in _PREFIXES:
        if message.startswith(prefix):
            message = message[len(prefix) :]
            break
    nested = _STATIC.match(message)
    if nested and nested.group("file") in known:
        # A static error in an imported file: go-jsonnet reports it as a runtime error of
        # the import, at the importing line; the fault is in the imported file.
        return _located(nested, nested.group("message"), env, "jsonnet")
    if "max stack frames exceeded" in message or message.startswith("stack overflow"):
        message = "max stack frames exceeded: runaway recursion? (limit: max_stack setting)"
    message = message or "evaluation failed"
    if frame is None:
        return Diagnostic(message, file=entry, env=env, code="jsonnet")
    return _located(frame, message, env, "jsonnet")


def _located(match: re.Match[str], message: str, env: str, code: str) -> Diagnostic:
    line = match.group("line") or match.group("pline")
    col = match.group("col") or match.group("pcol")
    return Diagnostic(
        message.strip(), file=match.group("file"), line=int(line), col=int(col), env=env, code=code
    )


# --- evaluation --------------------------------------------------------------------------


class TimedOut(Exception):
    pass


def _within(seconds: float | None, call: Callable[[], str]) -> str:
    """``call()``, given up after ``seconds``.

    The engine runs on a thread of its own because go-jsonnet gives up the GIL while it
    evaluates but never returns to Python until it is done: on the main thread, a runaway
    program could not even be stopped with Ctrl-C.  Here the main thread waits in
    ``join``, which a signal interrupts.  A runaway evaluation cannot be cancelled, only
    abandoned: the daemon thread ends with the process (builds evaluate in child processes).
    rjsonnet keeps the GIL while it evaluates, so with it the timeout cannot act.
    """
    outcome: list[str] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # noqa: BLE001 - re-raised on the calling thread
            failure.append(exc)

    worker = threading.Thread(target=target, name="amber-jsonnet", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimedOut
    if failure:
        raise failure[0]
    return outcome[0]


def evaluate(settings: Settings, env: str, entry: str) -> Evaluation:
    """Evaluate ``entry`` (repo-relative) for environment ``env``; raise ``ConfigError``."""
    importer = _Importer(settings)
    ext_vars = {**settings.ext_vars, "env": env}
    try:
        run = ENGINES[settings.engine]
    except KeyError:
        raise UsageError(f"unknown engine {settings.engine!r}") from None
    try:
        output = _within(
            settings.timeout or None, lambda: run(entry, importer, ext_vars, settings.max_stack)
        )
    except TimedOut:
        message = (
            f"evaluation took longer than {settings.timeout} s (timeout setting): "
            "runaway computation?"
        )
        raise EvaluationFailed(
            importer, [Diagnostic(message, file=entry, env=env, code="timeout")]
        ) from None
    except ImportError:
        raise UsageError(_missing_engine(settings.engine)) from None
    except _Refused as exc:
        code = "jsonnet" if exc.file else "import"
        raise EvaluationFailed(
            importer, [Diagnostic(str(exc), file=entry, env=env, code=code)]
        ) from None
    except UnicodeDecodeError:
        # The engine's error text was not UTF-8: the tail of a refused import's message (see
        # _Importer.callback).  What was refused, and where, the importer knows.
        if importer.problem is None:
            message = "evaluation failed (the engine's message was unreadable)"
            problem = Diagnostic(message, file=entry, env=env, code="jsonnet")
        elif importer.problem.file:
            problem = importer.problem._replace(env=env, code="jsonnet")
        else:
            file, line, col = importer.import_site()
            problem = importer.problem._replace(file=file or entry, line=line, col=col, env=env)
        raise EvaluationFailed(importer, [problem]) from None
    except RuntimeError as exc:
        diagnostic = parse_engine_error(str(exc), entry, env, set(importer.inputs))
        if importer.problem is not None and importer.problem.file:  # the imported file's fault
            diagnostic = importer.problem._replace(env=env, code="jsonnet")
        elif importer.problem is not None:  # our own import refusal, at the engine's location
            diagnostic = Diagnostic(
                importer.problem.message,
                file=diagnostic.file,
                line=diagnostic.line,
                col=diagnostic.col,
                env=env,
                code="import",
            )
        raise EvaluationFailed(importer, [diagnostic]) from None
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror}", file=entry, env=env) from None
    if len(output) > settings.max_output_bytes:
        message = (
            f"output is {len(output)} bytes, over the limit of {settings.max_output_bytes} "
            "(max_output_bytes setting)"
        )
        raise EvaluationFailed(importer, [Diagnostic(message, file=entry, env=env, code="jsonnet")])
    deep: tuple[str | int, ...] | None
    try:
        value = canonical.loads(output)
    except RecursionError:
        value, deep = None, ("...",)
    except ValueError as exc:  # not seen from go-jsonnet or rjsonnet; kept for another engine
        message = f"the engine's output is not JSON ({exc})"
        raise EvaluationFailed(
            importer, [Diagnostic(message, file=entry, env=env, code="jsonnet")]
        ) from None
    else:
        deep = too_deep(value, MAX_DEPTH)
    if deep is not None:
        message = (
            f"the config nests more than {MAX_DEPTH} levels deep "
            "(runaway recursion in the Jsonnet?)"
        )
        where = format_path(deep) if deep != ("...",) else ""
        raise EvaluationFailed(
            importer, [Diagnostic(message, file=entry, env=env, path=where, code="jsonnet")]
        )
    if not isinstance(value, dict):
        kind = type(value).__name__ if value is not None else "null"
        message = f"an environment must evaluate to an object, not {_json_kind(kind)}"
        raise EvaluationFailed(importer, [Diagnostic(message, file=entry, env=env, code="jsonnet")])
    return Evaluation(value=value, inputs=importer.inputs, absent=importer.absent)


# Deeper than any real config, shallow enough for every recursive walk (schema validation,
# secret scanning, canonical dumps) to stay far from Python's recursion limit.
MAX_DEPTH = 100


def too_deep(value: Any, limit: int) -> tuple[str | int, ...] | None:
    """The path of the first value nested more than ``limit`` levels deep, if any."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(node, dict):
            stack.extend((item, (*path, key)) for key, item in node.items())
        elif isinstance(node, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(node))
    return None


def _json_kind(python_kind: str) -> str:
    return {"list": "an array", "str": "a string", "int": "a number", "float": "a number"}.get(
        python_kind, "a " + python_kind.replace("bool", "boolean")
    )


def inputs_digest(parts: dict[str, Any]) -> str:
    """A digest of a JSON-able description of inputs."""
    return "sha256:" + hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
