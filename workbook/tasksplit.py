"""Cut a test module down to one task's tests, and count each task's points."""

from __future__ import annotations

import ast
from pathlib import Path


def _marker_arg(node: ast.FunctionDef, name: str) -> object:
    """The first argument of ``@pytest.mark.<name>(...)`` on a test, or None."""
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == name
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
        ):
            return decorator.args[0].value
    return None


def _tests(tree: ast.Module) -> list[ast.FunctionDef]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]


def task_source(text: str, task: int) -> str:
    """A test module cut down to one task: every test of another task is dropped, the
    imports and helpers stay. Empty when the module has no test of that task."""
    tests = _tests(ast.parse(text))
    if not any(_marker_arg(node, "task") == task for node in tests):
        return ""
    drop: set[int] = set()
    for node in tests:
        if _marker_arg(node, "task") != task:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            drop.update(range(first - 1, node.end_lineno or node.lineno))
    lines = text.splitlines(keepends=True)
    return "".join(line for number, line in enumerate(lines) if number not in drop)


def task_tests(folder: Path, task: int) -> dict[str, str]:
    """Each ``test_*.py`` of ``folder`` cut down to ``task``, by file name; modules without a
    test of that task are left out."""
    return {
        path.name: text
        for path in sorted(folder.glob("test_*.py"))
        if (text := task_source(path.read_text(encoding="utf-8"), task))
    }


def task_points(text: str) -> dict[int, float]:
    """The points of each task's tests in a test module (a test without ``points`` is 1)."""
    points: dict[int, float] = {}
    for node in _tests(ast.parse(text)):
        task, value = _marker_arg(node, "task"), _marker_arg(node, "points")
        if isinstance(task, int):
            worth = float(value) if isinstance(value, int | float) else 1.0
            points[task] = points.get(task, 0.0) + worth
    return points
