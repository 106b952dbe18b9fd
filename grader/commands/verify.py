"""``workbook verify``: every reference scores full marks, every skeleton scores zero."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from grader import runner
from grader.submission import Submission
from workbook import catalog, workspace
from workbook.results import SubmissionResult
from workbook.ui import console


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
@click.option("--stage", "stage_key", help="Only stages 1..N (default: every stage).")
@click.option("--jobs", type=click.IntRange(1, 64), default=lambda: os.cpu_count() or 1)
def verify(stage_key: str | None, jobs: int) -> None:
    """Check the workbook: references full marks, skeletons zero."""
    stages = catalog.upto(catalog.find(stage_key)) if stage_key else catalog.load()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="workbook-verify-") as tmp:
        pairs = []
        for stage in stages:
            base = Path(tmp) / stage.name
            pairs += [
                (Submission("reference", workspace.reference(stage, base / "reference")), stage),
                (Submission("skeleton", workspace.start(stage, base / "skeleton")), stage),
            ]
        # One pool for every stage: the warm trusted processes serve them all.
        for result in runner.grade_pairs(pairs, jobs, lambda r: None):
            problems += problems_of(result.learner, result)
            console.print(f"{result.stage} {result.learner}: {result.score:g}/{result.max_score:g}")
    for line in problems:
        console.print(f"[red]✗[/] {line}")
    if problems:
        sys.exit(1)
    console.print("[green]the workbook is sound[/]: references full marks, skeletons zero")
