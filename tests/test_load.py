"""An honest solution never loses a point by chance: not on a loaded machine either."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Run

BUSY = "import time\nend = time.monotonic() + 600\nwhile time.monotonic() < end:\n    pass\n"


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """Four processes that keep both cores busy while the test runs."""
    hogs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(4)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


@pytest.mark.slow
def test_rate_limits_and_caches_give_full_marks_on_a_loaded_machine(
    workbook: Run, tmp_path: Path, busy_cores: None
) -> None:
    """Stage 07 counts requests against one-minute windows; a loaded machine stretches the
    requests in wall time, never in the work they do, so the reference keeps full marks."""
    cohort = tmp_path / "cohort"
    made = workbook("solution", "7", "--out", str(cohort / "ref0"))
    assert made.returncode == 0, made.stderr
    for number in range(1, 6):
        shutil.copytree(cohort / "ref0", cohort / f"ref{number}")
    result = workbook("grade", str(cohort), "--stage", "7", "--json", "--jobs", "2", timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    for submission in json.loads(result.stdout)["submissions"]:
        lost = [t["id"] for t in submission["tests"] if t["outcome"] != "passed"]
        assert submission["score"] == submission["max_score"], (
            f"{submission['learner']} lost {lost}"
        )
        assert not lost, f"{submission['learner']} lost {lost}"
        assert submission["regressions"] == []
