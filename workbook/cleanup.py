"""Remove what a learner left, whatever shape it has: bounded, never recursive, no links followed.

A learner's code can leave a folder chain thousands deep (deeper than ``PATH_MAX`` and than
Python's recursion limit, both of which ``shutil.rmtree`` trips on), folders without
permissions, or symbolic links to anywhere. :func:`remove_tree` works on file descriptors
only: it opens the top folder once and, level by level, moves each subfolder's entries up into
it before removing the emptied subfolder. It holds at most two descriptors, touches each entry
a bounded number of times, and never leaves the tree it was given.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_names = itertools.count()


class CleanupError(OSError):
    """A tree that could not be removed: the grader's fault, never the learner's."""


def _open_dir(name: str, parent: int) -> int:
    try:
        return os.open(name, _FLAGS, dir_fd=parent)
    except PermissionError:
        os.chmod(name, 0o700, dir_fd=parent)  # our own folder, made unreadable by its owner
        return os.open(name, _FLAGS, dir_fd=parent)


def _empty_into(top: int, name: str) -> None:
    """Move every entry of the subfolder ``name`` up into ``top``, then remove it."""
    inner = _open_dir(name, top)
    try:
        with contextlib.suppress(PermissionError):
            os.fchmod(inner, 0o700)
        for entry in list(os.scandir(inner)):
            os.rename(entry.name, f".rm{next(_names)}", src_dir_fd=inner, dst_dir_fd=top)
    finally:
        os.close(inner)
    os.rmdir(name, dir_fd=top)


def _clear(top: int) -> None:
    """Empty the folder open as ``top``: files go at once, folders are flattened into it."""
    while True:
        entries = list(os.scandir(top))
        if not entries:
            return
        for entry in entries:
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                _empty_into(top, entry.name)
            else:
                os.unlink(entry.name, dir_fd=top)


def remove_tree(path: Path) -> None:
    """Remove ``path`` and everything under it; a missing path is already removed."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    try:
        if not stat.S_ISDIR(info.st_mode):
            path.unlink()
            return
        parent = os.open(path.parent, _FLAGS)
        try:
            top = _open_dir(path.name, parent)
            try:
                _clear(top)
            finally:
                os.close(top)
            os.rmdir(path.name, dir_fd=parent)
        finally:
            os.close(parent)
    except OSError as exc:
        raise CleanupError(exc.errno, f"could not remove {path}: {exc.strerror}") from None
