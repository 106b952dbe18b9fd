"""The learner's own ``tests/`` as a hidden suite sees them (stage 08): run against the
learner's app, or against another app folder the trusted side built, outcomes as data."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workbook import suiterun
from workbook.transport import Backend, GradingProblem

# Seconds one run of the learner's suite may take (the README says "a few seconds").
LIMIT = 30.0


@dataclass(frozen=True)
class SuiteRun:
    """One run: each test's outcome by node id, or the reason there are none."""

    outcomes: dict[str, str]
    problem: str | None

    @property
    def passed(self) -> set[str]:
        """The ids of the tests that passed."""
        return {test for test, outcome in self.outcomes.items() if outcome == "passed"}

    @property
    def failed(self) -> set[str]:
        """The ids of the tests that did not pass."""
        return set(self.outcomes) - self.passed


class OwnTests:
    """Runs the learner's ``tests/``; each (app, order) once per grading session."""

    def __init__(self, config: pytest.Config, project: Path, backend: Backend) -> None:
        self.config, self.project, self.backend = config, project, backend
        self.scratch = Path(tempfile.mkdtemp(prefix="workbook-owntests-"))
        self.runs: dict[tuple[str, bool, tuple[str, ...] | None], SuiteRun] = {}

    def run(
        self, app: Path | None = None, *, reverse: bool = False, only: set[str] | None = None
    ) -> SuiteRun:
        """The learner's tests against ``app`` (a project folder; None: their own app).
        ``only``: just these tests, stopping at the first that fails."""
        chosen = None if only is None else tuple(sorted(only))
        key = (str(app), reverse, chosen)
        if key not in self.runs:
            args = {
                "reverse": reverse,
                "limit": LIMIT,
                "only": None if chosen is None else [*chosen],
            }
            try:
                self.runs[key] = self._run(app, args)
            except GradingProblem:  # a hang or a crash: the same answer every time
                why = f"your tests did not finish within {LIMIT:g} s (a hang? an exit?)"
                self.runs[key] = SuiteRun({}, why)
        return self.runs[key]

    def _run(self, app: Path | None, args: dict[str, Any]) -> SuiteRun:
        if app is None:
            return _answer(self.backend.call("run_tests", **args))
        folder = self.scratch / f"run{len(self.runs)}"
        shutil.copytree(app, folder, ignore=shutil.ignore_patterns(suiterun.TESTS))
        if (self.project / suiterun.TESTS).is_dir():
            shutil.copytree(self.project / suiterun.TESTS, folder / suiterun.TESTS)
        try:
            backend = self.config.hook.pytest_workbook_backend(config=self.config, project=folder)
            if backend is None:  # a local run: no sandbox to start, the learner's own machine
                return _answer({"ok": True, "result": suiterun.run(folder, **args)})
            try:
                # The worker serves this run only, so the suite may run in it.
                return _answer(backend.call("run_tests", **args, here=True))
            finally:
                backend.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Drop the folders the runs used."""
        shutil.rmtree(self.scratch, ignore_errors=True)


def _answer(answer: dict[str, Any]) -> SuiteRun:
    if not answer.get("ok"):
        error = answer.get("error") or {}
        raise GradingProblem(f"running your tests failed: {error.get('type', 'an error')}")
    result = answer.get("result") or {}
    outcomes = {str(k): str(v) for k, v in dict(result.get("outcomes") or {}).items()}
    problem = result.get("problem")
    return SuiteRun(outcomes, None if problem is None else str(problem))
