"""Loaded into a run of the learner's own ``tests/`` (``-p workbook.suiteplugin``): it records
each test's outcome as JSON, and can run the tests in reverse order.

It runs beside the learner's code, so what it writes is only ever the learner's claim: the
trusted side keeps a test only when it passes against every correct app, so no claim can
make a test look stricter than it is (:mod:`workbook.suiterun`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

_outcomes: dict[str, str] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Where the outcomes go, and whether to reverse the order."""
    parser.addoption("--workbook-suite-out", help="write the outcomes as JSON here")
    parser.addoption("--workbook-reverse", action="store_true", help="run the tests backwards")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Reverse the order when asked: a test that needs another's data fails then."""
    if config.getoption("--workbook-reverse"):
        items.reverse()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Fold setup, call and teardown into one outcome per test."""
    if report.failed:
        _outcomes[report.nodeid] = "failed" if report.when == "call" else "error"
    elif report.skipped:
        _outcomes.setdefault(report.nodeid, "skipped")
    elif report.when == "call":
        _outcomes.setdefault(report.nodeid, "passed")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A file that does not import is one failed entry."""
    if report.failed:
        _outcomes[report.nodeid or "<collection>"] = "error"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the outcomes."""
    target = session.config.getoption("--workbook-suite-out")
    if target:
        Path(target).write_text(json.dumps(_outcomes), encoding="utf-8")
