"""Find submissions on disk and copy each one, safely, into a scratch folder for grading.

A submission is a project folder, a ``.zip`` of one, or a stage notebook (``.ipynb``, or a
folder holding one, as nbgrader collects them): its ``%%writefile taskboard/...`` cells are
laid over the stage's starting workspace, as running the notebook would.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from grader import workspace
from grader.catalog import Stage
from grader.errors import WorkbookError

MAX_FILES = 3000
MAX_BYTES = 32 * 1024 * 1024
SKIP_PARTS = {
    "__pycache__",
    ".git",
    ".venv",
    "venv",
    "node_modules",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__MACOSX",
}


class SubmissionError(Exception):
    """A submission that cannot be graded; the message is the one-line reason."""


@dataclass(frozen=True)
class Submission:
    """One learner's work: a project folder, a zip of one, or a stage notebook."""

    learner: str
    source: Path


def _is_project(folder: Path) -> bool:
    return (folder / "app").is_dir()


def discover(paths: list[Path]) -> list[Submission]:
    """Expand each PATH: a project folder, a ``.zip``, or a folder of learners."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise WorkbookError(f"no such file or folder: {path}")
        if path.is_file():
            found.append(Submission(path.stem, path))
        elif _is_project(path):
            found.append(Submission(path.resolve().name, path))
        else:
            children = sorted(
                p
                for p in path.iterdir()
                if (p.is_dir() and not p.name.startswith(".")) or p.suffix in (".zip", ".ipynb")
            )
            if not children:
                raise WorkbookError(
                    f"{path} holds no submission (no app/ folder, no learner "
                    "subfolders, .zip or .ipynb files)"
                )
            found.extend(
                Submission(child.stem if child.is_file() else child.name, child)
                for child in children
            )
    names = [s.learner for s in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise WorkbookError(f"two submissions share the learner name {duplicates[0]!r}")
    return found


def _skip(parts: tuple[str, ...]) -> bool:
    return any(part in SKIP_PARTS for part in parts) or parts[-1].endswith((".pyc", ".pyo"))


def _copy_tree(source: Path, dest: Path) -> None:
    count = size = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if _skip(relative.parts) or path.is_symlink() or not path.is_file():
            continue  # symlinks are never followed: they could point anywhere on the host
        count, size = count + 1, size + path.stat().st_size
        if count > MAX_FILES or size > MAX_BYTES:
            raise SubmissionError(
                f"submission is larger than {MAX_FILES} files / {MAX_BYTES // 2**20} MiB"
            )
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _safe_member(info: zipfile.ZipInfo) -> PurePosixPath | None:
    name = PurePosixPath(info.filename.replace("\\", "/"))
    if name.is_absolute() or ".." in name.parts or ":" in info.filename:
        raise SubmissionError(f"zip entry {info.filename!r} points outside the submission")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise SubmissionError(f"zip entry {info.filename!r} is a symbolic link")
    if info.is_dir() or not name.parts or _skip(name.parts):
        return None
    return name


def _extract(archive: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [(info, _safe_member(info)) for info in zf.infolist()]
            wanted = [(info, name) for info, name in members if name is not None]
            if len(wanted) > MAX_FILES or sum(i.file_size for i, _ in wanted) > MAX_BYTES:
                raise SubmissionError(
                    f"zip unpacks to more than {MAX_FILES} files / {MAX_BYTES // 2**20} MiB"
                )
            budget = MAX_BYTES
            for info, name in wanted:
                target = dest.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    while chunk := src.read(65536):
                        budget -= len(chunk)
                        if budget < 0:
                            raise SubmissionError("zip unpacks to more than it declares (zip bomb)")
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise SubmissionError(f"{archive.name} is not a readable zip archive ({exc})") from None
    except NotImplementedError as exc:
        raise SubmissionError(f"{archive.name} uses an unsupported zip feature ({exc})") from None


def _project_root(folder: Path) -> Path:
    if _is_project(folder):
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and _is_project(p)]
    if len(inner) == 1:
        return inner[0]
    raise SubmissionError("no app/ package found (expected app/__init__.py at the top)")


def materialize(submission: Submission, scratch: Path, stage: Stage) -> Path:
    """Copy or unpack ``submission`` into ``scratch``; return the project folder inside it."""
    dest = scratch / "project"
    notebook = _notebook_of(submission.source)
    if notebook is not None:
        workspace.start(stage, dest)
        _write_cells(notebook, dest)
        preflight(dest)
        return dest
    dest.mkdir(parents=True)
    if submission.source.is_file():
        if submission.source.suffix.lower() != ".zip":
            raise SubmissionError(f"{submission.source.name} is neither a folder nor a .zip")
        _extract(submission.source, dest)
    else:
        _copy_tree(submission.source, dest)
    project = _project_root(dest)
    preflight(project)
    return project


def _notebook_of(source: Path) -> Path | None:
    """The notebook a submission is: the file itself, or the one notebook in a folder with no
    project (nbgrader's ``submitted/<student>/<assignment>/``)."""
    if source.is_file():
        return source if source.suffix == ".ipynb" else None
    if _is_project(source):
        return None
    found = [p for p in (*source.glob("*.ipynb"), *source.glob("*/*.ipynb")) if p.is_file()]
    found = [p for p in found if ".ipynb_checkpoints" not in p.parts]
    return found[0] if len(found) == 1 else None


WRITEFILE = re.compile(r"^%%writefile\s+(\S+)\s*$")


def _cell_text(cell: Any, name: str) -> str | None:
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return None
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise SubmissionError(f"{name} is not a valid notebook (a cell's source is not text)")


def _write_cells(notebook: Path, project: Path) -> None:
    """Write every ``%%writefile taskboard/<path>`` cell into ``project``, top to bottom."""
    name = notebook.name
    if notebook.stat().st_size > MAX_BYTES:
        raise SubmissionError(f"{name} is larger than {MAX_BYTES // 2**20} MiB")
    try:
        document = json.loads(notebook.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SubmissionError(f"{name} is not a valid notebook ({exc})") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise SubmissionError(f"{name} is not a valid notebook (it has no list of cells)")
    written = 0
    for cell in cells:
        first, _, body = (_cell_text(cell, name) or "").partition("\n")
        match = WRITEFILE.match(first)
        if match is None:
            continue
        target = PurePosixPath(match[1])
        if target.is_absolute() or ".." in target.parts or target.parts[:1] != ("taskboard",):
            raise SubmissionError(f"{name}: a cell writes {match[1]}, outside taskboard/")
        path = project.joinpath(*target.parts[1:])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body + "\n", encoding="utf-8")
        written += 1
    if not written:
        raise SubmissionError(f"{name} has no %%writefile taskboard/... cell to grade")


def preflight(project: Path) -> None:
    """Reject, without running anything, Python files that are not UTF-8 or do not parse."""
    if not (project / "app" / "__init__.py").is_file():
        raise SubmissionError("app/ has no __init__.py, so it is not a package")
    for path in sorted(project.rglob("*.py")):
        relative = path.relative_to(project).as_posix()
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise SubmissionError(f"{relative} is not UTF-8 text") from None
        try:
            compile(text, relative, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise SubmissionError(f"{relative}:{exc.lineno}: SyntaxError: {exc.msg}") from None
        except ValueError as exc:
            raise SubmissionError(f"{relative}: {exc}") from None


def content_hash(project: Path) -> str:
    """A hash of every file's path and bytes: the same submission, the same hash."""
    digest = hashlib.sha256()
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        digest.update(path.relative_to(project).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
