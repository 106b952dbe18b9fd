"""Stage 08 public checks: your own suite against your own app. The hidden suite also runs it
against correct apps that differ where the README leaves them free, and against buggy ones."""

from __future__ import annotations

import ast

import pytest

from workbook.client import Source
from workbook.owntests import OwnTests

BLUEPRINTS = ("test_auth", "test_users", "test_projects", "test_tasks")
FACTORIES = ("UserFactory", "ProjectFactory", "TaskFactory")


def _failures(own_tests: OwnTests) -> str:
    run = own_tests.run()
    if run.problem:
        return run.problem
    failed = sorted(run.failed)
    if not failed:
        return ""
    return (
        f"{len(failed)} of {len(run.outcomes)} failed, e.g. {failed[0]}; "
        "`python -m pytest` shows why"
    )


@pytest.mark.task(1)
def test_your_suite_passes_against_your_app(own_tests: OwnTests) -> None:
    """`python -m pytest` in your project must pass: every test, in file order."""
    problem = _failures(own_tests)
    assert not problem, problem


@pytest.mark.task(1)
def test_your_suite_passes_in_reverse_order(own_tests: OwnTests) -> None:
    """Your tests must pass in reverse order too: each starts from an empty database."""
    passed = own_tests.run().passed
    assert passed, "no test passes in file order yet"
    broken = sorted(passed - own_tests.run(reverse=True, only=passed).passed)
    assert not broken, f"{broken[0]} fails when the tests run in reverse order"


def _meta_models(tree: ast.Module) -> set[str]:
    """The classes whose own ``class Meta:`` sets ``model``."""
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for meta in node.body
        if isinstance(meta, ast.ClassDef) and meta.name == "Meta"
        if "model = " in ast.unparse(meta)
    }


@pytest.mark.task(2)
def test_the_factories_name_their_models(source: Source) -> None:
    """tests/factories.py must define UserFactory, ProjectFactory and TaskFactory, each with a
    Meta naming its model."""
    files = source.glob("tests/factories.py") + source.glob("tests/factories/**/*.py")
    assert files, "there is no tests/factories.py"
    found = set().union(*(_meta_models(source.tree(name)) for name in files))
    missing = set(FACTORIES) - found
    assert not missing, f"no Meta with a model in {', '.join(sorted(missing))}"


@pytest.mark.task(3)
def test_every_blueprint_has_three_passing_tests(own_tests: OwnTests) -> None:
    """Each of tests/test_auth, test_users, test_projects and test_tasks needs 3 passing tests."""
    passed = own_tests.run().passed
    few = [b for b in BLUEPRINTS if sum(t.startswith(f"tests/{b}/") for t in passed) < 3]
    assert not few, f"fewer than 3 passing tests in tests/{', tests/'.join(few)}"


def _calls(source: Source, names: tuple[str, ...], argument: str) -> bool:
    """Whether a file under tests/ calls one of ``names`` with ``argument`` among its
    arguments (a string constant or the end of one)."""
    for name in source.glob("tests/**/*.py"):
        for node in ast.walk(source.tree(name)):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(names):
                values = [*node.args, *(k.value for k in node.keywords)]
                if any(
                    isinstance(v, ast.Constant) and str(v.value).endswith(argument) for v in values
                ):
                    return True
    return False


@pytest.mark.task(4)
def test_mail_is_patched_where_it_leaves_the_app(source: Source) -> None:
    """A test must patch mail.send: `patch.object(mail, "send")` or `patch("....send")`."""
    assert _calls(source, ("patch", "patch.object"), "send"), (
        "no test under tests/ patches mail.send"
    )


@pytest.mark.task(5)
def test_a_test_counts_the_statements(source: Source) -> None:
    """The suite must count statements with a before_cursor_execute listener."""
    assert _calls(source, ("listen", "listens_for"), "before_cursor_execute"), (
        "nothing under tests/ listens for before_cursor_execute"
    )
