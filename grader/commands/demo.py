"""``workbook demo``: grade the bundled sample submissions and print the gradebook."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from rich.table import Table

from grader import samples
from grader.commands.grade import grade_cohort
from grader.gradebook import Gradebook
from grader.tables import gradebook_table
from workbook import catalog
from workbook.results import SubmissionResult
from workbook.ui import console


def _matches(sample: samples.Sample, result: SubmissionResult) -> bool:
    return result.score == sample.expected_score and result.status == sample.expected_status


@click.command()
@click.option(
    "--gradebook",
    type=click.Path(path_type=Path),
    help="Keep the demo's gradebook here (default: a temporary file).",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=lambda: os.cpu_count() or 1)
@click.option("--all", "everything", is_flag=True, help="Also grade every wrong variant.")
def demo(gradebook: Path | None, jobs: int, everything: bool) -> None:
    """Grade the bundled samples of every stage: the first thing to run."""
    check = Table(title="Samples against their expected scores", title_justify="left")
    for column in ("stage", "sample", "what it is", "expected", "got", ""):
        check.add_column(column)
    mismatches = 0
    with tempfile.TemporaryDirectory(prefix="workbook-demo-") as tmp:
        chosen = [s for s in samples.all_samples() if everything or s.name in samples.CORE]
        chosen.sort(key=lambda s: -s.stage.number)  # the longest runs first: better packing
        console.print(
            f"grading {len(chosen)} sample submissions of {len(catalog.load())} stages ..."
        )
        pairs = [(samples.assemble(s, Path(tmp) / s.stage.name / s.name), s.stage) for s in chosen]
        book = Gradebook(gradebook or Path(tmp) / "gradebook.sqlite")
        results = grade_cohort(pairs, jobs, book)
        for sample, got in zip(chosen, results, strict=True):
            ok = _matches(sample, got)
            mismatches += not ok
            shown = f"{got.score:g}/{got.max_score:g}" + (
                "" if got.status == "graded" else " (error)"
            )
            check.add_row(
                sample.stage.name,
                sample.name,
                sample.description,
                f"{sample.expected_score:g}",
                shown,
                "[green]✓[/]" if ok else "[red]✗[/]",
            )
        console.print(gradebook_table(book.results()))
        book.close()
    console.print(check)
    if mismatches:
        console.print(f"[red]{mismatches} sample(s) did not get their expected score[/]")
        sys.exit(1)
