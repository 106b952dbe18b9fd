"""The one-source build: ``solutions/`` in; skeleton overlays under ``exercises/``, nbgrader
source notebooks under ``notebooks/`` and the graded rules' table (``grader/suites/RULES.md``)
out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from authoring import nbbuild, rules
from workbook import catalog, fences, paths
from workbook.errors import FenceError
from workbook.overlays import HAND_WRITTEN, overlay_files


@dataclass(frozen=True)
class Artifact:
    """One generated file: where it goes and the bytes it must hold."""

    path: Path
    content: bytes


def render(path: Path, relative: Path) -> bytes:
    """A solution file as the skeleton: every fence a hole that fails loudly."""
    if not fences.is_fenced_source(path):
        return path.read_bytes()
    where = str(path.relative_to(paths.root()))
    out = fences.skeleton(path.read_text(encoding="utf-8"), where)
    if path.suffix != ".py":
        return out.encode("utf-8")
    try:
        compile(out, str(relative), "exec")
    except SyntaxError as exc:
        raise FenceError(
            f"{where}: the generated skeleton does not parse ({exc.msg}, "
            f"line {exc.lineno}); give the fence a SKELETON part"
        ) from None
    return out.encode("utf-8")


def artifacts() -> list[Artifact]:
    """Every file the build generates."""
    out: list[Artifact] = []
    for stage in catalog.load():
        for path, relative in overlay_files(stage.solution_dir):
            out.append(Artifact(stage.exercise_dir / relative, render(path, relative)))
        out.append(Artifact(nbbuild.notebook_path(stage), nbbuild.render(stage)))
    out.append(Artifact(rules.path(), rules.render()))
    return out


def _generated_on_disk() -> set[Path]:
    found: set[Path] = set()
    for stage in catalog.load():
        for path, relative in overlay_files(stage.exercise_dir):
            if relative.parts[0] not in HAND_WRITTEN:
                found.add(path)
    found.update((paths.root() / "notebooks").glob("*.ipynb"))
    return found


def drift() -> list[str]:
    """Every generated file that is missing, different, or stale (no longer generated)."""
    expected = artifacts()
    problems = []
    for art in expected:
        if not art.path.is_file():
            problems.append(f"missing: {art.path.relative_to(paths.root())}")
        elif art.path.read_bytes() != art.content:
            problems.append(f"differs: {art.path.relative_to(paths.root())}")
    stale = _generated_on_disk() - {art.path for art in expected}
    problems.extend(f"stale:   {p.relative_to(paths.root())}" for p in sorted(stale))
    return problems


def write() -> list[Path]:
    """Write every generated file, delete stale ones; return what changed."""
    changed: list[Path] = []
    expected = artifacts()
    for art in expected:
        if not art.path.is_file() or art.path.read_bytes() != art.content:
            art.path.parent.mkdir(parents=True, exist_ok=True)
            art.path.write_bytes(art.content)
            changed.append(art.path)
    for stale in _generated_on_disk() - {art.path for art in expected}:
        stale.unlink()
        changed.append(stale)
    return changed
