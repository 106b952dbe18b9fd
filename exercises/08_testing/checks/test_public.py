"""Stage 08 public checks: your own suite against your own app. The hidden suite also runs it
against correct apps that differ where the README leaves them free, and against buggy ones."""

from __future__ import annotations

import ast

import pytest

from workbook.client import Source
from workbook.owntests import OwnTests

BLUEPRINTS = ("test_auth", "test_users", "test_projects", "test_tasks")


def _failures(own_tests: OwnTests, *, reverse: bool = False) -> str:
    run = own_tests.run(reverse=reverse)
    if run.problem:
        return run.problem
    failed = sorted(run.failed)
    return f"{len(failed)} failed, first {failed[0]}" if failed else ""


@pytest.mark.task(1)
def test_your_suite_passes_against_your_app(own_tests: OwnTests) -> None:
    """`python -m pytest` in your project must pass: every test, in file order."""
    problem = _failures(own_tests)
    assert not problem, problem


@pytest.mark.task(1)
def test_your_suite_passes_in_reverse_order(own_tests: OwnTests) -> None:
    """Your tests must pass in reverse order too: each starts from an empty database."""
    problem = _failures(own_tests, reverse=True)
    assert not problem, problem


@pytest.mark.task(2)
def test_the_factories_are_sqlalchemy_model_factories(source: Source) -> None:
    """tests/factories.py must define UserFactory, ProjectFactory and TaskFactory."""
    tree = source.tree("tests/factories.py")
    names = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    missing = {"UserFactory", "ProjectFactory", "TaskFactory"} - names
    assert not missing, f"tests/factories.py defines no {', '.join(sorted(missing))}"


@pytest.mark.task(3)
def test_every_blueprint_has_three_passing_tests(own_tests: OwnTests) -> None:
    """Each of tests/test_auth, test_users, test_projects and test_tasks needs 3 passing tests."""
    passed = own_tests.run().passed
    few = [b for b in BLUEPRINTS if sum(t.startswith(f"tests/{b}/") for t in passed) < 3]
    assert not few, f"fewer than 3 passing tests in tests/{', tests/'.join(few)}"
