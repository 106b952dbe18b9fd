"""The fork server: a warm, sandboxed process that forks the grading workers of one job.

A warm trusted pytest process (``grader.trusted``) starts one, inside bubblewrap, with this
job's scratch folder bound in. It imports Flask, SQLAlchemy, marshmallow, Flask-JWT-Extended
and the other libraries a submission uses once, and never learner code. Each worker is a
forked child that runs ``workbook.worker`` exactly as a fresh process would: its own session,
resource limits, the unprivileged user, the learner's project. Between submissions every
process but this one is killed, so nothing of one learner meets the next.

Protocol on a SOCK_SEQPACKET socket (``--channel FD``), one JSON message each way:
``{"op": "spawn", "argv": [...], "env": {...}}`` with the child's stdin, stdout and stderr
attached as file descriptors, answered ``{"pid": N}``; ``{"op": "wait", "pid": N, "timeout":
s}``, answered ``{"code": int | null}``; ``{"op": "killall"}``, answered ``{"ok": true}``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import signal
import socket
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from workbook import worker
from workbook.cleanup import remove_tree
from workbook.preload import warm_up

CLONE_NEWIPC = 0x08000000
_libc = ctypes.CDLL(None, use_errno=True)


def _spawn(request: dict[str, Any], fds: list[int], channel: socket.socket) -> int:
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        return pid
    code = 70
    try:
        channel.close()
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.clear()
        os.environ.update(request["env"])
        _own_ipc()
        code = worker.main(request["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()  # onto the worker's stderr, which the grader keeps
    finally:
        os._exit(code)


def _wait(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            return None
        time.sleep(0.01)


def _own_ipc() -> None:
    """Give the worker an IPC namespace of its own: the System V shared memory, semaphores
    and queues it makes die with its last process, out of the next learner's reach."""
    if _libc.unshare(CLONE_NEWIPC) != 0:
        os._exit(71)  # never run a learner in the namespace the next one gets


def _remove_shared_memory() -> None:
    """Empty ``/dev/shm`` (POSIX shared memory and semaphores are files there)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir("/dev/shm"):
            with contextlib.suppress(OSError):
                remove_tree(Path(entry.path))


def _killall() -> None:
    """Kill every process of this sandbox but this one (and bubblewrap's init), reap them,
    then remove what they shared."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        while True:
            os.waitpid(-1, 0)  # SIGKILL cannot be ignored: each child is on its way out
    _remove_shared_memory()


def main() -> int:
    """Preload, then serve spawn, wait and killall requests until the channel closes."""
    parser = argparse.ArgumentParser(prog="workbook.zygote")
    parser.add_argument("--channel", type=int, required=True)
    parser.add_argument("--root", help="this job's scratch folder (shown in ps)")
    args = parser.parse_args()
    worker.die_with_parent()
    channel = socket.socket(fileno=args.channel)
    warm_up()
    while True:
        message, fds, _, _ = socket.recv_fds(channel, 1 << 20, 3)
        if not message:
            return 0
        request = json.loads(message)
        if request["op"] == "spawn":
            reply: dict[str, Any] = {"pid": _spawn(request, fds, channel)}
        elif request["op"] == "wait":
            reply = {"code": _wait(int(request["pid"]), float(request["timeout"]))}
        else:
            _killall()
            reply = {"ok": True}
        channel.send(json.dumps(reply).encode("utf-8"))


if __name__ == "__main__":
    sys.exit(main())
