"""``workbook watch``: re-run the checks each time you save a file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import click

from workbook.commands import workspace_option
from workbook.ui import console

WATCHED = (".py", ".toml", ".env", ".cfg", ".ini")


def snapshot(folder: Path) -> dict[Path, float]:
    """Modification times of the files a change to which should re-run the checks."""
    return {
        p: p.stat().st_mtime
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in WATCHED and "__pycache__" not in p.parts
    }


@click.command()
@click.argument("stage", required=False)
@workspace_option
@click.option("--interval", type=float, default=0.25, help="Seconds between looks.")
@click.option("--max-runs", type=int, default=0, help="Stop after this many checks (0: never).")
def watch(stage: str | None, folder: Path, interval: float, max_runs: int) -> None:
    """Re-run `workbook check` whenever a file in the workspace changes."""
    # The learner's own entry point: ``python -m workbook`` would load the instructor's
    # commands too where they are installed, which a check never needs.
    entry = "from workbook.cli import main; main()"
    command = [sys.executable, "-c", entry, "check", "--dir", str(folder), *filter(None, [stage])]
    runs, seen = 0, None
    try:
        while max_runs == 0 or runs < max_runs:
            current = snapshot(folder)
            if current != seen:
                seen = current
                runs += 1
                subprocess.run(command, check=False)
                console.print(f"[dim]watching {folder} for changes (Ctrl-C to stop)[/]")
            time.sleep(interval)
    except KeyboardInterrupt:
        console.print("stopped watching")
