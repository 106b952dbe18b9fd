"""The pytest plugin behind every grading and checking run.

It gives the tests their fixtures (``make_app``, ``app``, ``client``, ``source``), reads each
test's ``points``/``task`` markers and teaching docstring, and writes one JSON line per
collected test and per result to ``--workbook-results``. It never imports learner code itself:
the backend does. ``workbook check`` uses the in-process backend; grading loads a plugin that
implements :func:`workbook.hooks.pytest_workbook_backend` (``grader.transport``) and hosts the
app in a sandboxed worker process instead.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from workbook import hooks
from workbook.catalog import STAGE_DIR
from workbook.client import AppFactory, AppHandle, Client, Source
from workbook.leaks import DETAIL
from workbook.owntests import OwnTests
from workbook.transport import Backend, GradingProblem, InProcessBackend, LearnerError

_results: IO[str] | None = None
_outcomes: dict[str, dict[str, Any]] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    """The options a grading or checking run passes."""
    group = parser.getgroup("workbook")
    group.addoption("--workbook-project", help="the learner project under test")
    group.addoption("--workbook-results", help="write JSON lines of results here")
    group.addoption("--workbook-request-timeout", type=float, default=5.0)
    group.addoption("--workbook-stage", help="the stage being graded (retires older tests)")
    group.addoption(
        "--workbook-login",
        action="store_true",
        help="the app requires login: clients log in as a fresh grader user",
    )


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Declare the hook a transport plugin implements."""
    pluginmanager.add_hookspecs(hooks)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers and open the results file."""
    global _results
    config.addinivalue_line("markers", "points(n): the points a test is worth")
    config.addinivalue_line("markers", "task(n): the stage task a test belongs to")
    config.addinivalue_line(
        "markers", "retired_at(stage): not run when grading that stage or a later one"
    )
    target = config.getoption("--workbook-results", default=None)
    _outcomes.clear()
    _results = Path(target).open("a", encoding="utf-8") if target else None


def pytest_unconfigure(config: pytest.Config) -> None:
    """Close the results file."""
    global _results
    if _results is not None:
        _results.close()
        _results = None


def _emit(record: dict[str, Any]) -> None:
    if _results is not None:
        _results.write(json.dumps(record) + "\n")
        _results.flush()


def stage_name(path: Path) -> str:
    """The ``NN_name`` folder a test file sits in (its suite or its checks)."""
    for parent in path.parents:
        if STAGE_DIR.match(parent.name):
            return parent.name
    return path.parent.name


def test_id(item: pytest.Item) -> str:
    """The stable id the grading JSON uses: ``03_models::test_uuid_primary_keys``."""
    return f"{stage_name(item.path)}::{item.name}"


def _marker_value(item: pytest.Item, name: str, default: float) -> float:
    marker = item.get_closest_marker(name)
    return float(marker.args[0]) if marker and marker.args else default


def describe_item(item: pytest.Item) -> dict[str, Any]:
    """A collected test as data: id, name, stage, task, points and its teaching sentence."""
    function = getattr(item, "function", None)
    doc = inspect.getdoc(function) if function else ""
    feedback = re.sub(r"\s+", " ", (doc or "").split("\n\n")[0]).strip()
    words = item.name.removeprefix("test_").split("[")[0].replace("_", " ")
    return {
        "kind": "collected",
        "id": test_id(item),
        "name": words[:1].upper() + words[1:],
        "stage": stage_name(item.path),
        "task": int(_marker_value(item, "task", 0)),
        "points": _marker_value(item, "points", 1.0),
        "feedback": feedback,
    }


def _retired(item: pytest.Item, graded: str) -> bool:
    """Whether a later stage replaced what this test checks (e.g. stage 03 drops the store)."""
    marker = item.get_closest_marker("retired_at")
    return bool(marker and marker.args and str(marker.args[0])[:2] <= graded[:2])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop retired tests, then record every collected test, in file order, before any runs."""
    graded = config.getoption("--workbook-stage", default=None)
    if graded:
        retired = [item for item in items if _retired(item, graded)]
        if retired:
            config.hook.pytest_deselected(items=retired)
            items[:] = [item for item in items if item not in retired]
    for item in items:
        _emit(describe_item(item))


def _detail(excinfo: pytest.ExceptionInfo[BaseException] | None, graded: bool) -> str:
    """A short, learner-safe reason: our own messages, never the test's source; when graded,
    of the learner's code only what :mod:`workbook.leaks` lets through."""
    if excinfo is None:
        return ""
    value = excinfo.value
    if isinstance(value, LearnerError):
        text = value.shown
    elif isinstance(value, GradingProblem | AssertionError):
        text = str(value)
    elif excinfo.typename in ("Failed", "Timeout"):
        text = "the test ran out of time" if "Timeout" in str(value) else ""
    else:
        # A test tripped on the answer's shape: learner strings in it show as excerpts.
        text = f"unexpected answer shape ({excinfo.typename}: {str(value)[:80]})"
    lines = text.strip().splitlines()
    return lines[0][: DETAIL if graded else 600] if lines else ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Fold setup/call/teardown into one outcome and one detail per test."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    state = _outcomes.setdefault(
        item.nodeid, {"id": test_id(item), "outcome": "passed", "detail": ""}
    )
    if report.skipped:
        state["outcome"] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
    elif report.failed:
        state["outcome"] = "failed" if call.when == "call" else "error"
        graded = bool(item.config.hook.pytest_workbook_backend.get_hookimpls())
        state["detail"] = state["detail"] or _detail(call.excinfo, graded)


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """Write the test's final outcome."""
    state = _outcomes.get(nodeid)
    if state is not None:
        _emit({"kind": "result", **state})


@pytest.fixture(scope="session")
def workbook_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The one connection to the learner's app for this run."""
    config = request.config
    project = config.getoption("--workbook-project")
    if not project:
        raise pytest.UsageError("--workbook-project is required")
    found = config.hook.pytest_workbook_backend(config=config, project=Path(project))
    backend: Backend = InProcessBackend(Path(project)) if found is None else found
    yield backend
    backend.close()


@pytest.fixture
def make_app(workbook_backend: Backend, request: pytest.FixtureRequest) -> Iterator[AppFactory]:
    """``make_app(config="testing", env={...}, dotenv="...")`` calls the learner's factory."""
    factory = AppFactory(workbook_backend, login=request.config.getoption("--workbook-login"))
    yield factory
    factory.dispose()


@pytest.fixture
def app(make_app: AppFactory) -> AppHandle:
    """The learner's app in testing configuration."""
    return make_app("testing")


@pytest.fixture
def client(app: AppHandle) -> Client:
    """A test client for ``app``."""
    return app.client()


@pytest.fixture(scope="session")
def own_tests(workbook_backend: Backend, request: pytest.FixtureRequest) -> Iterator[OwnTests]:
    """The learner's own ``tests/``, run against their app or another app folder (stage 08)."""
    project = Path(request.config.getoption("--workbook-project")).resolve()
    suite = OwnTests(request.config, project, workbook_backend)
    yield suite
    suite.close()


@pytest.fixture(scope="session")
def source(request: pytest.FixtureRequest) -> Source:
    """The project's files, read on the trusted side."""
    return Source(Path(request.config.getoption("--workbook-project")).resolve())
