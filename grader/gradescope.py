"""Gradescope: the autograder zip, and the step that grades one submission inside it.

``workbook export gradescope --stage N --out autograder.zip`` writes the zip Gradescope
expects (gradescope/autograder_samples, docs/specs.md): ``setup.sh`` and ``run_autograder``
at its root, and the grading kit under ``kit/`` (the packages, the hidden suites, the stage
sources). Gradescope unpacks it into ``/autograder/source``, runs ``setup.sh`` once on its
Ubuntu base image, then ``run_autograder`` for each submission, which grades
``/autograder/submission`` into ``/autograder/results/results.json``. Whatever goes wrong
inside, a valid results file is written, with the reason in ``output``.

``python -m grader.gradescope ROOT STAGE`` is that step; ``ROOT`` is ``/autograder`` there.
"""

from __future__ import annotations

import json
import stat
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from grader import formats
from grader.commands.grade import grade_cohort
from grader.gradebook import Gradebook
from grader.submission import discover
from workbook import catalog, paths
from workbook.catalog import Stage

KIT = ("workbook", "grader", "authoring", "exercises", "solutions", "pyproject.toml", "README.md")
SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu base image.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install /autograder/source/kit
"""
RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always leaves results/results.json.
ROOT="${{WORKBOOK_AUTOGRADER_ROOT:-/autograder}}"
KIT="$ROOT/source/kit"
PYTHON="${{WORKBOOK_PYTHON:-$ROOT/venv/bin/python}}"
export WORKBOOK_ROOT="$KIT" PYTHONPATH="$KIT"
exec "$PYTHON" -m grader.gradescope "$ROOT" {stage}
"""


def build_zip(stage: Stage, out: Path) -> Path:
    """Write the autograder zip of ``stage`` to ``out``."""
    root = paths.root()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _script(archive, "setup.sh", SETUP)
        _script(archive, "run_autograder", RUN.format(stage=stage.name))
        for name in KIT:
            source = root / name
            files = [source] if source.is_file() else sorted(source.rglob("*"))
            for path in files:
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                    archive.write(path, f"kit/{path.relative_to(root).as_posix()}")
    return out


def _script(archive: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFREG | 0o755) << 16
    archive.writestr(info, text)


def submission_path(folder: Path) -> Path:
    """What to grade in Gradescope's submission folder: the folder itself when it holds the
    project (``app/``), else the one ``.zip`` or notebook in it."""
    if (folder / "app").is_dir():
        return folder
    handed = [p for p in folder.iterdir() if p.suffix in (".zip", ".ipynb")]
    if len(handed) == 1:
        return handed[0]
    raise ValueError("the submission holds no app/ package, nor exactly one .zip or notebook")


def run(root: Path, stage_key: str) -> dict[str, Any]:
    """Grade ``root/submission``; write and return ``root/results/results.json``."""
    started = time.monotonic()
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    try:
        doc = _grade(root, catalog.find(stage_key), started)
    except Exception as exc:  # noqa: BLE001 - Gradescope must always get a results file
        reason = " ".join(str(exc).split())[:500] or type(exc).__name__
        doc = {
            "score": 0.0,
            "execution_time": round(time.monotonic() - started, 3),
            "output": f"The autograder could not grade this submission: {reason}",
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": [],
        }
    (results / "results.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return doc


def _grade(root: Path, stage: Stage, started: float) -> dict[str, Any]:
    target = submission_path(root / "submission")
    with tempfile.TemporaryDirectory() as tmp:
        book = Gradebook(Path(tmp) / "gradebook.sqlite")
        try:
            [result] = grade_cohort([(discover([target])[0], stage)], 1, book)
        finally:
            book.close()
    return formats.gradescope(stage, result, time.monotonic() - started)


if __name__ == "__main__":
    run(Path(sys.argv[1]), sys.argv[2])
