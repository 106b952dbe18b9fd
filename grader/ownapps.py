"""The apps a learner's own test suite is graded against (stage 08): the stage's reference,
correct alternatives to it, and buggy copies, each built from ``apps.toml`` beside the suite.

They live on the instructor's side only; the learner's tests meet each in a sandbox of its own.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook import catalog, workspace
from workbook.errors import WorkbookError


@dataclass(frozen=True)
class OwnApp:
    """One app: its name, what it teaches (a bug's concept, an alternative's freedom)."""

    name: str
    teaches: str
    edits: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Apps:
    """Every app of one ``apps.toml``."""

    alternatives: tuple[OwnApp, ...]
    bugs: dict[str, OwnApp]


def load(spec: Path) -> Apps:
    """The alternatives and the bugs (by name) that ``spec`` describes."""
    raw = tomllib.loads(spec.read_text(encoding="utf-8"))

    def apps(kind: str, teaches: str) -> list[OwnApp]:
        return [
            OwnApp(item["name"], item[teaches], tuple(item.get("replace", [])))
            for item in raw.get(kind, [])
        ]

    bugs = apps("bug", "concept")
    return Apps(tuple(apps("alternative", "freedom")), {bug.name: bug for bug in bugs})


@functools.cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="workbook-ownapps-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


@functools.cache
def reference(stage_name: str) -> Path:
    """The stage's reference project without its own ``tests/`` (built once per process)."""
    dest = workspace.reference(catalog.find(stage_name), _root() / "reference")
    shutil.rmtree(dest / "tests", ignore_errors=True)
    return dest


def build(stage_name: str, app: OwnApp) -> Path:
    """The reference with ``app``'s edits applied (built once per process)."""
    dest = _root() / app.name
    if not dest.is_dir():
        shutil.copytree(reference(stage_name), dest)
        for edit in app.edits:
            _apply(dest, app.name, edit)
    return dest


def _apply(dest: Path, name: str, edit: dict[str, Any]) -> None:
    path = dest / edit["file"]
    text = path.read_text(encoding="utf-8")
    count = text.count(edit["old"])
    if count == 0 or (count > 1 and not edit.get("all")):
        raise WorkbookError(f"app {name}: {edit['old']!r} occurs {count} times in {edit['file']}")
    path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
