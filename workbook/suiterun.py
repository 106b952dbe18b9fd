"""Running the learner's own test suite (stage 08) against an app, as plain data.

The suite runs in a child process with the kit's results plugin: in the grading worker's
sandbox when grading, in the learner's own shell for ``workbook check``. The answer is each
test's outcome by node id; names are learner text and are checked before anyone shows them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# A node id feedback may name: a path under tests/ and a test name, nothing else.
SHOWABLE = re.compile(r"tests/[\w/.-]{1,120}::[\w\[\]-]{1,120}")
TESTS = "tests"


def _arguments(out: Path, reverse: bool, only: list[str] | None) -> list[str]:
    """pytest's arguments; ``only``: just these tests (node ids), stopping at a failure."""
    chosen = [test for test in only or [] if test.startswith(f"{TESTS}/")]
    args = [*chosen, "-x"] if only is not None else [TESTS]
    args += ["-q", "-p", "no:cacheprovider", "-p", "workbook.suiteplugin"]
    return args + ["--workbook-suite-out", str(out)] + (["--workbook-reverse"] if reverse else [])


def run(
    project: Path,
    *,
    reverse: bool = False,
    limit: float = 60.0,
    here: bool = False,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """Run ``project``'s ``tests/`` with pytest: ``{"outcomes": {id: outcome}, "problem"}``.

    ``problem`` is None, or one sentence when the run gave no outcomes (no tests, a hang).
    ``here``: in this process (a worker that serves nothing else and ends after), which
    saves starting Python and importing Flask again; else in a child process. ``only``: run
    just these tests and stop at the first failure (is any of them failing is the question).
    """
    if only is not None and not only:
        return {"outcomes": {}, "problem": "no test was chosen"}
    if not (project / TESTS).is_dir():
        return {"outcomes": {}, "problem": "there is no tests/ folder"}
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    with tempfile.TemporaryDirectory(prefix="workbook-suite-") as tmp:
        out = Path(tmp) / "outcomes.json"
        if here:
            import pytest

            os.chdir(project)
            pytest.main(_arguments(out, reverse, only))
            return _read(out)
        command = [sys.executable, "-B", "-m", "pytest", *_arguments(out, reverse, only)]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            subprocess.run(
                command,
                cwd=project,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=limit,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"outcomes": {}, "problem": f"your tests did not finish within {limit:g} s"}
        return _read(out)


def _read(out: Path) -> dict[str, Any]:
    """The plugin's outcomes, kept only where they are plain strings."""
    try:
        found = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"outcomes": {}, "problem": "pytest ended before it reported any outcome"}
    if not isinstance(found, dict):
        return {"outcomes": {}, "problem": "pytest reported no outcomes"}
    outcomes = {str(k)[:300]: str(v)[:20] for k, v in list(found.items())[:2000]}
    return {"outcomes": outcomes, "problem": None if outcomes else "pytest collected no tests"}


def shown(node_id: str) -> str:
    """How feedback names a learner's test: its node id when it is plain, else a placeholder."""
    return node_id if SHOWABLE.fullmatch(node_id) else "(a test with an unusual name)"
