"""Grading's transport: the learner's app in a separate, limited worker process (forked from a
sandboxed fork server when bubblewrap is there), answering JSON lines over a pipe."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from grader import cgroups, sandbox
from grader.scratch import LOCK, Scratch
from workbook.cleanup import remove_tree
from workbook.leaks import Submitted, redact
from workbook.transport import MAX_ANSWER, GradingProblem, request_label

# The folder, beside a worker's own, that holds the sandbox's account files (root's).
ACCOUNTS = "accounts"


class ForkedWorker:
    """A worker forked by the fork server, shaped like the ``Popen`` the backend expects."""

    def __init__(self, server: ForkServer, pid: int, stdin: BinaryIO, stdout: BinaryIO) -> None:
        self.server, self.pid, self.stdin, self.stdout = server, pid, stdin, stdout

    def wait(self, timeout: float | None = None) -> int | None:
        """The worker's exit code; raise TimeoutExpired if it is still running."""
        code = self.server.ask({"op": "wait", "pid": self.pid, "timeout": timeout or 0})["code"]
        if code is None and timeout is not None:
            raise subprocess.TimeoutExpired("worker", timeout)
        return None if code is None else int(code)


class ForkServer:
    """This process's fork server (``workbook.zygote``), in the sandbox, with a scratch folder
    of its own that each learner's project is copied into."""

    def __init__(self, live_stack: bool = False) -> None:
        self.scratch = Scratch("workbook-job-")
        self.root = self.scratch.path
        self.root.chmod(0o711)  # the unprivileged worker passes through to its own folder
        self.live_stack = live_stack
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-I", "-B", "-m", "workbook.zygote", "--root", str(self.root)]
        command += ["--channel", str(theirs.fileno())]
        self.group = cgroups.job_group()
        accounts = self.root / ACCOUNTS if live_stack else None
        command = sandbox.wrap(command, [self.root], cwd=self.root, accounts=accounts)
        self.proc = subprocess.Popen(
            command if self.group is None else self.group.run_in(command),
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            cwd=self.root,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            process_group=0,
        )
        theirs.close()
        self.spawned = 0

    def ask(self, request: dict[str, Any], fds: list[int] | None = None) -> dict[str, Any]:
        """One request, one answer; the server's death is a GradingProblem."""
        try:
            socket.send_fds(self.channel, [json.dumps(request).encode("utf-8")], fds or [])
            answer = self.channel.recv(1 << 16)
        except OSError:
            answer = b""
        if not answer:
            raise GradingProblem("the grader's fork server stopped")
        result: dict[str, Any] = json.loads(answer)
        return result

    def take(self, project: Path) -> tuple[Path, Path]:
        """Kill what the previous learner left running, then copy ``project`` into the job's
        folder; return the copy and a fresh home beside it, both the worker's."""
        self.ask({"op": "killall"})
        for old in self.root.iterdir():
            if old.name not in (LOCK, ACCOUNTS):
                remove_tree(old)  # CleanupError: the caller starts a fresh server
        self.spawned += 1
        work = self.root / f"w{self.spawned}"
        shutil.copytree(project, work / "project", symlinks=True)
        (work / "home").mkdir()
        sandbox.prepare([work])
        return work / "project", work / "home"

    def spawn(self, argv: list[str], env: dict[str, str], log: int) -> ForkedWorker:
        """Fork a worker (``workbook.worker`` arguments ``argv``), its stderr going to ``log``."""
        child_in, to_child = os.pipe()
        from_child, child_out = os.pipe()
        try:
            pid = int(self.ask({"op": "spawn", "argv": argv, "env": env},
                               [child_in, child_out, log])["pid"])  # fmt: skip
        finally:
            os.close(child_in)
            os.close(child_out)
        return ForkedWorker(self, pid, os.fdopen(to_child, "wb"), os.fdopen(from_child, "rb"))

    def close(self, *, from_signal: bool = False) -> None:
        """Stop the server (its sandbox takes every worker with it) and drop its folder.

        ``from_signal``: called by a signal handler, it takes no lock (``Popen.wait`` takes one
        the interrupted code may hold) and waits for the server with ``waitpid`` itself."""
        self.channel.close()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, 9)
        if not from_signal:
            self.proc.wait()
        with contextlib.suppress(OSError):
            os.waitpid(self.proc.pid, 0)
        if self.group is not None:
            self.group.remove()
        with contextlib.suppress(OSError):  # left for the next run's sweep
            self.scratch.remove(attempts=40)


