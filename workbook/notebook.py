"""What a stage notebook's cells call, in the learner's kernel: make the workspace, check a task.

The setup cell calls :func:`setup`; each task's test cell calls :func:`check_task`, which runs
that task's public checks against the workspace. The kernel never sees a hidden test: when the
instructor autogrades, the grading kit grades the notebook's file cells in its sandbox and
writes each test cell's score and feedback itself (``grader.nbgrader``). A test cell's result
in this kernel is the public checks' only, never a grade.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from workbook import catalog, checks, workspace
from workbook.catalog import Stage
from workbook.preflight import SubmissionError, preflight
from workbook.results import SubmissionResult, read_lines, score
from workbook.tasksplit import task_tests
from workbook.text import printable

# The folder a notebook builds its workspace in, next to itself.
WORKSPACE = "taskboard"


class TaskFailed(Exception):
    """A task's checks did not all pass; the cell has already shown which and why."""


def setup(stage_name: str) -> None:
    """Make (or remake) the stage's workspace next to the notebook."""
    stage = catalog.find(stage_name)
    dest = Path.cwd() / WORKSPACE
    workspace.start(stage, dest, force=True)
    _quiet_tracebacks()
    print(f"Stage {stage.number}: {stage.title}. Your workspace is {WORKSPACE}/ next to this")
    print("notebook: the finished earlier stages plus this stage's starting files.")
    print("Fill in the file cells below, run each one, then run the task cells to test.")


def check_task(stage_name: str, task: int) -> None:
    """Run the public checks of one task against the workspace; raise TaskFailed on a miss."""
    _quiet_tracebacks()
    stage = catalog.find(stage_name)
    project = Path.cwd() / WORKSPACE
    if not (project / workspace.MARKER).is_file():
        raise TaskFailed(f"no {WORKSPACE}/ workspace here: run the setup cell first")
    try:
        preflight(project)
    except SubmissionError as exc:
        raise TaskFailed(f"task {task}: {exc}") from None
    result = _run(stage, project, task_tests(stage.checks_dir, task))
    failed = _show(task, result)
    if failed:
        total = len(result.tests)
        raise TaskFailed(f"task {task}: {failed} of {total} public checks failed (see above)")
    print("  The hidden tests grade more when your instructor grades the notebook.")


def _run(stage: Stage, project: Path, tests: dict[str, str]) -> SubmissionResult:
    """The checks in a fresh Python process, so each run imports the files as just saved."""
    with tempfile.TemporaryDirectory(prefix="workbook-notebook-") as tmp:
        folder = Path(tmp) / stage.name
        folder.mkdir()
        for name, text in tests.items():
            (folder / name).write_text(text, encoding="utf-8")
        results = Path(tmp) / "results.jsonl"
        args = checks.pytest_args(stage, results, project, folders=[folder])
        env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pytest", *args],
                capture_output=True,
                cwd=tmp,
                env=env,
                timeout=stage.submission_timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TaskFailed(f"the time limit of {stage.submission_timeout:g} s was hit") from None
        expected, outcomes = read_lines(results)
    if done.returncode not in (0, 1) or not expected:
        out = done.stdout.decode("utf-8", errors="replace").strip().splitlines()
        last = printable((out or ["no output"])[-1])
        raise TaskFailed(f"the checks could not run (pytest exit {done.returncode}: {last})")
    return score("you", stage.name, expected, outcomes)


def _show(task: int, result: SubmissionResult) -> int:
    """Print one line per check (and its teaching sentence when it failed); count failures."""
    print(f"Task {task}, public checks:")
    failed = 0
    for test in result.tests:
        ok = test.outcome == "passed"
        failed += not ok
        print(f"  {'✓' if ok else '✗'} {printable(test.name)}")
        if not ok:
            print(f"      {printable(test.feedback)}")
    return failed


def _quiet_tracebacks() -> None:
    """In IPython, show a TaskFailed as its one-line message, not the kit's frames."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((TaskFailed,), _one_line)


def _one_line(shell: Any, etype: type, value: BaseException, _tb: Any, **_kw: Any) -> list[str]:
    """IPython's custom-exception hook: the error output is the message alone."""
    lines = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, lines)  # sends the error output (and records it)
    return lines
