"""The stage catalog: every ``exercises/NN_name/stage.toml`` read into plain dataclasses."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from workbook import paths
from workbook.errors import WorkbookError

STAGE_DIR = re.compile(r"^(?P<number>\d{2})_(?P<slug>[a-z0-9_]+)$")


@dataclass(frozen=True)
class Task:
    """One numbered task of a stage, with its hints in the order they are revealed."""

    number: int
    title: str
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    """One stage: its folder name (``03_models``), instructions metadata and limits."""

    name: str
    number: int
    title: str
    summary: str
    tasks: tuple[Task, ...]
    edit: tuple[str, ...]
    request_timeout: float = 5.0
    submission_timeout: float = 120.0
    auth: bool = False
    # Servers grading this stage starts for real (stage 09: redis-server, postgresql, nginx).
    services: tuple[str, ...] = ()

    @property
    def exercise_dir(self) -> Path:
        """The stage's folder under ``exercises/``."""
        return paths.exercises() / self.name

    @property
    def solution_dir(self) -> Path:
        """The stage's fenced reference overlay under ``solutions/`` (instructor's kit)."""
        return paths.solutions() / self.name

    @property
    def reference_dir(self) -> Path:
        """The stage's finished overlay under ``references/`` (learner kit)."""
        return paths.references() / self.name

    @property
    def checks_dir(self) -> Path:
        """The stage's public checks, the ones ``workbook check`` runs."""
        return self.exercise_dir / "checks"


def _read_stage(folder: Path) -> Stage:
    match = STAGE_DIR.match(folder.name)
    if match is None:
        raise WorkbookError(f"{folder}: a stage folder is named NN_name, e.g. 01_factory")
    try:
        raw = tomllib.loads((folder / "stage.toml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkbookError(f"{folder}: missing stage.toml") from None
    except tomllib.TOMLDecodeError as exc:
        raise WorkbookError(f"{folder / 'stage.toml'}: {exc}") from None
    tasks = tuple(
        Task(int(t["number"]), str(t["title"]), tuple(t.get("hints", ()))) for t in raw["tasks"]
    )
    return Stage(
        name=folder.name,
        number=int(match["number"]),
        title=str(raw["title"]),
        summary=str(raw["summary"]),
        tasks=tasks,
        edit=tuple(raw.get("edit", ())),
        request_timeout=float(raw.get("request_timeout", 5.0)),
        submission_timeout=float(raw.get("submission_timeout", 120.0)),
        auth=bool(raw.get("auth", False)),
        services=tuple(str(s) for s in raw.get("services", ())),
    )


def load() -> list[Stage]:
    """Every stage in order of its number."""
    base = paths.exercises()
    if not base.is_dir():
        raise WorkbookError(f"no exercises/ folder under {paths.root()}")
    folders = sorted(p for p in base.iterdir() if p.is_dir() and STAGE_DIR.match(p.name))
    return [_read_stage(folder) for folder in folders]


def find(key: str | int) -> Stage:
    """The stage named by its number (``3``, ``03``) or its folder name (``03_models``)."""
    text = str(key).strip()
    stages = load()
    for stage in stages:
        if text in (stage.name, str(stage.number), f"{stage.number:02d}"):
            return stage
    known = ", ".join(stage.name for stage in stages)
    raise WorkbookError(f"no stage {text!r} (stages: {known})")


def upto(stage: Stage) -> list[Stage]:
    """Stages 1..N for stage N, in order: the suites a grading run executes."""
    return [s for s in load() if s.number <= stage.number]


def needs_login(stage: Stage) -> bool:
    """Whether the app of ``stage`` requires a logged-in user (a stage up to it adds auth)."""
    return any(s.auth for s in upto(stage))
