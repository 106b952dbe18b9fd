"""Exceptions the CLI turns into a one-line message and an exit code."""

from __future__ import annotations


class WorkbookError(Exception):
    """Bad usage or bad input: the CLI prints the message on one line and exits 2."""

    exit_code = 2


class FenceError(WorkbookError):
    """A solution file whose fences are unbalanced, nested or malformed."""
