"""`workbook grade` and `demo`: golden scenarios, the JSON contract, bad input, the gradebook."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from conftest import ROOT, Run, copy_project, full_marks, graded_tests

from authoring import nbbuild
from grader import samples

FULL_01 = full_marks("01_factory")


def _graded(result: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(result.stdout)
    return {s["learner"]: s for s in doc["submissions"]}


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _zip_project(project: Path, dest: Path) -> Path:
    return _zip(
        dest,
        {
            p.relative_to(project).as_posix(): p.read_bytes()
            for p in project.rglob("*")
            if p.is_file()
        },
    )


def test_demo_grades_every_sample_to_its_expected_score(env: dict[str, str]) -> None:
    """The README's ``python3 run.py demo``, with ``--all``: every sample, the core ones the
    plain command grades among them (so the README test does not run it a second time)."""
    result = subprocess.run(
        ["python3", "run.py", "demo", "--all", "--jobs", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.count("│") >= 6]
    expected = samples.all_samples()
    assert len(rows) >= len(expected)
    for sample in expected:
        row = next(r for r in rows if f"│ {sample.stage.name}" in r and f"│ {sample.name} " in r)
        assert row.rstrip().endswith("✓ │"), row
    assert "Gradebook" in result.stdout


def test_grade_json_is_exactly_the_design_document(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "02_blueprints", "reference", cohort / "ada")
    copy_project(projects, "02_blueprints", "skeleton", cohort / "bob")
    result = workbook("grade", str(cohort), "--stage", "2", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"stage", "submissions"} and doc["stage"] == "02_blueprints"
    ada, bob = doc["submissions"]
    assert set(ada) == {"learner", "score", "max_score", "status", "tests", "regressions"}
    assert (ada["learner"], ada["score"], ada["max_score"]) == (
        "ada",
        full_marks("02_blueprints"),
        full_marks("02_blueprints"),
    )
    assert ada["regressions"] == [] and bob["score"] == 0.0
    for test in ada["tests"] + bob["tests"]:
        assert set(test) == {"id", "name", "task", "points", "max_points", "outcome", "feedback"}
        assert test["id"].startswith("02_blueprints::test_") and test["task"] >= 1
    failed = [t for t in bob["tests"] if t["outcome"] != "passed"]
    assert len(failed) == len(bob["tests"])
    assert all(t["feedback"] and "assert " not in t["feedback"] for t in failed)


def test_earlier_stage_failures_are_reported_as_regressions(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    work = copy_project(projects, "02_blueprints", "reference", tmp_path / "eve")
    health = work / "app/health.py"
    health.write_text(health.read_text().replace('"ok"', '"fine"'))
    sub = _graded(workbook("grade", str(work), "--stage", "2", "--json"))["eve"]
    assert sub["score"] == sub["max_score"], "stage 02's own points should be intact"
    ids = [t["id"] for t in sub["regressions"]]
    assert ids == ["01_factory::test_health_endpoint_answers_ok_in_the_envelope"]
    assert all(t["max_points"] == 0 for t in sub["regressions"])


def test_missing_path_and_empty_folder_are_one_line_errors(workbook: Run, tmp_path: Path) -> None:
    missing = workbook("grade", "nowhere", "--stage", "1")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "workbook: error: no such file or folder: nowhere"
    (tmp_path / "empty").mkdir()
    empty = workbook("grade", "empty", "--stage", "1")
    assert empty.returncode == 2 and len(empty.stderr.strip().splitlines()) == 1
    assert "holds no submission" in empty.stderr


def test_a_cohort_with_broken_submissions_grades_everyone_else(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "01_factory", "reference", cohort / "ada")
    _zip_project(projects / "01_factory" / "reference", cohort / "zed.zip")
    (cohort / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    _zip(cohort / "slip.zip", {"app/__init__.py": b"", "../../escape.py": b"x = 1"})
    _zip(cohort / "absolute.zip", {"app/__init__.py": b"", "/etc/evil.py": b"x = 1"})
    (cohort / "noapp").mkdir()
    (cohort / "noapp/main.py").write_text("print('hi')\n")
    latin = copy_project(projects, "01_factory", "reference", cohort / "latin")
    (latin / "app/notes.py").write_bytes("# café\n".encode("latin-1"))
    copy_project(projects, "01_factory", "reference", cohort / "twin")
    _zip_project(projects / "01_factory" / "reference", cohort / "twin.zip")
    result = workbook("grade", str(cohort), "--stage", "1", "--json")
    assert result.returncode == 2
    graded = _graded(result)
    assert graded["ada"]["score"] == graded["zed"]["score"] == FULL_01
    reasons = {name: graded[name].get("message", "") for name in graded}
    assert "not a readable zip archive" in reasons["corrupt"]
    assert "points outside the submission" in reasons["slip"]
    assert "points outside the submission" in reasons["absolute"]
    assert "no app/ package found" in reasons["noapp"]
    assert reasons["latin"] == "app/notes.py is not UTF-8 text"
    assert reasons["twin"].startswith("2 submissions share the learner name 'twin'")
    for name in ("corrupt", "slip", "absolute", "noapp", "latin", "twin"):
        assert graded[name]["status"] == "error" and graded[name]["score"] == 0
        assert f"workbook: {name}: " in result.stderr
    assert not (tmp_path / "escape.py").exists()
    report = workbook("report")
    assert report.returncode == 0
    assert all(name in report.stdout for name in graded), "a learner is missing from the gradebook"


def test_a_syntax_error_names_the_file_and_line(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    work = copy_project(projects, "01_factory", "reference", tmp_path / "sam")
    (work / "app/cli.py").write_text("def show_config(:\n    pass\n")
    result = workbook("grade", str(work), "--stage", "1", "--json")
    assert result.returncode == 2
    sub = _graded(result)["sam"]
    assert sub["status"] == "error" and sub["score"] == 0
    assert sub["message"] == "app/cli.py:1: SyntaxError: invalid syntax"
    assert len(sub["tests"]) == graded_tests("01_factory"), (
        "every expected test must still get one result"
    )
    assert {t["outcome"] for t in sub["tests"]} == {"error"}


def test_grading_twice_is_deterministic_and_replaces_the_gradebook_row(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "01_factory", "reference", cohort / "ada")
    copy_project(projects, "01_factory", "skeleton", cohort / "bob")
    first = workbook("grade", str(cohort), "--stage", "1", "--json").stdout
    second = workbook("grade", str(cohort), "--stage", "1", "--json").stdout
    assert first == second
    exported = workbook("export", "csv")
    assert exported.returncode == 0
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert rows == [
        ["learner", "01_factory", "total", "max_total"],
        ["ada", str(FULL_01), str(FULL_01), str(FULL_01)],
        ["bob", "0.0", "0.0", str(FULL_01)],
    ]


def test_human_output_shows_a_table_per_learner(workbook: Run, projects: Path) -> None:
    result = workbook("grade", str(projects / "01_factory" / "skeleton"), "--stage", "1")
    assert result.returncode == 0
    assert re.search(rf"skeleton: 0/{FULL_01:g}\b", result.stdout)
    assert "TODO(task 3)" in result.stdout


def _released(notebook: dict[str, Any]) -> dict[str, Any]:
    """What nbgrader releases: every solution region dropped (an empty stub)."""
    for cell in notebook["cells"]:
        cell["source"] = nbbuild.released("".join(cell["source"]).splitlines(keepends=True))
    return notebook


def test_stage_notebooks_are_graded_from_their_writefile_cells(
    workbook: Run, tmp_path: Path
) -> None:
    source = Path(__file__).resolve().parent.parent / "notebooks" / "04_validation.ipynb"
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    (cohort / "ada.ipynb").write_bytes(source.read_bytes())
    collected = cohort / "bob" / "04_validation"  # nbgrader's submitted/<student>/<stage>/
    collected.mkdir(parents=True)
    released = _released(json.loads(source.read_text()))
    (collected / "04_validation.ipynb").write_text(json.dumps(released))
    doc = _graded(workbook("grade", str(cohort), "--stage", "4", "--json"))
    assert doc["ada"]["score"] == doc["ada"]["max_score"] == full_marks("04_validation")
    assert doc["bob"]["score"] == 0 and doc["bob"]["status"] == "graded"


def test_a_broken_notebook_is_an_error_and_the_others_are_still_graded(
    workbook: Run, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    source = Path(__file__).resolve().parent.parent / "notebooks" / "04_validation.ipynb"
    (cohort / "ada.ipynb").write_bytes(source.read_bytes())
    (cohort / "cara.ipynb").write_text('{"cells": [')
    escape = {"cells": [{"cell_type": "code", "source": "%%writefile taskboard/../x.py\nx = 1"}]}
    (cohort / "dan.ipynb").write_text(json.dumps(escape))
    result = workbook("grade", str(cohort), "--stage", "4", "--json")
    assert result.returncode == 2
    doc = _graded(result)
    assert doc["ada"]["score"] == doc["ada"]["max_score"] > 0
    assert doc["cara"]["status"] == "error" and "not a valid notebook" in doc["cara"]["message"]
    assert doc["dan"]["status"] == "error" and "outside taskboard/" in doc["dan"]["message"]
    assert "Traceback" not in result.stderr
