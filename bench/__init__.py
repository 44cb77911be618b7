"""Amber's benchmarks: `python -m bench` runs them all and prints figures and ratios."""
