"""The learner and instructor verbs, their output and exit codes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Run, copy_project

from workbook import catalog


def _row(listing: str, stage: str) -> str:
    return next(line for line in listing.splitlines() if stage in line)


def test_list_shows_the_checks_of_the_workspaces_here_and_no_others(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    before = workbook("list")
    assert before.returncode == 0
    assert "01_factory" in before.stdout and "02_blueprints" in before.stdout
    ref = copy_project(projects, "01_factory", "reference", tmp_path / "course" / "ref")
    assert workbook("check", "1", "--dir", str(ref)).returncode == 0
    total = len(catalog.find("1").tasks)
    here = workbook("list", "--dir", str(tmp_path / "course"))
    assert here.returncode == 0 and "pass" in _row(here.stdout, "01_factory"), here.stdout
    assert "—" in _row(here.stdout, "02_blueprints")
    inside = workbook("list", "--dir", str(ref)).stdout
    assert "pass" in _row(inside, "01_factory"), "a workspace does not see its own checks"
    (tmp_path / "elsewhere").mkdir()
    other = workbook("list", "--dir", str(tmp_path / "elsewhere")).stdout
    assert "—" in _row(other, "01_factory"), "another folder shows this workspace's checks"
    assert "No checked workspace here" in other
    assert str(total) in _row(here.stdout, "01_factory")


def test_unknown_stage_is_a_one_line_error_with_exit_2(workbook: Run) -> None:
    result = workbook("hint", "42")
    assert result.returncode == 2
    names = ", ".join(stage.name for stage in catalog.load())
    assert result.stderr.strip().splitlines() == [
        f"workbook: error: no stage '42' (stages: {names})"
    ]


def test_hint_prints_the_hints_of_one_task(workbook: Run) -> None:
    result = workbook("hint", "1", "3")
    assert result.returncode == 0
    assert "3. The factory" in result.stdout and "hint 1:" in result.stdout
    assert "1. Typed configuration" not in result.stdout
    assert workbook("hint", "1", "9").returncode == 2


def test_hint_prints_square_brackets_as_written(workbook: Run) -> None:
    result = workbook("hint", "3", "2")
    assert "Mapped[uuid.UUID]" in result.stdout.replace("\n", " ")


def test_check_on_the_skeleton_exits_1_with_teaching_feedback(
    workbook: Run, projects: Path
) -> None:
    result = workbook("check", cwd=projects / "01_factory" / "skeleton")
    assert result.returncode == 1
    assert "0/5 checks pass" in result.stdout
    assert "TODO(task 3)" in result.stdout, "the learner is not told which hole broke it"
    assert "Traceback" not in result.stdout


def test_check_on_the_reference_exits_0(workbook: Run, projects: Path) -> None:
    result = workbook("check", "2", cwd=projects / "02_blueprints" / "reference")
    assert result.returncode == 0, result.stdout
    assert "All 5 checks pass" in result.stdout


def test_check_reports_a_syntax_error_in_one_line(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    work = copy_project(projects, "01_factory", "skeleton", tmp_path / "work")
    (work / "app/health.py").write_text("def broken(:\n")
    result = workbook("check", cwd=work)
    assert result.returncode == 1
    assert result.stdout.strip() == "✗ app/health.py:1: SyntaxError: invalid syntax"


def test_check_outside_a_workspace_explains_itself(workbook: Run, tmp_path: Path) -> None:
    result = workbook("check")
    assert result.returncode == 2
    assert "is not a workbook workspace" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_watch_reruns_the_checks_on_each_save_with_the_code_as_saved(
    env: dict[str, str], projects: Path, tmp_path: Path
) -> None:
    """Each save gives a verdict on the files as they are then: a syntax error saved after a
    clean run is reported, and its fix is checked again (no run keeps a module of another)."""
    work = copy_project(projects, "01_factory", "skeleton", tmp_path / "work")
    health = work / "app/health.py"
    original = health.read_text()
    watch = subprocess.Popen(
        [sys.executable, "-m", "grader", "watch", "--max-runs", "3"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert watch.stdout is not None
    seen: list[str] = []

    def until_watching() -> None:
        for line in watch.stdout or []:
            seen.append(line)
            if "watching" in line:
                return
        raise AssertionError("".join(seen))

    try:
        until_watching()
        health.write_text(original + "\ndef broken(:\n")
        until_watching()
        health.write_text(original)
        out, _ = watch.communicate(timeout=120)
    finally:
        watch.kill()
    text = "".join(seen) + out
    assert watch.returncode == 0, text
    assert text.count("0/5 checks pass") == 2, text
    assert "app/health.py:" in text and "SyntaxError" in text, text


def test_report_and_export_need_a_gradebook(workbook: Run) -> None:
    result = workbook("report")
    assert result.returncode == 2
    assert "no gradebook at" in result.stderr and "run `workbook grade` first" in result.stderr


@pytest.mark.parametrize("stage", [s.name for s in catalog.load()])
def test_every_public_check_fails_on_the_skeleton_and_passes_on_the_reference(
    workbook: Run, tmp_path: Path, stage: str
) -> None:
    """A notebook's task cell fails until its task is done: each task has a check that the
    untouched skeleton fails and the reference passes."""
    assert workbook("start", stage, "--dir", "skeleton").returncode == 0
    assert workbook("solution", stage, "--out", "reference").returncode == 0
    shutil.copy(tmp_path / "skeleton" / ".workbook.toml", tmp_path / "reference")
    untouched = workbook("check", cwd=tmp_path / "skeleton")
    assert untouched.returncode == 1 and re.search(r"\n0/\d+ checks pass", untouched.stdout), (
        untouched.stdout[-2000:]
    )
    finished = workbook("check", cwd=tmp_path / "reference")
    assert finished.returncode == 0 and "All " in finished.stdout, finished.stdout[-2000:]


def test_a_started_workspace_keeps_its_env_file_out_of_git(workbook: Run, tmp_path: Path) -> None:
    assert workbook("start", "1", "--dir", "ws").returncode == 0
    workspace = tmp_path / "ws"
    (workspace / ".env").write_text("SECRET_KEY=" + "s" * 40 + "\n")
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    ignored = subprocess.run(
        ["git", "-C", str(workspace), "check-ignore", ".env", "app/__init__.py"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.split() == [".env"]
