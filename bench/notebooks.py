"""Benchmark what a bootcamp waits on, on one stage, in one run:

- a task's test cell in the learner's kernel (after the setup and file cells have run);
- *Validate* (``nbgrader validate``) on a filled-in notebook;
- ``nbgrader autograde`` per notebook, against ``workbook grade`` per submission.

    .venv/bin/python bench/notebooks.py [--stage 04_validation] [--learners 4]

Half the learners hand in the reference answers, half the untouched release. autograde grades
each notebook's file cells in the sandbox (``grader.nbgrader``); ``workbook grade`` runs suites
1..N of the stage on the equivalent project folder.
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


def task_cell_seconds(notebook: Path) -> list[float]:
    """Run ``notebook``'s cells in a real kernel, as a learner does; the seconds each task's
    test cell takes."""
    from jupyter_client.manager import start_new_kernel

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    manager, client = start_new_kernel(cwd=str(notebook.parent))
    seconds = []
    try:
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            start = time.perf_counter()
            client.execute_interactive(source, timeout=600, output_hook=lambda _: None)
            if "check_task(" in source:
                seconds.append(time.perf_counter() - start)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return seconds


def learner_side(release: dict[str, Any], done: Path, work: Path) -> tuple[list[float], float]:
    """A learner's notebook filled in with the reference: its task cells' seconds in a
    kernel, and the seconds *Validate* takes."""
    folder = work / "learner"
    folder.mkdir()
    notebook = folder / "stage.ipynb"
    notebook.write_text(json.dumps(notebook_of(release, done)), encoding="utf-8")
    cells = task_cell_seconds(notebook)
    return cells, run("nbgrader", "validate", notebook, cwd=folder)


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
        cells, validate = learner_side(release, done, work)
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
    print(f"a task's test cell in the kernel:          {min(cells):.2f}-{max(cells):.2f} s")
    print(f"Validate, the filled-in notebook:          {validate:6.2f} s")
    print(f"nbgrader autograde, median per notebook:  {nb:6.2f} s")
    print(f"workbook grade, median per submission:    {wb:6.2f} s   ({nb / wb:.1f}x faster)")


if __name__ == "__main__":
    main()
