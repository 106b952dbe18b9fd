"""Benchmark: what a learner waits for, per stage, in one run.

    .venv/bin/python bench/learner.py [--repeats 5] [--stages 1,5,7]

For every stage's reference workspace:

- ``check``: ``workbook check`` as a whole process, cold, against the floor (a process that
  only imports Python with flask, flask_sqlalchemy, flask_migrate, marshmallow,
  flask_jwt_extended and pytest), timed pairwise (floor, check, floor, check, ...), medians;
- ``app floor``: a process that imports pytest and the stage's own app and builds it with
  ``create_app("testing")``: what any check of that app must at least take, since the app
  imports libraries the floor does not (pydantic-settings, Flask-Limiter, ...);
- ``syntax error``: ``workbook check`` on the same workspace with a syntax error in one file;
- ``watch``: from a file save to the verdict on screen under ``workbook watch``, the watcher's
  own wait included.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from workbook import catalog
from workbook.catalog import Stage

FLOOR = "import flask, flask_sqlalchemy, flask_migrate, marshmallow, flask_jwt_extended, pytest"
APP_FLOOR = f"{FLOOR}; import app; app.create_app('testing')"
ENV = {**os.environ, "WORKBOOK_HOME": tempfile.mkdtemp(prefix="workbook-bench-home-")}


def seconds(command: list[str], cwd: Path) -> float:
    """Wall time of one process."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
    return time.perf_counter() - start


# The learner kit's own entry point (``python -m workbook`` here would load the instructor's).
LEARNER = [sys.executable, "-c", "from workbook.cli import main; main()"]


def check_command(stage: Stage, folder: Path) -> list[str]:
    return [*LEARNER, "check", stage.name, "--dir", str(folder)]


def watch_latency(stage: Stage, folder: Path, saves: int) -> float:
    """Median seconds from a save to the end of the verdict it triggers."""
    command = [*LEARNER, "watch", stage.name, "--dir", str(folder)]
    watcher = subprocess.Popen(
        command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in watcher.stdout or []:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()

    def until_watching() -> None:
        while "watching" not in lines.get(timeout=60):
            pass

    target = folder / "app" / "__init__.py"
    times = []
    try:
        until_watching()
        for n in range(saves):
            time.sleep(0.7)  # a learner types between saves
            start = time.perf_counter()
            target.write_text(target.read_text() + f"\n# save {n}\n")
            until_watching()
            times.append(time.perf_counter() - start)
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
    return statistics.median(times)


def measure(stage: Stage, work: Path, repeats: int) -> dict[str, float]:
    """The stage's figures."""
    folder = work / stage.name
    subprocess.run(
        [sys.executable, "-m", "grader", "solution", stage.name, "--out", str(folder)],
        env=ENV,
        capture_output=True,
        check=True,
    )
    floors, app_floors, checks = [], [], []
    for _ in range(repeats):
        floors.append(seconds([sys.executable, "-c", FLOOR], work))
        app_floors.append(seconds([sys.executable, "-c", APP_FLOOR], folder))
        checks.append(seconds(check_command(stage, folder), work))
    broken = work / f"{stage.name}-broken"
    shutil.copytree(folder, broken)
    (broken / "app" / "config.py").write_text("def broken(:\n")
    syntax = statistics.median(seconds(check_command(stage, broken), work) for _ in range(repeats))
    return {
        "floor": statistics.median(floors),
        "app floor": statistics.median(app_floors),
        "check": statistics.median(checks),
        "syntax": syntax,
        "watch": watch_latency(stage, folder, repeats),
    }


def main() -> None:
    """Measure every chosen stage and print one table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--stages", default="")
    args = parser.parse_args()
    chosen = [catalog.find(s) for s in args.stages.split(",")] if args.stages else catalog.load()
    print(f"{os.cpu_count()} cores, medians of {args.repeats}")
    print(
        "| stage | floor | app floor | check | × floor | × app floor | syntax error "
        "| watch save→verdict |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="workbook-learner-bench-") as tmp:
        for stage in chosen:
            f = measure(stage, Path(tmp), args.repeats)
            print(
                f"| {stage.name} | {f['floor']:.2f} s | {f['app floor']:.2f} s "
                f"| {f['check']:.2f} s | {f['check'] / f['floor']:.2f}× "
                f"| {f['check'] / f['app floor']:.2f}× | {f['syntax']:.2f} s "
                f"| {f['watch']:.2f} s |"
            )


if __name__ == "__main__":
    main()
