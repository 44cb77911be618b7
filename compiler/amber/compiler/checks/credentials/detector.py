"""Find credentials in a piece of text: known formats, random-looking tokens, encoded forms.

The one detector behind both the scanner (every key and string of a compiled config) and the
redactor (every string Amber prints or stores): what one finds, the other cuts.
"""

from __future__ import annotations

from dataclasses import dataclass

from amber.compiler.checks.credentials import encoded, entropy, rules

RANDOM = "random string"
# Decoding passes: a credential encoded twice (base64 of a URL with a key in its query) is
# found; each pass is linear in the text.
MAX_DEPTH = 2


@dataclass(frozen=True)
class Match:
    """A credential at ``text[start:end]``; ``secret`` is what was found (decoded, if it was
    encoded), ``kind`` names what it looks like."""

    start: int
    end: int
    kind: str
    secret: str


def find(text: str, *, secret_field: bool = False, depth: int = 0) -> list[Match]:
    """Every credential in ``text``, at most one per span, leftmost first."""
    found = [
        Match(
            hit.start, hit.end, hit.rule.description or f"gitleaks rule {hit.rule.id}", hit.secret
        )
        for hit in rules.load().hits(text)
    ]
    for start, end in entropy.random_tokens(text, secret_field):
        if not encoded.decodes_to_text(text[start:end]):
            found.append(Match(start, end, _random_kind(secret_field), text[start:end]))
    if depth < MAX_DEPTH:
        for start, end, decoded in encoded.decoded_runs(text):
            inner = find(decoded, secret_field=secret_field, depth=depth + 1)
            if inner:
                found.append(Match(start, end, f"{inner[0].kind}, encoded", inner[0].secret))
    return _leftmost(found)


def _random_kind(secret_field: bool) -> str:
    return f"{RANDOM} in a secret field" if secret_field else RANDOM


def _leftmost(found: list[Match]) -> list[Match]:
    """Non-overlapping matches: at each place, the first rule's (Amber's before gitleaks',
    rules before entropy), and the widest where they start together."""
    order = {id(match): rank for rank, match in enumerate(found)}
    chosen: list[Match] = []
    for match in sorted(found, key=lambda m: (m.start, order[id(m)])):
        if chosen and match.start < chosen[-1].end:
            continue
        chosen.append(match)
    return chosen
