"""The grading transport, as a pytest plugin: every request goes to a sandboxed worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.backends import WorkerBackend
from workbook import catalog
from workbook.transport import Backend


@pytest.hookimpl
def pytest_workbook_backend(config: pytest.Config, project: Path) -> Backend:
    """The learner's app in a limited worker process, never in this one. A project other than
    the one graded (an app the learner's own tests run against) gets a worker of its own. Only
    a stage that declares services shows its worker the live stack's programs."""
    main = Path(config.getoption("--workbook-project")).resolve() == project.resolve()
    timeout = config.getoption("--workbook-request-timeout")
    stage = config.getoption("--workbook-stage")
    live_stack = bool(stage and catalog.find(stage).services)
    role = "main" if main else "suite"
    return WorkerBackend(project, timeout, role=role, live_stack=live_stack)
