"""Feature flags: flagd's evaluation as a pure function of definition and context.

Standard library and ``mmh3`` only: the runtime evaluates flags for apps.
"""

from amber.flags.evaluate import Evaluation, FlagSet

__all__ = ["Evaluation", "FlagSet"]
