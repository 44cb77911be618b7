"""``amber`` and ``python -m amber``: the command line, which needs the compiler extra."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from amber.cli.main import main as run
    except ImportError as exc:  # the base install is the runtime alone
        sys.stderr.write(
            f"amber: the command line needs the compiler ({exc.name} is missing): "
            "pip install 'amber-config[compiler]'\n"
        )
        raise SystemExit(2) from None
    run()


if __name__ == "__main__":
    main()
