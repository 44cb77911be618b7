"""Add the AI provider section: primary and fallback providers, API keys, timeouts, retries,
circuit breaker and rate limits.

up: a config from before AI providers gets Gemini alone, its key read from GEMINI_API_KEY.
down: drops `ai_provider`; apps on 1.0.0 have no AI providers.
"""

from __future__ import annotations

import copy
from typing import Any

FROM = "1.0.0"
TO = "1.1.0"
DROPS = ("ai_provider",)

DEFAULT_AI_PROVIDER = {
    "primary_provider": "gemini",
    "fallback_providers": [],
    "api_keys": {"gemini": {"$secret": "env:GEMINI_API_KEY"}},
    "request_timeout_seconds": 30,
    "max_retries": 3,
    "circuit_breaker": {"enabled": True, "failure_threshold": 5, "reset_timeout_seconds": 60},
    "rate_limits": {"requests_per_minute": 60, "tokens_per_minute": 100000},
}


def up(config: dict[str, Any]) -> dict[str, Any]:
    return {**config, "ai_provider": copy.deepcopy(DEFAULT_AI_PROVIDER)}


def down(config: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in config.items() if key != "ai_provider"}
