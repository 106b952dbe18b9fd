"""Where the instructor's side keeps what never ships to learners."""

from __future__ import annotations

from pathlib import Path

from workbook import paths
from workbook.catalog import Stage

PACKAGE = Path(__file__).resolve().parent


def suites() -> Path:
    """The hidden grading suites (never shipped to learners)."""
    return PACKAGE / "suites"


def suite(stage: Stage) -> Path:
    """One stage's hidden grading suite."""
    return suites() / stage.name


def samples() -> Path:
    """The bundled sample submissions that `workbook demo` grades."""
    return paths.root() / "samples"
