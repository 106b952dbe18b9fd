"""Assemble projects from overlays: a stage's reference, or a learner's starting workspace."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from workbook import catalog
from workbook.catalog import Stage
from workbook.errors import WorkbookError
from workbook.overlays import reference_files, skeleton_files

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
        for relative, content in reference_files(stage):
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


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
.mypy_cache/
.ruff_cache/
"""


def reference(stage: Stage, dest: Path, *, force: bool = False) -> Path:
    """The full reference project of ``stage``: overlays 1..N with fences removed."""
    prepare(dest, force=force)
    _lay_reference(catalog.upto(stage), dest)
    return dest


def starting_files(stage: Stage) -> dict[Path, bytes]:
    """Every file a workspace of ``stage`` starts with: the finished stages 1..N-1, then
    stage N's skeleton over them (the README, marker and ``.gitignore`` aside)."""
    files: dict[Path, bytes] = {}
    for earlier in catalog.upto(stage):
        if earlier.number < stage.number:
            files.update(reference_files(earlier))
    for path, relative in skeleton_files(stage):
        files[relative] = path.read_bytes()
    return files


def start(stage: Stage, dest: Path, *, force: bool = False) -> Path:
    """A learner's workspace: reference 1..N-1, then stage N's skeleton and instructions."""
    prepare(dest, force=force)
    for relative, content in starting_files(stage).items():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    shutil.copyfile(stage.exercise_dir / "README.md", dest / "README.md")
    edit = ", ".join(f'"{name}"' for name in stage.edit)
    (dest / MARKER).write_text(f'stage = "{stage.name}"\nedit = [{edit}]\n', encoding="utf-8")
    (dest / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return dest


def reset(folder: Path, name: str) -> Path:
    """Put one file of a workspace back as the stage started it; return its path."""
    stage = stage_of(folder)
    target = (Path.cwd() / name).resolve()
    if not target.is_relative_to(folder):
        target = (folder / name).resolve()
    if not target.is_relative_to(folder) or target == folder:
        raise WorkbookError(f"{name} is not a file of the workspace {folder}")
    relative = target.relative_to(folder)
    if relative == Path("README.md"):
        content = (stage.exercise_dir / "README.md").read_bytes()
    else:
        found = starting_files(stage).get(relative)
        if found is None:
            raise WorkbookError(
                f"{relative.as_posix()} is not one of {stage.name}'s starting files"
            )
        content = found
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target


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
