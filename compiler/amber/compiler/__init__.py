"""The compiler: Jsonnet environments into validated, canonical artifacts (``amber build``).

Needs the ``compiler`` extra.  It may import the runtime and the flags evaluator; nothing in
the runtime imports it.
"""
