"""Every stage as an nbgrader assignment, run in real Jupyter kernels and graded by nbgrader's
own commands on a temporary course (no mocks).

Slow (nbgrader starts a kernel per notebook): ``-m "not notebooks"`` skips them locally; CI
runs them. One stage, a handful of students, one course shared by the module.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from authoring.nbbuild import edited_files
from grader import paths as grader_paths
from grader import samples
from grader.runner import expected_tests
from workbook import catalog, fences, paths

pytestmark = pytest.mark.notebooks

STAGE = "04_validation"
BIN = Path(sys.executable).parent
Notebook = dict[str, Any]


def _run(*args: str | Path, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _cell(notebook: Notebook, grade_id: str) -> dict[str, Any]:
    return next(c for c in notebook["cells"] if _grade_id(c) == grade_id)


def _grade_id(cell: dict[str, Any]) -> str:
    return str(cell["metadata"].get("nbgrader", {}).get("grade_id", ""))


def _text(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _failed(cell: dict[str, Any]) -> bool:
    """What nbgrader scores as a failed test cell: an error, or anything on stderr."""
    return any(
        o["output_type"] == "error" or (o["output_type"] == "stream" and o["name"] == "stderr")
        for o in cell.get("outputs", [])
    )


def _task_cells(notebook: Notebook) -> list[dict[str, Any]]:
    return [c for c in notebook["cells"] if _grade_id(c).startswith("task_")]


def _execute(notebook: Path) -> Notebook:
    """Run a notebook top to bottom in a real kernel (nbconvert), errors kept in the outputs."""
    out = notebook.with_name(f"executed-{notebook.name}")
    result = _run(
        "jupyter",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--allow-errors",
        "--ExecutePreprocessor.timeout=600",
        "--output",
        out.name,
        notebook.name,
        cwd=notebook.parent,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(json.loads(out.read_text(encoding="utf-8")))


def _with_files(released: Notebook, project: Path | None) -> Notebook:
    """A learner's notebook: the released one with every file cell holding ``project``'s file."""
    notebook: Notebook = json.loads(json.dumps(released))
    if project is None:
        return notebook
    for cell in notebook["cells"]:
        first, _, _ = _text(cell).partition("\n")
        if cell["cell_type"] == "code" and first.startswith("%%writefile taskboard/"):
            name = first.removeprefix("%%writefile taskboard/")
            text = (project / name).read_text(encoding="utf-8")
            cell["source"] = f"{first}\n{text}".splitlines(keepends=True)
    return notebook


def _sample(name: str, dest: Path) -> Path:
    sample = next(s for s in samples.load(catalog.find(STAGE)) if s.name == name)
    return samples.assemble(sample, dest).source


def _tamper(notebook: Notebook, change: Callable[[Notebook], None]) -> Notebook:
    change(notebook)
    return notebook


def _delete_task_5(nb: Notebook) -> None:
    nb["cells"].remove(_cell(nb, "task_5"))


def _raise_points(nb: Notebook) -> None:
    cell = _cell(nb, "task_1")
    cell["metadata"]["nbgrader"]["points"] = 100
    cell["source"] = ["pass\n"]


def _disable_checks_in_setup(nb: Notebook) -> None:
    _cell(nb, "setup")["source"] = [
        "import grader.notebook as n\n",
        "n.check_task = n.grade_task = lambda *args: None\n",
        f"n.setup('{STAGE}')\n",
    ]
    for cell in _task_cells(nb):
        cell["source"] = ["pass\n"]


def _rename_grade_id(nb: Notebook) -> None:
    cell = _cell(nb, "task_2")
    cell["metadata"]["nbgrader"]["grade_id"] = "task_2_mine"
    cell["source"] = ["pass\n"]


def _workbook_task_points(project: Path, work: Path) -> float:
    """What ``workbook grade`` gives ``project``, counted per whole task as nbgrader scores."""
    cohort = work / "cohort"
    shutil.copytree(project, cohort / "carol")
    result = _run(
        sys.executable, "-m", "grader", "grade", cohort, "--stage", STAGE, "--json", cwd=work
    )
    task_of = {test.id: test.task for test in expected_tests(STAGE)}
    by_task: dict[int, list[dict[str, Any]]] = {}
    for test in json.loads(result.stdout)["submissions"][0]["tests"]:
        by_task.setdefault(task_of[test["id"]], []).append(test)
    return sum(
        sum(t["max_points"] for t in group)
        for group in by_task.values()
        if all(t["outcome"] == "passed" for t in group)
    )


@pytest.fixture(scope="module")
def course() -> Any:
    """A course with stage 04 released, seven students submitted, autograded, fed back and
    exported, all by nbgrader's own commands."""
    with tempfile.TemporaryDirectory(prefix="workbook-nbgrader-") as tmp:
        work = Path(tmp)
        course = work / "course"
        made = _run(sys.executable, "-m", "grader", "export", "nbgrader", "--course", course,
                    "--stage", STAGE, cwd=work)  # fmt: skip
        assert made.returncode == 0, made.stdout + made.stderr
        released = _run("nbgrader", "generate_assignment", STAGE, cwd=course)
        assert released.returncode == 0, released.stderr[-3000:]
        release = json.loads((course / "release" / STAGE / f"{STAGE}.ipynb").read_text())
        reference, partial = _sample("reference", work / "ref"), _sample("partial", work / "part")
        students = {
            "alice": _with_files(release, reference),
            "bob": _with_files(release, None),
            "carol": _with_files(release, partial),
            "dave": _tamper(_with_files(release, reference), _delete_task_5),
            "erin": _tamper(_with_files(release, None), _raise_points),
            "frank": _tamper(_with_files(release, None), _disable_checks_in_setup),
            "grace": _tamper(_with_files(release, None), _rename_grade_id),
        }
        for student, notebook in students.items():
            folder = course / "submitted" / student / STAGE
            folder.mkdir(parents=True)
            (folder / f"{STAGE}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
        _run("nbgrader", "autograde", STAGE, "--create", cwd=course)
        feedback = _run("nbgrader", "generate_feedback", STAGE, cwd=course)
        exported = _run("nbgrader", "export", cwd=course)
        assert exported.returncode == 0, exported.stderr[-3000:]
        with (course / "grades.csv").open(encoding="utf-8") as handle:
            grades = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
        yield {
            "course": course,
            "grades": grades,
            "feedback": feedback,
            "partial_expected": _workbook_task_points(partial, work),
        }


def _autograded(course: Path, student: str) -> Notebook:
    path = course / "autograded" / student / STAGE / f"{STAGE}.ipynb"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_the_source_notebook_passes_every_test_cell_in_a_real_kernel(tmp_path: Path) -> None:
    stage = catalog.find(STAGE)
    shutil.copy(paths.root() / "notebooks" / f"{STAGE}.ipynb", tmp_path)
    executed = _execute(tmp_path / f"{STAGE}.ipynb")
    cells = _task_cells(executed)
    assert len(cells) == len(stage.tasks)
    assert [_grade_id(c) for c in cells if _failed(c)] == []
    assert not _failed(_cell(executed, "setup"))


def test_the_released_notebook_holds_no_solution_and_no_hidden_test(course: Any) -> None:
    root = course["course"]
    source = (root / "source" / STAGE / f"{STAGE}.ipynb").read_text(encoding="utf-8")
    released = (root / "release" / STAGE / f"{STAGE}.ipynb").read_text(encoding="utf-8")
    release_text = "".join(_text(c) for c in json.loads(released)["cells"])
    stage = catalog.find(STAGE)
    hidden = [
        line.split("(")[0].removeprefix("def ")
        for path in grader_paths.suite(stage).glob("test_*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("def test_")
    ]
    assert hidden
    for name in hidden:  # each hidden test's name is the marker planted in it
        assert name in source and name not in released, name
    for relative in edited_files(stage):
        path = stage.solution_dir / relative
        for fence in fences.parse(path.read_text(encoding="utf-8"), relative):
            solution = "\n".join(fence.solution).strip("\n")
            assert solution not in release_text, f"{relative}: solution of task {fence.task}"
            assert f"TODO(task {fence.task}): {fence.todo}" in release_text
    assert "BEGIN SOLUTION" not in released and "HIDDEN TESTS" not in released


def test_the_released_notebook_fails_every_task_cell_until_filled_in(course: Any) -> None:
    folder = course["course"] / "release" / STAGE
    executed = _execute(folder / f"{STAGE}.ipynb")
    cells = _task_cells(executed)
    assert cells and all(_failed(c) for c in cells), [_grade_id(c) for c in cells]
    assert not _failed(_cell(executed, "setup")), "the released setup cell must run"


def test_autograde_gives_the_reference_full_marks_and_the_untouched_notebook_zero(
    course: Any,
) -> None:
    total = sum(
        c["metadata"]["nbgrader"]["points"]
        for c in _task_cells(_autograded(course["course"], "alice"))
    )
    assert course["grades"]["alice"] == total > 0
    assert course["grades"]["bob"] == 0


def test_autograde_gives_a_partial_notebook_the_points_of_its_finished_tasks(
    course: Any,
) -> None:
    expected = course["partial_expected"]
    assert 0 < expected < course["grades"]["alice"]
    assert course["grades"]["carol"] == expected


def test_a_deleted_test_cell_is_restored_from_the_source_and_run(course: Any) -> None:
    restored = _cell(_autograded(course["course"], "dave"), "task_5")
    assert "was missing from the submission" in _text(restored)
    assert "grade_task(" in _text(restored) and not _failed(restored)
    assert course["grades"]["dave"] == course["grades"]["alice"]


def test_tampered_points_grade_ids_and_read_only_cells_gain_nothing(course: Any) -> None:
    grades = course["grades"]
    assert grades["erin"] == 0, "raised points on an emptied test cell"
    assert grades["frank"] == 0, "a setup cell that switched the checks off"
    assert grades.get("grace", 0) == 0, "a renamed test cell"
    erin = _autograded(course["course"], "erin")
    task_1 = _cell(erin, "task_1")
    assert task_1["metadata"]["nbgrader"]["points"] != 100 and "check_task(" in _text(task_1)
    frank = _cell(_autograded(course["course"], "frank"), "setup")
    assert "lambda" not in _text(frank), "the read-only setup cell was not restored"


def test_a_failing_test_cell_shows_the_teaching_sentence_not_grader_internals(
    course: Any,
) -> None:
    cell = _cell(_autograded(course["course"], "bob"), "task_1")
    shown = json.dumps(cell["outputs"])
    assert "Task 1, public checks" in shown and "must answer 422" in shown
    errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "TaskFailed"
    assert errors[0]["traceback"] == [f"TaskFailed: {errors[0]['evalue']}"]
    assert "grader/" not in shown and "Traceback" not in shown


def test_generate_feedback_writes_an_html_report_for_each_student(course: Any) -> None:
    assert course["feedback"].returncode == 0, course["feedback"].stderr[-2000:]
    for student in ("alice", "bob", "carol", "dave", "erin", "frank"):
        report = course["course"] / "feedback" / student / STAGE / f"{STAGE}.html"
        assert report.is_file(), student
        assert "Task 1" in report.read_text(encoding="utf-8")


def test_export_nbgrader_needs_a_course_folder(workbook: Run) -> None:
    result = workbook("export", "nbgrader")
    assert result.returncode == 2
    assert "--course" in result.stdout + result.stderr


def test_export_nbgrader_keeps_an_edited_source_notebook_unless_forced(
    workbook: Run, tmp_path: Path
) -> None:
    assert workbook("export", "nbgrader", "--course", "c", "--stage", "1").returncode == 0
    notebook = tmp_path / "c" / "source" / "01_factory" / "01_factory.ipynb"
    notebook.write_text(notebook.read_text() + " ")
    kept = workbook("export", "nbgrader", "--course", "c", "--stage", "1")
    assert kept.returncode == 2 and "--force" in kept.stdout + kept.stderr
    assert workbook("export", "nbgrader", "--course", "c", "--force").returncode == 0
    assert len(list((tmp_path / "c" / "source").glob("*/*.ipynb"))) == len(catalog.load())


def test_jupyterlab_loads_the_nbgrader_extensions(tmp_path: Path) -> None:
    """The pinned nbgrader works with the pinned JupyterLab: its lab and server parts load."""

    def loaded(listing: list[str], name: str) -> bool:
        out = _run("jupyter", *listing, cwd=tmp_path)
        lines = (out.stdout + out.stderr).splitlines()
        return any(name in line and "OK" in line for line in lines)

    assert loaded(["labextension", "list"], "@jupyter/nbgrader")
    assert loaded(["server", "extension", "list"], "nbgrader.server_extensions.formgrader")
