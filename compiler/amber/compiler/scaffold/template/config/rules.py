"""Cross-field rules: what the JSON Schema cannot say.

A rule returns True when the config is fine, False to report its docstring, or a message.
"""

from __future__ import annotations

from typing import Any

from amber.rules import rule


@rule("service.log_level", environments=["prod"])
def no_debug_logs_in_prod(config: dict[str, Any]) -> bool:
    """prod must not log at debug level"""
    return config["service"]["log_level"] != "debug"


@rule("database.pool_size", severity="warning")
def pool_fits_replicas(config: dict[str, Any]) -> bool | str:
    total = config["database"]["pool_size"] * config["service"]["replicas"]
    return total <= 200 or f"{total} database connections in all: check the server's limit"
