"""``workbook submit``: the workspace as one zip with a manifest, ready to hand in."""

from __future__ import annotations

import zipfile
from pathlib import Path

import click

from workbook import __version__, manifest, workspace
from workbook.commands import workspace_folder, workspace_option
from workbook.errors import WorkbookError
from workbook.text import markup
from workbook.ui import console

MAX_FILE = 1024 * 1024  # a bigger file is data, not code: left out
SKIPPED_FOLDERS = {
    "__pycache__", ".git", ".venv", "venv", "node_modules", "instance",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints",
}  # fmt: skip
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".sqlite", ".sqlite3", ".db", ".zip", ".log")


def _left_out(relative: Path, path: Path) -> str | None:
    """Why a workspace file stays out of the zip, or None when it goes in."""
    if SKIPPED_FOLDERS.intersection(relative.parts[:-1]):
        return None  # a cache or local state: not worth a line
    name = relative.name
    if name == ".env" or name.startswith(".env."):
        return "a secret (.env)"
    if path.is_symlink():
        return "a symbolic link"
    if name.endswith(SKIPPED_SUFFIXES) or name == manifest.NAME:
        return "local state or a build product"
    if path.stat().st_size > MAX_FILE:
        return f"over {MAX_FILE // 1024} KiB"
    return ""


def collect(folder: Path) -> tuple[dict[str, bytes], list[str]]:
    """The files a submission holds (relative POSIX path to bytes), and what was left out."""
    files: dict[str, bytes] = {}
    notes: list[str] = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        relative = path.relative_to(folder)
        why = _left_out(relative, path)
        if why == "":
            files[relative.as_posix()] = path.read_bytes()
        elif why:
            notes.append(f"{relative.as_posix()}: {why}")
    return files, notes


@click.command()
@workspace_option
@click.option("--out", type=click.Path(path_type=Path), help="Default: ../NN_name.zip")
def submit(folder: Path, out: Path | None) -> None:
    """Pack your workspace into one zip with a manifest, to hand in."""
    folder = workspace_folder(folder)
    stage = workspace.stage_of(folder)
    files, notes = collect(folder)
    target = (out or folder.parent / f"{stage.name}.zip").resolve()
    if target.is_relative_to(folder):
        raise WorkbookError(f"{target} is inside the workspace; write the zip somewhere else")
    data = manifest.build(stage.name, __version__, files)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
        zf.writestr(manifest.NAME, data)
    console.print(f"wrote [bold]{markup(target)}[/]: {len(files)} files of {stage.name}")
    for note in notes:
        console.print(f"  left out {markup(note)}")
