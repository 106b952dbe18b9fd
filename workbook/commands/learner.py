"""Learner verbs: ``list``, ``start``, ``hint`` and ``reset``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from workbook import catalog, progress, workspace
from workbook.commands import dir_option, workspace_folder, workspace_option
from workbook.errors import WorkbookError
from workbook.text import markup
from workbook.ui import console


@click.command("list")
@dir_option("Where your workspaces are (default: the current folder).")
def list_stages(folder: Path) -> None:
    """List the stages and the checks your workspaces here pass."""
    done = progress.found(workspace_folder(folder))
    table = Table(title="Flask Workbook", title_justify="left")
    for column in ("#", "stage", "title", "tasks", "checks"):
        table.add_column(column)
    for stage in catalog.load():
        mine = done.get(stage.name)
        state = "—" if mine is None else f"{mine['passed']}/{mine['total']}"
        if mine is not None and mine["passed"] == mine["total"]:
            state = f"[green]all {mine['total']} pass[/]"
        table.add_row(str(stage.number), stage.name, stage.title, str(len(stage.tasks)), state)
    console.print(table)
    if not done:
        console.print("No checked workspace here: `workbook start N`, then `workbook check`.")


@click.command()
@click.argument("stage")
@click.option("--dir", "folder", type=click.Path(path_type=Path), help="Default: ./NN_name")
@click.option("--force", is_flag=True, help="Overwrite a non-empty folder.")
def start(stage: str, folder: Path | None, force: bool) -> None:
    """Make the workspace for a stage (earlier stages done, this one to do)."""
    chosen = catalog.find(stage)
    dest = workspace.start(chosen, folder or Path(chosen.name), force=force)
    console.print(f"Stage {chosen.number}: {chosen.title}. Workspace ready in [bold]{dest}[/].")
    console.print(f"Read {dest / 'README.md'}, then run `workbook check` inside it.")


@click.command()
@click.argument("stage")
@click.argument("task", type=int, required=False)
def hint(stage: str, task: int | None) -> None:
    """Show the hints of a stage, or of one of its tasks."""
    chosen = catalog.find(stage)
    tasks = [t for t in chosen.tasks if task is None or t.number == task]
    if not tasks:
        raise WorkbookError(f"stage {chosen.name} has no task {task}")
    for t in tasks:
        console.print(f"[bold]{t.number}. {markup(t.title)}[/]")
        for number, text in enumerate(t.hints, start=1):
            console.print(f"  hint {number}: {markup(text)}")


@click.command()
@click.argument("file")
@workspace_option
def reset(file: str, folder: Path) -> None:
    """Put one file back as the stage started it (your other files stay)."""
    folder = workspace_folder(folder)
    target = workspace.reset(folder, file)
    console.print(
        f"{markup(target.relative_to(folder).as_posix())} is back to its starting version"
    )
