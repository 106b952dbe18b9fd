"""The hook a transport plugin implements to host the learner's app somewhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.transport import Backend


@pytest.hookspec(firstresult=True)
def pytest_workbook_backend(config: pytest.Config, project: Path) -> Backend | None:
    """The backend that answers this run's requests; None leaves the in-process one."""
