"""An OpenFeature provider over a loaded or watched Amber artifact.

    from openfeature import api
    from amber.openfeature import AmberProvider

    api.set_provider(AmberProvider(amber.watch("dist/prod.json")))
    client = api.get_client()
    client.get_boolean_value("adaptive_learning", False, EvaluationContext("user123"))

Needs ``openfeature-sdk`` (the ``openfeature`` extra); ``import amber`` never imports this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openfeature.evaluation_context import EvaluationContext
from openfeature.event import ProviderEventDetails
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, Reason
from openfeature.provider import AbstractProvider, Metadata

from amber.runtime.config import Config
from amber.runtime.views import thaw
from amber.runtime.watch import Watcher


def _context(evaluation_context: EvaluationContext | None) -> dict[str, Any]:
    if evaluation_context is None:
        return {}
    context = dict(evaluation_context.attributes)
    if evaluation_context.targeting_key is not None:
        context["targetingKey"] = evaluation_context.targeting_key
    return context


class AmberProvider(AbstractProvider):
    """Flags from an Amber config; with a watcher, changes are announced to OpenFeature."""

    def __init__(self, source: Config | Watcher) -> None:
        super().__init__()
        self._source = source
        if isinstance(source, Watcher):
            source.add_listener(self._announce)

    @property
    def config(self) -> Config:
        return self._source.current if isinstance(self._source, Watcher) else self._source

    def _announce(self, old: Config, new: Config) -> None:
        """Tell OpenFeature which flags a swapped-in config changed (all, if bucketing did)."""
        old_flags, new_flags = old.get("flags", {}), new.get("flags", {})
        keys = sorted(set(old_flags) | set(new_flags))
        if old.fractional == new.fractional:
            keys = [k for k in keys if old_flags.get(k) != new_flags.get(k)]
        if keys:
            self.emit_provider_configuration_changed(ProviderEventDetails(flags_changed=keys))

    def get_metadata(self) -> Metadata:
        return Metadata(name="amber")

    def _resolve(
        self, key: str, default: Any, context: EvaluationContext | None, kind: str
    ) -> FlagResolutionDetails[Any]:
        result = self.config.evaluate(key, _context(context), default, type=kind)
        value = result.value
        if result.error_code is not None:
            value = default  # the SDK's async path does not put the default back itself
        return FlagResolutionDetails(
            value=value,
            variant=result.variant,
            reason=Reason(result.reason),
            error_code=ErrorCode(result.error_code) if result.error_code else None,
            error_message=result.error_message,
            flag_metadata=dict(result.metadata),
        )

    def resolve_boolean_details(
        self,
        flag_key: str,
        default_value: bool,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[bool]:
        return self._resolve(flag_key, default_value, evaluation_context, "boolean")

    def resolve_string_details(
        self,
        flag_key: str,
        default_value: str,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[str]:
        return self._resolve(flag_key, default_value, evaluation_context, "string")

    def resolve_integer_details(
        self,
        flag_key: str,
        default_value: int,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[int]:
        return self._resolve(flag_key, default_value, evaluation_context, "integer")

    def resolve_float_details(
        self,
        flag_key: str,
        default_value: float,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[float]:
        return self._resolve(flag_key, default_value, evaluation_context, "float")

    def resolve_object_details(
        self,
        flag_key: str,
        default_value: Sequence[Any] | Mapping[str, Any],
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[Sequence[Any] | Mapping[str, Any]]:
        details = self._resolve(flag_key, default_value, evaluation_context, "object")
        if details.error_code is None:
            # The SDK checks objects with isinstance(dict | list); frozen values are dicts,
            # but arrays are tuples.
            details.value = thaw(details.value)
        return details
