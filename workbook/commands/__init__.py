"""One module per ``workbook`` verb (or per small family of verbs), and the options they share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from workbook.errors import WorkbookError


def dir_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A ``--dir`` option (the parameter ``folder``, default: the current folder)."""
    return click.option(
        "--dir", "folder", type=click.Path(path_type=Path), default=Path("."), help=help
    )


workspace_option = dir_option("The workspace (default: the current folder).")


def workspace_folder(folder: Path) -> Path:
    """``--dir`` made absolute; a folder that does not exist is one clear error."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise WorkbookError(f"no such folder: {folder}")
    return folder
