"""A learner's progress: the last ``workbook check`` result per stage, in one JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _file() -> Path:
    home = os.environ.get("WORKBOOK_HOME")
    return (Path(home) if home else Path.home() / ".workbook") / "progress.json"


def load() -> dict[str, dict[str, Any]]:
    """``{stage: {"passed": n, "total": m}}``; a missing or damaged file is no progress."""
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(stage: str, passed: int, total: int) -> None:
    """Remember the newest check of ``stage``."""
    data = load()
    data[stage] = {"passed": passed, "total": total}
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
