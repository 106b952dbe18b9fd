"""Stage 08: the learner's own suite, graded by what it catches.

Their tests run against the reference (in file order and reversed) and against correct
alternatives; a test counts only when it passes against all of them. A bug is caught when a
counted test fails against the reference with that one bug (``apps.toml``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader import ownapps
from workbook.client import Source
from workbook.owntests import OwnTests, SuiteRun
from workbook.suiterun import shown

STAGE = "08_testing"
APPS = ownapps.load(Path(__file__).with_name("apps.toml"))
FACTORIES = ("UserFactory", "ProjectFactory", "TaskFactory")


def _reference(own_tests: OwnTests, *, reverse: bool = False) -> SuiteRun:
    run = own_tests.run(ownapps.reference(STAGE), reverse=reverse)
    assert run.problem is None, f"against a correct app: {run.problem}"
    return run


def _counted(own_tests: OwnTests) -> set[str]:
    """The tests that pass against every correct app, in either order."""
    kept = _reference(own_tests).passed & _reference(own_tests, reverse=True).passed
    for app in APPS.alternatives:
        kept &= own_tests.run(ownapps.build(STAGE, app)).passed
    return kept


def _caught(own_tests: OwnTests, bug: str) -> None:
    """A counted test must fail against the reference with ``bug``."""
    counted = _counted(own_tests)
    assert counted, "none of your tests passes against every correct app, so none counts"
    run = own_tests.run(ownapps.build(STAGE, APPS.bugs[bug]), only=counted)
    assert counted - run.passed, APPS.bugs[bug].teaches


def _first(tests: set[str]) -> str:
    return shown(sorted(tests)[0])


@pytest.mark.task(1)
@pytest.mark.points(3)
def test_your_suite_passes_against_a_correct_app(own_tests: OwnTests) -> None:
    """Your suite must pass against a correct app: every test, in file order."""
    run = _reference(own_tests)
    failed = run.failed
    assert not failed, f"{len(failed)} of your tests fail against a correct app, {_first(failed)}"


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_your_tests_pass_in_any_order(own_tests: OwnTests) -> None:
    """Each test starts from an empty database, cache and limiter: run in reverse order, the
    tests that passed in file order still pass."""
    forward = _reference(own_tests).passed
    broken = forward - _reference(own_tests, reverse=True).passed
    assert forward, "no test of yours passes against a correct app"
    assert not broken, (
        f"{len(broken)} tests fail when run in reverse order (they lean on data another test "
        f"left behind), {_first(broken)}"
    )


def _calls_create_app_testing(tree: ast.Module) -> bool:
    """Whether ``tree`` calls ``create_app`` (or ``app.create_app``) with "testing", written
    out or through a module-level name bound to it."""
    testing = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Constant)
        and node.value.value == "testing"
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("create_app"):
            for value in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(value, ast.Constant) and value.value == "testing":
                    return True
                if isinstance(value, ast.Name) and value.id in testing:
                    return True
    return False


@pytest.mark.task(1)
def test_the_tests_build_their_app_with_create_app_testing(source: Source) -> None:
    """The suite's app comes from create_app("testing") (in tests/conftest.py, or in a file
    of tests/ it imports)."""
    files = source.glob("tests/**/*.py")
    assert any(_calls_create_app_testing(source.tree(name)) for name in files), (
        'no file under tests/ calls create_app("testing")'
    )


def _meta_names(node: ast.ClassDef) -> set[str]:
    """The names the class's own ``class Meta:`` assigns."""
    names: set[str] = set()
    for meta in node.body:
        if isinstance(meta, ast.ClassDef) and meta.name == "Meta":
            for item in ast.walk(meta):
                targets = item.targets if isinstance(item, ast.Assign) else []
                targets += [item.target] if isinstance(item, ast.AnnAssign) else []
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _factories(tree: ast.Module) -> dict[str, set[str]]:
    """The SQLAlchemyModelFactory subclasses of ``tree`` (through the file's own bases too),
    each with the Meta names it has or inherits from those bases."""
    classes = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    found: dict[str, set[str]] = {}
    for _ in classes:  # one more level of in-file inheritance per pass
        for name, node in classes.items():
            ups = [ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases]
            if any(up == "SQLAlchemyModelFactory" or up in found for up in ups):
                inherited = set().union(*(found.get(up, set()) for up in ups))
                found[name] = _meta_names(node) | inherited
    return found


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_the_factories_are_sqlalchemy_model_factories(source: Source) -> None:
    """tests/factories.py defines UserFactory, ProjectFactory and TaskFactory, each a
    factory_boy SQLAlchemyModelFactory whose Meta names its model and the database session."""
    files = source.glob("tests/factories.py") + source.glob("tests/factories/**/*.py")
    assert files, "there is no tests/factories.py"
    found: dict[str, set[str]] = {}
    for name in files:
        found |= _factories(source.tree(name))
    missing = [name for name in FACTORIES if name not in found]
    assert not missing, (
        f"tests/factories.py has no SQLAlchemyModelFactory named {', '.join(missing)}"
    )
    session = {"sqlalchemy_session", "sqlalchemy_session_factory"}
    for name in FACTORIES:
        assert "model" in found[name], f"{name}'s Meta names no model"
        assert found[name] & session, f"{name}'s Meta names no sqlalchemy_session(_factory)"


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_your_tests_accept_every_correct_app(own_tests: OwnTests) -> None:
    """Your tests assert what the README fixes, not what it leaves free: they pass against
    correct apps that differ from the reference where the README allows."""
    passing = _reference(own_tests).passed
    assert passing, "no test of yours passes against a correct app"
    for app in APPS.alternatives:
        failed = passing - own_tests.run(ownapps.build(STAGE, app)).passed
        assert not failed, (
            f"{len(failed)} tests fail against a correct app with {app.teaches}, {_first(failed)}"
        )


