"""The gradebook loses nothing: unchanged submissions are kept, a killed run resumes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Run, command_lines, copy_project


def _rows(path: Path) -> dict[str, str]:
    """learner -> stored result JSON (what an instructor reads back); {} before the first."""
    try:
        with sqlite3.connect(path) as db:
            return dict(db.execute("SELECT learner, result_json FROM results").fetchall())
    except sqlite3.OperationalError:  # the grader has not created its table yet
        return {}


def _gone(module: str, mark: Path, seconds: float = 10) -> bool:
    """Whether no process of this test's runs (``mark``: its TMPDIR) runs ``python -m
    <module>`` (waiting a little for them to die)."""
    deadline = time.monotonic() + seconds
    while any(module in line for line in command_lines(str(mark))):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _left(scratch: Path) -> list[str]:
    """The grading runs' scratch folders still in ``scratch``."""
    return sorted(p.name for p in scratch.iterdir() if p.name.startswith("workbook-"))


def _cohort(projects: Path, dest: Path, size: int) -> Path:
    for number in range(size):
        kind = "reference" if number % 2 else "skeleton"
        copy_project(projects, "02_blueprints", kind, dest / f"learner{number}")
    return dest


def test_an_unchanged_submission_keeps_its_result(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = _cohort(projects, tmp_path / "cohort", 2)
    first = workbook("grade", str(cohort), "--stage", "2", "--json")
    health = cohort / "learner0/app/health.py"
    health.write_text(health.read_text() + "\n# edited\n")
    second = workbook("grade", str(cohort), "--stage", "2", "--json")
    assert "kept 1 unchanged result(s)" in second.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout)
    forced = workbook("grade", str(cohort), "--stage", "2", "--json", "--regrade")
    assert "kept" not in forced.stderr


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_an_interrupted_run_resumes_to_the_same_gradebook(
    env: dict[str, str], projects: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    cohort = _cohort(projects, tmp_path / "cohort", 6)
    killed, clean = tmp_path / "killed.sqlite", tmp_path / "clean.sqlite"
    scratch = tmp_path / "scratch"  # this test's temporary folder: what runs leave shows there
    scratch.mkdir()
    env = {**env, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "grader", "grade", str(cohort), "--stage", "2", "--jobs", "1"]
    run = subprocess.Popen(
        [*command, "--gradebook", str(killed)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not killed.exists() or len(_rows(killed)) < 2):
        time.sleep(0.05)
    os.killpg(run.pid, stop)  # the whole process group, as a terminal's Ctrl-C does
    # It stops in a second or two; the stage's time limit (what a thread waiting on a closed
    # pipe would wait for) is 120 s.
    run.wait(timeout=60)
    assert 2 <= len(_rows(killed)) < 6, "the interruption did not land mid-cohort"
    assert all(_gone(f"grader.{name}", scratch) for name in ("trusted", "zygote", "worker")), (
        "grading processes outlived the interrupted run"
    )
    if stop == signal.SIGINT:
        assert _left(scratch) == [], "Ctrl-C left scratch folders behind"
    resumed = subprocess.run(
        [*command, "--gradebook", str(killed)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "unchanged result(s)" in resumed.stderr, "the resumed run graded everything again"
    assert _left(scratch) == [], "what the interrupted run left was not removed at the next start"
    subprocess.run(
        [*command, "--gradebook", str(clean)],
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert _rows(killed) == _rows(clean), "the resumed gradebook differs from a clean run"


def test_grading_the_same_cohort_ten_times_gives_identical_results(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = _cohort(projects, tmp_path / "cohort", 2)
    runs = [
        workbook("grade", str(cohort), "--stage", "2", "--json", "--jobs", "2", "--regrade")
        for _ in range(10)
    ]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr[-2000:]
    first = json.loads(runs[0].stdout)
    assert all(json.loads(run.stdout) == first for run in runs[1:])
