"""What a stage notebook's cells call: make the workspace, run one task's tests.

The setup cell calls :func:`setup`; each task's test cell calls :func:`check_task` (the
public checks) and, in the instructor's source notebook only, :func:`grade_task` with that
task's hidden tests as text. Tests run exactly as ``workbook grade`` runs them: a trusted
pytest process of its own, the learner's app in a worker process, the same feedback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from grader import catalog, workspace
from grader.catalog import Stage
from grader.nbbuild import WORKSPACE
from grader.results import SubmissionResult, read_lines, score
from grader.runner import pytest_args, run_pytest
from grader.submission import SubmissionError, preflight
from grader.tasksplit import task_tests
from grader.text import printable


class TaskFailed(Exception):
    """A task's tests did not all pass; the cell has already shown which and why."""


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
    stage = catalog.find(stage_name)
    _run(stage, task, task_tests(stage.checks_dir, task), "public checks")


def grade_task(stage_name: str, task: int, tests: str) -> None:
    """Run one task's hidden tests (given as source) against the workspace."""
    _run(catalog.find(stage_name), task, {f"test_task_{task}.py": tests}, "tests")


def _run(stage: Stage, task: int, tests: dict[str, str], kind: str) -> None:
    _quiet_tracebacks()
    project = Path.cwd() / WORKSPACE
    if not (project / workspace.MARKER).is_file():
        raise TaskFailed(f"no {WORKSPACE}/ workspace here: run the setup cell first")
    try:
        preflight(project)
    except SubmissionError as exc:
        raise TaskFailed(f"task {task}: {exc}") from None
    result = _pytest(stage, project, tests)
    failed = _show(task, kind, result)
    if failed:
        total = len(result.tests)
        raise TaskFailed(f"task {task}: {failed} of {total} {kind} failed (see above)")


def _pytest(stage: Stage, project: Path, tests: dict[str, str]) -> SubmissionResult:
    """Write the tests into a folder named after the stage and run them like grading does."""
    with tempfile.TemporaryDirectory(prefix="workbook-notebook-") as tmp:
        folder = Path(tmp) / stage.name
        folder.mkdir()
        for name, text in tests.items():
            (folder / name).write_text(text, encoding="utf-8")
        results = Path(tmp) / "results.jsonl"
        args = pytest_args(stage, results, project, transport="worker", folders=[folder])
        code, out = run_pytest(args, stage.submission_timeout)
        expected, outcomes = read_lines(results)
    if code is None:
        raise TaskFailed(f"the time limit of {stage.submission_timeout:g} s was hit")
    if code not in (0, 1) or not expected:
        last = (out.strip().splitlines() or ["no output"])[-1]
        raise TaskFailed(f"the tests could not run (pytest exit {code}: {last})")
    return score("you", stage.name, expected, outcomes)


def _show(task: int, kind: str, result: SubmissionResult) -> int:
    """Print one line per test (and its teaching sentence when it failed); count failures."""
    print(f"Task {task}, {kind}:")
    failed = 0
    for test in result.tests:
        ok = test.outcome == "passed"
        failed += not ok
        print(f"  {'✓' if ok else '✗'} {printable(test.name)}")
        if not ok:
            print(f"      {printable(test.feedback)}")
    return failed


def _quiet_tracebacks() -> None:
    """In IPython, show a TaskFailed as its one-line message, not the grader's frames."""
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