@pytest.mark.task(3)
def test_a_projects_route_without_its_token_is_caught(own_tests: OwnTests) -> None:
    """A projects blueprint whose hook checks no token makes one of your tests fail."""
    _caught(own_tests, "projects-without-token")


@pytest.mark.task(3)
def test_a_tasks_route_without_its_token_is_caught(own_tests: OwnTests) -> None:
    """A tasks blueprint whose hook checks no token makes one of your tests fail."""
    _caught(own_tests, "tasks-without-token")


@pytest.mark.task(3)
def test_a_users_route_without_its_token_is_caught(own_tests: OwnTests) -> None:
    """A users blueprint whose hook checks no token makes one of your tests fail."""
    _caught(own_tests, "users-without-token")


@pytest.mark.task(3)
def test_an_account_route_without_its_token_is_caught(own_tests: OwnTests) -> None:
    """/auth/me and /auth/password without @jwt_required make one of your tests fail."""
    _caught(own_tests, "account-without-token")


@pytest.mark.task(3)
def test_a_registration_answering_200_is_caught(own_tests: OwnTests) -> None:
    """Registering must answer 201: a 200 makes one of your tests fail."""
    _caught(own_tests, "register-answers-200")


@pytest.mark.task(3)
def test_a_project_creation_answering_200_is_caught(own_tests: OwnTests) -> None:
    """Creating a project must answer 201: a 200 makes one of your tests fail."""
    _caught(own_tests, "project-created-answers-200")


@pytest.mark.task(3)
def test_a_leaked_password_hash_is_caught(own_tests: OwnTests) -> None:
    """A user shown with password_hash makes one of your tests fail."""
    _caught(own_tests, "hash-leaked")


@pytest.mark.task(3)
def test_an_unchecked_project_field_is_caught(own_tests: OwnTests) -> None:
    """A project body whose unknown field is accepted makes one of your tests fail."""
    _caught(own_tests, "project-fields-unchecked")


@pytest.mark.task(3)
def test_an_unchecked_task_title_is_caught(own_tests: OwnTests) -> None:
    """A task created without a title makes one of your tests fail."""
    _caught(own_tests, "task-title-unchecked")


@pytest.mark.task(3)
def test_a_login_that_ignores_the_password_is_caught(own_tests: OwnTests) -> None:
    """A login that accepts a wrong password makes one of your tests fail."""
    _caught(own_tests, "login-ignores-the-password")


@pytest.mark.task(3)
def test_a_project_list_showing_everyones_projects_is_caught(own_tests: OwnTests) -> None:
    """A project list that shows other users' projects makes one of your tests fail."""
    _caught(own_tests, "everyones-projects")


@pytest.mark.task(3)
def test_a_password_change_that_skips_the_check_is_caught(own_tests: OwnTests) -> None:
    """A password change that accepts a wrong current password makes one of your tests fail."""
    _caught(own_tests, "password-change-unchecked")


@pytest.mark.task(4)
def test_a_missing_welcome_mail_is_caught(own_tests: OwnTests) -> None:
    """Registering without sending the welcome mail makes one of your tests fail."""
    _caught(own_tests, "no-welcome-mail")


@pytest.mark.task(4)
def test_a_welcome_mail_to_the_wrong_address_is_caught(own_tests: OwnTests) -> None:
    """A welcome mail that does not go to the new user's address makes one of your tests fail."""
    _caught(own_tests, "welcome-to-the-sender")


@pytest.mark.task(4)
def test_a_missing_password_notice_is_caught(own_tests: OwnTests) -> None:
    """A password change that sends no notice makes one of your tests fail."""
    _caught(own_tests, "no-password-notice")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_an_n_plus_one_in_the_project_list_is_caught(own_tests: OwnTests) -> None:
    """A project list that loads each project's tasks with a statement of its own makes your
    query-count test fail."""
    _caught(own_tests, "project-list-n-plus-one")