# This process's fork servers: "main" hosts the graded learner's app; "suite" hosts, one at
# a time, the apps that learner's own tests run against (stage 08), so that neither run
# wipes the other's folder.
_fork_servers: dict[str, ForkServer] = {}


def fork_server(role: str = "main", live_stack: bool = False) -> ForkServer | None:
    """The fork server of a warm trusted process (``WORKBOOK_FORK_SERVER=on``, set by
    ``grader.trusted``) when the sandbox is on; ``None`` means: start workers afresh. A
    server that shows the live stack serves only the stages that declare it."""
    if os.environ.get("WORKBOOK_FORK_SERVER") != "on" or sandbox.bwrap() is None:
        return None
    server = _fork_servers.get(role)
    if server is None or server.proc.poll() is not None or server.live_stack != live_stack:
        close_fork_server(role)
        server = _fork_servers[role] = ForkServer(live_stack)
    return server


def fresh_workspace(
    project: Path, role: str = "main", live_stack: bool = False
) -> tuple[ForkServer, Path, Path]:
    """The fork server with ``project`` copied in (:meth:`ForkServer.take`). A server that
    died or a folder that cannot be cleaned is the grader's fault, not this learner's: the
    server is replaced by a fresh one, with a fresh folder, once."""
    server = fork_server(role, live_stack)
    assert server is not None
    try:
        return (server, *server.take(project))
    except (GradingProblem, OSError):
        close_fork_server(role)
    server = fork_server(role, live_stack)
    assert server is not None
    return (server, *server.take(project))


def close_fork_server(role: str | None = None, *, from_signal: bool = False) -> None:
    """Stop this process's fork server of ``role`` (every one when None), if it has one
    (see :meth:`ForkServer.close`)."""
    for name in [role] if role else list(_fork_servers):
        server = _fork_servers.pop(name, None)
        if server is not None:
            server.close(from_signal=from_signal)


