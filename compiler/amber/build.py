"""Compile environments: evaluate, validate, migrate, and write artifacts.

Compiling an environment (the expensive part: Jsonnet, JSON Schema, rules, migrations) gives a
``Compiled`` record that holds no build-time facts, so it can be cached and computed in worker
processes; assembling the artifacts from it (the envelope, with the git commit and the clock) is
cheap and done every time.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache as cache_result
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from amber import (
    artifact,
    cache,
    canonical,
    evaluate,
    git,
    isolate,
    migrate,
    rules,
    schemas,
    validate,
    versions,
)
from amber.errors import ConfigError, Diagnostic, UsageError
from amber.paths import format_path
from amber.settings import DEFAULT_RULES, Settings

_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# Below this many environments to compile, worker processes cost more than they save.
PARALLEL_THRESHOLD = 4

Progress = Callable[[int, int, str], None]


def amber_version() -> str:
    try:
        return version("amber-config")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def discover(settings: Settings, *, strict: bool = True) -> dict[str, str]:
    """Environment name -> repo-relative entry file, sorted by name.

    Hidden files are not environments (an editor's lock file, ``.#prod.jsonnet``, must not
    break the hook).  A file whose name cannot be an environment is an error when ``strict``
    (building everything), and left out otherwise.
    """
    directory = settings.path(settings.environments)
    if not directory.is_dir():
        raise UsageError(f"no environments directory {settings.environments}/")
    found: dict[str, str] = {}
    for path in sorted(directory.glob("*.jsonnet")):
        name = path.stem
        if name.startswith("."):
            continue
        if not _ENV_NAME.fullmatch(name):
            if not strict:
                continue
            raise UsageError(
                f"environment name {name!r} must start with a letter or digit and hold only "
                "letters, digits, '_', '.' and '-'",
                file=settings.rel(path),
            )
        found[name] = settings.rel(path)
    if not found:
        raise UsageError(f"no environments: add {settings.environments}/<name>.jsonnet")
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


def resolve_targets(settings: Settings, wanted: list[str]) -> list[versions.Version]:
    """Requested versions ("1.1" or "1.1.0") as schema versions, each once, oldest first."""
    known = schemas.schema_files(settings)
    found = []
    for text in wanted:
        try:
            parsed = versions.parse(text)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if parsed not in known:
            listed = ", ".join(versions.text(v) for v in sorted(known))
            raise UsageError(f"no schema version {text} (known: {listed})")
        found.append(parsed)
    return sorted(set(found))


@cache_result
def _version_of(package: str) -> str:
    try:
        return f"{package} {version(package)}"
    except PackageNotFoundError:
        return f"{package} (not installed)"


def _engine_version(engine: str) -> str:
    return _version_of("gojsonnet" if engine == "go" else "rjsonnet")


@dataclass
class Facts:
    """What a build needs to know without compiling anything: cheap to gather."""

    settings: Settings
    compiler: str
    current: versions.Version
    targets: list[versions.Version]
    schema_files: dict[versions.Version, tuple[str, str]]  # version -> (file, digest)
    rules_digest: str | None
    migrations_digest: str | None
    source: dict[str, Any] | None = None
    _shared_digest: str | None = field(default=None, repr=False)

    @classmethod
    def gather(cls, settings: Settings, targets: list[str] | tuple[str, ...] = ()) -> Facts:
        files = schemas.schema_files(settings)
        current = max(files)
        wanted = resolve_targets(settings, [*settings.publish_versions, *targets])
        wanted = [v for v in wanted if v != current]
        involved = [current, *wanted]
        rules_path = settings.path(settings.rules)
        if rules_path.exists() and not rules_path.is_file():
            raise UsageError(
                f"the rules setting names {settings.rules}, which is not a file",
                file=settings.source,
            )
        if not rules_path.exists() and settings.rules != DEFAULT_RULES:
            # Without this, a typo in the setting would switch every rule off in silence.
            raise UsageError(
                f"rules file {settings.rules} not found (the rules setting)", file=settings.source
            )
        artifact.built_at()  # a malformed SOURCE_DATE_EPOCH fails before anything is compiled
        migrations_digest = None
        if wanted:
            directory = settings.path(settings.migrations)
            listing = (
                {
                    settings.rel(p): canonical.sha256_tag(p.read_bytes())
                    for p in sorted(directory.glob("*.py"))
                }
                if directory.is_dir()
                else {}
            )
            migrations_digest = canonical.sha256_tag(canonical.dump_bytes(listing))
        return cls(
            settings=settings,
            compiler=f"amber-config {amber_version()}",
            current=current,
            targets=wanted,
            schema_files={
                v: (settings.rel(files[v]), canonical.sha256_tag(files[v].read_bytes()))
                for v in involved
            },
            rules_digest=rules.digest(rules_path),
            migrations_digest=migrations_digest,
            source=git.source(settings.root, (settings.path(settings.out),)),
        )

    def cache_key(self, env: str, entry: str) -> str:
        """Everything an environment's compilation depends on, apart from the files it reads."""
        settings = self.settings
        return cache.key(
            {
                "amber": [self.compiler, cache.code_digest()],
                "engine": [settings.engine, _engine_version(settings.engine)],
                "validator": [_version_of("jsonschema"), _version_of("referencing")],
                "settings": settings.output_key(),
                "environment": [env, entry],
                "schemas": {versions.text(v): d for v, (_, d) in self.schema_files.items()},
                "current": versions.text(self.current),
                "targets": [versions.text(v) for v in self.targets],
                "rules": self.rules_digest,
                "migrations": self.migrations_digest,
            }
        )

    def schema_record(self, at: versions.Version) -> dict[str, str]:
        file, digest = self.schema_files[at]
        return {"file": file, "sha256": digest}


