"""Evaluating Jsonnet: the engines, import confinement, engine errors, and the forked child."""
