"""Cross-field rules of the learning app's config: what its JSON Schemas cannot say.

Each rule returns True when the config is fine, False to report its docstring, or a message.
``versions`` says which schema versions a rule belongs to (the sections it reads exist there).
"""

from __future__ import annotations

from typing import Any

from amber.rules import rule

Config = dict[str, Any]


@rule("interleaving.default_weights")
def weights_sum_to_one(config: Config) -> bool | str:
    """interleaving weights (due + interleave + new) must sum to 1.0"""
    weights = config["interleaving"]["default_weights"]
    total = sum(weights.values())
    return abs(total - 1.0) < 1e-9 or f"interleaving weights sum to {total:g}, not 1.0"


@rule("interleaving.min_session_size")
def session_sizes_ordered(config: Config) -> bool | str:
    section = config["interleaving"]
    low, high = section["min_session_size"], section["max_session_size"]
    return low <= high or f"min_session_size ({low}) is above max_session_size ({high})"


@rule("spaced_repetition.default_algorithm")
def default_algorithm_available(config: Config) -> bool | str:
    section = config["spaced_repetition"]
    algorithm = section["default_algorithm"]
    available = section["available_algorithms"]
    return algorithm in available or (
        f"default_algorithm {algorithm!r} is not one of available_algorithms {available}"
    )


@rule("spaced_repetition.sm2.initial_ease_factor")
def sm2_initial_ease_at_least_one(config: Config) -> bool:
    """SM2 initial ease factor must be at least 1.0"""
    return bool(config["spaced_repetition"]["sm2"]["initial_ease_factor"] >= 1.0)


@rule("spaced_repetition.sm2.initial_ease_factor", severity="warning")
def sm2_initial_ease_not_below_minimum(config: Config) -> bool | str:
    sm2 = config["spaced_repetition"]["sm2"]
    initial, minimum = sm2["initial_ease_factor"], sm2["minimum_ease_factor"]
    return initial >= minimum or (
        f"SM2 initial ease factor {initial} is below the minimum ease factor {minimum}"
    )


@rule("spaced_repetition.leitner.review_intervals_days")
def leitner_interval_per_box(config: Config) -> bool | str:
    leitner = config["spaced_repetition"]["leitner"]
    count, intervals = leitner["box_count"], leitner["review_intervals_days"]
    if len(intervals) != count:
        return f"{len(intervals)} review intervals for {count} Leitner boxes: give one per box"
    return intervals == sorted(intervals) or "review intervals must not decrease from box to box"


@rule("spaced_repetition.batch_size")
def batch_size_at_most_500(config: Config) -> bool | str:
    size = config["spaced_repetition"]["batch_size"]
    return (
        size <= 500
        or f"batch_size {size} is over 500, which the review workers cannot keep up with"
    )


@rule("spaced_repetition.cache_ttl_seconds", severity="warning")
def cache_ttl_not_too_short(config: Config) -> bool | str:
    ttl = config["spaced_repetition"]["cache_ttl_seconds"]
    return ttl >= 30 or f"cache_ttl_seconds {ttl} is below 30: expect heavy database load"


@rule("diagnostic.question_selection.difficulty_range")
def difficulty_range_ordered(config: Config) -> bool | str:
    difficulty = config["diagnostic"]["question_selection"]["difficulty_range"]
    return difficulty["min"] <= difficulty["max"] or (
        f"difficulty_range min ({difficulty['min']}) is above max ({difficulty['max']})"
    )


@rule("debug", environments=["prod"])
def no_debug_in_prod(config: Config) -> bool:
    """debug must be false in prod"""
    return config["debug"] is False


@rule("ai_provider.fallback_providers", versions=">=1.1")
def primary_not_a_fallback(config: Config) -> bool | str:
    ai = config["ai_provider"]
    primary = ai["primary_provider"]
    return primary not in ai["fallback_providers"] or (
        f"primary provider {primary!r} is also listed as a fallback"
    )


def _providers(config: Config) -> list[str]:
    ai = config["ai_provider"]
    return [ai["primary_provider"], *ai["fallback_providers"]]


@rule("ai_provider", environments=["prod"], versions=">=1.1")
def no_mock_provider_in_prod(config: Config) -> bool:
    """the mock AI provider must not be used in prod"""
    return "mock" not in _providers(config)


@rule("ai_provider.api_keys", environments=["prod"], versions=">=1.1")
def every_provider_has_a_key(config: Config) -> bool | str:
    keys = config["ai_provider"]["api_keys"]
    missing = [p for p in _providers(config) if p != "mock" and p not in keys]
    return not missing or f"no API key reference for {', '.join(missing)}"

import sys
sys.exit(3)
