"""The grader's shortcuts (``workbook.shortcuts``) never change what a learner's app does.

Graded both ways, every sample of the stages they matter most to gets the same outcome and
feedback on every test; and an app's database is what ``db.create_all()`` would have made,
whatever the app does with it.
"""

from __future__ import annotations

import base64
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from grader import samples
from workbook import catalog
from workbook.apphost import AppHost

APP = """
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Owner(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)


class Pet(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id"))

{extra}

def create_app(config: str = "testing") -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)

    @app.post("/owners")
    def add_owner() -> tuple[str, int]:
        db.session.add(Owner())
        db.session.commit()
        return "", 201

    @app.post("/pets/<int:owner>")
    def add_pet(owner: int) -> tuple[str, int]:
        db.session.add(Pet(owner_id=owner))
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            return "", 409
        return "", 201

{setup}
    return app
"""


@pytest.fixture(autouse=True)
def _fresh_app_package() -> Iterator[None]:
    """Each test imports its own ``app`` package into this process, and forgets it after."""
    path = list(sys.path)
    yield
    sys.path[:] = path
    for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        del sys.modules[name]


def _host(tmp_path: Path, extra: str = "", setup: str = "") -> AppHost:
    package = tmp_path / "app"
    package.mkdir()
    source = APP.format(extra=textwrap.dedent(extra), setup=textwrap.indent(setup, "    "))
    (package / "__init__.py").write_text(source)
    host = AppHost(tmp_path)
    assert host.handle({"op": "import"})["ok"]
    return host


def _ask(host: AppHost, op: str, **args: Any) -> Any:
    answer = host.handle({"op": op, **args})
    assert answer["ok"], answer
    return answer["result"]


def _count(host: AppHost, app: int, table: str) -> int:
    return int(_ask(host, "sql", app=app, query=f"SELECT count(*) FROM {table}")[0][0])


def test_every_app_starts_with_empty_tables_of_its_own(tmp_path: Path) -> None:
    host = _host(tmp_path)
    first = _ask(host, "create_app", config="testing")["app"]
    assert _ask(host, "request", app=first, method="POST", path="/owners")["status_code"] == 201
    second = _ask(host, "create_app", config="testing")["app"]
    assert (_count(host, first, "owner"), _count(host, second, "owner")) == (1, 0)
    assert set(_ask(host, "schema", app=second)) == {"owner", "pet"}


def test_rows_an_app_adds_in_create_app_are_kept(tmp_path: Path) -> None:
    setup = """
    with app.app_context():
        db.create_all()
        CALLS.append(1)
        db.session.add_all(Owner() for _ in CALLS)  # one more row each time
        db.session.commit()
    """
    host = _host(tmp_path, extra="CALLS = []", setup=textwrap.dedent(setup))
    apps = [_ask(host, "create_app", config="testing")["app"] for _ in range(3)]
    assert [_count(host, app, "owner") for app in apps] == [1, 2, 3]


def test_ddl_event_listeners_run_for_every_app(tmp_path: Path) -> None:
    extra = """
    CALLS = []

    @sa.event.listens_for(Owner.__table__, "after_create")
    def seed(target, connection, **kw):
        CALLS.append(1)
        connection.execute(target.insert(), [{} for _ in CALLS])  # one more row each time
    """
    host = _host(tmp_path, extra=extra)
    apps = [_ask(host, "create_app", config="testing")["app"] for _ in range(3)]
    assert [_count(host, app, "owner") for app in apps] == [1, 2, 3]


def test_an_extension_of_the_apps_own_under_sqlalchemy_gets_create_all_called(
    tmp_path: Path,
) -> None:
    extra = """
    class OwnExtension:
        calls = 0

        def create_all(self) -> None:
            OwnExtension.calls += 1
    """
    setup = """
    app.extensions["sqlalchemy"] = OwnExtension()
    app.get("/calls")(lambda: str(OwnExtension.calls))
    """
    host = _host(tmp_path, extra=extra, setup=textwrap.dedent(setup))
    app = _ask(host, "create_app", config="testing")["app"]
    answer = _ask(host, "request", app=app, method="GET", path="/calls")
    assert base64.b64decode(answer["body"]) == b"1"


def test_foreign_keys_the_app_turns_on_are_enforced_in_every_app(tmp_path: Path) -> None:
    setup = """
    def foreign_keys(connection, record):
        connection.execute("PRAGMA foreign_keys=ON")

    with app.app_context():
        sa.event.listen(db.engine, "connect", foreign_keys)
    """
    host = _host(tmp_path, setup=textwrap.dedent(setup))
    for _ in range(3):
        app = _ask(host, "create_app", config="testing")["app"]
        orphan = _ask(host, "request", app=app, method="POST", path="/pets/7")
        assert orphan["status_code"] == 409


def _outcomes(result: Any) -> dict[str, Any]:
    doc = json.loads(result.stdout)
    return {
        s["learner"]: (s["score"], [(t["id"], t["outcome"], t["feedback"]) for t in s["tests"]])
        for s in doc["submissions"]
    }


@pytest.mark.parametrize("stage_name", ["03_models", "05_auth"])
def test_grading_with_the_shortcuts_gives_every_test_the_outcome_it_gets_without(
    workbook: Run, tmp_path: Path, stage_name: str
) -> None:
    stage = catalog.find(stage_name)
    cohort = tmp_path / "cohort"
    for sample in samples.load(stage):
        if sample.name != "hangs":  # it costs its time limit twice over and proves nothing
            samples.assemble(sample, cohort / sample.name)
    command = ["grade", str(cohort), "--stage", stage.name, "--json", "--regrade"]
    fast = workbook(*command)
    plain = workbook(*command, extra_env={"WORKBOOK_SHORTCUTS": "off"})
    assert fast.returncode == plain.returncode == 2, fast.stderr[-2000:]  # syntax-error
    assert _outcomes(fast) == _outcomes(plain)
    assert len(_outcomes(fast)) >= 8
