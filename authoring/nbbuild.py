"""Generate a stage's nbgrader source notebook from the one source.

The README becomes markdown cells; a locked setup cell builds the workspace; each file the
learner edits becomes a ``%%writefile`` solution cell whose fences are nbgrader solution
regions; each task gets an autograded test cell worth the task's points that names its stage
and task and holds no test: the hidden tests stay in the grading kit, which scores the cell
when the instructor autogrades (``grader.nbgrader``). Released with ``ClearSolutions.code_stub``
set to an empty stub (``grader.course``), a fence leaves exactly its ``TODO`` line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from grader import paths as grader_paths
from workbook import fences, paths
from workbook.catalog import Stage
from workbook.errors import FenceError
from workbook.notebook import WORKSPACE
from workbook.tasksplit import task_points

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


INTRO = """\
**How this notebook works.** Run the setup cell first: it builds `{workspace}/` next to this
notebook, the finished earlier stages plus this stage's starting files. Each file you edit
has a cell that starts with `%%writefile`: replace each `TODO` with your code and run the
cell to save the file. Each task has a test cell: run it to check your work. Before you
submit, press *Validate*: it runs every cell in a fresh kernel and lists the test cells that
fail (*Run All* stops at the first failing one)."""


def _meta(grade_id: str, *, solution: bool = False, points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _cell(kind: str, cell_id: str, text: str, meta: dict[str, Any]) -> dict[str, Any]:
    lines = text.splitlines(keepends=True)
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id, "metadata": meta, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def readme_sections(text: str) -> list[str]:
    """The README split before each ``## `` heading that is not inside a code block."""
    sections: list[list[str]] = [[]]
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if line.startswith("## ") and not in_code and any(s.strip() for s in sections[-1]):
            sections.append([])
        sections[-1].append(line)
    return ["\n".join(s).strip() for s in sections if any(x.strip() for x in s)]


def file_cell_text(path: Path, relative: str) -> str:
    """A solution file as a ``%%writefile`` cell: each fence an nbgrader solution region
    behind its TODO line (and its SKELETON lines, which are comments)."""
    text = path.read_text(encoding="utf-8")
    where = str(path.relative_to(paths.root()))
    lines = text.splitlines()
    out = [f"%%writefile {WORKSPACE}/{relative}"]
    cursor = 1
    for fence in fences.parse(text, where):
        out.extend(lines[cursor - 1 : fence.begin - 1])
        out.append(f"{fence.indent}# TODO(task {fence.task}): {fence.todo}")
        out.extend(line for line in fence.skeleton or [] if line.strip())
        out.extend([f"{fence.indent}{BEGIN}", *fence.solution, f"{fence.indent}{END}"])
        cursor = fence.end + 1
    out.extend(lines[cursor - 1 :])
    if path.suffix == ".py":
        _check_released(out[1:], where)
    return "\n".join(out)


def released(lines: list[str]) -> list[str]:
    """Lines as nbgrader releases them with the course's empty stub: each region dropped."""
    kept, inside = [], False
    for line in lines:
        if line.strip() in (BEGIN, END):
            inside = line.strip() == BEGIN
        elif not inside:
            kept.append(line)
    return kept


def _check_released(lines: list[str], where: str) -> None:
    """The file as nbgrader releases it must still parse."""
    try:
        compile("\n".join(released(lines)), where, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise FenceError(
            f"{where}: its released notebook cell does not parse ({exc.msg}, line {exc.lineno}); "
            "give the function a docstring or move the fence"
        ) from None


def edited_files(stage: Stage) -> list[str]:
    """The files the learner edits: stage.toml's ``edit`` list, then any other fenced file."""
    fenced = [
        path.relative_to(stage.solution_dir).as_posix()
        for path in sorted(stage.solution_dir.rglob("*.py"))
        if fences.parse(path.read_text(encoding="utf-8"), str(path))
    ]
    return [*stage.edit, *(name for name in fenced if name not in stage.edit)]


def _points(stage: Stage) -> dict[int, float]:
    points: dict[int, float] = {}
    for path in sorted(grader_paths.suite(stage).glob("test_*.py")):
        for task, value in task_points(path.read_text(encoding="utf-8")).items():
            points[task] = points.get(task, 0.0) + value
    return points


def test_cell_text(stage: Stage, task: int, title: str, points: float) -> str:
    """One task's autograded cell: it names its stage and task, and holds no test. In the
    learner's kernel it runs the task's public checks; when the instructor autogrades, the
    grading kit writes the cell's score and feedback from the sandboxed hidden tests."""
    return "\n".join(
        [
            f"# Task {task}: {title} ({points:g} points). Run this cell to check your work.",
            "from workbook.notebook import check_task",
            "",
            f'check_task("{stage.name}", {task})',
        ]
    )


def notebook(stage: Stage) -> dict[str, Any]:
    """The nbgrader source notebook of ``stage`` as JSON-ready data."""
    readme = (stage.exercise_dir / "README.md").read_text(encoding="utf-8")
    cells = [
        _cell("markdown", f"readme-{n}", section, _meta(f"readme_{n}"))
        for n, section in enumerate(readme_sections(readme), start=1)
    ]
    cells.append(_cell("markdown", "how", INTRO.format(workspace=WORKSPACE), _meta("how")))
    setup = (
        "# Setup (read-only): builds this stage's workspace next to the notebook. Run it first.\n"
        f'from workbook.notebook import setup\n\nsetup("{stage.name}")'
    )
    cells.append(_cell("code", "setup", setup, _meta("setup")))
    for relative in edited_files(stage):
        slug = re.sub(r"[^A-Za-z0-9]+", "_", relative).strip("_")
        cells.append(_cell("markdown", f"about-{slug}"[:64], f"### `{relative}`", {}))
        text = file_cell_text(stage.solution_dir / relative, relative)
        cells.append(_cell("code", f"file-{slug}"[:64], text, _meta(slug, solution=True)))
    points = _points(stage)
    for task in stage.tasks:
        heading = f"### Test task {task.number}: {task.title}"
        cells.append(_cell("markdown", f"about-task-{task.number}", heading, {}))
        text = test_cell_text(stage, task.number, task.title, points.get(task.number, 0.0))
        meta = _meta(f"task_{task.number}", points=points.get(task.number, 0.0))
        cells.append(_cell("code", f"task-{task.number}", text, meta))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_path(stage: Stage) -> Path:
    """Where the generated notebook of ``stage`` lives."""
    return paths.root() / "notebooks" / f"{stage.name}.ipynb"


def render(stage: Stage) -> bytes:
    """The notebook file's bytes: stable JSON, so ``build --check`` can compare them."""
    return (json.dumps(notebook(stage), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
