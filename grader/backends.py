"""How the trusted side reaches the learner's app: a worker process, or in-process for checks."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn, Protocol

from grader import sandbox

MAX_ANSWER = 16 * 1024 * 1024


class GradingProblem(Exception):
    """Why a test could not get its answer; the message is shown to the learner as is."""


class LearnerError(GradingProblem):
    """Learner code raised while answering; ``info`` holds its type, base classes and message."""

    def __init__(self, message: str, info: dict[str, Any]) -> None:
        super().__init__(message)
        self.info = info

    def is_a(self, name: str) -> bool:
        """Whether the learner's exception is (a subclass of) the class named ``name``."""
        return name in self.info.get("mro", [])


class Backend(Protocol):
    """One request in, one answer out (``{"ok": ..., "result"|"error": ...}``)."""

    def call(self, op: str, **args: Any) -> dict[str, Any]: ...

    def close(self) -> None: ...


def _roundtrip(data: dict[str, Any]) -> dict[str, Any]:
    """Exactly what a pipe would carry: plain JSON values, nothing else."""
    result: dict[str, Any] = json.loads(json.dumps(data))
    return result


class InProcessBackend:
    """``workbook check``: the learner's app in this process, the same ops and data shapes."""

    def __init__(self, project: Path) -> None:
        from grader.apphost import AppHost

        self.host = AppHost(project.resolve())
        self.ready = self.host.handle({"op": "import"})
        os.chdir(project)

    def call(self, op: str, **args: Any) -> dict[str, Any]:
        """Answer in-process; an import failure answers every call."""
        if not self.ready["ok"]:
            return self.ready
        return _roundtrip(self.host.handle(_roundtrip({"op": op, **args})))

    def close(self) -> None:
        """Nothing to stop."""


class WorkerBackend:
    """Grading: a separate, limited process imports the learner code; we talk JSON lines."""

    # After this many hung or crashed requests the rest fail at once with the same reason: a
    # hang in one endpoint costs only its own tests, one in every request stays bounded.
    MAX_FAILURES = 8

    def __init__(self, project: Path, timeout: float, startup_timeout: float = 20.0) -> None:
        self.project = project.resolve()
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.broken: str | None = None
        self.restarts = 0
        self.log = tempfile.TemporaryFile(prefix="worker-stderr-")
        # The worker's HOME and TMPDIR: its own, writable, gone with this backend.
        self.home = tempfile.TemporaryDirectory(prefix="workbook-home-")

    def _env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home.name,
            "TMPDIR": self.home.name,
            "LANG": "C.UTF-8",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _start(self) -> dict[str, Any]:
        cmd = [
            sys.executable,
            "-I",
            "-B",
            "-m",
            "grader.worker",
            "--project",
            str(self.project),
            "--cpu-seconds",
            str(int(self.startup_timeout + 10 * self.timeout + 60)),
        ]
        writable = [self.project, Path(self.home.name)]
        if sandbox.drops_to_user():
            cmd += ["--user", str(sandbox.UNPRIVILEGED)]
            sandbox.prepare(writable)
        self.proc = subprocess.Popen(
            sandbox.wrap(cmd, writable, cwd=self.project),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=self.project,
            env=self._env(),
            process_group=0,
        )
        return self._read(self.startup_timeout, "starting your app")

    def call(self, op: str, **args: Any) -> dict[str, Any]:
        """Send one request; a hang or a crash becomes a GradingProblem, not a hang here."""
        if self.broken:
            raise GradingProblem(self.broken)
        if self.proc is None:
            ready = self._start()
            if not ready["ok"]:
                return ready
        assert self.proc is not None and self.proc.stdin is not None
        what = f"{args.get('method', '')} {args.get('path', '')}".strip() or op
        try:
            self.proc.stdin.write(json.dumps({"op": op, **args}).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._crashed(what)
        return self._read(self.timeout, what)

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
        try:
            os.killpg(self.proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self.proc = None

    def close(self) -> None:
        """End the session: close the pipe, then make sure nothing is left running."""
        if self.proc is not None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        self.log.close()
        self.home.cleanup()
