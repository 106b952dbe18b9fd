"""``workbook report`` and ``workbook export``: read the gradebook back."""

from __future__ import annotations

from pathlib import Path

import click

from grader import catalog
from grader.commands.grade import gradebook_option
from grader.errors import WorkbookError
from grader.gradebook import Gradebook
from grader.ui import console, gradebook_table


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


@click.command()
@click.argument("format", type=click.Choice(["csv"]))
@click.option("--out", type=click.Path(path_type=Path), help="Default: standard output.")
@click.option("--stage", "stage_key", help="Only this stage.")
def export(format: str, out: Path | None, stage_key: str | None, gradebook: Path) -> None:
    """Export the gradebook (csv: a row per learner, a column per stage)."""
    book = _open(gradebook)
    text = book.to_csv(catalog.find(stage_key).name if stage_key else None)
    book.close()
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}")


report.params.append(gradebook_option())
export.params.append(gradebook_option())