@dataclass
class Compiled:
    """What compiling one environment found.  No build-time facts: it can be cached.

    Configs are kept in canonical form, keyed by schema version ("" for the current one),
    with the byte range of each top-level section and the paths of secret references.
    """

    env: str
    entry: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    spans: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    secrets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    @property
    def cacheable(self) -> bool:
        # A timeout or a crash may say more about this machine (speed, memory) than the inputs.
        return not any(d.code in ("timeout", "crash") for d in self.diagnostics)

    @property
    def config(self) -> dict[str, Any] | None:
        """The evaluated config of the current version (even if invalid), or None."""
        text = self.texts.get("")
        return None if text is None else dict(json.loads(text))

    def keep(self, version_key: str, config: dict[str, Any]) -> None:
        data, spans = canonical.dump_config(config)
        self.texts[version_key] = data.decode("utf-8")
        self.spans[version_key] = spans
        self.secrets[version_key] = artifact.secret_paths(config)

    def to_json(self) -> dict[str, Any]:
        return {
            "env": self.env,
            "entry": self.entry,
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "inputs": self.inputs,
            "absent": self.absent,
            "texts": self.texts,
            "spans": self.spans,
            "secrets": self.secrets,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Compiled:
        return cls(
            env=data["env"],
            entry=data["entry"],
            diagnostics=[
                Diagnostic(
                    d["message"],
                    file=d["file"],
                    line=d["line"],
                    col=d["col"],
                    severity=d["severity"],
                    env=d["environment"],
                    path=d["path"],
                    code=d["code"],
                )
                for d in data["diagnostics"]
            ],
            inputs=data["inputs"],
            absent=data["absent"],
            texts=data["texts"],
            spans=data["spans"],
            secrets=data["secrets"],
        )


@dataclass
class Result:
    env: str
    entry: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # File name -> artifact bytes; empty when the environment has errors.
    outputs: dict[str, bytes] = field(default_factory=dict)
    compiled: Compiled | None = None
    cached: bool = False

    @property
    def config(self) -> dict[str, Any] | None:
        """The evaluated config (even if invalid), or None if evaluation failed."""
        return self.compiled.config if self.compiled is not None else None

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


@dataclass
class Context:
    """The validators, rules and migrations: loaded once per process that compiles."""

    facts: Facts
    rules: list[rules.Rule]
    migrations: list[migrate.Migration]
    # The modules the rules file imported from beside it: inputs of every environment.
    rule_inputs: dict[str, str] = field(default_factory=dict)
    _schemas: dict[versions.Version, schemas.Schema] = field(default_factory=dict)

    @classmethod
    def load(cls, facts: Facts) -> Context:
        settings = facts.settings
        rules_path = settings.path(settings.rules)
        helpers: list[Path] = []
        found = rules.load(rules_path, settings.rel(rules_path), helpers)
        migrations: list[migrate.Migration] = []
        if facts.targets:
            migrations, problems = migrate.load(settings)
            if problems:
                raise ConfigError(problems)
        rule_inputs = {settings.rel(p): canonical.sha256_tag(p.read_bytes()) for p in helpers}
        context = cls(facts=facts, rules=found, migrations=migrations, rule_inputs=rule_inputs)
        schema = context.schema_at(facts.current)  # a broken schema fails the build up front
        rules_now = rules.digest(rules_path)
        if schema.digest != facts.schema_files[facts.current][1] or rules_now != facts.rules_digest:
            # The cache key and provenance were made from other bytes than this build uses.
            raise UsageError("the schema or rules changed while building; run the build again")
        return context

    @property
    def settings(self) -> Settings:
        return self.facts.settings

    @property
    def schema(self) -> schemas.Schema:
        return self.schema_at(self.facts.current)

    def schema_at(self, at: versions.Version) -> schemas.Schema:
        if at not in self._schemas:
            self._schemas[at] = schemas.load(self.settings, at)
        return self._schemas[at]


def problems_at(
    context: Context, env: str, config: dict[str, Any], schema: schemas.Schema
) -> list[validate.Problem]:
    """Everything wrong with ``config`` as a config of ``schema``'s version."""
    settings = context.settings
    problems = validate.schema_problems(config, schema)
    schema_valid = not problems
    problems += validate.secret_problems(config)
    problems += validate.flag_problems(config, problems)
    fresh = json.loads(canonical.dump_bytes(config))  # rules may not touch the real config
    rule_problems = validate.rule_problems(
        context.rules, fresh, env, schema, settings.path(settings.rules)
    )
    # Rules assume the shape the schema promises: a rule that crashes on a config that fails
    # its schema says nothing new.  On a schema-valid config a crash is a bug in the rule.
    problems += [p for p in rule_problems if schema_valid or p.diagnostic is None]
    return validate.redact(problems, config)


def _migration_errors(
    context: Context, env: str, config: dict[str, Any], step: migrate.Step
) -> list[Diagnostic]:
    errors = [
        p
        for p in problems_at(context, env, config, context.schema_at(step.target))
        if p.severity == "error"
    ]
    return [
        Diagnostic(
            f"after migration {step.describe()}: {p.message}",
            file=step.migration.file,
            env=env,
            path=format_path(p.path),
            code=p.code,
        )
        for p in errors
    ]


def migrate_to(
    context: Context,
    env: str,
    config: dict[str, Any],
    source: versions.Version,
    target: versions.Version,
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """``config`` migrated to ``target``, validated after every step; or what went wrong."""
    current = config
    for step in migrate.plan(context.migrations, source, target):
        try:
            current = migrate.apply(step, current)
        except ConfigError as exc:
            return None, [d._replace(env=env) for d in exc.problems]
        errors = _migration_errors(context, env, current, step)
        if errors:
            return None, errors
    return current, []


def compile_env(context: Context, env: str, entry: str) -> Compiled:
    """Evaluate, validate and migrate one environment."""
    compiled = Compiled(env=env, entry=entry)
    try:
        evaluation = evaluate.evaluate(context.settings, env, entry)
    except evaluate.EvaluationFailed as exc:
        compiled.diagnostics = exc.problems
        compiled.inputs, compiled.absent = exc.inputs, exc.absent
        return compiled
    compiled.inputs = {**evaluation.inputs, **context.rule_inputs}
    compiled.absent = evaluation.absent
    try:
        config_bytes = canonical.dump_bytes(evaluation.value)
    except ValueError as exc:  # a lone surrogate: the failure depends on the files read too
        compiled.diagnostics = [Diagnostic(str(exc), file=entry, env=env, code="json")]
        return compiled
    config = json.loads(config_bytes)
    compiled.keep("", config)
    problems = problems_at(context, env, config, context.schema)
    compiled.diagnostics = validate.place(
        problems, env, entry, list(evaluation.inputs), context.settings.root
    )
    if not compiled.ok:
        return compiled
    for target in context.facts.targets:
        migrated, errors = migrate_to(context, env, config, context.facts.current, target)
        compiled.diagnostics += errors
        if migrated is not None:
            compiled.keep(versions.text(target), migrated)
    return compiled


def provenance(
    facts: Facts, compiled: Compiled, at: versions.Version, has_flags: bool
) -> dict[str, Any]:
    settings = facts.settings
    schema = facts.schema_record(at)
    digest_parts = {
        "compiler": facts.compiler,
        "environment": compiled.env,
        "inputs": compiled.inputs,
        "rules": facts.rules_digest,
        "schema": schema["sha256"],
        "settings": {k: v for k, v in settings.output_key().items() if k != "engine"},
    }
    record: dict[str, Any] = {
        "compiler": facts.compiler,
        "inputs": dict(sorted(compiled.inputs.items())),
        "inputs_digest": evaluate.inputs_digest(digest_parts),
        "schema": schema,
    }
    if facts.rules_digest is not None:
        record["rules"] = {"file": settings.rules, "sha256": facts.rules_digest}
    if facts.source is not None:
        record["git"] = facts.source
    if has_flags:
        # Which bucketing `fractional` uses decides who gets a rollout: recorded, so the
        # runtime evaluates what the repo chose and a switch shows up in review.
        record["flags"] = {"fractional": settings.fractional}
    moment = artifact.built_at()
    if moment is not None:
        record["built_at"] = moment
    return record


def assemble(facts: Facts, compiled: Compiled) -> Result:
    """The artifacts of a compiled environment: all of them, or none if anything failed."""
    result = Result(
        env=compiled.env,
        entry=compiled.entry,
        diagnostics=list(compiled.diagnostics),
        compiled=compiled,
    )
    if not compiled.ok or "" not in compiled.texts:
        return result
    current_hash = ""
    for key in compiled.texts:  # the current version first
        at = facts.current if key == "" else versions.parse(key)
        spans = compiled.spans[key]
        record = provenance(facts, compiled, at, "flags" in spans)
        if key:
            record["migrated_from"] = {
                "content_hash": current_hash,
                "schema_version": versions.text(facts.current),
            }
        config_bytes = compiled.texts[key].encode("utf-8")
        data = artifact.assemble(
            config_bytes, spans, compiled.env, versions.text(at), record, compiled.secrets[key]
        )
        if not key:
            current_hash = canonical.sha256_tag(config_bytes)
        result.outputs[artifact.file_name(compiled.env, key or None)] = data
    return result


# --- compiling many ----------------------------------------------------------------------

_worker_context: Context | None = None
_worker_stderr: IO[bytes] | None = None


def _start_worker(facts: Facts) -> None:
    global _worker_context
    # Ctrl-C is the parent's to handle: it stops the workers (without a traceback from each).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What a worker writes to stderr is sent back with each result: what rules say is passed on
    # (once), and what an engine prints as it crashes stays here, since the parent compiles
    # that environment again, alone, to say what happened.
    global _worker_stderr
    _worker_stderr = tempfile.TemporaryFile()  # noqa: SIM115 - open for the worker's life
    os.dup2(_worker_stderr.fileno(), 2)
    _worker_context = Context.load(facts)
    _said_in_worker()  # loading the rules here says what it said in the parent: once is enough


def _said_in_worker() -> str:
    assert _worker_stderr is not None
    sys.stderr.flush()
    _worker_stderr.seek(0)
    said = _worker_stderr.read()
    _worker_stderr.seek(0)
    _worker_stderr.truncate()
    return said.decode("utf-8", "replace")


def compile_isolated(context: Context, env: str, entry: str) -> Compiled:
    """`compile_env` in a child process: an engine that crashes fails this environment only."""
    try:
        return isolate.run(partial(compile_env, context, env, entry))
    except isolate.Crashed as exc:
        hint = ""
        if "stack" in exc.reason:
            hint = " (recursion through tailstrict calls, which max_stack does not count?)"
        elif "memory" in exc.reason:
            hint = " (a value too big for memory?)"
        message = f"the Jsonnet engine crashed: {exc.reason}{hint}"
        problem = Diagnostic(message, file=entry, env=env, code="crash")
        return Compiled(env=env, entry=entry, diagnostics=[problem])


def _compile_in_worker(job: tuple[str, str]) -> tuple[Compiled, str]:
    assert _worker_context is not None
    compiled = compile_env(_worker_context, *job)
    return compiled, _said_in_worker()


def _process_pool(jobs: int, facts: Facts) -> ProcessPoolExecutor:
    import multiprocessing

    # Workers start from a clean interpreter: forking a process that has started the Go
    # runtime (go-jsonnet) is not safe.
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(facts,),
    )


def compile_all(
    facts: Facts,
    work: list[tuple[str, str]],
    jobs: int,
    progress: Progress | None = None,
) -> list[Compiled]:
    """Compile environments, in worker processes when there are enough of them."""
    done: list[Compiled] = []
    context = Context.load(facts)  # here first: a broken schema or rules file fails fast
    if jobs > 1 and len(work) >= PARALLEL_THRESHOLD:
        _compile_in_pool(facts, work, jobs, done, progress)
    # Serial builds, and what a pool left when a worker died (an engine crash): one by one,
    # each in a child process, so a crash is reported against the environment that caused it.
    for job in work[len(done) :]:
        done.append(compile_isolated(context, *job))
        if progress is not None:
            progress(len(done), len(work), job[0])
    return done


def _compile_in_pool(
    facts: Facts,
    work: list[tuple[str, str]],
    jobs: int,
    done: list[Compiled],
    progress: Progress | None,
) -> None:
    """Compile ``work`` in order into ``done``; stop early if a worker dies."""
    pool = _process_pool(min(jobs, len(work)), facts)
    try:
        chunk = max(1, len(work) // (jobs * 8))
        for compiled, said in pool.map(_compile_in_worker, work, chunksize=chunk):
            if said:
                isolate.echo(said)
            done.append(compiled)
            if progress is not None:
                progress(len(done), len(work), compiled.env)
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    except BaseException:
        # Ctrl-C or a failure: stop now rather than compile everything queued first.  A worker
        # may be stuck in a runaway evaluation, which only ends with its process.
        for process in list(pool._processes.values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def run(
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
    files = cache.Files(lambda virtual: evaluate.real_path(settings, virtual))
    compiled: dict[str, Compiled] = {}
    keys: dict[str, str] = {}
    for env, entry in selected.items():
        if not use_cache:
            continue
        keys[env] = facts.cache_key(env, entry)
        payload = cache.load(keys[env], files)
        if payload is not None:
            compiled[env] = Compiled.from_json(payload)
    cached = set(compiled)
    work = [(env, entry) for env, entry in selected.items() if env not in compiled]
    if work:
        jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        for fresh in compile_all(facts, work, jobs, progress):
            compiled[fresh.env] = fresh
            if use_cache and fresh.cacheable:
                cache.store(keys[fresh.env], fresh.inputs, fresh.absent, fresh.to_json())
    results = []
    written: list[str] = []
    for env in selected:
        result = assemble(facts, compiled[env])
        result.cached = env in cached
        results.append(result)
        if out is not None:
            for name, data in result.outputs.items():
                try:
                    artifact.write(out / name, data)
                except UsageError as exc:
                    done = f" (written before it: {', '.join(written)})" if written else ""
                    raise UsageError(exc.message + done, file=settings.rel(out / name)) from None
                written.append(name)
    return results


# --- repository checks and published artifacts -----------------------------------------


def check_repository(settings: Settings) -> list[Diagnostic]:
    """What `amber check` adds to a build: the migration chain and the version numbering."""
    migrations, problems = migrate.load(settings)
    found = sorted(schemas.schema_files(settings))
    problems += migrate.check_chain(migrations, found, settings.migrations, settings.schemas)
    problems += migrate.check_versions(settings)
    return problems


def migrate_artifact(settings: Settings, source: dict[str, Any], target_text: str) -> bytes:
    """A published artifact's config migrated to another version, as a new artifact."""
    (target,) = resolve_targets(settings, [target_text])
    facts = Facts.gather(settings)
    context = Context.load(facts)
    context.migrations, problems = migrate.load(settings)
    if problems:
        raise ConfigError(problems)
    env = source["environment"]
    config, errors = migrate_to(
        context, env, source["config"], versions.parse(source["schema_version"]), target
    )
    if config is None:
        raise ConfigError(errors)
    at = context.schema_at(target)
    kept = ("git", "inputs", "inputs_digest", "rules")
    record = {k: v for k, v in source["provenance"].items() if k in kept}
    record.update(
        {
            "compiler": facts.compiler,
            "schema": {"file": at.file, "sha256": at.digest},
            "migrated_from": {
                "content_hash": source["content_hash"],
                "schema_version": source["schema_version"],
            },
        }
    )
    if "flags" in config:
        record["flags"] = source["provenance"].get("flags", {"fractional": settings.fractional})
    moment = artifact.built_at()
    if moment is not None:
        record["built_at"] = moment
    return artifact.to_bytes(artifact.envelope(config, env, at.version_text, record))


def read_artifact(path: Path) -> dict[str, Any]:
    """A verified artifact as plain data (for show, diff and migrate)."""
    from amber.runtime import read_bytes

    if not path.exists():  # the user named a file that is not there: a usage error, exit 2
        raise UsageError("no such file", file=str(path))
    data = read_bytes(path)
    artifact.verified(data, str(path))
    parsed: dict[str, Any] = json.loads(data)
    return parsed
