"""The sandbox around a grading worker: bubblewrap where the machine has it, said aloud if not.

With bubblewrap the worker sees the machine read-only, with the kit's repository, ``/root``
and ``/tmp`` hidden (the hidden suites, the solutions, the gradebook and other learners'
scratch folders are not there), its own project and home folder writable, no network (a
fresh network namespace holds only loopback), its own PID namespace (when the worker dies,
every process it started dies with it) and, when the grader runs as root, an unprivileged
user. ``WORKBOOK_SANDBOX=off`` turns it off (for benchmarks); without bubblewrap the worker
runs with resource limits only, and ``workbook grade`` prints a warning saying so.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from grader import paths

UNPRIVILEGED = 65534  # nobody


@functools.cache
def bwrap() -> str | None:
    """The bubblewrap binary, if it is installed and can make namespaces here."""
    if os.environ.get("WORKBOOK_SANDBOX", "on") == "off":
        return None
    found = shutil.which("bwrap")
    if found is None:
        return None
    probe = [found, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--", "true"]
    try:
        ok = subprocess.run(probe, capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return found if ok else None


def describe() -> tuple[bool, str]:
    """Whether the full sandbox is on, and one line that says what protects the worker."""
    if bwrap():
        user = ", an unprivileged user" if os.geteuid() == 0 else ""
        return True, f"sandbox: bubblewrap (no network, own PID namespace, hidden suites{user})"
    if os.environ.get("WORKBOOK_SANDBOX", "on") == "off":
        reason = "WORKBOOK_SANDBOX=off"
    else:
        reason = "bubblewrap is not installed or cannot make namespaces here"
    return False, (
        f"warning: {reason}: learner code runs with resource limits only "
        "(network, files and processes are not isolated); install the bubblewrap package"
    )


def drops_to_user() -> bool:
    """Whether the worker switches to an unprivileged user (inside bubblewrap, as root)."""
    return bwrap() is not None and os.geteuid() == 0


def prepare(folders: list[Path]) -> None:
    """Hand the worker's writable folders to the unprivileged user it will become."""
    if not drops_to_user():
        return
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            os.lchown(path, UNPRIVILEGED, UNPRIVILEGED)


def _visible(path: Path) -> list[str]:
    return ["--ro-bind-try", str(path), str(path)]


def _parents(folder: Path, hidden: list[Path]) -> list[str]:
    """Make the folders above ``folder`` inside a hidden tmpfs traversable (bubblewrap would
    make them 0700, root's own, and the unprivileged worker could not reach ``folder``)."""
    args: list[str] = []
    for parent in reversed(folder.parents):
        if any(parent != top and parent.is_relative_to(top) for top in hidden):
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def wrap(command: list[str], writable: list[Path], cwd: Path) -> list[str]:
    """``command`` inside bubblewrap (or as it is, without the sandbox)."""
    binary = bwrap()
    if binary is None:
        return command
    args = [binary, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    hidden = [Path(p) for p in ("/tmp", "/var/tmp", "/root", paths.root()) if Path(p) != Path("/")]
    for folder in hidden:
        args += ["--tmpfs", str(folder)]
    # What the worker runs on comes back, read-only: Python, its packages, the grader package.
    needed = {Path(sys.base_prefix), Path(sys.prefix), paths.PACKAGE}
    for prefix in sorted(needed, key=lambda p: len(p.parts)):
        args += _parents(prefix, hidden) + _visible(prefix)
    args += ["--tmpfs", str(paths.suites())]
    for folder in writable:
        args += _parents(folder, hidden) + ["--bind", str(folder), str(folder)]
    args += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    args += ["--die-with-parent", "--new-session", "--chdir", str(cwd), "--"]
    return args + command
