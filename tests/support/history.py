"""A directory store with a history: two publishes of every environment and a rollback of
prod, made with the real `amber` command, as CI and an operator would."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.repo import amber


def publish_and_roll_back(repo: Path, store: Path) -> None:
    amber("build", cwd=repo, check=0)
    amber("publish", "--to", str(store), cwd=repo, check=0)
    prod = repo / "environments" / "prod.jsonnet"
    text = prod.read_text()
    changed = re.sub(r"batch_size: \d+", "batch_size: 450", text, count=1)
    assert changed != text, "prod sets no batch_size to change"
    prod.write_text(changed)
    amber("build", "prod", cwd=repo, check=0)
    amber("publish", "--to", str(store), "prod", cwd=repo, check=0)
    amber("rollback", "prod", "--to", str(store), cwd=repo, check=0)
    prod.write_text(text)
