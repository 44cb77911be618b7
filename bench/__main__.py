"""`python -m bench [--quick]`: every benchmark, one table each, figures and ratios."""

from __future__ import annotations

import argparse
import os
import platform
import sys

from bench import build_speed, docs_site, flags_eval, runtime_load, signed_load, typed_load


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    print(
        f"# Amber benchmarks: Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}"
    )
    for module in (build_speed, runtime_load, flags_eval, typed_load, signed_load, docs_site):
        for table in module.run(quick=args.quick):
            print(table.render(), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
