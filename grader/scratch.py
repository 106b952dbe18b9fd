"""Scratch folders whose lifetime is their owner process's, not a thread's or a clean exit's.

Each folder holds a ``.lock`` that its owner keeps locked (``flock``) until it removes the
folder. A process killed with ``kill -9`` releases its locks with its death, so the next
grading run's :func:`sweep` can tell a folder that is still in use from one that was left
behind, and removes the latter, whatever a learner left in it (:mod:`workbook.cleanup`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from workbook.cleanup import remove_tree

PREFIXES = ("workbook-job-", "workbook-grade-", "workbook-home-")
LOCK = ".lock"
# A folder with no lock file yet may be one another run is making right now.
UNLOCKED_GRACE = 600.0


class Scratch:
    """A fresh folder under the temporary directory, locked while it is in use."""

    def __init__(self, prefix: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        self._lock = os.open(self.path / LOCK, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def remove(self, attempts: int = 1) -> None:
        """Remove the folder (its lock last); ``attempts`` tries 50 ms apart, for a folder
        that processes killed a moment ago may still be writing into."""
        if self._lock < 0:
            return
        try:
            for _ in range(attempts - 1):
                try:
                    remove_tree(self.path)
                    return
                except OSError:
                    time.sleep(0.05)
            remove_tree(self.path)
        finally:
            os.close(self._lock)
            self._lock = -1


@contextlib.contextmanager
def folder(prefix: str) -> Iterator[Path]:
    """A :class:`Scratch` folder for the block."""
    scratch = Scratch(prefix)
    try:
        yield scratch.path
    finally:
        scratch.remove()


def _abandoned(path: Path) -> bool:
    try:
        lock = os.open(path / LOCK, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return time.time() - path.lstat().st_mtime > UNLOCKED_GRACE
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its owner is alive
    finally:
        os.close(lock)
    return True


def sweep(base: Path | None = None) -> int:
    """Remove the scratch folders earlier runs left behind; how many were removed."""
    removed = 0
    top = base or Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for path in top.iterdir():
            if not path.name.startswith(PREFIXES) or path.is_symlink() or not path.is_dir():
                continue
            with contextlib.suppress(OSError):
                if _abandoned(path):
                    remove_tree(path)
                    removed += 1
    return removed
