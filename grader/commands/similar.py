"""``workbook similar``: pairs of submissions whose code is suspiciously alike."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from grader.submission import discover
from workbook import catalog
from workbook.text import markup
from workbook.ui import console, errors


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--stage", "stage_key", required=True, help="Stage number or name.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path),
    help="Also write copydetect's side-by-side report of the alike files.",
)
def similar(paths: tuple[Path, ...], stage_key: str, top: int, html_out: Path | None) -> None:
    """Rank pairs of learners by how alike their code is (the stage's starting code, which
    everyone shares, counts for nothing)."""
    from grader.similar import compare  # copydetect imports numpy: only when asked

    stage = catalog.find(stage_key)
    pairs, skipped = compare(discover(list(paths)), stage, html_out)
    table = Table(title=f"{stage.name}: most alike pairs", title_justify="left")
    for name in ("learner", "learner", "similarity", "most alike file"):
        table.add_column(name, justify="right" if name == "similarity" else "left")
    for pair in pairs[:top]:
        table.add_row(
            markup(pair.first), markup(pair.second), f"{pair.similarity:.0%}", markup(pair.file)
        )
    console.print(table)
    for line in skipped:
        errors.print(f"workbook: skipped {markup(line)}")
    if html_out is not None:
        console.print(f"wrote {markup(str(html_out))}")
