"""The validators, rules and migrations a build uses: loaded once per process that compiles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from amber import canonical, versions
from amber.compiler.build.facts import Facts
from amber.compiler.checks import rules, schemas
from amber.compiler.checks.credentials import rules as credential_rules
from amber.compiler.settings import Settings
from amber.compiler.versioning import migrations as migrate
from amber.errors import ConfigError, UsageError
from amber.rules import Rule


@dataclass
class Context:
    """The validators, rules and migrations: loaded once per process that compiles."""

    facts: Facts
    rules: list[Rule]
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
        credential_rules.load()  # once, here: every child that compiles inherits the rules
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