class WorkerBackend:
    """Grading: a separate, limited process imports the learner code; we talk JSON lines."""

    # After this many hung or crashed requests the rest fail at once with the same reason: a
    # hang in one endpoint costs only its own tests, one in every request stays bounded.
    MAX_FAILURES = 8
    redacts = True

    def __init__(
        self,
        project: Path,
        timeout: float,
        startup_timeout: float = 20.0,
        *,
        role: str = "main",
        live_stack: bool = False,
    ) -> None:
        self.project = project.resolve()
        # Which fork server forks the worker (:func:`fork_server`), and whether the worker
        # sees the live stack's programs (a stage that declares services).
        self.role, self.live_stack = role, live_stack
        self.submitted = Submitted(self.project)  # before any learner code runs
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[bytes] | ForkedWorker | None = None
        self.broken: str | None = None
        self.restarts = 0
        self.log = tempfile.TemporaryFile(prefix="worker-stderr-")
        # Without the fork server, the worker's HOME and TMPDIR: its own, gone with this backend.
        self.home: Scratch | None = None

    def _env(self, home: Path) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "TMPDIR": str(home),
            "LANG": "C.UTF-8",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        if "WORKBOOK_SHORTCUTS" in os.environ:  # the grader's own switch (workbook.shortcuts)
            env["WORKBOOK_SHORTCUTS"] = os.environ["WORKBOOK_SHORTCUTS"]
        return env

    def _worker_args(self, project: Path) -> list[str]:
        """The arguments of ``workbook.worker`` for a worker on ``project``."""
        cpu = int(self.startup_timeout + 10 * self.timeout + 60)
        args = ["--project", str(project), "--cpu-seconds", str(cpu)]
        if sandbox.drops_to_user():
            args += ["--user", str(sandbox.UNPRIVILEGED)]
        return args

    def _start(self) -> dict[str, Any]:
        if fork_server(self.role, self.live_stack) is not None:
            server, project, home = fresh_workspace(self.project, self.role, self.live_stack)
            argv, env = self._worker_args(project), self._env(home)
            self.proc = server.spawn(argv, env, self.log.fileno())
        else:
            self.home = Scratch("workbook-home-")
            home = self.home.path
            sandbox.prepare([self.project, home])
            command = [sys.executable, "-I", "-B", "-m", "workbook.worker"]
            command += self._worker_args(self.project)
            self.proc = subprocess.Popen(
                sandbox.wrap(
                    command,
                    [self.project, home],
                    cwd=self.project,
                    accounts=home / ACCOUNTS if self.live_stack else None,
                ),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                cwd=self.project,
                env=self._env(home),
                process_group=0,
            )
        return redact(self._read(self.startup_timeout, "starting your app"), self.submitted)

    def call(self, op: str, **args: Any) -> dict[str, Any]:
        """Send one request; a hang or a crash becomes a GradingProblem, not a hang here."""
        if self.broken:
            raise GradingProblem(self.broken)
        if self.proc is None:
            ready = self._start()
            if not ready["ok"]:
                return ready
        assert self.proc is not None and self.proc.stdin is not None
        what = request_label(args.get("method", ""), args.get("path", "")) or op
        try:
            self.proc.stdin.write(json.dumps({"op": op, **args}).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._crashed(what)
        # An op that runs for up to ``limit`` seconds on its own (the learner's suite) gets them.
        wait = self.timeout + float(args.get("limit", 0))
        return redact(self._read(wait, what), self.submitted)

    def _read(self, timeout: float, what: str) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        buffer = bytearray()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while not buffer.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    self._timed_out(what, timeout)
                chunk = os.read(fd, 65536)
                if not chunk:
                    self._crashed(what)
                buffer += chunk
                if len(buffer) > MAX_ANSWER:
                    self._fail(f"your app's answer to {what} was larger than 16 MiB")
        try:
            answer: dict[str, Any] = json.loads(buffer)
        except ValueError:
            self._fail(f"your app garbled the grader's channel while answering {what}")
        return answer

    def _timed_out(self, what: str, timeout: float) -> NoReturn:
        self.kill()
        if what in ("starting your app", "create_app"):
            # Every test needs the app: one that does not import or build in time never will.
            self.broken = f"your app did not finish {what} within {timeout:g} s"
        self._fail(
            f"your app did not answer {what} within {timeout:g} s (a hang or endless loop?)",
            restart=True,
        )

    def _crashed(self, what: str) -> NoReturn:
        code = None
        if self.proc is not None:
            try:
                code = self.proc.wait(timeout=1)  # EOF comes just before the exit status
            except subprocess.TimeoutExpired:
                pass
        self.kill()
        self._fail(
            f"your app ended the worker process (exit code {code}) while answering {what}",
            restart=True,
        )

    def _fail(self, message: str, restart: bool = False) -> NoReturn:
        if restart:
            self.restarts += 1
            if self.restarts >= self.MAX_FAILURES and not self.broken:
                self.broken = f"{message}; stopped after {self.MAX_FAILURES} such failures"
        self.kill()
        raise GradingProblem(message)

    def kill(self) -> None:
        """Stop the worker and everything in its process group."""
        if self.proc is None:
            return
        if isinstance(self.proc, ForkedWorker):
            with contextlib.suppress(GradingProblem):
                self.proc.server.ask({"op": "killall"})
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, 9)
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self.proc = None

    def close(self) -> None:
        """End the session: close the pipe, then make sure nothing is left running. A forked
        worker is not waited for: the fork server's killall ends it and all it started."""
        if isinstance(self.proc, subprocess.Popen) and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        self.log.close()
        if self.home is not None:
            with contextlib.suppress(OSError):  # left for the next run's sweep
                self.home.remove()
