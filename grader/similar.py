"""Pairs of submissions whose code is suspiciously alike, by copydetect's fingerprints.

The stage's starting workspace (the earlier stages' references and this stage's skeleton) is
boilerplate: code every learner starts with scores nothing. Only files of the same path are
compared (``app/models/user.py`` with ``app/models/user.py``), and a pair of learners scores
the highest similarity of any of their files. For the instructor's eyes: similarity is a
reason to look, not a verdict.
"""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from copydetect import CopyDetector

from grader.submission import Submission, SubmissionError, materialize
from workbook import workspace
from workbook.catalog import Stage


@dataclass(frozen=True)
class Pair:
    """Two learners and how alike their most alike file is."""

    first: str
    second: str
    similarity: float
    file: str


def compare(
    submissions: list[Submission], stage: Stage, html: Path | None = None
) -> tuple[list[Pair], list[str]]:
    """Every pair of learners, most alike first, and the learners that could not be read."""
    with tempfile.TemporaryDirectory(prefix="workbook-similar-") as tmp:
        base = Path(tmp)
        boilerplate = base / "boilerplate"
        for relative, content in workspace.starting_files(stage).items():
            (boilerplate / relative).parent.mkdir(parents=True, exist_ok=True)
            (boilerplate / relative).write_bytes(content)
        projects, skipped = {}, []
        for n, sub in enumerate(submissions):
            try:
                projects[sub.learner] = materialize(sub, base / f"s{n}", stage)
            except (SubmissionError, OSError, ValueError) as exc:
                skipped.append(f"{sub.learner}: {exc}")
        best = _best_files(projects, boilerplate, html)
    pairs = [
        Pair(a, b, *best.get((a, b), (0.0, "")))
        for a, b in itertools.combinations(sorted(projects), 2)
    ]
    return sorted(pairs, key=lambda p: (-p.similarity, p.first, p.second)), skipped


def _best_files(
    projects: dict[str, Path], boilerplate: Path, html: Path | None
) -> dict[tuple[str, str], tuple[float, str]]:
    """For each pair of learners, their most alike file's similarity and path."""
    if len(projects) < 2:
        return {}
    owner = {str(path.resolve()): learner for learner, path in projects.items()}
    dirs = [str(path) for path in projects.values()]
    detector = CopyDetector(
        test_dirs=dirs,
        ref_dirs=dirs,
        boilerplate_dirs=[str(boilerplate)],
        extensions=["py"],
        same_name_only=True,
        autoopen=False,
        silent=True,
        display_t=0.0,
        out_file=str(html) if html else "./report.html",
    )
    detector.run()
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for test_sim, ref_sim, test_file, ref_file, *_ in detector.get_copied_code_list():
        a, a_file = _whose(owner, test_file)
        b, _ = _whose(owner, ref_file)
        if a == b or not a or not b:
            continue
        key = (min(a, b), max(a, b))
        similarity = round(min(float(test_sim), float(ref_sim)), 3)
        if similarity > best.get(key, (-1.0, ""))[0]:
            best[key] = (similarity, a_file)
    if html is not None:
        detector.generate_html_report()
    return best


def _whose(owner: dict[str, str], file: str) -> tuple[str, str]:
    """The learner a compared file belongs to, and its path inside their project."""
    path = Path(file).resolve()
    for parent in path.parents:
        if str(parent) in owner:
            return owner[str(parent)], path.relative_to(parent).as_posix()
    return "", ""
