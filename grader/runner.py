"""Grade submissions: copy, preflight, run the trusted pytest process, score.

Each submission is graded by its own trusted pytest process, which runs the hidden suites of
stages 1..N and never imports learner code; that process's fixtures reach the learner's app
through a worker process (``workbook.worker``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from grader import paths, tamper
from grader.scratch import folder as scratch_folder
from grader.scratch import sweep as scratch_sweep
from grader.submission import Submission, SubmissionError, content_hash, materialize
from workbook import catalog, checks, manifest, stack
from workbook.catalog import Stage
from workbook.errors import WorkbookError
from workbook.results import Expected, SubmissionResult, failed_result, read_lines, score


def pytest_args(
    stage: Stage, results: Path, project: Path | None, *, transport: str, folders: list[Path]
) -> list[str]:
    """A run's arguments; ``transport="worker"`` hosts the app in the sandboxed worker."""
    plugins = ("grader.transport",) if transport == "worker" else ()
    return checks.pytest_args(stage, results, project, plugins=plugins, folders=folders)


def _trusted_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PYTHON"))}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


class WarmPytest:
    """A trusted pytest process kept across submissions (``grader.trusted``), one per job."""

    # A fresh process now and then bounds whatever one pytest session leaves behind.
    MAX_RUNS = 100

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-m", "grader.trusted"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=paths.suites(),
            env=_trusted_env(),
            start_new_session=True,
        )
        self.runs = 0

    def run(self, args: list[str], timeout: float) -> tuple[int | None, str]:
        """One grading run; ``None`` when the time limit was hit (the process is then gone)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.runs += 1
        try:
            self.proc.stdin.write(json.dumps({"args": args}).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except OSError:
            return -1, "the trusted pytest process ended"
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self.proc.stdout, selectors.EVENT_READ)
                if not selector.select(timeout):
                    self.close()
                    return None, ""
            line = self.proc.stdout.readline()
        except (OSError, ValueError):  # closed by close_warm: the run was interrupted
            line = b""
        if not line:
            self.close()
            return -1, "the trusted pytest process ended"
        reply = json.loads(line)
        return int(reply["code"]), str(reply["output"])

    def alive(self) -> bool:
        """Whether it can take another run."""
        return self.proc.poll() is None and self.runs < self.MAX_RUNS

    def close(self, grace: float = 0) -> None:
        """Stop it: given ``grace`` seconds to finish its run, then told to stop (it stops its
        fork server and removes its folder), then its whole process group is killed.

        Its answers pipe is closed last: a thread still waiting on it (an interrupted run)
        then wakes at once to the end of the pipe, not at its run's time limit."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        for signum, wait in ((None, grace), (signal.SIGTERM, 5.0)):
            if signum is not None:
                with contextlib.suppress(ProcessLookupError):
                    self.proc.send_signal(signum)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=wait)
                break
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


_warm = threading.local()
_all_warm: list[WarmPytest] = []
_warm_lock = threading.Lock()
# Set when a grading run is interrupted: no thread starts another warm process after it.
_interrupted = threading.Event()


def run_warm(args: list[str], timeout: float) -> tuple[int | None, str]:
    """:func:`run_pytest` in this thread's warm trusted process (started when needed)."""
    warm: WarmPytest | None = getattr(_warm, "pytest", None)
    if warm is None or not warm.alive():
        if warm is not None:
            warm.close()
        with _warm_lock:
            if _interrupted.is_set():
                return -1, "the grading run was interrupted"
            warm = _warm.pytest = WarmPytest()
            _all_warm.append(warm)
    return warm.run(args, timeout)


def close_warm(grace: float = 5) -> None:
    """Stop every warm trusted process (the end of a grading run; ``grace=0`` when it was
    interrupted: a run in progress is not waited for, and none starts after)."""
    if grace == 0:
        _interrupted.set()
    with _warm_lock:
        while _all_warm:
            _all_warm.pop().close(grace=grace)
    _warm.__dict__.clear()


