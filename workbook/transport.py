"""How the trusted side reaches the learner's app: the protocol every transport speaks, and the
in-process transport ``workbook check`` uses. Grading's worker transport is on the instructor's
side (``grader.backends``), plugged in through :func:`workbook.plugin.pytest_workbook_backend`."""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any, Protocol

from workbook.cleanup import remove_tree

MAX_ANSWER = 16 * 1024 * 1024


UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def request_label(method: str, path: str) -> str:
    """How feedback names a request: ``GET /api/v1/projects/<id>``. Random ids are left out,
    so grading the same work twice gives the same feedback."""
    return f"{method} {UUID.sub('<id>', path)}".strip()


class GradingProblem(Exception):
    """Why a test could not get its answer; the message is shown to the learner as is."""


class LearnerError(GradingProblem):
    """Learner code raised while answering; ``info`` holds its type, base classes and message.
    Tests may read the message; feedback shows only ``shown`` (:mod:`workbook.leaks`)."""

    def __init__(self, message: str, info: dict[str, Any], shown: str | None = None) -> None:
        super().__init__(message)
        self.info = info
        self.shown = message if shown is None else shown

    def is_a(self, name: str) -> bool:
        """Whether the learner's exception is (a subclass of) the class named ``name``."""
        return name in self.info.get("mro", [])


class Backend(Protocol):
    """One request in, one answer out (``{"ok": ..., "result"|"error": ...}``). ``redacts``:
    its answers are learner text that feedback may only excerpt (:mod:`workbook.leaks`)."""

    redacts: bool

    def call(self, op: str, **args: Any) -> dict[str, Any]: ...

    def close(self) -> None: ...


def _roundtrip(data: dict[str, Any]) -> dict[str, Any]:
    """Exactly what a pipe would carry: plain JSON values, nothing else."""
    result: dict[str, Any] = json.loads(json.dumps(data))
    return result


class InProcessBackend:
    """``workbook check``: the learner's app in this process, the same ops and data shapes."""

    redacts = False  # the learner's own machine: full messages

    def __init__(self, project: Path) -> None:
        from workbook.apphost import AppHost

        # mypy's cache where mypy itself keeps it, so the project's own runs share it.
        self.host = AppHost(project.resolve(), tool_cache=project.resolve() / ".mypy_cache")
        self.ready = self.host.handle({"op": "import"})
        os.chdir(project)

    def call(self, op: str, **args: Any) -> dict[str, Any]:
        """Answer in-process; an import failure answers every call."""
        if not self.ready["ok"]:
            return self.ready
        return _roundtrip(self.host.handle(_roundtrip({"op": op, **args})))

    def close(self) -> None:
        """Remove the databases the checks made (nothing runs apart to stop)."""
        for folder in self.host.temp_folders:
            with contextlib.suppress(OSError):
                remove_tree(folder)
