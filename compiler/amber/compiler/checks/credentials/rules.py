"""Credential rules as data, in gitleaks' format, run the way gitleaks runs them, in linear time.

A rule is a regular expression (RE2: no backtracking, so no input makes a rule slow), the
group that holds the secret, an entropy floor the secret must exceed, keywords (a rule runs
only on text holding one of them, found for all rules at once by one RE2 set), and allowlists
of regexes and stopwords.  Rules that match file paths are gitleaks' business, not a config's.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import re2

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

HERE = Path(__file__).parent
# Both rule sets: Amber's first, so its names win where both match the same text.
RULE_FILES = ("amber-rules.toml", "gitleaks.toml")
# gitleaks ends most tokens with a quote, a space, ';' or an escaped newline; in a config a
# credential is as often glued to other text ('id-' + key + '-x', a URL's &), so any
# character that cannot be part of the token ends it.
_GITLEAKS_END = "(?:[\\x60'\"\\s;]|\\\\[nr]|$)"
_ANY_END = "(?:[^0-9A-Za-z]|$)"


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    return options


def shannon(text: str) -> float:
    """Bits per character."""
    if not text:
        return 0.0
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in Counter(text).values())


@dataclass(frozen=True)
class Allowlist:
    regexes: tuple[Any, ...] = ()
    stopwords: tuple[str, ...] = ()
    target: str = "secret"  # or "match", or "line"

    def allows(self, secret: str, match: str, line: str) -> bool:
        text = {"match": match, "line": line}.get(self.target, secret)
        if any(pattern.search(text) for pattern in self.regexes):
            return True
        lowered = secret.lower()
        return any(word in lowered for word in self.stopwords)


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    regex: str
    secret_group: int = 0
    entropy: float = 0.0
    keywords: tuple[str, ...] = ()
    allowlists: tuple[Allowlist, ...] = field(default_factory=tuple)
    gitleaks: bool = False  # gitleaks' global allowlist (its stopwords) applies to its rules

    @property
    def pattern(self) -> Any:
        """Compiled on first use: most rules never meet their keywords in a config."""
        return _compiled(self.regex)


@cache
def _compiled(regex: str) -> Any:
    return re2.compile(regex, _options())


@dataclass(frozen=True)
class Hit:
    """A rule's match: the secret's span in the text."""

    rule: Rule
    start: int
    end: int
    secret: str


def _allowlist(data: dict[str, Any]) -> Allowlist | None:
    if data.get("condition") == "AND" and data.get("paths"):
        return None  # needs a path to hold, and a config value has none
    return Allowlist(
        regexes=tuple(re2.compile(r, _options()) for r in data.get("regexes", [])),
        stopwords=tuple(word.lower() for word in data.get("stopwords", [])),
        target=data.get("regexTarget", "secret"),
    )


# gitleaks' catch-all: any value of 10+ word characters in a field named with "key",
# "token", "password"...  In a config that is "password_policy": "at-least-12-characters",
# "token_ttl": "thirty-minutes"; Amber's random-string check does this job with the field's
# name and the value's look together (``entropy``).
LEFT_OUT = frozenset({"generic-api-key"})


def _rule(data: dict[str, Any], source: str) -> Rule | None:
    if "regex" not in data or "path" in data or data.get("id") in LEFT_OUT:
        return None  # rules about file names, and the catch-all
    regex = str(data["regex"])
    if source == "gitleaks.toml":
        regex = regex.replace(_GITLEAKS_END, _ANY_END)
    lists = [_allowlist(a) for a in data.get("allowlists", [])]
    return Rule(
        id=str(data["id"]),
        description=str(data.get("description", data["id"])) if source != "gitleaks.toml" else "",
        regex=regex,
        secret_group=int(data.get("secretGroup", 0)),
        entropy=float(data.get("entropy", 0.0)),
        keywords=tuple(k.lower() for k in data.get("keywords", [])),
        allowlists=tuple(a for a in lists if a is not None),
        gitleaks=source == "gitleaks.toml",
    )


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    common: Allowlist  # gitleaks' global allowlist
    keywords: tuple[str, ...]
    keyword_set: Any  # re2.Set over ``keywords``, for the text lowercased

    def hits(self, text: str) -> Iterator[Hit]:
        """Every match of every rule whose keywords the text holds, not allowlisted."""
        present = {self.keywords[i] for i in self.keyword_set.Match(text.lower()) or ()}
        for rule in self.rules:
            if rule.keywords and not present.intersection(rule.keywords):
                continue
            yield from _hits(rule, text, self.common)


def _hits(rule: Rule, text: str, common: Allowlist) -> Iterator[Hit]:
    for found in rule.pattern.finditer(text):
        group = rule.secret_group or next(
            (i for i in range(1, rule.pattern.groups + 1) if found.group(i)), 0
        )
        secret = found.group(group)
        if rule.entropy and shannon(secret) <= rule.entropy:
            continue
        line_start = text.rfind("\n", 0, found.start()) + 1
        line_end = text.find("\n", found.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        allowed = (common, *rule.allowlists) if rule.gitleaks else rule.allowlists
        if any(a.allows(secret, found.group(0), line) for a in allowed):
            continue
        start, end = found.span(group)
        yield Hit(rule, start, end, secret)


@cache
def load() -> RuleSet:
    """Amber's rules and gitleaks', compiled once per process."""
    rules: list[Rule] = []
    common = Allowlist()
    for name in RULE_FILES:
        data = tomllib.loads((HERE / name).read_text("utf-8"))
        rules += [r for r in (_rule(d, name) for d in data.get("rules", [])) if r is not None]
        if "allowlist" in data:
            common = _allowlist(data["allowlist"]) or common
    keywords = tuple(sorted({k for rule in rules for k in rule.keywords}))
    keyword_set = re2.Set.SearchSet(_options())
    for keyword in keywords:
        keyword_set.Add(re2.escape(keyword))
    keyword_set.Compile()
    return RuleSet(tuple(rules), common, keywords, keyword_set)
