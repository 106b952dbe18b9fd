"""A stage's overlay: the files it adds or changes, laid over the stages before it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workbook import fences, paths
from workbook.catalog import Stage

# What an author writes by hand inside exercises/NN_name/; everything else there is generated.
HAND_WRITTEN = ("README.md", "stage.toml", "checks")


# What tools leave in a folder they ran in (ruff and mypy run in a stage with its own
# pyproject.toml): never part of an overlay, never shipped.
TOOL_CACHES = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"})


def overlay_files(folder: Path) -> Iterator[tuple[Path, Path]]:
    """(absolute, relative) for every file of an overlay, in a stable order."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and TOOL_CACHES.isdisjoint(relative.parts) and path.suffix != ".pyc":
            yield path, relative


def reference_files(stage: Stage) -> Iterator[tuple[Path, bytes]]:
    """(relative, bytes) of a stage's finished overlay: a learner kit's ``references/``, or
    the instructor's fenced ``solutions/`` with the fences taken out."""
    if stage.reference_dir.is_dir():
        for path, relative in overlay_files(stage.reference_dir):
            yield relative, path.read_bytes()
        return
    for path, relative in overlay_files(stage.solution_dir):
        if not fences.is_fenced_source(path):
            yield relative, path.read_bytes()
            continue
        where = str(path.relative_to(paths.root()))
        yield relative, fences.reference(path.read_text(encoding="utf-8"), where).encode()


def skeleton_files(stage: Stage) -> Iterator[tuple[Path, Path]]:
    """(absolute, relative) of a stage's starting files: its exercise overlay, minus what an
    author writes by hand (the README, ``stage.toml`` and the public checks)."""
    for path, relative in overlay_files(stage.exercise_dir):
        if relative.parts[0] not in HAND_WRITTEN:
            yield path, relative
