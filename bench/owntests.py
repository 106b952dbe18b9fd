"""Benchmark: grading stage 08 (the learner's own suite, run against many apps) against
grading stage 07, per submission, and the learner's suite on its own.

    .venv/bin/python bench/owntests.py [--repeat 3]

Each figure is the median of ``--repeat`` runs of ``workbook grade --regrade --jobs 1`` on
one reference submission (the trusted process starts warm, as in any grading run). The goal
(issue 13): stage 08 within 3x of stage 07, and the learner's suite in a few seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbook import catalog, workspace


def grade_seconds(project: Path, stage: str, work: Path) -> float:
    """Wall time of grading one submission at ``stage``."""
    env = {**os.environ, "WORKBOOK_GRADEBOOK": str(work / "gb.sqlite")}
    command = [sys.executable, "-m", "grader", "grade", str(project), "--stage", stage]
    start = time.perf_counter()
    subprocess.run([*command, "--regrade", "--jobs", "1"], env=env, capture_output=True,
                   check=True, cwd=work)  # fmt: skip
    return time.perf_counter() - start


def suite_seconds(project: Path) -> float:
    """Wall time of ``python -m pytest`` in the project (what a learner runs)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=project, capture_output=True,
                   check=True)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    """Build both references, time each grading run, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory(prefix="workbook-owntests-bench-") as tmp:
        work = Path(tmp)
        figures = {}
        for stage in ("07_caching", "08_testing"):
            project = workspace.reference(catalog.find(stage), work / stage / "ada")
            runs = [grade_seconds(project, stage, work) for _ in range(repeat)]
            figures[stage] = statistics.median(runs)
        suite = statistics.median(suite_seconds(work / "08_testing" / "ada") for _ in range(repeat))
    ratio = figures["08_testing"] / figures["07_caching"]
    print(f"grade 07_caching, one reference submission: {figures['07_caching']:6.1f} s")
    print(f"grade 08_testing, one reference submission: {figures['08_testing']:6.1f} s"
          f"  ({ratio:.1f}x stage 07; goal <= 3x)")  # fmt: skip
    print(f"the reference's own suite, python -m pytest: {suite:6.1f} s")


if __name__ == "__main__":
    main()
