"""``workbook watch``: re-run the checks each time you save a file.

The watcher imports pytest, Flask and the libraries every stage uses once, at start, and never
the learner's code. Each run is a forked child of that warm process: it imports the learner's
modules fresh, runs the checks in-process, prints the verdict and exits, so nothing of one run
(a module, a half-built app, a monkeypatch) survives into the next. Where there is no
``fork`` (Windows), each run is a new ``workbook check`` process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import click

from workbook.commands import workspace_option
from workbook.commands.check import check_once
from workbook.errors import WorkbookError
from workbook.ui import console

WATCHED = (".py", ".toml", ".env", ".cfg", ".ini")
SKIPPED = {"__pycache__", "node_modules"}


def snapshot(folder: Path) -> dict[Path, tuple[float, int]]:
    """Modification time and size of each file a change to which should re-run the checks.

    Hidden folders (``.git``, a ``.venv``), ``__pycache__`` and ``node_modules`` are not
    looked into: a look every few hundredths of a second must stay cheap.
    """
    found = {}
    for root, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".") and f not in SKIPPED]
        for name in files:
            if name.endswith(WATCHED):
                path = Path(root, name)
                try:
                    info = path.stat()
                except OSError:  # removed between the listing and the look
                    continue
                found[path] = (info.st_mtime, info.st_size)
    return found


def run_forked(stage: str | None, folder: Path) -> int:
    """One check in a forked child of this warm process; its exit code."""
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            code = check_once(stage, folder)
        except WorkbookError as exc:
            console.print(f"[red]✗[/] {exc}")
            code = 1
        except KeyboardInterrupt:  # Ctrl-C reaches the watcher too, which says it stopped
            code = 130
        except BaseException:  # a crash of one run must not end the watcher
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def run_process(stage: str | None, folder: Path) -> int:
    """One check as a new process (no ``fork`` here)."""
    # The learner's own entry point: ``python -m workbook`` would load the instructor's
    # commands too where they are installed, which a check never needs.
    entry = "from workbook.cli import main; main()"
    command = [sys.executable, "-c", entry, "check", "--dir", str(folder), *filter(None, [stage])]
    return subprocess.run(command, check=False).returncode


@click.command()
@click.argument("stage", required=False)
@workspace_option
@click.option("--interval", type=float, default=0.05, help="Seconds between looks.")
@click.option("--max-runs", type=int, default=0, help="Stop after this many checks (0: never).")
def watch(stage: str | None, folder: Path, interval: float, max_runs: int) -> None:
    """Re-run `workbook check` whenever a file in the workspace changes."""
    forking = hasattr(os, "fork")
    if forking:
        import pytest  # noqa: F401 - loaded once here, shared by every forked run

        from workbook.preload import warm_up

        warm_up()
    run = run_forked if forking else run_process
    runs, seen = 0, None
    try:
        while max_runs == 0 or runs < max_runs:
            current = snapshot(folder)
            if current != seen:
                seen = current
                runs += 1
                run(stage, folder)
                console.print(f"[dim]watching {folder} for changes (Ctrl-C to stop)[/]")
            time.sleep(interval)
    except KeyboardInterrupt:
        console.print("stopped watching")
