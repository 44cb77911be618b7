"""Import confinement under attack: the file read is the file checked, even while the path is
being swapped between a directory and a symlink to the outside."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from amber.compiler.jsonnet import confined, evaluate
from amber.compiler.settings import Settings
from amber.errors import ConfigError

FILES = 1  # one import per evaluation: most evaluations then run into the swap window


def swapper(link: Path, outside: Path, stop: threading.Event) -> None:
    """Swap ``link`` between a real directory and a symlink to ``outside`` until stopped."""
    parked = link.with_name("d.real")
    while not stop.is_set():
        os.rename(link, parked)
        os.symlink(outside, link.with_name("d.tmp"))
        os.rename(link.with_name("d.tmp"), link)
        os.rename(link, link.with_name("d.gone"))
        os.rename(parked, link)
        os.unlink(link.with_name("d.gone"))


def test_no_read_leaks_through_a_directory_swapped_for_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    (repo / "config" / "d").mkdir(parents=True)
    (repo / "environments").mkdir()
    for n in range(FILES):
        (repo / "config" / "d" / f"x{n}.txt").write_text("inside")
        (outside / f"x{n}.txt").write_text("LEAKED")
    imports = ", ".join(f"importstr 'd/x{n}.txt'" for n in range(FILES))
    (repo / "environments" / "x.jsonnet").write_text(f"{{ v: [{imports}] }}")
    settings = Settings(root=repo, timeout=0)
    stop = threading.Event()
    thread = threading.Thread(target=swapper, args=(repo / "config" / "d", outside, stop))
    thread.start()
    leaked = evaluations = refused = 0
    deadline = time.monotonic() + 4
    try:
        while time.monotonic() < deadline:
            evaluations += 1
            try:
                value = evaluate.evaluate(settings, "x", "environments/x.jsonnet").value
            except ConfigError:
                refused += 1  # mid-swap: not found, or refused as an escape
                continue
            leaked += sum(text == "LEAKED" for text in value["v"])
    finally:
        stop.set()
        thread.join()
    assert evaluations > 100 and refused < evaluations
    assert leaked == 0


def test_the_opened_file_is_what_is_checked(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "out.txt").write_text("outside")
    (tmp_path / "base" / "in.txt").write_text("inside")
    os.symlink(tmp_path / "out.txt", tmp_path / "base" / "link.txt")
    bases = [str(tmp_path / "base")]
    assert confined.read(str(tmp_path / "base" / "in.txt"), bases) == b"inside"
    assert confined.read(str(tmp_path / "base" / "none.txt"), bases) is None
    assert confined.read(str(tmp_path / "base"), bases) is None  # a directory is not a file
    try:
        confined.read(str(tmp_path / "base" / "link.txt"), bases)
    except confined.Escaped:
        pass
    else:
        raise AssertionError("a symlink out of the base was read")
