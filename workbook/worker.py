"""The grading worker: a separate process that imports learner code and answers JSON lines.

Started by the trusted side as ``python -I -B -m workbook.worker --project DIR``: ``-I`` keeps the
submission's ``sitecustomize.py``, ``.pth`` files and ``PYTHON*`` variables out. Protocol: one
JSON request per line on stdin, one JSON answer per line on the original stdout; whatever the
learner prints goes to stderr, which the trusted side caps.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import resource
import signal
import sys
from json import dumps, loads
from pathlib import Path
from typing import BinaryIO

# ``dumps``/``loads`` are bound here, before any learner code runs: a submission that
# replaces ``json.dumps`` cannot rewrite the answers this worker sends.
MIB = 1024 * 1024
PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``signum`` (to kill) this process when the one that started it dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum)


def _limit(kind: int, value: int) -> None:
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (value, value))


def apply_limits(memory_mb: int, cpu_seconds: int, file_mb: int, processes: int) -> None:
    """Resource limits the learner code cannot raise again (soft = hard). The process count
    binds only a non-root user (root ignores it): see :func:`become`."""
    _limit(resource.RLIMIT_AS, memory_mb * MIB)
    _limit(resource.RLIMIT_CPU, cpu_seconds)
    _limit(resource.RLIMIT_FSIZE, file_mb * MIB)
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_NOFILE, 256)
    _limit(resource.RLIMIT_NPROC, processes)


def become(uid: int) -> None:
    """Drop root for good before any learner code runs (inside the sandbox only)."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def _protocol_out() -> BinaryIO:
    """Keep the real stdout for answers and point fd 1 at stderr for learner prints."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return out


def serve(project: Path, out: BinaryIO) -> None:
    """Answer requests from stdin until it closes."""
    # Preload what every submission imports, so learner modules cannot shadow it.
    import flask  # noqa: F401

    from workbook.apphost import AppHost

    host = AppHost(project)
    _send(out, host.handle({"op": "import"}))
    for line in sys.stdin.buffer:
        try:
            request = loads(line)
        except ValueError:
            break
        _send(out, host.handle(request))


def _send(out: BinaryIO, answer: dict[str, object]) -> None:
    try:
        text = dumps(answer, allow_nan=False)
    except (TypeError, ValueError) as exc:
        error = {
            "type": "ProtocolError",
            "mro": [],
            "where": "",
            "message": f"unserialisable: {exc}",
        }
        text = dumps({"ok": False, "error": error})
    out.write(text.encode("utf-8") + b"\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, limit this process, then serve."""
    parser = argparse.ArgumentParser(prog="workbook.worker")
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--cpu-seconds", type=int, default=120)
    parser.add_argument("--file-mb", type=int, default=64)
    parser.add_argument("--processes", type=int, default=128)
    parser.add_argument("--user", type=int, help="switch to this uid (when started as root)")
    args = parser.parse_args(argv)
    die_with_parent()
    out = _protocol_out()
    apply_limits(args.memory_mb, args.cpu_seconds, args.file_mb, args.processes)
    if args.user is not None:
        become(args.user)
    os.chdir(args.project)
    serve(args.project.resolve(), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
