"""Solution fences: turn a solution file into its reference text or its skeleton text.

A fence marks the work a learner does in this stage::

    # BEGIN SOLUTION (task 3): Register the blueprints under /api/v1.
    ...the reference code...
    # SKELETON            (optional: what the skeleton keeps instead, commented out)
    # app.config.update()
    # END SOLUTION

Without a ``# SKELETON`` part, a hole inside a function is a ``TODO`` comment plus
``raise NotImplementedError(...)``; elsewhere it is the ``TODO`` comment alone. An empty
``# SKELETON`` part asks for the ``TODO`` comment alone inside a function too (the skeleton
app still starts, and the missing work shows up test by test).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import FenceError

BEGIN = re.compile(
    r"^(?P<indent>[ \t]*)# BEGIN SOLUTION \(task (?P<task>\d+)\): (?P<todo>\S.*?)\s*$"
)
SKELETON = re.compile(r"^[ \t]*# SKELETON\s*$")
END = re.compile(r"^[ \t]*# END SOLUTION\s*$")
ANY_MARKER = re.compile(r"#\s*(BEGIN|END) SOLUTION|#\s*SKELETON\s*$")


@dataclass
class Fence:
    """One fenced region: line numbers are 1-based, ``end`` is the END line."""

    begin: int
    end: int
    indent: str
    task: int
    todo: str
    solution: list[str]
    skeleton: list[str] | None


def parse(text: str, where: str) -> list[Fence]:
    """Every fence in ``text``; raise FenceError naming ``where:line`` when one is malformed."""
    fences: list[Fence] = []
    current: Fence | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        begin, end, skeleton = BEGIN.match(line), END.match(line), SKELETON.match(line)
        if begin:
            if current is not None:
                raise FenceError(
                    f"{where}:{number}: nested BEGIN SOLUTION (open since {current.begin})"
                )
            current = Fence(number, 0, begin["indent"], int(begin["task"]), begin["todo"], [], None)
        elif end:
            if current is None:
                raise FenceError(f"{where}:{number}: END SOLUTION without BEGIN SOLUTION")
            current.end = number
            fences.append(current)
            current = None
        elif skeleton:
            if current is None or current.skeleton is not None:
                raise FenceError(f"{where}:{number}: SKELETON outside a fence or given twice")
            current.skeleton = []
        elif ANY_MARKER.search(line):
            raise FenceError(
                f"{where}:{number}: malformed fence; write "
                "'# BEGIN SOLUTION (task N): <what to do>'"
            )
        elif current is not None:
            (current.solution if current.skeleton is None else current.skeleton).append(line)
    if current is not None:
        raise FenceError(f"{where}:{current.begin}: BEGIN SOLUTION is never closed")
    return fences


def reference(text: str, where: str) -> str:
    """The reference text: fences removed, skeleton parts dropped."""
    return _render(text, where, skeleton=False)


def skeleton(text: str, where: str) -> str:
    """The skeleton text: every fence turned into a hole that fails loudly."""
    return _render(text, where, skeleton=True)


def _render(text: str, where: str, *, skeleton: bool) -> str:
    fences = parse(text, where)
    if not fences:
        return text
    lines = text.splitlines()
    python = where.endswith(".py")
    inside = _function_lines(text, where) if skeleton and python else set()
    out: list[str] = []
    cursor = 1
    for fence in fences:
        out.extend(lines[cursor - 1 : fence.begin - 1])
        out.extend(_hole(fence, where, fence.begin in inside) if skeleton else _kept(fence, lines))
        cursor = fence.end + 1
    out.extend(lines[cursor - 1 :])
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _kept(fence: Fence, lines: list[str]) -> list[str]:
    """The fence's solution lines; blank lines it ends with are dropped where blank lines (or
    the end of the file) follow the fence, so the reference keeps the formatter's spacing."""
    kept = list(fence.solution)
    after = lines[fence.end] if fence.end < len(lines) else ""
    while kept and not kept[-1].strip() and not after.strip():
        kept.pop()
    return kept


def _hole(fence: Fence, where: str, in_function: bool) -> list[str]:
    todo = f"TODO(task {fence.task}): {fence.todo}"
    hole = [f"{fence.indent}# {todo}"]
    if fence.skeleton is not None:
        hole.extend(_uncomment(line, fence.indent, where) for line in fence.skeleton)
    elif in_function:
        hole.append(f"{fence.indent}raise NotImplementedError({todo!r})")
    return hole


def _uncomment(line: str, indent: str, where: str) -> str:
    if not line.strip():
        return ""
    stripped = line[len(indent) :] if line.startswith(indent) else line.lstrip()
    if stripped.startswith("# "):
        return indent + stripped[2:]
    if stripped == "#":
        return ""
    raise FenceError(f"{where}: a SKELETON line must be a comment: {line.strip()!r}")


def _function_lines(text: str, where: str) -> set[int]:
    """Line numbers that sit inside a function body (where a hole may ``raise``)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise FenceError(f"{where}:{exc.lineno}: the solution itself does not parse") from None
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines.update(range(node.lineno + 1, (node.end_lineno or node.lineno) + 1))
    return lines


# Files whose comments start with ``#``: Python, and the project's TOML and Nginx settings.
FENCED_SUFFIXES = (".py", ".toml", ".conf")


def is_fenced_source(path: Path) -> bool:
    """Whether ``path`` is a file the build treats as fenced source."""
    return path.suffix in FENCED_SUFFIXES
