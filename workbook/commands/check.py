"""``workbook check``: run a stage's public checks on your workspace, in one process."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

import click

from workbook import catalog, checks, progress, workspace
from workbook.catalog import Stage
from workbook.commands import workspace_folder, workspace_option
from workbook.errors import WorkbookError
from workbook.preflight import SubmissionError, preflight
from workbook.results import SubmissionResult, read_lines, score
from workbook.text import markup
from workbook.ui import console


def run_checks(stage: Stage, folder: Path) -> SubmissionResult:
    """The public checks of ``stage`` against ``folder``, in-process, scored like grading."""
    import pytest  # here, not at start-up: a syntax error is answered before it loads

    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    with tempfile.TemporaryDirectory(prefix="workbook-check-") as tmp:
        results = Path(tmp) / "results.jsonl"
        args = checks.pytest_args(stage, results, folder, folders=[stage.checks_dir])
        here = Path.cwd()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                code = pytest.main(args)
        finally:
            os.chdir(here)
        expected, outcomes = read_lines(results)
    if code not in (0, 1) or not expected:
        raise WorkbookError(f"the checks of {stage.name} could not run (pytest exit {code})")
    return score("you", stage.name, expected, outcomes)


def show(stage: Stage, result: SubmissionResult) -> int:
    """Print the checks grouped by task; return how many passed."""
    console.print(f"[bold]Stage {stage.number}: {stage.title}[/]")
    passed = 0
    for task in stage.tasks:
        tests = [t for t in result.tests if t.task == task.number]
        if not tests:
            continue
        console.print(f"\n  {task.number}. {markup(task.title)}")
        for test in tests:
            ok = test.outcome == "passed"
            passed += ok
            console.print(f"    {'[green]✓[/]' if ok else '[red]✗[/]'} {markup(test.name)}")
            if not ok:
                console.print(f"      [dim]{markup(test.feedback)}[/]")
    return passed


def check_once(stage: str | None, folder: Path) -> int:
    """One ``workbook check``, printed; the exit code it means (0: every check passes)."""
    folder = workspace_folder(folder)
    chosen = catalog.find(stage) if stage else workspace.stage_of(folder)
    try:
        preflight(folder)
    except SubmissionError as exc:
        console.print(f"[red]✗[/] {markup(exc)}")
        return 1
    result = run_checks(chosen, folder)
    passed = show(chosen, result)
    if chosen.services:
        console.print(
            f"\n[dim]Not checked here: the live stack ({', '.join(chosen.services)}, Gunicorn) "
            "is started only when you are graded.[/]"
        )
    total = len(result.tests)
    progress.record(folder, chosen.name, passed, total)
    if passed == total:
        console.print(
            f"\n[green]All {total} checks pass.[/] The hidden suite tests more: "
            "read the README's interface once more before you submit."
        )
        return 0
    console.print(f"\n{passed}/{total} checks pass. Stuck? `workbook hint {chosen.number}`")
    return 1


@click.command()
@click.argument("stage", required=False)
@workspace_option
def check(stage: str | None, folder: Path) -> None:
    """Run the public checks of your workspace's stage."""
    code = check_once(stage, folder)
    if code:
        sys.exit(code)
