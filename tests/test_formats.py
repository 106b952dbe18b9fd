"""``workbook grade --format``: each platform's results file, checked field by field against
its published spec (a digest with sources is in ../shared/FORMATS.md), error cases included.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from conftest import Run, copy_project, full_marks

GRADESCOPE_TOP = {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "number", "output", "visibility", "tags"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def _with_regression(projects: Path, dest: Path) -> Path:
    """Stage 02's reference with one stage-01 check broken (a regression, 0 points)."""
    work = copy_project(projects, "02_blueprints", "reference", dest)
    health = work / "app/health.py"
    health.write_text(health.read_text().replace('"ok"', '"fine"'))
    return work


def _broken(projects: Path, dest: Path) -> Path:
    work = copy_project(projects, "02_blueprints", "reference", dest)
    (work / "app/cli.py").write_text("def broken(:\n")
    return work


def _no_hidden_test_in(doc: Any) -> None:
    text = json.dumps(doc)
    hidden = re.findall(r"test_(?!code\b)\w+|\w+::\w+", text)
    assert not hidden, f"a hidden test's id reached the results: {hidden[:3]}"
    assert "assert " not in text, "a hidden test's code reached the results"


def test_gradescope_results_json_has_the_specs_fields_and_zero_point_regressions(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    work = _with_regression(projects, tmp_path / "eve")
    result = workbook("grade", str(work), "--stage", "2", "--format", "gradescope")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == GRADESCOPE_TOP
    assert isinstance(doc["execution_time"], float) and doc["execution_time"] > 0
    assert doc["visibility"] in VISIBILITY and doc["stdout_visibility"] in VISIBILITY
    own = [t for t in doc["tests"] if "regression" not in t["tags"]]
    regressions = [t for t in doc["tests"] if "regression" in t["tags"]]
    for test in own:
        assert set(test) == GRADESCOPE_TEST
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITY
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        task, n = test["number"].split(".")
        assert task.isdigit() and n.isdigit() and test["name"].startswith(f"Task {task}.{n}: ")
    assert len({t["number"] for t in own}) == len(own), "two tests share a number"
    assert doc["score"] == sum(t["score"] for t in own) == full_marks("02_blueprints")
    assert len(regressions) == 1 and regressions[0]["max_score"] == regressions[0]["score"] == 0
    assert regressions[0]["status"] == "failed" and regressions[0]["output"]
    _no_hidden_test_in(doc)


def test_gradescope_results_for_a_broken_submission_say_why_and_score_zero(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    result = workbook(
        "grade", str(_broken(projects, tmp_path / "zed")), "--stage", "2", "--format", "gradescope"
    )
    assert result.returncode == 2
    doc = json.loads(result.stdout)
    assert doc["score"] == 0 and "SyntaxError" in doc["output"]
    assert all(t["status"] == "failed" and t["score"] == 0 for t in doc["tests"])


def test_exercism_v3_results_pass_fail_and_error(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    def graded(work: Path) -> tuple[int, dict[str, Any]]:
        result = workbook("grade", str(work), "--stage", "2", "--format", "exercism")
        return result.returncode, json.loads(result.stdout)

    code, passing = graded(copy_project(projects, "02_blueprints", "reference", tmp_path / "ada"))
    assert code == 0 and passing["version"] == 3 and passing["status"] == "pass"
    assert "message" not in passing
    for test in passing["tests"]:
        assert set(test) == {"name", "status", "test_code", "task_id"}
        assert test["status"] == "pass" and test["test_code"] == ""
        assert isinstance(test["task_id"], int) and test["task_id"] >= 1
    assert len({t["name"] for t in passing["tests"]}) == len(passing["tests"])

    code, failing = graded(copy_project(projects, "02_blueprints", "skeleton", tmp_path / "bob"))
    assert code == 0 and failing["status"] == "fail"
    for test in failing["tests"]:
        assert test["status"] in ("fail", "error") and test["message"], test
        assert len(test["message"]) <= 500
    _no_hidden_test_in(failing)

    code, error = graded(_broken(projects, tmp_path / "zed"))
    assert code == 2 and set(error) == {"version", "status", "message"}
    assert error["status"] == "error" and "SyntaxError" in error["message"]


def test_junit_xml_has_a_suite_per_learner_and_survives_hostile_names(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "02_blueprints", "reference", cohort / "ada")
    copy_project(projects, "02_blueprints", "skeleton", cohort / "bob")
    _with_regression(projects, cohort / "eve\x1b[31m<&>\x07")
    result = workbook("grade", str(cohort), "--stage", "2", "--format", "junit")
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout.encode())
    assert root.tag == "testsuites" and root.get("name") == "02_blueprints"
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"ada", "bob", "eve\ufffd[31m<&>\ufffd"}
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests", -1)) == len(cases)
        failures = [c for c in cases if c.find("failure") is not None]
        errors = [c for c in cases if c.find("error") is not None]
        assert int(suite.get("failures", -1)) == len(failures)
        assert int(suite.get("errors", -1)) == len(errors)
    assert int(suites["ada"].get("failures", -1)) == 0
    assert int(suites["bob"].get("failures", 0)) + int(suites["bob"].get("errors", 0)) > 0
    eve = suites["eve\ufffd[31m<&>\ufffd"].findall("testcase")
    assert [c.get("name") for c in eve if c.find("failure") is not None] == ["task regression.1"]


def test_a_per_submission_format_refuses_a_cohort_in_one_line(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "02_blueprints", "reference", cohort / "ada")
    copy_project(projects, "02_blueprints", "skeleton", cohort / "bob")
    for name in ("gradescope", "exercism"):
        result = workbook("grade", str(cohort), "--stage", "2", "--format", name)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip() == (
            f"workbook: error: --format {name} describes one submission; 2 were given"
        )
