"""Grading results as plain dataclasses, scored from the plugin's JSON lines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FEEDBACK_LIMIT = 700


@dataclass(frozen=True)
class Expected:
    """One test the suite collected: what it is worth and what it teaches."""

    id: str
    name: str
    stage: str
    task: int
    points: float
    feedback: str


@dataclass(frozen=True)
class TestResult:
    """One test's line in the grading JSON."""

    id: str
    name: str
    points: float
    max_points: float
    outcome: str
    feedback: str
    task: int = 0

    def as_json(self) -> dict[str, Any]:
        """The DESIGN.md shape, with the stage task the test belongs to."""
        return asdict(self)


@dataclass
class SubmissionResult:
    """One learner's graded submission."""

    learner: str
    stage: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"
    message: str = ""
    tests: list[TestResult] = field(default_factory=list)
    regressions: list[TestResult] = field(default_factory=list)
    content_hash: str = ""
    reused: bool = False
    # What the submission tried against the grader (grader.tamper): for the instructor.
    flags: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The submission object of ``workbook grade --json``."""
        data: dict[str, Any] = {
            "learner": self.learner,
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "tests": [t.as_json() for t in self.tests],
            "regressions": [t.as_json() for t in self.regressions],
        }
        if self.status != "graded":
            data["message"] = self.message
        if self.flags:
            data["flags"] = self.flags
        return data

    @classmethod
    def from_json(cls, learner: str, stage: str, data: dict[str, Any]) -> SubmissionResult:
        """Rebuild a result stored in the gradebook."""

        def tests(key: str) -> list[TestResult]:
            return [TestResult(**t) for t in data.get(key, [])]

        return cls(
            learner,
            stage,
            data["score"],
            data["max_score"],
            data["status"],
            data.get("message", ""),
            tests("tests"),
            tests("regressions"),
            flags=list(data.get("flags", [])),
        )


def read_lines(path: Path) -> tuple[list[Expected], dict[str, dict[str, Any]]]:
    """The collected tests and the results (by id) from a plugin's JSON-lines file."""
    expected: list[Expected] = []
    outcomes: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return expected, outcomes
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        kind = record.pop("kind")
        if kind == "collected":
            expected.append(Expected(**record))
        elif kind == "result":
            outcomes.setdefault(record["id"], record)
    return expected, outcomes


def _feedback(test: Expected, outcome: str, detail: str) -> str:
    if outcome == "passed":
        return ""
    text = test.feedback
    if detail:
        text = f"{text} ({detail})" if text else detail
    return text[:FEEDBACK_LIMIT]


def score(
    learner: str,
    stage: str,
    expected: list[Expected],
    outcomes: dict[str, dict[str, Any]],
    missing: str = "the test did not run",
) -> SubmissionResult:
    """Every expected test gets exactly one result; only ``passed`` earns points."""
    result = SubmissionResult(learner, stage)
    for test in expected:
        got = outcomes.get(test.id, {"outcome": "error", "detail": missing})
        outcome = str(got["outcome"])
        own = test.stage == stage
        line = TestResult(
            test.id,
            test.name,
            test.points if outcome == "passed" and own else 0.0,
            test.points if own else 0.0,
            outcome,
            _feedback(test, outcome, str(got.get("detail", ""))),
            test.task,
        )
        if own:
            result.tests.append(line)
        elif outcome != "passed":
            result.regressions.append(line)
    result.score = round(sum(t.points for t in result.tests), 2)
    result.max_score = round(sum(t.max_points for t in result.tests), 2)
    return result


def failed_result(
    learner: str, stage: str, expected: list[Expected], message: str, content_hash: str = ""
) -> SubmissionResult:
    """A submission that could not be graded: status error, every test zero, one reason."""
    result = score(learner, stage, expected, {}, missing=message)
    result.status, result.message, result.content_hash = "error", message, content_hash
    return result
