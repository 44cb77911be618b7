"""Flags: per flag its variants, its targeting in words, and per environment a rollout bar
drawn from the fractional weights beside the variant shares Amber's own evaluator measures
over 10,000 synthetic users (the picture is the runtime's answer, not a re-implementation)."""

from __future__ import annotations

import json
from typing import Any

from amber.compiler.docs.gather import Environment, SiteData
from amber.compiler.docs.html import Page, anchor, code, esc, show, table
from amber.compiler.flag_simulation import (
    DEFAULT_USERS,
    NO_VARIANT,
    Shares,
    population,
    shares,
)
from amber.compiler.flag_summary import flag_type, summarize
from amber.flags import FlagSet

Measured = dict[tuple[str, str], Shares]


def render(data: SiteData) -> Page:
    keys = sorted({key for env in data.environments for key in env.flags})
    users = population(DEFAULT_USERS, None)
    measured: Measured = {}  # the same definition is measured once, whichever environment
    sections = [_flag(key, data.environments, users, measured) for key in keys]
    intro = (
        f"<p>{len(keys)} flags. Shares are measured by evaluating each flag for "
        f"{DEFAULT_USERS:,} synthetic users (<code>user-000000</code> ...) with Amber's runtime "
        "evaluator (the <em>measured</em> bar); where a flag splits users with "
        "<code>fractional</code>, the <em>weights</em> bar above it draws the split.</p>"
    )
    return Page("Flags", intro + "\n".join(sections))


def _flag(
    key: str, envs: list[Environment], users: list[dict[str, Any]], measured: Measured
) -> str:
    having = [env for env in envs if key in env.flags]
    first = having[0].flags[key]
    variants = _variants(key, having)
    blocks = [_in_environment(key, env, users, measured) for env in having]
    missing = [env.name for env in envs if key not in env.flags]
    absent = f'<p class="muted">Not in {esc(", ".join(missing))}.</p>' if missing else ""
    return (
        f'<section class="flag" id="{anchor(key)}"><h2>{code(key)}</h2>'
        f"<p>{esc(flag_type(first))} flag.</p>{variants}{''.join(blocks)}{absent}</section>"
    )


def _variants(key: str, having: list[Environment]) -> str:
    """The variants and their values; one value column per distinct set, where environments
    give a variant different values or add one."""
    sets: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for env in having:
        variants = dict(env.flags[key].get("variants") or {})
        sets.setdefault(json.dumps(variants, sort_keys=True), (variants, []))[1].append(env.name)
    names = list(dict.fromkeys(name for variants, _ in sets.values() for name in variants))
    headers = ["Variant", "Value"]
    if len(sets) > 1:
        headers = ["Variant", *[f"Value in {', '.join(envs)}" for _, envs in sets.values()]]
    rows = [
        [code(name), *[_variant_value(variants, name) for variants, _ in sets.values()]]
        for name in names
    ]
    return table(headers, rows, caption="Variants")


def _variant_value(variants: dict[str, Any], name: str) -> str:
    return code(show(variants[name])) if name in variants else '<span class="muted">absent</span>'


def _in_environment(
    key: str, env: Environment, users: list[dict[str, Any]], measured: Measured
) -> str:
    flag = env.flags[key]
    found = _measure(key, env, users, measured)
    order = _colours(flag)
    weights = split_weights(flag.get("targeting"))
    label = f"{key} in {env.name}"
    bars = _bar("weights", weights, order, f"{label}: fractional weights") if weights else ""
    # the measured bar lists variants as the weights do, so the two read side by side
    place = {name: index for index, (name, _) in enumerate(weights or [])}
    ranked = sorted(found.counts, key=lambda v: (place.get(v, len(place)), order.get(v, 99)))
    seen = [(v, found.percent(v)) for v in ranked]
    bars += _bar("measured", seen, order, f"{label}: measured")
    listed = ", ".join(f"{esc(v)} {percent:.1f}%" for v, percent in seen)
    return (
        f'<div class="env" data-env="{esc(env.name)}" data-flag="{esc(key)}">'
        f'<h3>{esc(env.name)} <small class="muted">({esc(flag.get("state"))})</small></h3>'
        f"<p>{esc(summarize(flag))}</p>{bars}"
        f'<p class="shares">Measured over {found.users:,} users: {listed}</p></div>'
    )


def _colours(flag: dict[str, Any]) -> dict[str, int]:
    """A variant keeps its colour in every bar of the flag; "(default)" comes after them."""
    return {name: index for index, name in enumerate([*(flag.get("variants") or {}), NO_VARIANT])}


def _measure(key: str, env: Environment, users: list[dict[str, Any]], measured: Measured) -> Shares:
    """The flag's shares, measured once per distinct definition and bucketing generation."""
    flag = env.flags[key]
    cache_key = (json.dumps(flag, sort_keys=True), env.fractional)
    if cache_key not in measured:
        flag_set = FlagSet({key: flag}, fractional=env.fractional)
        measured[cache_key] = shares(flag_set, key, users)
    return measured[cache_key]


def split_weights(rule: Any) -> list[tuple[str, float]] | None:
    """The weights of the first ``fractional`` in a rule, as percentages, or None."""
    if isinstance(rule, list):
        for item in rule:
            found = split_weights(item)
            if found:
                return found
        return None
    if not isinstance(rule, dict) or len(rule) != 1:
        return None
    ((op, args),) = rule.items()
    if op != "fractional":
        return split_weights(args)
    return _percentages(args if isinstance(args, list) else [])


def _percentages(args: list[Any]) -> list[tuple[str, float]] | None:
    """A fractional's buckets (after its optional seed expression) as percentages."""
    buckets = args if args and isinstance(args[0], list) else args[1:]
    pairs = [(str(b[0]), b[1] if len(b) > 1 else 1) for b in buckets if isinstance(b, list) and b]
    if not pairs or not all(isinstance(w, (int, float)) for _, w in pairs):
        return None
    total = sum(w for _, w in pairs)
    return [(name, 100 * w / total) for name, w in pairs] if total else None


def _bar(kind: str, parts: list[tuple[str, float]], order: dict[str, int], label: str) -> str:
    spans = "".join(
        f'<span class="c{order.get(name, 4) % 5}" data-variant="{esc(name)}" '
        f'data-percent="{percent:.4f}" style="width: {percent:.4f}%" '
        f'title="{esc(name)} {percent:.1f}%">{esc(name)}</span>'
        for name, percent in parts
    )
    said = ", ".join(f"{name} {percent:.1f}%" for name, percent in parts)
    return (
        f'<div class="bar-row"><span class="bar-label">{kind}</span>'
        f'<div class="bar {kind}" role="img" aria-label="{esc(label)}: {esc(said)}">{spans}</div>'
        "</div>"
    )
