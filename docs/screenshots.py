"""The README's pictures of `amber docs`, made from the reference config in headless Chromium.

    .venv/bin/python -m docs.screenshots

builds the site of a copy of the reference config (with a store holding two publishes and a
rollback, so the history page has something to show) and writes docs/images/<page>.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.browser import chromium, visit
from tests.support.history import publish_and_roll_back
from tests.support.repo import copy_reference

IMAGES = Path(__file__).resolve().parent / "images"
PAGES = ("flags", "environments")
WIDTH, HEIGHT = 1200, 900


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        repo = copy_reference(Path(scratch) / "repo")
        publish_and_roll_back(repo, Path(scratch) / "store")
        site = Path(scratch) / "site"
        command = [sys.executable, "-m", "amber", "docs", "--out", str(site)]
        subprocess.run([*command, "--store", str(Path(scratch) / "store")], cwd=repo, check=True)
        IMAGES.mkdir(exist_ok=True)
        with chromium() as browser:
            for name in PAGES:
                with visit(browser, site / f"{name}.html", WIDTH, HEIGHT) as seen:
                    if seen.errors:
                        sys.exit(f"{name}.html: " + "; ".join(seen.errors))
                    target = IMAGES / f"{name}.png"
                    seen.page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
