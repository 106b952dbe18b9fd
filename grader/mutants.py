"""Mutation score: how many small mistakes in a stage's fenced solution its hidden suite
catches.

Each mutant changes one thing inside one fence of one solution file, with the usual
operators:

- a comparison flipped (``==``/``!=``, ``<``/``>=``, ``in``/``not in``, ``is``/``is not``);
- a constant changed (a number, a string, ``True``/``False``, an HTTP status swapped for a
  neighbour);
- a statement removed (``pass`` in its place);
- a decorator removed;
- a keyword argument removed.

The mutated file has its fences removed as the build does, replaces the file in the stage's
reference project, and is graded with the stage's hidden suite. It is *killed* when it
loses a point. A mutant that cannot lose one (it changes nothing observable) is listed by
id, with the reason, in ``equivalent_mutants.toml`` beside the suite, and is left out of the
score.
"""

from __future__ import annotations

import ast
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader import paths as grader_paths
from workbook import fences
from workbook.catalog import Stage

STATUSES = {
    200: 201,
    201: 200,
    204: 200,
    400: 422,
    401: 403,
    403: 401,
    404: 400,
    409: 400,
    422: 400,
    429: 400,
    500: 400,
}
FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    """One change to one solution file: a stable id, what it does, the new file text."""

    id: str
    description: str
    relative: Path
    text: str


def mutants(stage: Stage) -> list[Mutant]:
    """Every mutant of the stage's fenced solution files, in a stable order."""
    found: list[Mutant] = []
    for path in sorted(stage.solution_dir.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(stage.solution_dir)
        spans = [(f.begin, f.end) for f in fences.parse(text, str(relative))]
        if spans:
            found += list(_file_mutants(relative, text, spans))
    return found


def sample(all_mutants: list[Mutant], count: int | None) -> list[Mutant]:
    """``count`` of them, chosen the same way every run (all when ``count`` is None)."""
    if count is None or count >= len(all_mutants):
        return all_mutants
    return sorted(random.Random(20261203).sample(all_mutants, count), key=all_mutants.index)


def equivalent(stage: Stage) -> dict[str, str]:
    """The mutant ids marked by hand as equivalent, with why."""
    marked = grader_paths.suite(stage) / "equivalent_mutants.toml"
    if not marked.is_file():
        return {}
    raw = tomllib.loads(marked.read_text(encoding="utf-8"))
    return {str(m["id"]): str(m["why"]) for m in raw.get("mutant", [])}


def _inside(node: ast.AST, spans: list[tuple[int, int]]) -> bool:
    start, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", 0)
    return any(begin < start and end_line <= stop for begin, stop in spans for end_line in [end])


def _file_mutants(relative: Path, text: str, spans: list[tuple[int, int]]) -> Iterator[Mutant]:
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    skipped = _docstrings_and_fstrings(tree)
    for node in ast.walk(tree):
        if id(node) in skipped or not _inside(node, spans):
            continue
        for description, replacement, first, last in _changes(node, lines):
            new = lines[: first - 1] + [replacement] + lines[last:]
            mutated = "".join(new)
            try:
                ast.parse(mutated)
            except SyntaxError:
                continue
            column = getattr(node, "col_offset", 0) + 1
            key = f"{relative.as_posix()}:{first}:{column}:{description}"
            yield Mutant(key, description, relative, fences.reference(mutated, str(relative)))


def _docstrings_and_fstrings(tree: ast.AST) -> set[int]:
    """Constants no mutant should touch: docstrings, and the parts of f-strings."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        elif isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in ast.walk(node))
    return skipped


def _changes(node: ast.AST, lines: list[str]) -> Iterator[tuple[str, str, int, int]]:
    """(description, replacement text of lines first..last, first, last) for one node."""
    if isinstance(node, ast.Compare) and node.lineno == node.end_lineno:
        for n, op in enumerate(node.ops):
            flipped = FLIPS.get(type(op))
            if flipped is not None:
                ops = list(node.ops)
                ops[n] = flipped()
                yield _splice(
                    node,
                    ast.Compare(node.left, ops, node.comparators),
                    lines,
                    f"comparison {type(op).__name__} -> {flipped.__name__}",
                )
    elif isinstance(node, ast.Constant) and node.lineno == node.end_lineno:
        new = _constant(node.value)
        if new is not None:
            yield _splice(node, ast.Constant(new), lines, f"constant {node.value!r} -> {new!r}")
    elif isinstance(node, ast.Call) and node.keywords and node.lineno == node.end_lineno:
        for n, keyword in enumerate(node.keywords):
            if keyword.arg is None:
                continue
            kept = node.keywords[:n] + node.keywords[n + 1 :]
            yield _splice(
                node, ast.Call(node.func, node.args, kept), lines, f"keyword {keyword.arg}= removed"
            )
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        for decorator in node.decorator_list:
            if decorator.lineno == decorator.end_lineno:
                line = lines[decorator.lineno - 1]
                indent = line[: len(line) - len(line.lstrip())]
                yield (
                    "decorator removed",
                    f"{indent}# (decorator removed)\n",
                    decorator.lineno,
                    decorator.lineno,
                )
    for field in ("body", "orelse"):
        block = getattr(node, field, None)
        if isinstance(block, list) and len(block) > 1:
            for statement in block:
                if isinstance(statement, ast.stmt) and not _inert(statement):
                    line = lines[statement.lineno - 1]
                    indent = line[: len(line) - len(line.lstrip())]
                    kind = type(statement).__name__
                    yield (
                        f"statement {kind} removed",
                        f"{indent}pass\n",
                        statement.lineno,
                        statement.end_lineno or statement.lineno,
                    )


def _inert(statement: ast.stmt) -> bool:
    """``pass`` or a docstring: removing it changes nothing a suite could see."""
    if isinstance(statement, ast.Pass):
        return True
    value = getattr(statement, "value", None)
    return isinstance(statement, ast.Expr) and isinstance(value, ast.Constant)


def _constant(value: object) -> bool | int | str | None:
    """The changed constant, or None when this one is not mutated."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return STATUSES.get(value, value + 1)
    if isinstance(value, str) and value and "\n" not in value and len(value) < 80:
        # Replaced, not suffixed: a suite may rightly accept any text that contains a sentence.
        return "mutant" if value != "mutant" else "other"
    return None


def _splice(
    node: ast.expr, new: ast.expr, lines: list[str], description: str
) -> tuple[str, str, int, int]:
    line = lines[node.lineno - 1]
    start = len(line.encode()[: node.col_offset].decode(errors="ignore"))
    end = len(line.encode()[: node.end_col_offset].decode(errors="ignore"))
    return description, line[:start] + ast.unparse(new) + line[end:], node.lineno, node.lineno
