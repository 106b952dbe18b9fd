"""The grading transport, as a pytest plugin: every request goes to a sandboxed worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.backends import WorkerBackend
from workbook.transport import Backend


@pytest.hookimpl
def pytest_workbook_backend(config: pytest.Config, project: Path) -> Backend:
    """The learner's app in a limited worker process, never in this one."""
    return WorkerBackend(project, config.getoption("--workbook-request-timeout"))
