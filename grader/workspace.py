"""Assemble projects from overlays: a stage's reference, or a learner's starting workspace."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from grader import catalog
from grader.build import HAND_WRITTEN, overlay_files, render
from grader.catalog import Stage
from grader.errors import WorkbookError

MARKER = ".workbook.toml"


def prepare(dest: Path, *, force: bool) -> None:
    """Make ``dest`` an empty folder; refuse a non-empty one unless ``force``."""
    if dest.exists() and not dest.is_dir():
        raise WorkbookError(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        if not force:
            raise WorkbookError(f"{dest} is not empty; use --force to overwrite it")
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)


def _lay_reference(stages: list[Stage], dest: Path) -> None:
    for stage in stages:
        for path, relative in overlay_files(stage.solution_dir):
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render(path, relative, skeleton=False))


# A workspace is a project a learner may put under git: secrets and local state stay out.
GITIGNORE = """\
# secrets: settings come from the environment or an uncommitted .env
.env
# local state
instance/
*.sqlite3
__pycache__/
*.py[co]
.venv/
"""


def reference(stage: Stage, dest: Path, *, force: bool = False) -> Path:
    """The full reference project of ``stage``: overlays 1..N with fences removed."""
    prepare(dest, force=force)
    _lay_reference(catalog.upto(stage), dest)
    return dest


def start(stage: Stage, dest: Path, *, force: bool = False) -> Path:
    """A learner's workspace: reference 1..N-1, then stage N's skeleton and instructions."""
    prepare(dest, force=force)
    _lay_reference([s for s in catalog.upto(stage) if s.number < stage.number], dest)
    for path, relative in overlay_files(stage.exercise_dir):
        if relative.parts[0] in HAND_WRITTEN:
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    shutil.copyfile(stage.exercise_dir / "README.md", dest / "README.md")
    (dest / MARKER).write_text(f'stage = "{stage.name}"\n', encoding="utf-8")
    (dest / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return dest


def stage_of(folder: Path) -> Stage:
    """The stage a workspace was started for, read from its marker file."""
    marker = folder / MARKER
    if not marker.is_file():
        raise WorkbookError(
            f"{folder} is not a workbook workspace (no {MARKER}); "
            "run `workbook start N` or pass the stage number"
        )
    try:
        return catalog.find(tomllib.loads(marker.read_text(encoding="utf-8"))["stage"])
    except (tomllib.TOMLDecodeError, KeyError):
        raise WorkbookError(f'{marker} is damaged; it holds one line: stage = "NN_name"') from None
