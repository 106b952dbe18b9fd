"""Find submissions on disk and copy each one, safely, into a scratch folder for grading.

A submission is a project folder, a ``.zip`` of one, or a stage notebook (``.ipynb``, or a
folder holding one, as nbgrader collects them): its ``%%writefile taskboard/...`` cells are
laid over the stage's starting workspace, as running the notebook would.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from workbook import workspace
from workbook.catalog import Stage
from workbook.errors import WorkbookError
from workbook.preflight import SubmissionError, preflight

MAX_FILES = 3000
MAX_BYTES = 32 * 1024 * 1024
# Every zip entry counts, skipped ones too: 600,000 cached .pyc files cost as much to list.
MAX_ENTRIES = 4 * MAX_FILES
MAX_CENTRAL_DIRECTORY = 2 * 1024 * 1024
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


@dataclass(frozen=True)
class Submission:
    """One learner's work: a project folder, a zip of one, or a stage notebook. ``problem``
    says why it cannot be graded before anything is read (a link, a name that is not UTF-8)."""

    learner: str
    source: Path
    problem: str = ""


def _is_project(folder: Path) -> bool:
    return _is_dir(folder / "app")


def _is_dir(path: Path) -> bool:
    """A real folder: a symbolic link to one is not."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    """A regular file: a symbolic link to one is not."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def learner_name(name: str) -> tuple[str, str]:
    """The learner a file or folder name stands for, printable, and what is wrong with it."""
    raw = os.fsencode(name)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        shown = raw.decode("utf-8", errors="backslashreplace")
        return shown, f"the name {shown!r} is not UTF-8; rename it"
    return name, ""


def _child(path: Path) -> Submission:
    stem = path.name if _is_dir(path) else path.stem
    learner, problem = learner_name(stem)
    if path.is_symlink():
        problem = problem or f"{learner} is a symbolic link (never followed); hand in the files"
    return Submission(learner, path, problem)


def _children(folder: Path) -> list[Submission]:
    children = sorted(
        p
        for p in folder.iterdir()
        if (p.is_dir() and not p.name.startswith(".")) or p.suffix in (".zip", ".ipynb")
    )
    if not children:
        raise WorkbookError(
            f"{folder} holds no submission (no app/ folder, no learner "
            "subfolders, .zip or .ipynb files)"
        )
    return [_child(child) for child in children]


def _one_per_learner(found: list[Submission]) -> list[Submission]:
    """Two submissions under one name make that learner an error; nobody else is affected."""
    by_name: dict[str, list[Submission]] = {}
    for submission in found:
        by_name.setdefault(submission.learner, []).append(submission)
    kept = []
    for name, group in by_name.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        files = ", ".join(sub.source.name for sub in group)
        why = f"{len(group)} submissions share the learner name {name!r} ({files}); keep one"
        kept.append(Submission(name, group[0].source, why))
    return kept


def discover(paths: list[Path]) -> list[Submission]:
    """Expand each PATH: a project folder, a ``.zip``, or a folder of learners."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise WorkbookError(f"no such file or folder: {path}")
        if path.is_file():
            found.append(Submission(learner_name(path.stem)[0], path))
        elif (path / "app").is_dir():
            found.append(Submission(learner_name(path.resolve().name)[0], path))
        else:
            found.extend(_children(path))
    return _one_per_learner(found)


def _skip(parts: tuple[str, ...]) -> bool:
    return any(part in SKIP_PARTS for part in parts) or parts[-1].endswith((".pyc", ".pyo"))


def _read(path: Path) -> bytes:
    """A file's bytes, refusing a symbolic link swapped in at the last moment."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as src:
        return src.read(MAX_BYTES + 1)


def _copy_tree(source: Path, dest: Path) -> None:
    """Copy regular files only: symbolic links are never followed (they could point anywhere
    on the host); caches and virtual environments are not even listed."""
    count = size = 0
    for folder, dirs, files in os.walk(source, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_PARTS)
        base = Path(folder)
        for name in sorted(files):
            path = base / name
            relative = path.relative_to(source)
            if _skip(relative.parts) or not _is_file(path):
                continue
            count, size = count + 1, size + path.lstat().st_size
            if count > MAX_FILES or size > MAX_BYTES:
                raise SubmissionError(
                    f"submission is larger than {MAX_FILES} files / {MAX_BYTES // 2**20} MiB"
                )
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_read(path))


def _safe_member(info: zipfile.ZipInfo) -> PurePosixPath | None:
    name = PurePosixPath(info.filename.replace("\\", "/"))
    if name.is_absolute() or ".." in name.parts or ":" in info.filename:
        raise SubmissionError(f"zip entry {info.filename!r} points outside the submission")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise SubmissionError(f"zip entry {info.filename!r} is a symbolic link")
    if info.is_dir() or not name.parts or _skip(name.parts):
        return None
    return name


def check_central_directory(archive: Path) -> None:
    """Refuse, from its last record alone, a zip whose list of entries is too long to read:
    every entry counts, the ones unpacking would skip too."""
    with archive.open("rb") as fp:
        try:
            end = zipfile._EndRecData(fp)  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return  # zipfile reads it again and says what is wrong
    if not end:
        return
    entries, size = end[4], end[5]  # _ECD_ENTRIES_TOTAL, _ECD_SIZE
    if entries > MAX_ENTRIES or size > MAX_CENTRAL_DIRECTORY:
        raise SubmissionError(
            f"{archive.name} lists {entries} entries; a submission holds at most {MAX_ENTRIES} "
            "(leave out caches and virtual environments)"
        )


def _extract(archive: Path, dest: Path) -> None:
    check_central_directory(archive)
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
    if submission.problem:
        raise SubmissionError(submission.problem)
    dest = scratch / "project"
    notebook = _notebook_of(submission.source)
    if notebook is not None:
        workspace.start(stage, dest)
        _write_cells(notebook, dest)
        preflight(dest)
        return dest
    dest.mkdir(parents=True)
    if not _is_dir(submission.source):
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
    if not _is_dir(source):
        return source if source.suffix == ".ipynb" else None
    if _is_project(source):
        return None
    found = [p for p in (*source.glob("*.ipynb"), *source.glob("*/*.ipynb"))]
    found = [p for p in found if ".ipynb_checkpoints" not in p.parts]
    links = [p for p in found if not _is_file(p) or not _is_dir(p.parent)]
    if links:
        name = links[0].relative_to(source).as_posix()
        raise SubmissionError(f"{name} is a symbolic link (never followed); hand in the notebook")
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
    try:
        data = _read(notebook)
    except OSError as exc:
        raise SubmissionError(f"{name} cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise SubmissionError(f"{name} is larger than {MAX_BYTES // 2**20} MiB")
    try:
        document = json.loads(data.decode("utf-8"))
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


def content_hash(project: Path) -> str:
    """A hash of every file's path and bytes: the same submission, the same hash."""
    digest = hashlib.sha256()
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        digest.update(path.relative_to(project).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def shard(submissions: list[Submission], index: int, count: int) -> list[Submission]:
    """The ``index``-th (from 1) of ``count`` slices of a cohort, by a hash of each learner's
    name: the same learner lands in the same slice on every machine and every run, however
    the cohort grows."""

    def slice_of(sub: Submission) -> int:
        digest = hashlib.sha256(sub.learner.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % count

    return [sub for sub in submissions if slice_of(sub) == index - 1]