def run_pytest(args: list[str], timeout: float) -> tuple[int | None, str]:
    """Run the trusted pytest in a process of its own; on the whole-run time limit, kill its
    process group."""
    proc = subprocess.Popen(
        [sys.executable, "-I", "-m", "pytest", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=paths.suites(),
        env=_trusted_env(),
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode("utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, ""


def suite_folders(stage: Stage) -> list[Path]:
    """The hidden suites a grading run of ``stage`` executes: stages 1..N."""
    return [paths.suite(s) for s in catalog.upto(stage)]


@functools.cache
def expected_tests(stage_name: str) -> tuple[Expected, ...]:
    """Every test of suites 1..N with its points, collected once by the trusted side."""
    stage = catalog.find(stage_name)
    with tempfile.TemporaryDirectory(prefix="workbook-collect-") as tmp:
        results = Path(tmp) / "collected.jsonl"
        args = pytest_args(stage, results, None, transport="worker", folders=suite_folders(stage))
        code, out = run_pytest([*args, "--collect-only"], timeout=120)
        expected, _ = read_lines(results)
    if code != 0 or not expected:
        raise WorkbookError(
            f"the hidden suites of {stage.name} do not collect: "
            f"{out.strip().splitlines()[-1:] or code}"
        )
    return tuple(expected)


def suite_version(stage: Stage) -> str:
    """A hash of the hidden suite files a grading run of ``stage`` uses."""
    digest = hashlib.sha256()
    for folder in suite_folders(stage):
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


Reuse = Callable[[str, str, str], SubmissionResult | None]


def grade_one(submission: Submission, stage: Stage, reuse: Reuse | None = None) -> SubmissionResult:
    """Grade one submission; any problem becomes a result with status ``error``.

    ``reuse(learner, stage, content_hash)`` may hand back a stored result for an unchanged
    submission, which is then not graded again. Tampering attempts are flagged either way.
    """
    flags = tamper.scan_source(submission.source)
    result = _graded(submission, stage, reuse, flags)
    result.flags = list(dict.fromkeys(result.flags + flags))
    return result


def _graded(
    submission: Submission, stage: Stage, reuse: Reuse | None, flags: list[str]
) -> SubmissionResult:
    expected = list(expected_tests(stage.name))
    if missing := stack.missing_services(stage.services):
        return failed_result(
            submission.learner,
            stage.name,
            expected,
            f"this grading machine has no {', '.join(missing)}: grading {stage.name} starts "
            "them for real (`python3 run.py demo`, run as root on Debian, installs them)",
        )
    with scratch_folder("workbook-grade-") as scratch:
        try:
            project = materialize(submission, scratch, stage)
        except (SubmissionError, OSError) as exc:
            return failed_result(submission.learner, stage.name, expected, str(exc))
        flags.extend(tamper.scan_project(project))
        flags.extend(manifest.verify(project, stage.name))
        digest = content_hash(project)
        if reuse is not None and (stored := reuse(submission.learner, stage.name, digest)):
            return stored
        results = scratch / "results.jsonl"
        args = pytest_args(
            stage, results, project, transport="worker", folders=suite_folders(stage)
        )
        code, out = run_warm(args, stage.submission_timeout)
        _, outcomes = read_lines(results)
    if code is None:
        result = score(
            submission.learner,
            stage.name,
            expected,
            outcomes,
            missing="not run: the whole-submission time limit was hit",
        )
        result.status = "error"
        result.message = f"time limit of {stage.submission_timeout:g} s hit for the whole run"
    elif code not in (0, 1):
        last = (out.strip().splitlines() or ["no output"])[-1]
        return failed_result(
            submission.learner,
            stage.name,
            expected,
            f"the grader failed (pytest exit {code}: {last})",
            digest,
        )
    else:
        result = score(submission.learner, stage.name, expected, outcomes)
    result.content_hash = digest
    return result


def grade_pairs(
    pairs: list[tuple[Submission, Stage]],
    jobs: int,
    on_result: Callable[[SubmissionResult], None],
    reuse: Reuse | None = None,
    keep: bool = True,
) -> list[SubmissionResult]:
    """Grade (submission, stage) pairs, ``jobs`` at once; report each result as it finishes.

    Only a few submissions are queued ahead of the workers, and, unless ``keep``, a result is
    dropped once ``on_result`` has it: a cohort of any size grades in constant memory.
    """
    for name in sorted({stage.name for _, stage in pairs}):
        expected_tests(name)  # collect once per stage, before the threads start
    done: dict[int, SubmissionResult] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    queued = iter(enumerate(pairs))
    pending: dict[Future[SubmissionResult], int] = {}

    def queue_next() -> None:
        for i, (sub, stage) in itertools.islice(queued, 1):
            pending[pool.submit(grade_one, sub, stage, reuse)] = i

    finished = False
    _interrupted.clear()
    try:
        for _ in range(2 * max(1, jobs)):
            queue_next()
        while pending:
            ready, _ = futures.wait(pending, return_when=futures.FIRST_COMPLETED)
            for future in ready:
                index = pending.pop(future)
                result = future.result()
                on_result(result)
                if keep:
                    done[index] = result
                queue_next()
        finished = True
    finally:
        # While the pool's threads live: a warm process dies with the thread that started it
        # (PR_SET_PDEATHSIG), and must first stop its fork server and remove its folder.
        for future in pending:
            future.cancel()  # an interrupted run starts no queued submission
        close_warm(grace=5 if finished else 0)
        pool.shutdown(cancel_futures=True)
        if not finished:  # a folder a killed process was still removing, now unlocked
            scratch_sweep()
    return [done[i] for i in sorted(done)]


def grade_all(
    submissions: list[Submission],
    stage: Stage,
    jobs: int,
    on_result: Callable[[SubmissionResult], None],
) -> list[SubmissionResult]:
    """Grade a cohort of one stage, in the order given."""
    return grade_pairs([(sub, stage) for sub in submissions], jobs, on_result)
