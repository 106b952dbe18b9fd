"""``python -m workbook`` is ``workbook`` (the instructor's verbs too, where they are installed)."""

from __future__ import annotations

import importlib.util

if importlib.util.find_spec("grader") is not None:
    from grader.cli import main
else:
    from workbook.cli import main

main()
