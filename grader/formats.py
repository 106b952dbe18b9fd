"""One results model, several writers: what ``workbook grade --format`` prints.

- ``json``: the grading document of DESIGN.md (every submission, every test, by id).
- ``gradescope``: Gradescope's ``results.json`` (gradescope/autograder_samples, docs/specs.md).
- ``exercism``: Exercism's test-runner ``results.json``, version 3 (exercism/docs,
  building/tooling/test-runners/interface.md).
- ``junit``: JUnit XML, one ``<testsuite>`` per submission, for CI systems and LMS plugins.

The platform formats are shown to learners, so they name a test by its task and number and
carry only its teaching sentence: never the hidden test's id or code (Exercism's
``test_code`` is empty for that reason). Every string a learner controls is made safe for
the format it lands in.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import quoteattr

from workbook.catalog import Stage
from workbook.results import SubmissionResult, TestResult

FORMATS = ("table", "json", "gradescope", "exercism", "junit")
# One submission per document: the platforms run the grader once per submission.
SINGLE = ("gradescope", "exercism")
# XML 1.0 has no place for most control characters, nor for lone surrogates.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
OUTPUT_LIMIT = 500  # Exercism's per-test output cap; used for every per-test message


def document(stage: Stage, results: Iterable[SubmissionResult]) -> Iterator[str]:
    """``--format json``: the grading document of every submission, in pieces, so a cohort
    of any size is printed without holding it in memory."""
    yield f'{{"stage": {json.dumps(stage.name)}, "submissions": ['
    for n, result in enumerate(results):
        yield ("," if n else "") + json.dumps(result.as_json(), indent=2)
    yield "]}"


def numbered(stage: Stage, result: SubmissionResult) -> Iterator[tuple[str, str, TestResult]]:
    """Each test with its number (``task.n``, counted within the task) and its public name."""
    titles = {task.number: task.title for task in stage.tasks}
    counts: dict[int, int] = {}
    for test in result.tests:
        counts[test.task] = counts.get(test.task, 0) + 1
        number = f"{test.task}.{counts[test.task]}"
        yield number, f"Task {number}: {titles.get(test.task, 'checks')}", test


def _regression_name(test: TestResult, n: int) -> str:
    return f"Regression {n}: an earlier stage's task {test.task} no longer passes"


def gradescope(stage: Stage, result: SubmissionResult, execution_time: float) -> dict[str, Any]:
    """Gradescope's ``results.json`` for one submission; regressions are 0-point tests."""
    tests = [
        {
            "score": test.points,
            "max_score": test.max_points,
            "status": "passed" if test.outcome == "passed" else "failed",
            "name": name,
            "number": number,
            "output": _clip(test.feedback),
            "visibility": "visible",
            "tags": [f"task-{test.task}"],
        }
        for number, name, test in numbered(stage, result)
    ]
    tests += [
        {
            "score": 0.0,
            "max_score": 0.0,
            "status": "failed",
            "name": _regression_name(test, n),
            "output": _clip(test.feedback),
            "visibility": "visible",
            "tags": ["regression", f"task-{test.task}"],
        }
        for n, test in enumerate(result.regressions, 1)
    ]
    return {
        "score": result.score,
        "execution_time": round(execution_time, 3),
        "output": _summary(stage, result),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def exercism(stage: Stage, result: SubmissionResult) -> dict[str, Any]:
    """Exercism's version-3 ``results.json`` for one submission.

    ``error`` when the submission could not be graded (no test ran); ``pass`` when every
    test and no regression failed; ``fail`` otherwise.
    """
    if result.status != "graded":
        return {"version": 3, "status": "error", "message": _clip(result.message, 65535)}
    tests: list[dict[str, Any]] = []
    for _number, name, test in numbered(stage, result):
        tests.append(_exercism_test(name, test, test.task))
    for n, test in enumerate(result.regressions, 1):
        tests.append(_exercism_test(_regression_name(test, n), test, None))
    passed = all(t["status"] == "pass" for t in tests)
    return {"version": 3, "status": "pass" if passed else "fail", "tests": tests}


def _exercism_test(name: str, test: TestResult, task: int | None) -> dict[str, Any]:
    status = {"passed": "pass", "failed": "fail"}.get(test.outcome, "error")
    entry: dict[str, Any] = {"name": name, "status": status, "test_code": ""}
    if status != "pass":
        entry["message"] = _clip(test.feedback) or "this check did not pass"
    if task:
        entry["task_id"] = task
    return entry


def junit(stage: Stage, results: Iterable[SubmissionResult]) -> Iterator[str]:
    """JUnit XML in pieces: ``<testsuites>`` for the stage, a ``<testsuite>`` per submission."""
    yield "<?xml version='1.0' encoding='utf-8'?>"
    yield f"<testsuites name={quoteattr(_xml(stage.name))}>"
    for result in results:
        yield ET.tostring(_suite(stage, result), encoding="unicode")
    yield "</testsuites>"


def _suite(stage: Stage, result: SubmissionResult) -> ET.Element:
    suite = ET.Element("testsuite", name=_xml(result.learner))
    failures = errors = 0
    cases = [(n, test) for n, _name, test in numbered(stage, result)]
    cases += [(f"regression.{n}", t) for n, t in enumerate(result.regressions, 1)]
    for number, test in cases:
        case = ET.SubElement(suite, "testcase", classname=stage.name, name=f"task {number}")
        if test.outcome == "passed":
            continue
        kind = "failure" if test.outcome == "failed" else "error"
        failures, errors = failures + (kind == "failure"), errors + (kind == "error")
        ET.SubElement(case, kind, message=_xml(_clip(test.feedback))).text = _xml(test.feedback)
    if result.status != "graded":
        ET.SubElement(suite, "system-err").text = _xml(result.message)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    return suite


def _summary(stage: Stage, result: SubmissionResult) -> str:
    line = f"{stage.name}: {result.score:g}/{result.max_score:g}"
    if result.status != "graded":
        line += f" (not graded: {result.message})"
    elif result.regressions:
        line += f"; {len(result.regressions)} check(s) of earlier stages no longer pass"
    return line


def _clip(text: str, limit: int = OUTPUT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _xml(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold (control characters, surrogates) replaced."""
    return NOT_XML.sub("\ufffd", text)
