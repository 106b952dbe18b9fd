"""nbgrader's autograde, through the sandbox: no learner cell ever runs in a kernel.

``workbook export nbgrader`` writes an ``nbgrader_config.py`` that puts
:class:`GradeInSandbox` where nbgrader's ``Execute`` preprocessor was. It grades the
notebook exactly as ``workbook grade`` does (the ``%%writefile`` cells laid over the stage's
starting workspace, the hidden suites in a trusted process, the app in the sandboxed worker)
and writes into each task's test cell that task's teaching feedback and, as the cell's
result, its points: nbgrader's partial credit. So nbgrader records the same per-task scores
as ``workbook grade``, its feedback shows sentences and scores and no test, and a cell that
patches the kernel has nothing to patch.
"""

from __future__ import annotations

import atexit
import re
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from grader import runner
from grader.submission import Submission
from workbook import catalog
from workbook.catalog import Stage
from workbook.errors import WorkbookError
from workbook.results import SubmissionResult, TestResult
from workbook.text import printable

TASK_CELL = re.compile(r"^task_(\d+)$")
_warm = False


def _stage(resources: ResourcesDict) -> Stage:
    """The stage an assignment grades: its name is the stage's (``02_blueprints``)."""
    names = resources.get("nbgrader", {})
    for key in ("assignment", "notebook"):
        try:
            return catalog.find(str(names.get(key, "")))
        except WorkbookError:
            continue
    raise WorkbookError(f"assignment {names.get('assignment')!r} is not a stage (NN_name)")


def _stream(text: str) -> NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _points(value: float) -> NotebookNode:
    return nbformat.v4.new_output(
        "execute_result", data={"text/plain": f"{value:g}"}, execution_count=1
    )


def _line(test: TestResult) -> str:
    mark = "✓" if test.outcome == "passed" else "✗"
    line = f"  {mark} {printable(test.name)} ({test.points:g}/{test.max_points:g})\n"
    if test.outcome != "passed":
        line += f"      {printable(test.feedback)}\n"
    return line


def task_report(result: SubmissionResult, task: int) -> tuple[str, float]:
    """What a task's test cell shows after grading, and the points it records."""
    tests = [t for t in result.tests if t.task == task]
    earned = sum(t.points for t in tests)
    most = sum(t.max_points for t in tests)
    text = f"Task {task}: {earned:g}/{most:g} points from the hidden tests.\n"
    if result.status != "graded":
        text += f"  Not graded: {printable(result.message)}\n"
    text += "".join(_line(t) for t in tests)
    if result.flags:
        text += f"  ⚑ flagged: {printable('; '.join(result.flags))}\n"
    return text, earned


def grade_notebook(nb: NotebookNode, learner: str, stage: Stage) -> SubmissionResult:
    """Grade the notebook as ``workbook grade`` grades a submitted notebook."""
    global _warm
    with tempfile.TemporaryDirectory(prefix="workbook-nbgrader-") as tmp:
        path = Path(tmp) / f"{stage.name}.ipynb"
        nbformat.write(nb, str(path))
        if not _warm:  # the warm trusted process serves every notebook of this autograde
            atexit.register(runner.close_warm)
            _warm = True
        return runner.grade_one(Submission(learner=learner, source=path), stage)


class GradeInSandbox(NbGraderPreprocessor):
    """Autograde's grading step: the sandboxed hidden tests, never the learner's kernel."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        """Grade once, then fill in every task cell's output from the result."""
        stage = _stage(resources)
        learner = str(resources.get("nbgrader", {}).get("student", "learner"))
        result = grade_notebook(nb, learner, stage)
        for cell in nb.cells:
            task = _task_of(cell)
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
            if task is not None:
                text, earned = task_report(result, task)
                cell.outputs = [_stream(text), _points(earned)]
                cell.execution_count = 1
        return nb, resources


def _task_of(cell: Any) -> int | None:
    """The task a grade cell tests (its nbgrader id is ``task_N``), or None."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    match = TASK_CELL.match(str(meta.get("grade_id", "")))
    return int(match[1]) if match and meta.get("grade") and cell.cell_type == "code" else None
