"""``workbook verify``: every reference scores full marks, every skeleton scores zero."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from grader import catalog, runner, workspace
from grader.results import SubmissionResult
from grader.submission import Submission
from grader.ui import console


def problems_of(kind: str, result: SubmissionResult) -> list[str]:
    """What is wrong with a reference (not full, regressions) or a skeleton (not zero)."""
    where = f"{result.stage} {kind}"
    if result.status != "graded":
        return [f"{where}: {result.message}"]
    if kind == "reference":
        lost = [t.id for t in result.tests if t.outcome != "passed"]
        lost += [f"{t.id} (regression)" for t in result.regressions]
        return [f"{where} fails {test}" for test in lost]
    return [f"{where} scores on {t.id}" for t in result.tests if t.points > 0]


@click.command()
@click.option("--jobs", type=click.IntRange(1, 64), default=lambda: os.cpu_count() or 1)
def verify(jobs: int) -> None:
    """Check the workbook: references full marks, skeletons zero."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="workbook-verify-") as tmp:
        for stage in catalog.load():
            base = Path(tmp) / stage.name
            subs = [
                Submission("reference", workspace.reference(stage, base / "reference")),
                Submission("skeleton", workspace.start(stage, base / "skeleton")),
            ]
            for result in runner.grade_all(subs, stage, jobs, lambda r: None):
                problems += problems_of(result.learner, result)
                console.print(
                    f"{stage.name} {result.learner}: {result.score:g}/{result.max_score:g}"
                )
    for line in problems:
        console.print(f"[red]✗[/] {line}")
    if problems:
        sys.exit(1)
    console.print("[green]the workbook is sound[/]: references full marks, skeletons zero")
