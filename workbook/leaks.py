"""What feedback may say of the learner's code at grading time, and nothing more.

A learner's app sees every request the hidden tests make. If feedback repeated what the app
raises or answers, an app that records the requests and raises slices of that record would
read the hidden tests' payloads back. So, when grading (the worker transport):

- an exception the app raises is shown as its type, the learner's file:line and that line as
  the learner *submitted* it (read on the trusted side before any learner code ran), never
  its message: all of it is fixed before grading starts, so it carries nothing of the tests;
  a type or a file:line that is not in the submitted source (a class or code made at run
  time) is not shown;
- every string the app answers is a :class:`Shown`: the tests compare and use it as usual,
  but its ``repr`` (``f"{value!r}"``, and every list or dict holding it) shows at most
  :data:`EXCERPT` characters;
- the detail a failed test adds to its teaching sentence is cut to :data:`DETAIL` characters.

``workbook check`` runs the same tests on the learner's own machine, with the full messages.
"""

from __future__ import annotations

import builtins
import re
from pathlib import Path
from typing import Any

EXCERPT = 12
DETAIL = 240
LINE = 80
_CLASS = re.compile(r"^\s*class\s+([A-Za-z_]\w*)", re.MULTILINE)

# Said after a frame in a file the stage gives: the hole is in what that code was handed.
GIVEN = " (a given file: look at what it uses)"


class Shown(str):
    """A string the learner's app answered: equal to it in every way but its ``repr``."""

    __slots__ = ()

    def __repr__(self) -> str:
        text = str.__str__(self)
        return repr(text if len(text) <= EXCERPT else text[:EXCERPT] + "…")

    def __radd__(self, other: str) -> Shown:
        return Shown(other + str.__str__(self))


def _keeps_shown(name: str) -> None:
    """Make ``Shown.<name>`` hand back Shown strings: a piece of learner text stays one."""
    method = getattr(str, name)

    def wrapped(self: Shown, *args: Any, **kwargs: Any) -> Any:
        return shown(method(self, *args, **kwargs))

    wrapped.__name__ = name
    setattr(Shown, name, wrapped)


for _name in (
    "__getitem__", "__add__", "__mod__", "split", "rsplit", "splitlines", "strip",
    "lstrip", "rstrip", "lower", "upper", "casefold", "title", "capitalize", "replace",
    "partition", "rpartition", "removeprefix", "removesuffix", "format", "expandtabs",
):  # fmt: skip
    _keeps_shown(_name)


def shown(value: Any) -> Any:
    """``value`` (plain JSON data) with every string, keys too, made a :class:`Shown`."""
    if isinstance(value, str):
        return Shown(value)
    if isinstance(value, list):
        return [shown(item) for item in value]
    if isinstance(value, tuple):
        return tuple(shown(item) for item in value)
    if isinstance(value, dict):
        return {shown(key): shown(item) for key, item in value.items()}
    return value


class Submitted:
    """The project's Python files as handed in: their lines and the classes they declare."""

    def __init__(self, project: Path) -> None:
        self.lines: dict[str, list[str]] = {}
        for path in sorted(project.rglob("*.py")):
            if path.is_file() and not path.is_symlink():
                text = path.read_bytes().decode("utf-8", errors="replace")
                self.lines[path.relative_to(project).as_posix()] = text.splitlines()
        self.classes = {
            m[1] for lines in self.lines.values() for m in _CLASS.finditer("\n".join(lines))
        }

    def line(self, where: str) -> str | None:
        """The submitted text of ``file:line``, or None when the app did not submit it."""
        name, _, number = where.rpartition(":")
        lines = self.lines.get(name)
        if lines is None or not number.isdigit() or not 0 < int(number) <= len(lines):
            return None
        return lines[int(number) - 1].strip()[:LINE]

    def type_name(self, name: str) -> str:
        """``name`` if a built-in exception or a class the submission declares."""
        if isinstance(getattr(builtins, name, None), type) or name in self.classes:
            return name
        return "an exception of a class made at run time"

    def error(self, info: dict[str, Any]) -> dict[str, Any]:
        """An exception's data, with what feedback may show of it under ``shown``."""
        where = str(info.get("where", ""))
        line = self.line(where)
        text = f"{self.type_name(str(info.get('type', '')))}"
        given = GIVEN if info.get("given") is True else ""
        text += f" at {where}{given}: {line}" if line is not None else " in code made at run time"
        return {**info, "shown": text}


def redact(value: Any, submitted: Submitted) -> Any:
    """An answer of the worker for the tests: strings made :class:`Shown`, and every
    exception's data (``{"type", "mro", "message", "where"}``) given what may be shown."""
    if isinstance(value, dict):
        if {"type", "mro", "message", "where"} <= value.keys():
            value = submitted.error(value)
        return {shown(key): redact(item, submitted) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, submitted) for item in value]
    return shown(value)
