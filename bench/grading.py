"""Benchmark: how long learners wait on `workbook check` and instructors on `workbook grade`.

    .venv/bin/python bench/grading.py [--submissions 20] [--stage 2]

Prints, in one run: the median wall time of `workbook check` on a reference workspace; the
wall time per submission of `workbook grade` over a cohort (one job, then two); and the median
of a plain `python -m pytest` per submission running the same hidden suites in-process.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import samples
from grader.runner import pytest_args, suite_folders
from workbook import catalog, workspace
from workbook.catalog import Stage

KINDS = ("reference", "partial", "skeleton", "html-errors", "fat-handler")


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds one command takes (its output is discarded)."""
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def make_cohort(stage: Stage, size: int, dest: Path) -> list[Path]:
    """``size`` submissions cycling through correct, partial and wrong samples."""
    chosen = {s.name: s for s in samples.load(stage)}
    kinds = [k for k in KINDS if k in chosen] or ["reference"]
    made = []
    for number, kind in zip(range(size), itertools.cycle(kinds), strict=False):
        made.append(samples.assemble(chosen[kind], dest / f"learner{number:03d}-{kind}").source)
    return made


def plain_pytest(stage: Stage, project: Path, workdir: Path, shortcuts: bool = True) -> float:
    """One plain pytest process (plugins autoloaded, no worker, no isolation) running exactly
    the tests and options of a grading run against one project, in-process; with or without
    the grader's shortcuts (``workbook.shortcuts``)."""
    args = pytest_args(
        stage, workdir / "plain.jsonl", project, transport="inprocess", folders=suite_folders(stage)
    )
    at = args.index("pytest_timeout")
    del args[at - 1 : at + 1]  # autoloading registers pytest-timeout already
    start = time.perf_counter()
    env = {**os.environ, "WORKBOOK_SHORTCUTS": "on" if shortcuts else "off"}
    command = [sys.executable, "-m", "pytest", *args]
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"the plain pytest run failed: {done.stdout.decode()[-500:]}")
    return time.perf_counter() - start


def main() -> None:
    """Run every measurement once, in one process, and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--stage", default="2")
    args = parser.parse_args()
    stage = catalog.find(args.stage)
    workbook = [sys.executable, "-m", "grader"]
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        base = Path(tmp)
        env = {
            **os.environ,
            "WORKBOOK_HOME": str(base / "home"),
            "WORKBOOK_GRADEBOOK": str(base / "gradebook.sqlite"),
        }
        ref = workspace.reference(stage, base / "ref")
        checks = [
            timed([*workbook, "check", stage.name, "--dir", str(ref)], base, env) for _ in range(7)
        ]
        cohort = make_cohort(stage, args.submissions, base / "cohort")
        grade = {
            jobs: timed(
                [
                    *workbook,
                    "grade",
                    str(base / "cohort"),
                    "--stage",
                    stage.name,
                    "--jobs",
                    str(jobs),
                    "--regrade",
                ],
                base,
                env,
            )
            for jobs in (1, 2)
        }
        plain = [plain_pytest(stage, project, base) for project in cohort]
    n = len(cohort)
    print(f"stage {stage.name}, {n} submissions, {os.cpu_count()} cores")
    print(f"workbook check (median of {len(checks)}):       {statistics.median(checks):6.2f} s")
    print(f"workbook grade --jobs 1, per submission: {grade[1] / n:6.2f} s  ({grade[1]:.1f} s)")
    print(f"workbook grade --jobs 2, per submission: {grade[2] / n:6.2f} s  ({grade[2]:.1f} s)")
    print(
        f"plain python -m pytest per submission:   {statistics.median(plain):6.2f} s  "
        f"(median; {sum(plain):.1f} s in all)"
    )


if __name__ == "__main__":
    main()
