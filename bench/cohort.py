"""Benchmark: cohort grading speed, with the sandbox on and off, against plain pytest and the
floor, in one run.

    .venv/bin/python bench/cohort.py [--submissions 100] [--stage 3] [--plain 20]
    .venv/bin/python bench/cohort.py --memory 100,1000 [--stage 1]

The cohort cycles through the stage's samples: correct, partial, wrong and broken ones
(``hangs`` is left out and timed on its own: it costs its time limit). Figures:

- ``workbook grade --jobs 2``, sandbox on (bubblewrap) and off (``WORKBOOK_SANDBOX=off``);
- a plain ``python -m pytest`` per submission (the same tests, in-process, one after the
  other; on the first ``--plain`` submissions), with the grader's shortcuts (the same work as
  the grader: the comparison the target is judged on) and without them (``workbook.shortcuts``);
- the floor: the same tests run back to back in one warm process with no isolation;
- one hanging submission, graded alone.

``--memory`` instead grades cohorts of each given size in one run each and prints the peak
resident memory of the instructor's ``workbook grade`` process itself (not its workers): it
must stay flat as the cohort grows.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grader import samples
from grader.runner import pytest_args, suite_folders
from workbook import catalog
from workbook.catalog import Stage

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from grading import plain_pytest  # noqa: E402


def make_cohort(stage: Stage, size: int, dest: Path) -> list[Path]:
    """``size`` submissions cycling through every sample but the hanging one."""
    kinds = [s for s in samples.load(stage) if s.name != "hangs"]
    return [
        samples.assemble(sample, dest / f"learner{n:03d}-{sample.name}").source
        for n, sample in zip(range(size), itertools.cycle(kinds), strict=False)
    ]


def grade_seconds(cohort: Path, stage: Stage, work: Path, sandbox: str) -> float:
    """Wall time of ``workbook grade --jobs 2 --regrade`` over the whole cohort."""
    env = {**os.environ, "WORKBOOK_SANDBOX": sandbox, "WORKBOOK_GRADEBOOK": str(work / "gb")}
    command = [sys.executable, "-m", "grader", "grade", str(cohort), "--stage", stage.name]
    start = time.perf_counter()
    subprocess.run(
        [*command, "--jobs", "2", "--regrade"], cwd=work, env=env, capture_output=True, check=False
    )
    return time.perf_counter() - start


PEAK = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: print('peak-kib', resource.getrusage(resource.RUSAGE_SELF)"
    ".ru_maxrss, file=sys.stderr))\n"
    "sys.argv = ['workbook', *sys.argv[1:]]\n"
    "from grader.cli import main\n"
    "main()\n"
)


def peak_memory(stage: Stage, size: int, work: Path) -> tuple[float, float]:
    """Grade a fresh cohort of ``size``; the grader process's peak RSS (MiB) and wall time."""
    folder = work / f"memory-{size}"
    make_cohort(stage, size, folder)
    env = {**os.environ, "WORKBOOK_GRADEBOOK": str(folder / "gb.sqlite")}
    command = [sys.executable, "-c", PEAK, "grade", str(folder), "--stage", stage.name]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--jobs", "2"], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    line = next(ln for ln in done.stderr.splitlines() if ln.startswith("peak-kib "))
    return int(line.split()[1]) / 1024, elapsed


def memory_main(stage: Stage, sizes: list[int]) -> None:
    """Print the grader's peak memory for each cohort size, and its ratio to the first."""
    with tempfile.TemporaryDirectory(prefix="workbook-memory-bench-") as tmp:
        figures = [(size, *peak_memory(stage, size, Path(tmp))) for size in sizes]
    first = figures[0][1]
    print(f"stage {stage.name}: the workbook grade process's peak resident memory")
    for size, mib, seconds in figures:
        print(f"  {size:5d} submissions: {mib:7.1f} MiB ({mib / first:.2f}x), {seconds:6.1f} s")


def floor(stage_name: str, projects: list[Path], work: Path) -> None:
    """(In a process of its own.) Every project's tests, back to back, no isolation; print
    the seconds they took."""
    stage = catalog.find(stage_name)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    here = Path.cwd()
    start = time.perf_counter()
    for project in projects:
        for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
            del sys.modules[name]
        args = pytest_args(
            stage,
            work / "floor.jsonl",
            project,
            transport="inprocess",
            folders=suite_folders(stage),
        )
        with contextlib.redirect_stdout(io.StringIO()):
            code = pytest.main(args)
        if code not in (0, 1):
            raise SystemExit(f"the floor run failed on {project} (pytest exit {code})")
        os.chdir(here)
        sys.path[:] = [p for p in sys.path if p != str(project.resolve())]
    print(time.perf_counter() - start)


def floor_seconds(stage: Stage, projects: list[Path], work: Path) -> float:
    """Run :func:`floor` in a fresh process (its imports are warm after the first project)."""
    command = [sys.executable, __file__, "--floor", stage.name, str(work), *map(str, projects)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=work)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Build the cohort, take every measurement once, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--stage", default="3")
    parser.add_argument("--plain", type=int, default=20)
    parser.add_argument("--memory", help="cohort sizes, e.g. 100,1000: peak memory only")
    args = parser.parse_args()
    stage = catalog.find(args.stage)
    if args.memory:
        memory_main(stage, [int(size) for size in args.memory.split(",")])
        return
    with tempfile.TemporaryDirectory(prefix="workbook-cohort-bench-") as tmp:
        work = Path(tmp)
        projects = make_cohort(stage, args.submissions, work / "cohort")
        on = grade_seconds(work / "cohort", stage, work, "on")
        off = grade_seconds(work / "cohort", stage, work, "off")
        plain = [plain_pytest(stage, p, work) for p in projects[: args.plain]]
        slow = [plain_pytest(stage, p, work, shortcuts=False) for p in projects[: args.plain]]
        warm = floor_seconds(stage, projects, work)
        hangs = next(s for s in samples.load(stage) if s.name == "hangs")
        samples.assemble(hangs, work / "hanging" / "learner-hangs")
        hung = grade_seconds(work / "hanging", stage, work, "on")
    n = len(projects)
    rate = {
        "grade --jobs 2, sandbox on": n / on,
        "grade --jobs 2, sandbox off": n / off,
        "plain pytest per submission": len(plain) / sum(plain),
        "plain pytest, no shortcuts": len(slow) / sum(slow),
        "floor (one warm process)": n / warm,
    }
    print(f"stage {stage.name}, {n} submissions ({os.cpu_count()} cores), submissions per second:")
    for name, value in rate.items():
        print(f"  {name:30s} {value:6.2f}/s   ({1 / value:5.2f} s each)")
    sandboxed = rate["grade --jobs 2, sandbox on"]
    print(
        f"sandboxed grader vs floor: {rate['floor (one warm process)'] / sandboxed:.2f}x the time"
    )
    for plain_name in ("plain pytest per submission", "plain pytest, no shortcuts"):
        print(f"sandboxed grader vs {plain_name}: {sandboxed / rate[plain_name]:.1f}x")
    print(f"one hanging submission, graded alone: {hung:.1f} s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--floor"]:
        floor(sys.argv[2], [Path(p) for p in sys.argv[4:]], Path(sys.argv[3]))
    else:
        main()
