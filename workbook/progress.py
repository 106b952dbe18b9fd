"""A learner's progress: the last ``workbook check`` result of each workspace, in one JSON file.

Results are keyed by the workspace's absolute path, so two workspaces of one stage (or two
learners on one machine) never mix, and ``workbook list`` shows only the workspaces it finds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from workbook import workspace
from workbook.errors import WorkbookError


def _file() -> Path:
    home = os.environ.get("WORKBOOK_HOME")
    return (Path(home) if home else Path.home() / ".workbook") / "progress.json"


def _load() -> dict[str, Any]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(folder: Path, stage: str, passed: int, total: int) -> None:
    """Remember the newest check of the workspace ``folder`` (of ``stage``)."""
    data = {key: value for key, value in _load().items() if isinstance(value, dict)}
    data[str(folder.resolve())] = {"stage": stage, "passed": passed, "total": total}
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def found(folder: Path) -> dict[str, dict[str, Any]]:
    """``{stage: {"passed", "total", "workspace"}}`` for the checked folders at ``folder``: the
    folder itself and its subfolders, and its siblings when it is a workspace. A stage with
    several checked workspaces shows the one that passes the most checks."""
    folder = folder.resolve()
    places = [folder, *_children(folder)]
    if (folder / workspace.MARKER).is_file():
        places += _children(folder.parent)
    data = _load()
    best: dict[str, dict[str, Any]] = {}
    for place in dict.fromkeys(places):
        mine = data.get(str(place))
        if not isinstance(mine, dict):
            continue
        stage = mine.get("stage")
        if not isinstance(stage, str) or _marked_otherwise(place, stage):
            continue
        if int(mine.get("passed", 0)) >= int(best.get(stage, {}).get("passed", -1)):
            best[stage] = {**mine, "workspace": place}
    return best


def _marked_otherwise(place: Path, stage: str) -> bool:
    """Whether ``place`` is now a workspace of another stage (or not a folder any more)."""
    if not place.is_dir():
        return True
    if not (place / workspace.MARKER).is_file():
        return False
    try:
        return workspace.stage_of(place).name != stage
    except WorkbookError:
        return True


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
