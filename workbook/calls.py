"""What the learner's code did while it ran: graded by behaviour, whatever form it takes.

A hidden test that asks "does create_app run register_cli?" should not care whether the call
is written out, made from a loop over a tuple, or sits in a helper module. So, while one call
runs, a profile hook notes every function of the learner's project that is entered (its name,
its file, and the object its first argument was); and, while the package is imported, every
Flask app that is built is counted.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

MAX_CALLS = 5000


@contextlib.contextmanager
def recorded(project: Path) -> Iterator[list[dict[str, Any]]]:
    """Note the calls into ``project``'s code (``{"name", "file", "first"}``, ``first`` the id
    of the first argument)."""
    calls: list[dict[str, Any]] = []
    root = str(project) + "/"

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event != "call" or len(calls) >= MAX_CALLS:
            return
        code = frame.f_code
        if code.co_filename.startswith(root):
            first = frame.f_locals.get(code.co_varnames[0]) if code.co_argcount else None
            name = code.co_filename[len(root) :]
            calls.append({"name": code.co_name, "file": name, "first": id(first)})

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


@contextlib.contextmanager
def apps_built() -> Iterator[list[int]]:
    """Count the Flask apps built in the block (subclasses too: they reach Flask.__init__)."""
    from flask import Flask

    built: list[int] = []
    original = Flask.__init__

    def counting(self: Flask, *args: Any, **kwargs: Any) -> None:
        built.append(id(self))
        original(self, *args, **kwargs)

    Flask.__init__ = counting  # type: ignore[method-assign]
    try:
        yield built
    finally:
        Flask.__init__ = original  # type: ignore[method-assign]


def summary(calls: list[dict[str, Any]], app: object = None) -> list[dict[str, Any]]:
    """The calls as plain data, each once, with ``takes_app``: its first argument was ``app``."""
    seen: dict[tuple[str, str, bool], dict[str, Any]] = {}
    for call in calls:
        takes_app = app is not None and call["first"] == id(app)
        key = (call["name"], call["file"], takes_app)
        seen.setdefault(key, {"name": key[0], "file": key[1], "takes_app": key[2]})
    return list(seen.values())
