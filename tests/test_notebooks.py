"""Every stage as an nbgrader assignment, run in real Jupyter kernels and graded by nbgrader's
own commands on a temporary course (no mocks).

Slow (nbgrader starts a kernel per notebook): ``-m "not notebooks"`` skips them locally; CI
runs them. One stage, a handful of students, one course shared by the module.
"""

from __future__ import annotations

import csv
import json
import os
import re
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
from workbook import catalog, fences

pytestmark = pytest.mark.notebooks

STAGE = "04_validation"
BIN = Path(sys.executable).parent
Notebook = dict[str, Any]


def _run(
    *args: str | Path, cwd: Path, timeout: float = 900, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(extra_env or {})}
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
        "import workbook.notebook as n\n",
        "n.check_task = lambda *args: None\n",
        f"n.setup('{STAGE}')\n",
    ]
    for cell in _task_cells(nb):
        cell["source"] = ["pass\n"]


PATCHED = "patched-the-kernel"
HONEST = ("alice", "bob", "carol")


def _patch_the_kernel(nb: Notebook) -> None:
    """An extra cell that patches the kit, pytest and builtins, and leaves a process behind."""
    patch = nbformat_cell(
        "import builtins, subprocess, sys, pytest, workbook.notebook as n\n"
        "n.check_task = lambda *args: print(7)\n"
        "pytest.main = lambda *a, **k: 0\n"
        "builtins.print = lambda *a, **k: None\n"
        f"open('/tmp/{PATCHED}', 'w').write('ran')\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    )
    nb["cells"].insert(nb["cells"].index(_cell(nb, "setup")) + 1, patch)


def nbformat_cell(text: str) -> dict[str, Any]:
    """A plain code cell a learner adds (no nbgrader metadata)."""
    return {"cell_type": "code", "id": "mine", "metadata": {}, "execution_count": None,
            "outputs": [], "source": text.splitlines(keepends=True)}  # fmt: skip


def _rename_grade_id(nb: Notebook) -> None:
    cell = _cell(nb, "task_2")
    cell["metadata"]["nbgrader"]["grade_id"] = "task_2_mine"
    cell["source"] = ["pass\n"]


def _workbook_per_task(course: Path, work: Path) -> dict[str, dict[int, float]]:
    """The points ``workbook grade`` gives each submitted notebook, per task: one cohort run."""
    cohort = work / "cohort-notebooks"
    cohort.mkdir()
    for notebook in sorted((course / "submitted").glob(f"*/{STAGE}/{STAGE}.ipynb")):
        shutil.copy(notebook, cohort / f"{notebook.parent.parent.name}.ipynb")
    result = _run(sys.executable, "-m", "grader", "grade", cohort, "--stage", STAGE,
                  "--json", "--jobs", "2", cwd=work)  # fmt: skip
    found: dict[str, dict[int, float]] = {}
    for submission in json.loads(result.stdout)["submissions"]:
        per_task = found.setdefault(submission["learner"], {})
        for test in submission["tests"]:
            per_task[test["task"]] = per_task.get(test["task"], 0.0) + test["points"]
    return found


def _nbgrader_per_task(course: Path, student: str) -> dict[int, float]:
    """The points nbgrader's gradebook holds for each task cell of a student."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(STAGE, STAGE, student)
        return {
            int(grade.name.removeprefix("task_")): float(grade.score)
            for grade in submission.grades
            if grade.name.startswith("task_")
        }


def _learner_flow(course: Path, home: Path, project: Path) -> dict[str, str]:
    """alice's side: her nbgrader config from the course, then fetch, fill in, validate and
    submit; what each step printed."""
    (home / ".jupyter").mkdir(parents=True)
    shutil.copy(course / "learner_nbgrader_config.py", home / ".jupyter" / "nbgrader_config.py")
    said: dict[str, str] = {}

    def step(name: str, *args: str | Path) -> None:
        done = _run("nbgrader", name, *args, cwd=home, extra_env={"HOME": str(home)})
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
        said[name] = done.stdout + done.stderr

    step("fetch_assignment", STAGE)
    notebook = home / STAGE / f"{STAGE}.ipynb"
    filled = _with_files(json.loads(notebook.read_text(encoding="utf-8")), project)
    notebook.write_text(json.dumps(filled), encoding="utf-8")
    step("validate", notebook)  # runs every cell: taskboard/ appears beside the notebook
    assert (notebook.parent / "taskboard").is_dir()
    step("submit", STAGE, "--student", "alice")  # on a hub, the learner's own login
    return said


@pytest.fixture(scope="module")
def course() -> Any:
    """A course with stage 04, all by nbgrader's own commands. The instructor exports,
    generates and releases it to the exchange; alice fetches it, fills it in, validates and
    submits it; seven more notebooks are handed in as they are; the instructor collects,
    autogrades, generates feedback and exports."""
    with tempfile.TemporaryDirectory(prefix="workbook-nbgrader-") as tmp:
        work = Path(tmp)
        course, exchange, home = work / "course", work / "exchange", work / "alice"
        exchange.mkdir(mode=0o777)
        made = _run(sys.executable, "-m", "grader", "export", "nbgrader", "--course", course,
                    "--stage", STAGE, "--exchange", exchange, cwd=work)  # fmt: skip
        assert made.returncode == 0, made.stdout + made.stderr
        for step in (["generate_assignment"], ["release_assignment"]):
            done = _run("nbgrader", *step, STAGE, cwd=course)
            assert done.returncode == 0, done.stderr[-3000:]
        release = json.loads((course / "release" / STAGE / f"{STAGE}.ipynb").read_text())
        reference, partial = _sample("reference", work / "ref"), _sample("partial", work / "part")
        learner = _learner_flow(course, home, reference)
        students = {
            "bob": _with_files(release, None),
            "carol": _with_files(release, partial),
            "dave": _tamper(_with_files(release, reference), _delete_task_5),
            "erin": _tamper(_with_files(release, None), _raise_points),
            "frank": _tamper(_with_files(release, None), _disable_checks_in_setup),
            "grace": _tamper(_with_files(release, None), _rename_grade_id),
            "heidi": _tamper(_with_files(release, reference), _patch_the_kernel),
        }
        Path(f"/tmp/{PATCHED}").unlink(missing_ok=True)
        for student, notebook in students.items():
            folder = course / "submitted" / student / STAGE
            folder.mkdir(parents=True)
            (folder / f"{STAGE}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
        collected = _run("nbgrader", "collect", STAGE, cwd=course)
        assert collected.returncode == 0, collected.stderr[-3000:]
        autograded = _run("nbgrader", "autograde", STAGE, "--create", cwd=course)
        feedback = _run("nbgrader", "generate_feedback", STAGE, cwd=course)
        exported = _run("nbgrader", "export", cwd=course)
        assert exported.returncode == 0, exported.stderr[-3000:]
        with (course / "grades.csv").open(encoding="utf-8") as handle:
            grades = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
        yield {
            "course": course,
            "grades": grades,
            "autograde": autograded,
            "feedback": feedback,
            "work": work,
            "students": ["alice", *students],
            "learner": learner,
            "exchange": exchange,
            "partial": partial,
        }


def _autograded(course: Path, student: str) -> Notebook:
    path = course / "autograded" / student / STAGE / f"{STAGE}.ipynb"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _hidden_names() -> list[str]:
    return [
        line.split("(")[0].removeprefix("def ")
        for path in grader_paths.suite(catalog.find(STAGE)).glob("test_*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("def test_")
    ]


def test_no_notebook_holds_a_hidden_test_source_released_autograded_or_fed_back(
    course: Any,
) -> None:
    root = course["course"]
    hidden = _hidden_names()
    assert hidden
    texts = {
        "source": (root / "source" / STAGE / f"{STAGE}.ipynb").read_text(encoding="utf-8"),
        "release": (root / "release" / STAGE / f"{STAGE}.ipynb").read_text(encoding="utf-8"),
    }
    for student in course["students"]:
        for kind, suffix in (("autograded", "ipynb"), ("feedback", "html")):
            path = root / kind / student / STAGE / f"{STAGE}.{suffix}"
            if path.is_file():
                texts[f"{kind}/{student}"] = path.read_text(encoding="utf-8")
    assert len(texts) > len(course["students"])  # a renamed test cell is not autograded
    for where, text in texts.items():
        assert [name for name in hidden if name in text] == [], where
        assert "HIDDEN TESTS" not in text and "assert " not in text, where


def test_the_released_notebook_holds_no_solution(course: Any) -> None:
    root = course["course"]
    released = (root / "release" / STAGE / f"{STAGE}.ipynb").read_text(encoding="utf-8")
    release_text = "".join(_text(c) for c in json.loads(released)["cells"])
    stage = catalog.find(STAGE)
    for relative in edited_files(stage):
        path = stage.solution_dir / relative
        for fence in fences.parse(path.read_text(encoding="utf-8"), relative):
            solution = "\n".join(fence.solution).strip("\n")
            assert solution not in release_text, f"{relative}: solution of task {fence.task}"
            assert f"TODO(task {fence.task}): {fence.todo}" in release_text
    assert "BEGIN SOLUTION" not in released


_executed: dict[str, Notebook] = {}


def _execute_release(course: Any) -> Notebook:
    """The released notebook run top to bottom in a real kernel, once per module."""
    if "release" not in _executed:
        folder = course["course"] / "release" / STAGE
        _executed["release"] = _execute(folder / f"{STAGE}.ipynb")
    return _executed["release"]


def test_the_released_notebook_fails_every_task_cell_until_filled_in(course: Any) -> None:
    executed = _execute_release(course)
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


def test_nbgrader_and_workbook_grade_give_the_same_points_task_by_task(course: Any) -> None:
    root, work = course["course"], course["work"]
    graded = _workbook_per_task(root, work)
    for student in course["students"]:
        expected = graded[student]
        recorded = _nbgrader_per_task(root, student)
        assert recorded == {task: expected.get(task, 0.0) for task in recorded}, student
    partial = _nbgrader_per_task(root, "carol")
    assert 0 < sum(partial.values()) < course["grades"]["alice"]


def test_autograde_runs_no_learner_cell_and_flags_a_kernel_patch(course: Any) -> None:
    assert course["grades"]["heidi"] == course["grades"]["alice"], "only its honest cells count"
    assert not Path(f"/tmp/{PATCHED}").exists(), "a learner cell ran during autograde"
    flagged = json.dumps(_cell(_autograded(course["course"], "heidi"), "task_1")["outputs"])
    assert "flagged" in flagged and "never run when grading" in flagged
    assert course["grades"]["bob"] == 0 and "flagged" not in json.dumps(
        _cell(_autograded(course["course"], "alice"), "task_1")["outputs"]
    )


def test_autograde_prints_no_checksum_warning_for_honest_notebooks(course: Any) -> None:
    log = course["autograde"].stdout + course["autograde"].stderr
    warned: dict[str, list[str]] = {}
    student = ""
    for line in log.splitlines():
        found = re.search(r"(?:submitted|autograded)/([a-z]+)/", line)
        student = found[1] if found else student
        if "checksum" in line.lower():
            warned.setdefault(student, []).append(line)
    assert "Autograding" in log
    assert {name: lines for name, lines in warned.items() if name in HONEST} == {}


def test_a_deleted_test_cell_is_restored_from_the_source_and_run(course: Any) -> None:
    restored = _cell(_autograded(course["course"], "dave"), "task_5")
    assert "was missing from the submission" in _text(restored)
    assert "check_task(" in _text(restored) and not _failed(restored)
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
    assert "Task 1: 0/" in shown and "points from the hidden tests" in shown
    points = ["".join(o["data"]["text/plain"]) for o in cell["outputs"] if "data" in o]
    assert points == ["0"]
    assert "grader/" not in shown and "Traceback" not in shown


def test_a_task_cell_in_the_learners_kernel_fails_in_one_line(course: Any) -> None:
    executed = _execute_release(course)
    errors = [o for o in _cell(executed, "task_1")["outputs"] if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "TaskFailed"
    assert errors[0]["traceback"] == [f"TaskFailed: {errors[0]['evalue']}"]
    assert "Task 1, public checks" in json.dumps(_cell(executed, "task_1")["outputs"])


def test_generate_feedback_writes_an_html_report_for_each_student(course: Any) -> None:
    assert course["feedback"].returncode == 0, course["feedback"].stderr[-2000:]
    for student in ("alice", "bob", "carol", "dave", "erin", "frank", "heidi"):
        report = course["course"] / "feedback" / student / STAGE / f"{STAGE}.html"
        assert report.is_file(), student
        assert "points from the hidden tests" in report.read_text(encoding="utf-8")


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


def test_a_learner_fetches_validates_and_submits_through_the_exchange(course: Any) -> None:
    assert "Success! Your notebook passes all the tests." in course["learner"]["validate"]
    inbound = list((course["exchange"] / "flask-workbook" / "inbound").rglob("*"))
    assert any(p.name == f"{STAGE}.ipynb" for p in inbound)
    assert not [p for p in inbound if "taskboard" in p.parts], "the workspace was submitted"
    assert course["grades"]["alice"] > 0
    assert (course["course"] / "submitted" / "alice" / STAGE / f"{STAGE}.ipynb").is_file()


def test_a_learner_in_jupyterlab_fetches_runs_validates_submits_and_reads_feedback(
    course: Any, tmp_path: Path
) -> None:
    """ivan, in JupyterLab in Chromium: fetch the stage, run it (his files are the partial
    sample's, as carol's are), Validate, Submit; the instructor grades him; he reads his
    feedback. No hidden test is shown anywhere, and he scores what carol scores."""
    from jupyterlab import learner_lab, open_assignment_list, run_each_code_cell  # Playwright

    root, home = course["course"], tmp_path / "ivan"
    (home / ".jupyter").mkdir(parents=True)
    config = home / ".jupyter" / "nbgrader_config.py"
    shutil.copy(root / "learner_nbgrader_config.py", config)
    with config.open("a", encoding="utf-8") as out:  # a hub knows him by his login; root here
        out.write('c.CourseDirectory.student_id = "ivan"\n')
    hidden = _hidden_names()
    with learner_lab(home, "ivan") as page:
        open_assignment_list(page)
        page.locator("#released_assignments_list").get_by_role("button", name="Fetch").click()
        fetched = page.locator("#fetched_assignments_list .assignment-notebooks-link")
        fetched.wait_for()
        notebook = home / STAGE / f"{STAGE}.ipynb"
        work = _with_files(json.loads(notebook.read_text(encoding="utf-8")), course["partial"])
        notebook.write_text(json.dumps(work), encoding="utf-8")  # what ivan typed
        fetched.click()
        page.locator("#fetched_assignments_list .nested_list_item a").click()

        code_cells = sum(cell["cell_type"] == "code" for cell in work["cells"])
        shown = [cell.inner_text() for cell in run_each_code_cell(page, code_cells)]
        tasks = [text for text in shown if "check_task(" in text]
        failed = [text for text in tasks if "TaskFailed: task" in text]
        assert len(tasks) == len(catalog.find(STAGE).tasks)
        assert 0 < len(failed) < len(tasks), "a passing and a failing test cell"
        assert all("Traceback" not in text for text in tasks)

        page.keyboard.press("Control+s")
        page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
        dialog = page.locator(".jp-Dialog")
        dialog.get_by_text("Validation Results").wait_for()
        said = dialog.inner_text()
        assert "failed" in said and [name for name in hidden if name in said] == []
        dialog.get_by_role("button", name="Ok").click()

        page.locator(".lm-TabBar-tab", has_text="Assignments").click()
        page.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
        page.locator("#submitted_assignments_list .list_item").first.wait_for()

        for step in ("collect", "autograde", "generate_feedback", "release_feedback"):
            done = _run("nbgrader", step, STAGE, "--student", "ivan", cwd=root)
            assert done.returncode == 0, (step, done.stderr[-3000:])
        assert _nbgrader_per_task(root, "ivan") == _nbgrader_per_task(root, "carol")

        page.reload()
        open_assignment_list(page)
        submitted = page.locator("#submitted_assignments_list")
        submitted.get_by_role("button", name="Fetch Feedback").click()
        submitted.get_by_text("view feedback").click()  # the file browser goes to it
        page.locator(".jp-DirListing-item", has_text=f"{STAGE}.html").dblclick()
        feedback = page.frame_locator(".jp-HTMLViewer iframe").locator("body")
        feedback.get_by_text("points from the hidden tests").first.wait_for()
        text = feedback.inner_text()
        assert [name for name in hidden if name in text] == [] and "assert " not in text
