"""Benchmark: ``nbgrader autograde`` per notebook against ``workbook grade`` per submission,
on the same stage and the same learners' work, in one run.

    .venv/bin/python bench/notebooks.py [--stage 04_validation] [--learners 4]

Half the learners hand in the reference answers, half the untouched release. nbgrader runs
every notebook top to bottom in a new kernel (setup, file cells, one test cell per task);
``workbook grade`` runs suites 1..N of the stage on the equivalent project folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from grader import samples
from workbook import catalog, workspace

BIN = Path(sys.executable).parent


def run(*args: str | Path, cwd: Path) -> float:
    """Seconds one command takes; it must succeed."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    start = time.perf_counter()
    subprocess.run([str(a) for a in args], cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def notebook_of(release: dict[str, Any], project: Path | None) -> dict[str, Any]:
    """The released notebook with its file cells holding ``project``'s files (or untouched)."""
    notebook: dict[str, Any] = json.loads(json.dumps(release))
    if project is None:
        return notebook
    for cell in notebook["cells"]:
        first = "".join(cell["source"]).split("\n")[0]
        if first.startswith("%%writefile taskboard/"):
            text = (project / first.removeprefix("%%writefile taskboard/")).read_text()
            cell["source"] = f"{first}\n{text}".splitlines(keepends=True)
    return notebook


def main() -> None:
    """Build one course and one cohort, then time both graders learner by learner."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--stage", default="04_validation")
    parser.add_argument("--learners", type=int, default=4)
    args = parser.parse_args()
    stage = catalog.find(args.stage)
    with tempfile.TemporaryDirectory(prefix="workbook-nb-bench-") as tmp:
        work = Path(tmp)
        course = work / "course"
        grader = [sys.executable, "-m", "grader"]
        run(*grader, "export", "nbgrader", "--course", course, "--stage", stage.name, cwd=work)
        run("nbgrader", "generate_assignment", stage.name, cwd=course)
        release = json.loads((course / "release" / stage.name / f"{stage.name}.ipynb").read_text())
        reference = next(s for s in samples.load(stage) if s.name == "reference")
        done = samples.assemble(reference, work / "reference").source
        nb_times, wb_times = [], []
        for n in range(args.learners):
            learner, finished = f"learner{n}", n % 2 == 0
            folder = course / "submitted" / learner / stage.name
            folder.mkdir(parents=True)
            notebook = notebook_of(release, done if finished else None)
            (folder / f"{stage.name}.ipynb").write_text(json.dumps(notebook))
            project = work / "cohort" / learner
            if finished:
                shutil.copytree(done, project)
            else:
                workspace.start(stage, project)
            nb_times.append(
                run(
                    "nbgrader",
                    "autograde",
                    stage.name,
                    "--create",
                    "--student",
                    learner,
                    cwd=course,
                )
            )
            book = work / "gradebook.sqlite"
            wb_times.append(
                run(*grader, "grade", project, "--stage", stage.name, "--gradebook", book, cwd=work)
            )
    nb, wb = statistics.median(nb_times), statistics.median(wb_times)
    print(f"{stage.name}, {args.learners} learners (half finished, half untouched)")
    print(f"nbgrader autograde, median per notebook:  {nb:6.2f} s")
    print(f"workbook grade, median per submission:    {wb:6.2f} s   ({nb / wb:.1f}x faster)")


if __name__ == "__main__":
    main()
