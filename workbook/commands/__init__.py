"""One module per ``workbook`` verb (or per small family of verbs), and the options they share."""

from __future__ import annotations

from pathlib import Path

import click

from workbook.errors import WorkbookError

workspace_option = click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("."),
    help="The workspace (default: the current folder).",
)


def workspace_folder(folder: Path) -> Path:
    """``--dir`` made absolute; a folder that does not exist is one clear error."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise WorkbookError(f"no such folder: {folder}")
    return folder
