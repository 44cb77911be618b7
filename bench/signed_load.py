"""Trusted delivery (issue 16): what verifying a signature adds to `amber.load`.

Verifying reads the `.sig` beside the artifact, checks one ECDSA P-256 signature over the
statement and hashes the artifact's bytes once more (the statement names their sha256).
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import amber
from amber.compiler import artifact
from amber.publish.signing import keygen, load_key, sign
from amber.runtime.config import Config
from amber.runtime.signatures import signature_path
from bench.runtime_load import make_config
from bench.timing import Table, best, fmt_time


def run(quick: bool = False) -> list[Table]:
    table = Table(
        "Signed artifacts: amber.load with and without trust=",
        ["artifact", "load", "load, trust=", "trust / plain"],
    )
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        private, public = keygen(directory / "ci")
        key = load_key(str(private))
        for label, size in (("10 KB", 10_000), ("1 MB", 1_000_000), ("10 MB", 10_000_000)):
            if quick and size > 1_000_000:
                continue
            path = directory / f"{label.replace(' ', '')}.json"
            data = artifact.to_bytes(artifact.envelope(make_config(size), "bench", "1.0.0", {}))
            path.write_bytes(data)
            Path(signature_path(path)).write_bytes(sign(data, Config(data, str(path)), key, 1))
            number = 200 if size <= 10_000 else 5
            plain = best(partial(amber.load, path), 5, number)
            trusted = best(partial(amber.load, path, trust=public), 5, number)
            table.add(label, fmt_time(plain), fmt_time(trusted), f"{trusted / plain:.2f}x")
    table.notes.append(
        "the signature check is a constant (about 0.35 ms: reading and parsing the keys, one "
        "ECDSA verify; a watcher parses its keys once); "
        "the second sha256 of the bytes grows with the size."
    )
    return [table]
