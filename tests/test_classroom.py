"""``workbook export classroom``: a learner template repository whose workflow has the shape
GitHub Classroom's reporter needs, and whose steps, run here one by one, report each task's
points as base64 v3 JSON that both of the reporter's totals read the same."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import Run, copy_project, full_marks

from workbook import catalog

TEST_KEYS = {
    "name",
    "status",
    "message",
    "test_code",
    "task_id",
    "filename",
    "line_no",
    "duration",
    "score",
}


def _template(workbook: Run, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    made = workbook("export", "classroom", "--stage", "2", "--out", "template")
    assert made.returncode == 0, made.stderr
    repo = tmp_path / "template"
    flow = yaml.safe_load((repo / ".github/workflows/classroom.yml").read_text())
    return repo, flow


def _run_steps(repo: Path, flow: dict[str, Any], tmp_path: Path) -> dict[str, dict[str, Any]]:
    """Run the grade step and each task step as the runner would; decode their outputs."""
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "WORKBOOK_GRADEBOOK": str(tmp_path / "runner.sqlite"),
    }
    outputs: dict[str, dict[str, Any]] = {}
    for step in steps:
        if "run" not in step or "WORKBOOK_GRADER" in step["run"]:
            continue  # the runner's own set-up (the kit is installed here already)
        output = tmp_path / f"output-{step.get('id', 'grade')}"
        output.write_text("")
        ran = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo,
            env={**env, "GITHUB_OUTPUT": str(output)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert ran.returncode == 0, ran.stderr[-2000:]
        if "id" in step:
            key, _, value = output.read_text().strip().partition("=")
            assert key == "result"
            outputs[step["id"]] = json.loads(base64.b64decode(value))
    return outputs


def test_the_workflow_has_the_names_and_steps_the_reporter_needs(
    workbook: Run, tmp_path: Path
) -> None:
    repo, flow = _template(workbook, tmp_path)
    assert flow["name"] == "Autograding Tests"
    assert list(flow["jobs"]) == ["run-autograding-tests"]
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    tasks = catalog.find("02_blueprints").tasks
    ids = [s["id"] for s in steps if "id" in s]
    assert ids == [f"task-{t.number}" for t in tasks]
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"] == ",".join(ids)
    for runner in ids:
        assert reporter["env"][f"{runner.upper()}_RESULTS"] == (
            f"${{{{ steps.{runner}.outputs.result }}}}"
        )
    assert (repo / "02_blueprints/app").is_dir() and (repo / "run.py").is_file()
    everything = [p for p in repo.rglob("*") if p.is_file()]
    assert not any(
        "suites" in p.parts or p.name.startswith("test_")
        for p in everything
        if "checks" not in p.parts
    ), "a hidden test is in the template"
    workspace = [p for p in everything if "02_blueprints" in p.parts and p.suffix == ".py"]
    assert workspace and not any("# BEGIN SOLUTION" in p.read_text() for p in workspace)


def test_each_task_step_reports_its_points_so_both_totals_agree(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    repo, flow = _template(workbook, tmp_path)
    shutil.rmtree(repo / "02_blueprints")
    copy_project(projects, "02_blueprints", "reference", repo / "02_blueprints")
    (tmp_path / "full").mkdir()
    full = _run_steps(repo, flow, tmp_path / "full")
    total = 0
    for doc in full.values():
        assert doc["version"] == 3 and doc["status"] == "pass"
        assert isinstance(doc["max_score"], int) and doc["max_score"] == len(doc["tests"])
        for test in doc["tests"]:
            assert set(test) == TEST_KEYS and test["score"] in (0, 1)
            assert test["test_code"] == "" and isinstance(test["task_id"], int)
        classroom = sum(t["score"] for t in doc["tests"])
        console = sum(t["status"] == "pass" for t in doc["tests"]) / len(doc["tests"])
        assert classroom == console * doc["max_score"]
        total += classroom
    assert total == full_marks("02_blueprints")


def test_a_submission_that_cannot_be_graded_reports_error_on_every_task(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    repo, flow = _template(workbook, tmp_path)
    (repo / "02_blueprints/app/__init__.py").write_text("def broken(:\n")
    (tmp_path / "runs").mkdir()
    for doc in _run_steps(repo, flow, tmp_path / "runs").values():
        assert doc["version"] == 3 and doc["status"] == "error" and doc["tests"] == []
        assert "SyntaxError" in doc["message"] and isinstance(doc["max_score"], int)
