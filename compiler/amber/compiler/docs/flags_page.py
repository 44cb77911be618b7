"""Flags: per flag its variants, its targeting in words, and per environment a rollout bar
drawn from the fractional weights beside the variant shares Amber's own evaluator measures
over 10,000 synthetic users (the picture is the runtime's answer, not a re-implementation)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from amber.compiler.diff.flags import rollouts
from amber.compiler.diff.report import show
from amber.compiler.docs.gather import Environment, SiteData
from amber.compiler.docs.html import Page, anchor, code, esc, table
from amber.compiler.flag_simulation import (
    DEFAULT_USERS,
    NO_VARIANT,
    Shares,
    population,
    shares,
)
from amber.compiler.flag_summary import flag_type, summarize
from amber.flags import FlagSet


@dataclass(frozen=True)
class Sample:
    """Who the flags are measured over, and how ``fractional`` buckets them (the repository's
    generation, as every artifact's provenance records it)."""

    users: list[dict[str, Any]]
    fractional: str


def render(data: SiteData) -> Page:
    keys = sorted({key for env in data.environments for key in env.flags})
    sample = Sample(population(DEFAULT_USERS, None), data.fractional)
    sections = [_flag(key, data.environments, sample) for key in keys]
    intro = (
        f"<p>{len(keys)} flags. Shares are measured by evaluating each flag for "
        f"{DEFAULT_USERS:,} synthetic users (<code>user-000000</code> ...) with Amber's runtime "
        "evaluator (the <em>measured</em> bar); where a flag splits users with "
        "<code>fractional</code>, the <em>weights</em> bar above it draws the split.</p>"
    )
    return Page("Flags", intro + "\n".join(sections))


def _flag(key: str, envs: list[Environment], sample: Sample) -> str:
    having = [env for env in envs if key in env.flags]
    first = having[0].flags[key]
    variants = _variants(key, having)
    measured: dict[str, Shares] = {}  # environments that define the flag alike: measured once
    blocks = [
        _in_environment(key, env, _measure(key, env.flags[key], sample, measured)) for env in having
    ]
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


def _in_environment(key: str, env: Environment, found: Shares) -> str:
    flag = env.flags[key]
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


def _measure(key: str, flag: Any, sample: Sample, measured: dict[str, Shares]) -> Shares:
    """The flag's shares over the sample (bucketing hashes the flag's key, so a memo is per
    flag: two flags defined alike do not share one)."""
    definition = json.dumps(flag, sort_keys=True)
    if definition not in measured:
        flag_set = FlagSet({key: flag}, fractional=sample.fractional)
        measured[definition] = shares(flag_set, key, sample.users)
    return measured[definition]


def split_weights(rule: Any) -> list[tuple[str, float]] | None:
    """The weights of the first ``fractional`` in a rule, as percentages, or None."""
    found = rollouts(rule)
    return list(found[0].items()) if found else None


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
