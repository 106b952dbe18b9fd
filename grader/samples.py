"""Bundled sample submissions: a base project (reference or skeleton) plus changes.

``sample.toml`` names the base, the expected score and status, and the changes:
``skeleton_files`` (files taken from the stage's skeleton) and ``[[replace]]`` edits
(``file``, ``old``, ``new``; ``old`` must occur exactly once). Other files beside it are copied in.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import paths as grader_paths
from grader.submission import Submission
from workbook import catalog, workspace
from workbook.catalog import Stage
from workbook.errors import WorkbookError
from workbook.overlays import overlay_files

SPEC = "sample.toml"
# The scenarios `workbook demo` grades for every stage; `demo --all` adds the wrong variants.
CORE = ("reference", "skeleton", "partial", "syntax-error", "hangs")


@dataclass(frozen=True)
class Sample:
    """One golden scenario: how to build it and the result it must get."""

    stage: Stage
    name: str
    folder: Path
    base: str
    expected_score: float
    expected_status: str
    description: str
    spec: dict[str, Any]


def load(stage: Stage) -> list[Sample]:
    """The samples of one stage, by name."""
    base = grader_paths.samples() / stage.name
    found = []
    for folder in sorted(p for p in base.glob("*") if (p / SPEC).is_file()):
        spec = tomllib.loads((folder / SPEC).read_text(encoding="utf-8"))
        found.append(
            Sample(
                stage,
                folder.name,
                folder,
                spec.get("base", "reference"),
                float(spec["expected_score"]),
                spec.get("expected_status", "graded"),
                spec.get("description", ""),
                spec,
            )
        )
    return found


def all_samples() -> list[Sample]:
    """Every stage's samples, in stage order."""
    return [sample for stage in catalog.load() for sample in load(stage)]


def assemble(sample: Sample, dest: Path) -> Submission:
    """Build the sample's project at ``dest`` and return it as a submission."""
    if sample.base == "skeleton":
        workspace.start(sample.stage, dest)
    else:
        workspace.reference(sample.stage, dest)
    for relative_name in sample.spec.get("skeleton_files", []):
        shutil.copyfile(sample.stage.exercise_dir / relative_name, dest / relative_name)
    for edit in sample.spec.get("replace", []):
        _replace(sample, dest / edit["file"], edit["old"], edit["new"])
    for path, relative in overlay_files(sample.folder):
        if relative.name != SPEC:
            (dest / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest / relative)
    return Submission(sample.name, dest)


def _replace(sample: Sample, path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise WorkbookError(
            f"sample {sample.stage.name}/{sample.name}: {old!r} occurs "
            f"{text.count(old)} times in {path.name}, not once"
        )
    path.write_text(text.replace(old, new), encoding="utf-8")
