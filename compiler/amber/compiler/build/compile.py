"""Compile one environment: evaluate, validate and migrate; every problem found, not the first."""

from __future__ import annotations

import json
from typing import Any

from amber import canonical, versions
from amber.compiler.build.compiled import Compiled
from amber.compiler.build.context import Context
from amber.compiler.checks import credentials, schemas, validate
from amber.compiler.jsonnet import evaluate
from amber.compiler.versioning import migrations as migrate
from amber.errors import ConfigError, Diagnostic
from amber.jsonpath import format_path


def problems_at(
    context: Context, env: str, config: dict[str, Any], schema: schemas.Schema
) -> list[validate.Problem]:
    """Everything wrong with ``config`` as a config of ``schema``'s version."""
    settings = context.settings
    problems = validate.schema_problems(config, schema)
    schema_valid = not problems
    found, secrets = validate.secret_problems(config, settings.allow_credentials)
    problems += found
    problems += validate.flag_problems(config, problems)
    fresh = json.loads(canonical.dump_bytes(config))  # rules may not touch the real config
    rule_problems = validate.rule_problems(
        context.rules, fresh, env, schema, settings.path(settings.rules)
    )
    # Rules assume the shape the schema promises: a rule that crashes on a config that fails
    # its schema says nothing new.  On a schema-valid config a crash is a bug in the rule.
    problems += [p for p in rule_problems if schema_valid or p.diagnostic is None]
    return validate.redact(problems, secrets, settings.allow_credentials)


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
    """Evaluate, validate and migrate one environment.

    Every diagnostic leaves here with the credentials the detector finds cut out: an engine's
    error quotes the expression that failed, a rule's message what it read.
    """
    compiled = _compile(context, env, entry)
    allow = context.settings.allow_credentials
    compiled.diagnostics = [
        d._replace(message=credentials.redact(d.message, allow)) for d in compiled.diagnostics
    ]
    return compiled


def _compile(context: Context, env: str, entry: str) -> Compiled:
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
    limit = context.settings.max_output_bytes
    if len(config_bytes) > limit:  # what an artifact would hold, not the engine's indented text
        size = len(config_bytes)
        message = f"config is {size} bytes, over the limit of {limit} (max_output_bytes setting)"
        compiled.diagnostics = [Diagnostic(message, file=entry, env=env, code="jsonnet")]
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
