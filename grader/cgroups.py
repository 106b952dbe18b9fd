"""A memory and CPU cgroup per grading job, where the machine lets the grader make one.

Per-process limits (``workbook.worker``) bound each process; a cgroup bounds the whole job: the
fork server and every worker and process a learner starts, together, get at most
:data:`MEMORY` bytes and one CPU, so one learner's fork bomb or memory hog cannot starve the
job beside it. cgroup v1 (a ``memory`` and a ``cpu`` hierarchy) and v2 (a unified hierarchy
whose root delegates both controllers) are used where they are writable; elsewhere
:func:`available` says why not, and ``workbook grade`` prints it.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import shlex
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
MEMORY = 3 * 1024**3
CPU_PERIOD = 100_000
PREFIX = "workbook-"
_serial = itertools.count()


def _hierarchies() -> list[tuple[Path, dict[str, str]]]:
    """Where to make a job's group, and the limits to write there."""
    if (ROOT / "cgroup.controllers").is_file():
        enabled = (ROOT / "cgroup.subtree_control").read_text(encoding="utf-8").split()
        if {"memory", "cpu"} <= set(enabled):
            return [(ROOT, {"memory.max": str(MEMORY), "cpu.max": f"{CPU_PERIOD} {CPU_PERIOD}"})]
        return []
    memory, cpu = ROOT / "memory", ROOT / "cpu"
    if not (memory / "cgroup.procs").is_file() or not (cpu / "cgroup.procs").is_file():
        return []
    return [
        (memory, {"memory.limit_in_bytes": str(MEMORY)}),
        (cpu, {"cpu.cfs_period_us": str(CPU_PERIOD), "cpu.cfs_quota_us": str(CPU_PERIOD)}),
    ]


class JobGroup:
    """One job's cgroup (one folder per hierarchy); :meth:`add` puts a process tree in it."""

    def __init__(self) -> None:
        name = f"{PREFIX}{os.getpid()}-{next(_serial)}"
        self.folders: list[Path] = []
        try:
            for base, limits in _hierarchies():
                folder = base / name
                folder.mkdir()
                self.folders.append(folder)
                for key, value in limits.items():
                    (folder / key).write_text(value, encoding="utf-8")
        except OSError:
            self.remove()
            raise

    def run_in(self, command: list[str]) -> list[str]:
        """``command`` wrapped so that it joins the group before it starts (its process
        enters ``cgroup.procs`` and then execs: nothing runs outside the group)."""
        procs = " ".join(shlex.quote(str(folder / "cgroup.procs")) for folder in self.folders)
        script = f'for g in {procs}; do echo $$ > "$g"; done; exec "$@"'
        return ["/bin/sh", "-c", script, "sh", *command]

    def remove(self) -> None:
        """Remove the group, once the kernel has finished ending its processes."""
        for folder in self.folders:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)  # busy: killed processes are still on their way out
        self.folders = []


@functools.cache
def available() -> str | None:
    """``None`` when job cgroups work here, or the reason they do not."""
    if not _hierarchies():
        return "no writable cgroup with the memory and cpu controllers"
    try:
        JobGroup().remove()
    except OSError as exc:
        return f"cannot make a cgroup here ({exc.strerror})"
    return None


def sweep() -> None:
    """Remove the job groups of grading runs that have ended (a ``kill -9`` leaves them)."""
    for base, _ in _hierarchies():
        for folder in base.glob(f"{PREFIX}*"):
            owner = folder.name.removeprefix(PREFIX).split("-")[0]
            if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                with contextlib.suppress(OSError):
                    folder.rmdir()


def job_group() -> JobGroup | None:
    """A new job group, or ``None`` where the machine has none to give."""
    if available() is not None:
        return None
    try:
        return JobGroup()
    except OSError:
        return None
