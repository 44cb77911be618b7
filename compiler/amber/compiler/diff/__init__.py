"""``amber diff``: compiled config compared by JSON path, with flag changes in their own terms."""
