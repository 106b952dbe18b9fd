"""``python -m grader`` is the instructor's ``workbook``."""

from __future__ import annotations

from grader.cli import main

main()
