"""``python -m grader`` is ``workbook``."""

from __future__ import annotations

from grader.cli import main

main()
