"""The one-source build: fences become holes, drift is caught, projects assemble."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from conftest import Run

from authoring import nbbuild
from grader.runner import expected_tests
from workbook import catalog, paths


def test_build_check_passes_on_the_committed_tree(workbook: Run) -> None:
    result = workbook("build", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_build_check_lists_a_drifted_file_and_exits_1(workbook: Run, kit_copy: Path) -> None:
    target = kit_copy / "exercises/01_factory/app/health.py"
    target.write_text(target.read_text() + "# edited by hand\n")
    result = workbook("build", "--check", extra_env={"WORKBOOK_ROOT": str(kit_copy)})
    assert result.returncode == 1
    assert "differs: exercises/01_factory/app/health.py" in result.stdout


def test_build_check_lists_missing_and_stale_files(workbook: Run, kit_copy: Path) -> None:
    (kit_copy / "exercises/01_factory/app/cli.py").unlink()
    (kit_copy / "exercises/01_factory/app/leftover.py").write_text("x = 1\n")
    result = workbook("build", "--check", extra_env={"WORKBOOK_ROOT": str(kit_copy)})
    assert result.returncode == 1
    assert "missing: exercises/01_factory/app/cli.py" in result.stdout
    assert "stale:   exercises/01_factory/app/leftover.py" in result.stdout


def test_build_repairs_drift_and_then_check_passes(workbook: Run, kit_copy: Path) -> None:
    (kit_copy / "exercises/01_factory/app/cli.py").unlink()
    env = {"WORKBOOK_ROOT": str(kit_copy)}
    assert workbook("build", extra_env=env).returncode == 0
    assert workbook("build", "--check", extra_env=env).returncode == 0


def test_skeleton_holes_fail_loudly_inside_functions_only(workbook: Run) -> None:
    root = Path(__file__).resolve().parent.parent
    skeleton = (root / "exercises/01_factory/app/config.py").read_text()
    assert "# TODO(task 1): Turn DEBUG on." in skeleton
    assert "raise NotImplementedError('TODO(task 1): Pick the class" in skeleton
    assert "DEBUG: bool = True" not in skeleton, "solution code leaked into the skeleton"
    compile(skeleton, "config.py", "exec")


def test_empty_skeleton_part_keeps_the_function_running(workbook: Run) -> None:
    root = Path(__file__).resolve().parent.parent
    init = (root / "exercises/02_blueprints/app/__init__.py").read_text()
    body = init.split("def register_blueprints")[1].split("def register_error_handlers")[0]
    assert "TODO(task 1)" in body and "NotImplementedError" not in body


def _write_solution(kit: Path, text: str) -> None:
    (kit / "solutions/01_factory/app/broken.py").write_text(text)


def test_unclosed_fence_is_a_one_line_error_with_file_and_line(
    workbook: Run, kit_copy: Path
) -> None:
    _write_solution(kit_copy, "x = 1\n# BEGIN SOLUTION (task 1): do it\ny = 2\n")
    result = workbook("build", "--check", extra_env={"WORKBOOK_ROOT": str(kit_copy)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "workbook: error: solutions/01_factory/app/broken.py:2: BEGIN SOLUTION is never closed"
    )


def test_nested_and_stray_fences_are_errors(workbook: Run, kit_copy: Path) -> None:
    env = {"WORKBOOK_ROOT": str(kit_copy)}
    _write_solution(
        kit_copy,
        "# BEGIN SOLUTION (task 1): a\n# BEGIN SOLUTION (task 1): b\n"
        "# END SOLUTION\n# END SOLUTION\n",
    )
    assert "broken.py:2: nested BEGIN SOLUTION" in workbook("build", extra_env=env).stderr
    _write_solution(kit_copy, "x = 1\n# END SOLUTION\n")
    assert "broken.py:2: END SOLUTION without BEGIN" in workbook("build", extra_env=env).stderr
    _write_solution(kit_copy, "# BEGIN SOLUTION task 1\n# END SOLUTION\n")
    assert "broken.py:1: malformed fence" in workbook("build", extra_env=env).stderr


def test_solution_assembles_the_reference_without_fences(workbook: Run, tmp_path: Path) -> None:
    result = workbook("solution", "2", "--out", str(tmp_path / "ref"))
    assert result.returncode == 0, result.stderr
    files = [p for p in (tmp_path / "ref").rglob("*.py")]
    assert (tmp_path / "ref/app/config.py").is_file(), "stage 01's files are missing"
    assert (tmp_path / "ref/app/projects/routes.py").is_file(), "stage 02's files are missing"
    assert not [p for p in files if "SOLUTION" in p.read_text() or "SKELETON" in p.read_text()]


def test_start_refuses_a_non_empty_folder_unless_forced(workbook: Run, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/notes.txt").write_text("keep me")
    refused = workbook("start", "2", "--dir", "mine")
    assert refused.returncode == 2
    assert "not empty; use --force" in refused.stderr
    assert (tmp_path / "mine/notes.txt").is_file()
    assert workbook("start", "2", "--dir", "mine", "--force").returncode == 0
    marker = tomllib.loads((tmp_path / "mine/.workbook.toml").read_text())
    assert marker == {"stage": "02_blueprints", "edit": list(catalog.find(2).edit)}
    assert "BEGIN SOLUTION" not in (tmp_path / "mine/app/config.py").read_text()
    assert "TODO(task 3)" in (tmp_path / "mine/app/projects/routes.py").read_text()


def test_build_check_catches_a_hand_edited_notebook(workbook: Run, kit_copy: Path) -> None:
    target = kit_copy / "notebooks/02_blueprints.ipynb"
    target.write_text(target.read_text().replace("Run it first.", "Run it."))
    result = workbook("build", "--check", extra_env={"WORKBOOK_ROOT": str(kit_copy)})
    assert result.returncode == 1
    assert "differs: notebooks/02_blueprints.ipynb" in result.stdout


@pytest.mark.parametrize("stage", [s.name for s in catalog.load()])
def test_each_notebook_has_a_locked_setup_a_file_cell_per_edit_and_a_cell_per_task(
    stage: str,
) -> None:
    notebook = json.loads((paths.root() / "notebooks" / f"{stage}.ipynb").read_text())
    meta = [c["metadata"].get("nbgrader", {}) for c in notebook["cells"]]
    setup = next(m for m in meta if m.get("grade_id") == "setup")
    assert setup["locked"] and not setup["solution"] and not setup["grade"]
    files = [
        "".join(c["source"]).split("\n")[0].removeprefix("%%writefile taskboard/")
        for c, m in zip(notebook["cells"], meta, strict=True)
        if m.get("solution")
    ]
    assert files == nbbuild.edited_files(catalog.find(stage))
    tasks = {m["grade_id"]: m["points"] for m in meta if m.get("grade")}
    worth: dict[str, float] = {}
    for test in expected_tests(stage):
        if test.stage == stage:
            worth[f"task_{test.task}"] = worth.get(f"task_{test.task}", 0.0) + test.points
    assert tasks == worth, "each task cell is worth exactly its hidden tests' points"
    assert all(m["locked"] for m in meta if m.get("grade"))
