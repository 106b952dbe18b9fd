"""``workbook demo``: grade the bundled sample submissions and print the gradebook."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from rich.table import Table

from grader import catalog, samples
from grader.commands.grade import grade_cohort
from grader.gradebook import Gradebook
from grader.results import SubmissionResult
from grader.ui import console, gradebook_table


def _matches(sample: samples.Sample, result: SubmissionResult) -> bool:
    return result.score == sample.expected_score and result.status == sample.expected_status


@click.command()
@click.option(
    "--gradebook",
    type=click.Path(path_type=Path),
    help="Keep the demo's gradebook here (default: a temporary file).",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=lambda: os.cpu_count() or 1)
def demo(gradebook: Path | None, jobs: int) -> None:
    """Grade the bundled samples of every stage: the first thing to run."""
    check = Table(title="Samples against their expected scores", title_justify="left")
    for column in ("stage", "sample", "what it is", "expected", "got", ""):
        check.add_column(column)
    mismatches = 0
    with tempfile.TemporaryDirectory(prefix="workbook-demo-") as tmp:
        book = Gradebook(gradebook or Path(tmp) / "gradebook.sqlite")
        for stage in catalog.load():
            chosen = samples.load(stage)
            console.print(f"grading {len(chosen)} samples of {stage.name} ...")
            subs = [samples.assemble(s, Path(tmp) / stage.name / s.name) for s in chosen]
            results = {r.learner: r for r in grade_cohort(subs, stage, jobs, book)}
            for sample in chosen:
                got = results[sample.name]
                ok = _matches(sample, got)
                mismatches += not ok
                check.add_row(
                    stage.name,
                    sample.name,
                    sample.description,
                    f"{sample.expected_score:g}",
                    f"{got.score:g}/{got.max_score:g}"
                    + ("" if got.status == "graded" else " (error)"),
                    "[green]✓[/]" if ok else "[red]✗[/]",
                )
        console.print(gradebook_table(book.results()))
        book.close()
    console.print(check)
    if mismatches:
        console.print(f"[red]{mismatches} sample(s) did not get their expected score[/]")
        sys.exit(1)
