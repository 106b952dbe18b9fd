"""``workbook report`` and ``workbook export``: read the gradebook back."""

from __future__ import annotations

from pathlib import Path

import click

from grader.classroom import write_template
from grader.commands.grade import gradebook_option
from grader.course import write_course
from grader.feedback import write_pages
from grader.gradebook import Gradebook
from grader.gradescope import build_zip
from grader.stats import html_report, task_distribution, test_stats
from grader.tables import flagged_lines, gradebook_table, stats_table
from workbook import catalog
from workbook.errors import WorkbookError
from workbook.text import markup
from workbook.ui import console


def _open(path: Path) -> Gradebook:
    if not path.is_file():
        raise WorkbookError(f"no gradebook at {path}; run `workbook grade` first")
    return Gradebook(path)


@click.command()
@click.option("--stage", "stage_key", help="Only this stage.")
def report(stage_key: str | None, gradebook: Path) -> None:
    """Print the gradebook: learners down, stages across."""
    book = _open(gradebook)
    stage = catalog.find(stage_key).name if stage_key else None
    results = book.results(stage)
    book.close()
    if not results:
        console.print("the gradebook is empty")
        return
    console.print(gradebook_table(results))
    flagged = flagged_lines(results)
    if flagged:
        console.print("\nFlagged for review (tampering attempts; scores are unaffected):")
        for line in flagged:
            console.print(f"  {line}")


@click.command()
@click.argument("format", type=click.Choice(["csv", "nbgrader", "gradescope", "classroom"]))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="csv: default standard output; gradescope: the autograder zip to write; "
    "classroom: the template repository folder.",
)
@click.option("--stage", "stage_key", help="Only this stage.")
@click.option(
    "--course",
    type=click.Path(path_type=Path),
    help="nbgrader: the course folder to lay out (config + source/<stage>/).",
)
@click.option(
    "--exchange",
    default="/srv/nbgrader/exchange",
    show_default=True,
    help="nbgrader: the exchange folder the course and its learners share.",
)
@click.option("--force", is_flag=True, help="nbgrader: replace source notebooks that differ.")
def export(
    format: str,
    out: Path | None,
    stage_key: str | None,
    course: Path | None,
    exchange: str,
    force: bool,
    gradebook: Path,
) -> None:
    """Export the gradebook as csv (a row per learner, a column per stage), lay out an
    nbgrader course with every stage as an assignment, or write a stage's Gradescope
    autograder zip."""
    if format == "classroom":
        if stage_key is None or out is None:
            raise WorkbookError("export classroom needs --stage N and --out DIR")
        stage = catalog.find(stage_key)
        write_template(stage, out, force=force)
        console.print(f"wrote the GitHub Classroom template of {stage.name} to {markup(str(out))}")
        return
    if format == "gradescope":
        if stage_key is None or out is None:
            raise WorkbookError("export gradescope needs --stage N and --out autograder.zip")
        stage = catalog.find(stage_key)
        build_zip(stage, out)
        console.print(f"wrote {markup(str(out))}: upload it as {stage.name}'s autograder")
        return
    if format == "nbgrader":
        _export_nbgrader(course, stage_key, exchange, force)
        return
    book = _open(gradebook)
    text = book.to_csv(catalog.find(stage_key).name if stage_key else None)
    book.close()
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}")


def _export_nbgrader(
    course: Path | None, stage_key: str | None, exchange: str, force: bool
) -> None:
    if course is None:
        raise WorkbookError("export nbgrader needs --course DIR (the course folder to write)")
    stages = [catalog.find(stage_key)] if stage_key else catalog.load()
    written = write_course(course, stages, exchange=str(Path(exchange).absolute()), force=force)
    console.print(f"wrote {len(written)} file(s) under {course}")
    console.print(
        f"learners save {course / 'learner_nbgrader_config.py'} as "
        "~/.jupyter/nbgrader_config.py; the exchange must exist, writable by everyone"
    )
    console.print(
        f"next: cd {course} && nbgrader generate_assignment {stages[0].name} (see the README)"
    )


report.params.append(gradebook_option())
export.params.append(gradebook_option())


@click.command()
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="The folder for the pages."
)
@click.option("--stage", "stage_key", help="Only this stage.")
def feedback(out: Path, stage_key: str | None, gradebook: Path) -> None:
    """Write one self-contained HTML feedback page per learner (offline, no hidden test)."""
    book = _open(gradebook)
    stage = catalog.find(stage_key).name if stage_key else None
    results = book.results(stage)
    book.close()
    if not results:
        raise WorkbookError("the gradebook is empty; run `workbook grade` first")
    pages = write_pages(results, out)
    console.print(f"wrote {len(pages)} feedback page(s) to {markup(str(out))}")


@click.command()
@click.option("--stage", "stage_key", required=True, help="Stage number or name.")
@click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path),
    help="Also write an HTML report with a chart per task.",
)
def stats(stage_key: str, html_out: Path | None, gradebook: Path) -> None:
    """Per check, how many learners fail it and why; per task, how the points spread."""
    stage = catalog.find(stage_key)
    book = _open(gradebook)
    results = book.results(stage.name)
    book.close()
    if not results:
        raise WorkbookError(f"the gradebook has no result of {stage.name}")
    console.print(stats_table(stage.name, test_stats(results)))
    for task, spread in task_distribution(results).items():
        shown = ", ".join(f"{score:g}: {count}" for score, count in sorted(spread.items()))
        console.print(f"task {task}, learners per score: {shown}")
    if html_out is not None:
        html_out.write_text(html_report(stage.name, results), encoding="utf-8")
        console.print(f"wrote {markup(str(html_out))}")


@click.group("gradebook")
def gradebook_group() -> None:
    """Work on gradebook files: merge the shards of a cohort graded on several machines."""


@gradebook_group.command()
@click.argument("books", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The merged file.")
def merge(books: tuple[Path, ...], out: Path) -> None:
    """Merge gradebooks into --out (an existing --out is merged into, not replaced); where two
    hold one learner's stage, the later grading wins."""
    missing = [str(book) for book in books if not book.is_file()]
    if missing:
        raise WorkbookError(f"no gradebook at {missing[0]}")
    if out.resolve() in {book.resolve() for book in books}:
        raise WorkbookError(f"--out {out} is one of the gradebooks to merge")
    merged = Gradebook(out)
    try:
        for path in books:
            source = _open(path)
            try:
                taken = merged.merge(source)
            finally:
                source.close()
            console.print(f"{markup(str(path))}: {taken} row(s) merged")
    finally:
        merged.close()


feedback.params.append(gradebook_option())
stats.params.append(gradebook_option())
