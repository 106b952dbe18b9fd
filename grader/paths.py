"""Where the workbook's folders live (the repository that holds the installed package)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def root() -> Path:
    """The workbook repository: ``$WORKBOOK_ROOT`` or the folder above the package."""
    override = os.environ.get("WORKBOOK_ROOT")
    return Path(override).resolve() if override else PACKAGE.parent


def solutions() -> Path:
    """The hand-written reference overlays, one folder per stage."""
    return root() / "solutions"


def exercises() -> Path:
    """The generated skeleton overlays with their hand-written README, stage.toml and checks."""
    return root() / "exercises"


def suites() -> Path:
    """The hidden grading suites (never shipped to learners)."""
    return PACKAGE / "suites"


def samples() -> Path:
    """The bundled sample submissions that `workbook demo` grades."""
    return root() / "samples"
