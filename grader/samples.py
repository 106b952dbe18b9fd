"""Bundled sample submissions: a base project (reference or skeleton) plus an overlay."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader import catalog, paths, workspace
from grader.build import overlay_files
from grader.catalog import Stage
from grader.submission import Submission

SPEC = "sample.toml"


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


def load(stage: Stage) -> list[Sample]:
    """The samples of one stage, by name."""
    base = paths.samples() / stage.name
    found = []
    for folder in sorted(p for p in base.glob("*") if (p / SPEC).is_file()):
        spec = tomllib.loads((folder / SPEC).read_text(encoding="utf-8"))
        found.append(Sample(stage, folder.name, folder, spec.get("base", "reference"),
                            float(spec["expected_score"]), spec.get("expected_status", "graded"),
                            spec.get("description", "")))
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
    for path, relative in overlay_files(sample.folder):
        if relative.name == SPEC:
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.name.endswith(".delete"):
            target.with_name(path.name.removesuffix(".delete")).unlink(missing_ok=True)
        else:
            shutil.copyfile(path, target)
    return Submission(sample.name, dest)
