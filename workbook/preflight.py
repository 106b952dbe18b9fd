"""What is checked before any code runs: the project is a package and every file parses."""

from __future__ import annotations

from pathlib import Path


class SubmissionError(Exception):
    """A project that cannot be checked or graded; the message is the one-line reason."""


def preflight(project: Path) -> None:
    """Reject, without running anything, Python files that are not UTF-8 or do not parse."""
    if not (project / "app" / "__init__.py").is_file():
        raise SubmissionError("app/ has no __init__.py, so it is not a package")
    for path in sorted(project.rglob("*.py")):
        relative = path.relative_to(project).as_posix()
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise SubmissionError(f"{relative} is not UTF-8 text") from None
        try:
            compile(text, relative, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise SubmissionError(f"{relative}:{exc.lineno}: SyntaxError: {exc.msg}") from None
        except ValueError as exc:
            raise SubmissionError(f"{relative}: {exc}") from None
