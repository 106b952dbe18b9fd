"""``workbook grade``: grade a learner's project, a zip, or a folder of learners."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from grader import cgroups, formats, runner, sandbox, scratch
from grader.gradebook import Gradebook
from grader.submission import Submission, discover
from grader.submission import shard as slice_of_cohort
from grader.tables import submission_table
from workbook import catalog
from workbook.catalog import Stage
from workbook.errors import WorkbookError
from workbook.results import SubmissionResult
from workbook.text import markup
from workbook.ui import console, errors

DEFAULT_GRADEBOOK = "gradebook.sqlite"


def gradebook_option() -> click.Option:
    """The shared ``--gradebook`` option (env ``WORKBOOK_GRADEBOOK``)."""
    return click.Option(
        ["--gradebook"],
        type=click.Path(path_type=Path),
        default=lambda: os.environ.get("WORKBOOK_GRADEBOOK", DEFAULT_GRADEBOOK),
        show_default=DEFAULT_GRADEBOOK,
        help="The SQLite gradebook file.",
    )


def grade_cohort(
    pairs: list[tuple[Submission, Stage]],
    jobs: int,
    book: Gradebook,
    regrade: bool = True,
    summary: Summary | None = None,
) -> list[SubmissionResult]:
    """Grade with a progress bar on stderr; record each result the moment it is ready.

    Unless ``regrade``, a submission whose content and suite are unchanged since it was last
    graded keeps its stored result: an interrupted run picks up where it stopped. With a
    ``summary``, results are not kept (it notes what printing them needs): the list is empty.
    """
    scratch.sweep()  # what a run stopped by kill -9 or a crash left behind
    cgroups.sweep()
    versions = {stage.name: runner.suite_version(stage) for _, stage in pairs}
    isolated, how = sandbox.describe()
    errors.print(how if isolated else f"[yellow]{how}[/]")

    def stored(learner: str, stage: str, digest: str) -> SubmissionResult | None:
        return book.unchanged(learner, stage, digest, versions[stage])

    columns = (
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=errors, transient=True, disable=not errors.is_terminal) as bar:
        task = bar.add_task("grading", total=len(pairs))

        def done(result: SubmissionResult) -> None:
            if not result.reused:
                try:
                    book.record(result, versions[result.stage])
                except (sqlite3.Error, ValueError) as exc:  # this learner's row, not the run
                    result.status = "error"
                    result.message = f"could not be recorded in the gradebook ({exc})"
            if summary is not None:
                summary.add(result, book)
            bar.advance(task)

        reuse = None if regrade else stored
        return runner.grade_pairs(pairs, jobs, done, reuse, keep=summary is None)


@dataclass
class Summary:
    """What printing a cohort's results needs once they are in the gradebook: the order,
    the few results the gradebook cannot give back as they were, and the failures."""

    keys: dict[tuple[str, str], SubmissionResult | None] = field(default_factory=dict)
    failed: list[tuple[str, str]] = field(default_factory=list)
    reused: int = 0

    def add(self, result: SubmissionResult, book: Gradebook) -> None:
        """Note one result; keep it only when its gradebook row would differ from it."""
        exact = result.status == "graded" or book.result(result.learner, result.stage) is not None
        exact = exact and "could not be recorded" not in result.message
        self.keys[(result.learner, result.stage)] = None if exact else result
        self.reused += result.reused
        if result.status != "graded":
            self.failed.append((result.learner, result.message))

    def results(self, order: list[tuple[str, str]], book: Gradebook) -> Iterator[SubmissionResult]:
        """Every result in ``order``, read back one at a time."""
        for key in order:
            held = self.keys.get(key)
            found = held if held is not None else book.result(*key)
            if found is not None:
                yield found


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--stage", "stage_key", required=True, help="Stage number or name.")
@click.option(
    "--format",
    "output",
    type=click.Choice(formats.FORMATS),
    default="table",
    show_default=True,
    help="What to print: tables, the grading JSON, Gradescope's or Exercism's results.json "
    "(one submission), or JUnit XML.",
)
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=lambda: os.cpu_count() or 1,
    help="Submissions graded at once (default: the number of cores).",
)
@click.option("--regrade", is_flag=True, help="Grade again what the gradebook already has.")
@click.option(
    "--shard",
    callback=lambda _ctx, _param, value: parse_shard(value),
    metavar="I/N",
    help="Grade only the I-th of N slices of the cohort (by learner); merge the gradebooks "
    "with `workbook gradebook merge`.",
)
def grade(
    paths: tuple[Path, ...],
    stage_key: str,
    output: str,
    as_json: bool,
    jobs: int,
    regrade: bool,
    shard: tuple[int, int] | None,
    gradebook: Path,
) -> None:
    """Grade submissions against the hidden suites of stages 1..N."""
    output = "json" if as_json else output
    stage = catalog.find(stage_key)
    submissions = discover(list(paths))
    if shard is not None:
        submissions = slice_of_cohort(submissions, *shard)
    if output in formats.SINGLE and len(submissions) != 1:
        raise WorkbookError(
            f"--format {output} describes one submission; {len(submissions)} were given"
        )
    book = Gradebook(gradebook)
    summary = Summary()
    try:
        started = time.monotonic()
        pairs = [(sub, stage) for sub in submissions]
        grade_cohort(pairs, jobs, book, regrade, summary)
        order = list(dict.fromkeys((sub.learner, stage.name) for sub in submissions))
        print_results(stage, summary.results(order, book), output, time.monotonic() - started)
    finally:
        book.close()
    if summary.reused:
        errors.print(
            f"workbook: kept {summary.reused} unchanged result(s) from the gradebook "
            "(--regrade grades them again)"
        )
    for learner, message in summary.failed:
        errors.print(f"workbook: {markup(learner)}: {markup(message)}")
    sys.exit(2 if summary.failed else 0)


grade.params.append(gradebook_option())


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """``"2/3"`` as ``(2, 3)``; a one-line error for anything else."""
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise WorkbookError(f"--shard takes I/N with 1 <= I <= N, such as 2/3, not {value!r}")
    return int(index), int(count)


def print_results(
    stage: Stage, results: Iterator[SubmissionResult], output: str, elapsed: float
) -> None:
    """Print ``results`` in the chosen format on stdout, one at a time."""
    if output == "table":
        for result in results:
            console.print(submission_table(result))
    elif output in ("json", "junit"):
        writer = formats.document if output == "json" else formats.junit
        for piece in writer(stage, results):
            click.echo(piece)
    else:
        [result] = list(results)
        doc = (
            formats.gradescope(stage, result, elapsed)
            if output == "gradescope"
            else formats.exercism(stage, result)
        )
        click.echo(json.dumps(doc, indent=2))
