"""A small app that reads the reference config through the types `amber types` generated.

    python examples/app/main.py dist/prod.json user123

`learnapp_config.py` is generated (`amber types -o examples/app/learnapp_config.py`); the
pre-commit hook `amber-types` and CI keep it fresh, and `mypy --strict` checks this file
against it: a misspelt section, field or flag key is a type error, not a production bug.
"""

from __future__ import annotations

import sys

import learnapp_config
from learnapp_config import AppConfig


def review_plan(cfg: AppConfig) -> str:
    repetition = cfg.spaced_repetition
    algorithm = repetition.default_algorithm  # Literal["sm2", "leitner"]
    ease = repetition.sm2.initial_ease_factor if algorithm == "sm2" else None
    boxes = repetition.leitner.box_count
    return (
        f"{cfg.environment}: batches of {repetition.batch_size} cards, {algorithm} "
        f"(ease {ease}, {boxes} Leitner boxes), sessions of "
        f"{cfg.interleaving.min_session_size}-{cfg.interleaving.max_session_size}"
    )


def features(cfg: AppConfig, user: str, app_version: str) -> str:
    context = {"targetingKey": user, "app_version": app_version}
    adaptive = cfg.flags.adaptive_learning(context)
    hints = cfg.flags.ai_hints(context)
    flow = cfg.flags.diagnostic_flow(context, default="classic")
    return f"{user}: adaptive learning {adaptive}, AI hints {hints}, diagnostic flow {flow}"


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "dist/prod.json"
    user = argv[2] if len(argv) > 2 else "user123"
    cfg = learnapp_config.load(path, secrets="lazy")
    print(review_plan(cfg))
    print(features(cfg, user, "2.4.1"))
    provider = cfg.ai_provider
    print(f"AI provider {provider.primary_provider}, key {provider.api_keys['gemini']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
