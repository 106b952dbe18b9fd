"""``workbook export gradescope``: the autograder zip, and its ``run_autograder`` run in a
simulated ``/autograder`` layout (a folder given by WORKBOOK_AUTOGRADER_ROOT) for a reference,
a skeleton, a broken zip, a hanging submission and an empty upload. Every run leaves a valid
``results.json``."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, full_marks

from grader import samples
from workbook import catalog

TOP = {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"}


@pytest.fixture(scope="module")
def autograder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stage-02 autograder zip, made with the CLI."""
    out = tmp_path_factory.mktemp("export") / "autograder.zip"
    made = subprocess.run(
        [sys.executable, "-m", "grader", "export", "gradescope", "--stage", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    return out


def _run_autograder(zip_path: Path, root: Path, fill: Any) -> dict[str, Any]:
    """Unpack the zip as Gradescope does, put a submission in place, run run_autograder."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
        mode = archive.getinfo("run_autograder").external_attr >> 16
    assert mode & stat.S_IXUSR, "run_autograder is not executable"
    (root / "source/run_autograder").chmod(0o755)
    (root / "submission").mkdir(parents=True)
    fill(root / "submission")
    env = {**os.environ, "WORKBOOK_AUTOGRADER_ROOT": str(root), "WORKBOOK_PYTHON": sys.executable}
    env.pop("WORKBOOK_ROOT", None)
    env.pop("WORKBOOK_GRADEBOOK", None)
    ran = subprocess.run(
        [str(root / "source/run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    doc = json.loads((root / "results/results.json").read_text())
    assert set(doc) == TOP and isinstance(doc["tests"], list)
    return dict(doc)


def test_the_zip_has_the_two_scripts_at_its_root_and_the_kit(autograder: Path) -> None:
    names = zipfile.ZipFile(autograder).namelist()
    assert {"setup.sh", "run_autograder"} <= set(names)
    assert any(n.startswith("kit/grader/suites/02_blueprints/") for n in names)
    assert not any(n.startswith(("kit/samples/", "kit/tests/", "kit/notebooks/")) for n in names)
    assert not any("__pycache__" in n for n in names)


def test_a_reference_scores_full_marks_through_run_autograder(
    autograder: Path, projects: Path, tmp_path: Path
) -> None:
    def fill(folder: Path) -> None:
        folder.rmdir()
        copy_project(projects, "02_blueprints", "reference", folder)

    doc = _run_autograder(autograder, tmp_path, fill)
    assert doc["score"] == full_marks("02_blueprints") == sum(t["max_score"] for t in doc["tests"])
    assert all(t["status"] == "passed" for t in doc["tests"])


def test_a_skeleton_and_a_hanging_submission_lose_their_points(
    autograder: Path, projects: Path, tmp_path: Path
) -> None:
    def skeleton(folder: Path) -> None:
        folder.rmdir()
        copy_project(projects, "02_blueprints", "skeleton", folder)

    assert _run_autograder(autograder, tmp_path / "skeleton", skeleton)["score"] == 0
    stage = catalog.find("02_blueprints")
    hangs = next(s for s in samples.load(stage) if s.name == "hangs")

    def hanging(folder: Path) -> None:
        folder.rmdir()
        shutil.copytree(samples.assemble(hangs, tmp_path / "hangs").source, folder)

    doc = _run_autograder(autograder, tmp_path / "hanging", hanging)
    assert doc["score"] == hangs.expected_score
    assert any(t["status"] == "failed" for t in doc["tests"])


def test_a_broken_zip_or_an_empty_upload_still_writes_a_valid_results_file(
    autograder: Path, tmp_path: Path
) -> None:
    broken = _run_autograder(
        autograder, tmp_path / "broken", lambda f: (f / "handin.zip").write_bytes(b"junk")
    )
    assert broken["score"] == 0 and "not graded" in broken["output"]
    empty = _run_autograder(autograder, tmp_path / "empty", lambda f: None)
    assert empty["score"] == 0 and empty["tests"] == []
    assert empty["output"].startswith("The autograder could not grade this submission: ")
