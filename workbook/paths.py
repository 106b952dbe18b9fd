"""Where the kit's stage content lives: the instructor's repository, or a learner kit.

A learner kit (``workbook release``) carries its content inside this package, under
``content/``: every stage's instructions and checks in ``exercises/``, and the finished
earlier stages in ``references/``. The instructor's repository keeps them beside the package,
with ``solutions/`` (fenced) where a learner kit has ``references/``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CONTENT = PACKAGE / "content"


def root() -> Path:
    """The kit's content: ``$WORKBOOK_ROOT``, a learner kit's ``content/``, or the repository."""
    override = os.environ.get("WORKBOOK_ROOT")
    if override:
        return Path(override).resolve()
    return CONTENT if CONTENT.is_dir() else PACKAGE.parent


def solutions() -> Path:
    """The hand-written, fenced reference overlays (the instructor's repository only)."""
    return root() / "solutions"


def references() -> Path:
    """The finished earlier stages, fences removed (a learner kit only)."""
    return root() / "references"


def exercises() -> Path:
    """The generated skeleton overlays with their hand-written README, stage.toml and checks."""
    return root() / "exercises"
