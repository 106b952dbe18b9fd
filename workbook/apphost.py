"""The learner side of the grading contract: the only code that imports learner modules.

``AppHost.handle`` takes one JSON-ready request and returns one JSON-ready answer. The worker
process runs it behind a pipe; ``workbook check`` calls it in-process. Nothing learner code
returns leaves here except plain JSON data.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import importlib
import logging
import os
import sys
import tempfile
import threading
import time
import tomllib
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook import calls, clock, shortcuts, suiterun

if TYPE_CHECKING:
    from workbook.stack import Stack

MAX_TEXT = 2000
MAX_BODY = 4 * 1024 * 1024


def jsonable(value: Any, depth: int = 0) -> Any:
    """A plain-JSON copy of ``value``; anything else becomes a tagged description."""
    if value is None or type(value) in (bool, int, float, str):
        return value[: MAX_TEXT * 10] if type(value) is str else value
    if depth > 8:
        return {"$type": "too-deep"}
    if type(value) in (list, tuple, set, frozenset):
        return [jsonable(item, depth + 1) for item in list(value)[:1000]]
    if type(value) is dict:
        return {str(k): jsonable(v, depth + 1) for k, v in list(value.items())[:1000]}
    if isinstance(value, dt.timedelta):
        return {"$type": "timedelta", "seconds": value.total_seconds()}
    return {"$type": type(value).__name__, "repr": _safe_repr(value)}


def _dotted(value: Any, path: str) -> Any:
    """``value.a.b`` for ``path`` ``"a.b"``; None where an attribute is missing."""
    for name in path.split("."):
        value = getattr(value, name, None)
    return value


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # noqa: BLE001 - learner objects may break repr
        return "<unrepresentable>"


# The learner's project folder (set by AppHost): frames in it are named relative to it.
PROJECT: list[Path] = []


def _frame_name(filename: str, lineno: int | None) -> str:
    path = Path(filename)
    for root in PROJECT:
        if path.is_relative_to(root):
            return f"{path.relative_to(root).as_posix()}:{lineno}"
    return f"{path.name}:{lineno}"


def _edited() -> set[Path]:
    """The files the learner edits in this stage, as the workspace's marker lists them."""
    for root in PROJECT:
        try:
            marker = tomllib.loads((root / ".workbook.toml").read_text(encoding="utf-8"))
            return {root / str(name) for name in marker.get("edit", [])}
        except (OSError, ValueError, TypeError):
            return set()
    return set()


def _learner_frame(frames: traceback.StackSummary) -> tuple[str, bool]:
    """Where to look: the innermost frame in a file the learner edits this stage, else the
    innermost of their project's, and whether that is a given file (the cause is then in
    what it was handed)."""
    own = [
        f
        for f in reversed(frames)
        if "site-packages" not in f.filename and "/grader/" not in f.filename
    ]
    if not own:
        return "", False
    edited = _edited()
    chosen = next((f for f in own if Path(f.filename) in edited), None)
    given = chosen is None and bool(edited)
    chosen = chosen or own[0]
    return _frame_name(chosen.filename, chosen.lineno), given


def describe(exc: BaseException) -> dict[str, Any]:
    """A learner exception as data: type, base classes, message and the learner's frame."""
    where, given = _learner_frame(traceback.extract_tb(exc.__traceback__))
    return {
        "type": type(exc).__name__,
        "mro": [cls.__name__ for cls in type(exc).__mro__],
        "message": str(exc)[:MAX_TEXT],
        "where": where,
        "given": given,
    }


@contextlib.contextmanager
def patched_environ(changes: dict[str, str | None]) -> Iterator[None]:
    """Set (or, for None, remove) environment variables for the duration of the block."""
    saved = {key: os.environ.get(key) for key in changes}
    try:
        for key, value in changes.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def dotenv_dir(content: str | None) -> Iterator[None]:
    """Run in a fresh folder holding ``.env`` = ``content``; None keeps the project folder."""
    if content is None:
        yield
        return
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="dotenv-") as folder:
        Path(folder, ".env").write_text(content, encoding="utf-8")
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(here)


@contextlib.contextmanager
def counting_sql(app: Any, enabled: bool) -> Iterator[list[int]]:
    """Count the SQL statements the app's engine runs inside the block."""
    count = [0]
    if not enabled or "sqlalchemy" not in app.extensions:
        yield count
        return
    import sqlalchemy as sa

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine

    def tick(*_: Any) -> None:
        count[0] += 1

    sa.event.listen(engine, "before_cursor_execute", tick)
    try:
        yield count
    finally:
        sa.event.remove(engine, "before_cursor_execute", tick)


@contextlib.contextmanager
def meeting_at(app: Any, table: str | None, parties: int) -> Iterator[None]:
    """Inside the block, each SELECT on ``table``, once run, waits (up to a second) until
    ``parties`` requests have run one: concurrent requests all read before any of them
    writes, the moment a check-then-write race is lost. Nothing waits without a ``table``."""
    if not table or "sqlalchemy" not in app.extensions:
        yield
        return
    import sqlalchemy as sa

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    barrier = threading.Barrier(parties, timeout=1.0)

    def meet(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip()[:6].upper() == "SELECT" and table in statement:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    # After the statement has run: its read is done (SQLite holds it until fetched), so no
    # request can write between another's read and its answer.
    sa.event.listen(engine, "after_cursor_execute", meet)
    try:
        yield
    finally:
        sa.event.remove(engine, "after_cursor_execute", meet)


PROBE_SECRET = "grader-probe-secret /srv/app/settings.py"


def add_probe_routes(app: Any) -> None:
    """Grader routes: one raises an unexpected error, one aborts with any status code, one
    takes at least the given milliseconds (up to a second) to answer 204; and, for each
    blueprint ``name``, a route of endpoint ``<name>.__grader_probe`` answers 204 as a view of
    that blueprint would, after that blueprint's own hooks (and its parents')."""
    from flask import abort

    def explode() -> None:
        raise RuntimeError(PROBE_SECRET)

    def fail_with(code: int) -> None:
        abort(code)

    def take(ms: int) -> tuple[str, int]:
        time.sleep(min(ms, 1000) / 1000)
        return "", 204

    app.add_url_rule("/__grader__/raise", "__grader_raise", explode)
    app.add_url_rule("/__grader__/abort/<int:code>", "__grader_abort", fail_with)
    app.add_url_rule("/__grader__/sleep/<int:ms>", "__grader_sleep", take)
    for number, name in enumerate(list(app.blueprints)):
        # The endpoint's prefix is what makes Flask run that blueprint's hooks for it; the
        # path is a number, whatever characters the learner's blueprint name holds.
        endpoint = f"{name}.__grader_probe"
        app.add_url_rule(f"/__grader__/in/{number}", endpoint, lambda: ("", 204))


@contextlib.contextmanager
def preserved_logging() -> Iterator[None]:
    """Undo what a command does to logging (Alembic's env.py calls ``fileConfig``, which
    disables every existing logger), so one test's ``flask db upgrade`` leaves the next
    test's logging as it was."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(lg, lg.disabled, lg.level, list(lg.handlers), lg.propagate) for lg in loggers]
    try:
        yield
    finally:
        for logger, disabled, level, handlers, propagate in saved:
            logger.disabled, logger.level, logger.propagate = disabled, level, propagate
            logger.handlers[:] = handlers


def fresh_app_logger(name: str) -> None:
    """Give the next app a logger as a new process would: Flask's ``app.logger`` is the
    process-wide logger of the app's name, so the level and handlers one app set would
    otherwise leak into every app built after it in this worker."""
    logger = logging.getLogger(name)
    logger.handlers.clear()
    logger.filters.clear()
    logger.setLevel(logging.NOTSET)
    logger.propagate, logger.disabled = True, False


class _Capture(logging.Handler):
    """Keeps every record the app logs, formatted by the app's own handlers as well."""

    def __init__(self, formatters: list[logging.Handler]) -> None:
        super().__init__(logging.DEBUG)
        self.formatters = formatters
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        formatted = []
        for handler in self.formatters:
            try:
                formatted.append(handler.format(record))
            except Exception:  # noqa: BLE001 - a learner formatter may fail on our record
                formatted.append("")
        self.records.append(
            {
                "level": record.levelname,
                "message": record.getMessage()[:2000],
                "exc_text": exc[: MAX_TEXT * 5],
                "formatted": formatted,
                "streams": [_stream_name(handler) for handler in self.formatters],
            }
        )


def _stream_name(handler: logging.Handler) -> str:
    """Where a handler writes: ``stdout``, ``stderr`` or ``other``."""
    stream = getattr(handler, "stream", None)
    if stream is not None and stream in (sys.stdout, sys.__stdout__):
        return "stdout"
    if stream is not None and stream in (sys.stderr, sys.__stderr__):
        return "stderr"
    return "other"


@contextlib.contextmanager
def capturing_logs(app: Any, enabled: bool) -> Iterator[list[dict[str, Any]]]:
    """Collect what ``app.logger`` logs inside the block (at the level the app set)."""
    if not enabled:
        yield []
        return
    own = [h for h in app.logger.handlers]
    if app.logger.propagate:
        own += [h for h in logging.getLogger().handlers if "_pytest" not in type(h).__module__]
    capture = _Capture(own)
    app.logger.addHandler(capture)
    try:
        yield capture.records
    finally:
        app.logger.removeHandler(capture)


def _table_schema(inspector: Any, table: str) -> dict[str, Any]:
    pk = inspector.get_pk_constraint(table).get("constrained_columns", [])
    return {
        "columns": {
            c["name"]: {"type": str(c["type"]), "nullable": bool(c["nullable"])}
            for c in inspector.get_columns(table)
        },
        "primary_key": list(pk),
        "indexes": [
            {"name": i["name"], "columns": list(i["column_names"]), "unique": bool(i["unique"])}
            for i in inspector.get_indexes(table)
        ],
        "unique_constraints": [
            list(u["column_names"]) for u in inspector.get_unique_constraints(table)
        ],
        "foreign_keys": [
            {
                "columns": list(f["constrained_columns"]),
                "table": f["referred_table"],
                "ondelete": str((f.get("options") or {}).get("ondelete") or "").upper() or None,
            }
            for f in inspector.get_foreign_keys(table)
        ],
    }


class AppHost:
    """Imports the learner's ``app`` package and answers the fixtures' requests about it."""

    def __init__(self, project: Path, tool_cache: Path | None = None) -> None:
        self.project = project
        # mypy's cache for the project's own tools: only the learner's check keeps one.
        self.tool_cache = tool_cache
        PROJECT[:] = [project]
        self.temp_folders: list[Path] = []  # removed by whoever ends this host
        self.apps_built_at_import = 0
        self.apps: dict[int, Any] = {}
        self.factory: Callable[..., Any] | None = None
        self.ops: dict[str, Callable[..., Any]] = {
            "import": self.op_import,
            "create_app": self.op_create_app,
            "apps_built_at_import": self.op_apps_built_at_import,
            "classes": self.op_classes,
            "request": self.op_request,
            "config": self.op_config,
            "url_rules": self.op_url_rules,
            "extensions": self.op_extensions,
            "shell_context": self.op_shell_context,
            "cli": self.op_cli,
            "schema": self.op_schema,
            "together": self.op_together,
            "sql": self.op_sql,
            "temp_database": self.op_temp_database,
            "dispose": self.op_dispose,
            "run_tests": self.op_run_tests,
            "gunicorn_settings": self.op_gunicorn_settings,
            "engine_pool": self.op_engine_pool,
            "project_tools": self.op_project_tools,
            "stack_start": self.op_stack_start,
            "stack": self.op_stack,
        }
        self.stack: Stack | None = None

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one request; a learner exception becomes ``{"ok": false, "error": ...}``."""
        op = self.ops.get(str(request.get("op")))
        if op is None:
            return {
                "ok": False,
                "error": {
                    "type": "ProtocolError",
                    "mro": [],
                    "where": "",
                    "message": f"unknown op {request.get('op')!r}",
                },
            }
        args = {k: v for k, v in request.items() if k != "op"}
        try:
            return {"ok": True, "result": op(**args)}
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - learner code may raise anything
            return {"ok": False, "error": describe(exc)}

    def _app(self, app: int) -> Any:
        return self.apps[app]

    def op_import(self) -> dict[str, Any]:
        """Import the learner's ``app`` package and find ``create_app``; note what the import
        itself ran (an app built at import time shows there)."""
        shortcuts.install()
        clock.restart()
        if str(self.project) not in sys.path:
            sys.path.insert(0, str(self.project))
        with calls.apps_built() as built:
            module = importlib.import_module("app")
        self.apps_built_at_import = len(built)
        factory = getattr(module, "create_app", None)
        if not callable(factory):
            raise AttributeError("the app package defines no create_app() function")
        self.factory = factory
        return {"module": module.__name__}

    def op_create_app(
        self,
        config: str | None,
        env: dict[str, str | None] | None = None,
        dotenv: str | None = None,
        tables: bool = True,
        probes: bool = False,
        trace: bool = False,
    ) -> dict[str, Any]:
        """Call ``create_app(config)`` under the given environment; keep the app by id.

        With ``tables``, an app using Flask-SQLAlchemy gets its models' tables created, as a
        test suite's conftest does with ``db.create_all()``. With ``probes``, three grader
        routes probe the app's error handling and timing (see ``add_probe_routes``). With
        ``trace``, the answer lists the project's functions the call ran (:mod:`workbook.calls`).
        """
        from flask import Flask

        if self.factory is None:
            self.op_import()
        assert self.factory is not None
        tracing: contextlib.AbstractContextManager[list[dict[str, Any]]] = (
            calls.recorded(self.project) if trace else contextlib.nullcontext([])
        )
        fresh_app_logger(getattr(sys.modules.get("app"), "__name__", "app"))
        with patched_environ(env or {}), dotenv_dir(dotenv), tracing as made:
            app = self.factory() if config is None else self.factory(config)
        clock.install()  # the limiter and cache the app imported count work, not load
        if not isinstance(app, Flask):
            raise TypeError(f"create_app() must return a Flask app, not {type(app).__name__}")
        if probes:
            add_probe_routes(app)
        if tables and "sqlalchemy" in app.extensions:
            shortcuts.create_all(app)
        self.apps[id(app)] = app
        answer = {"app": id(app), "class": type(app).__name__, "import_name": app.import_name}
        return {**answer, "calls": calls.summary(made, app)} if trace else answer

    def op_apps_built_at_import(self) -> int:
        """How many Flask apps importing the ``app`` package built."""
        return self.apps_built_at_import

    def op_classes(self, module: str, attributes: list[str]) -> dict[str, Any]:
        """The classes a learner module defines, with their bases and the named class
        attributes (dotted for nested ones: ``Meta.unknown``) as the running code sees them."""
        found = importlib.import_module(module)
        return {
            name: {
                "mro": [base.__name__ for base in value.__mro__],
                "attributes": {a: jsonable(_dotted(value, a)) for a in attributes},
            }
            for name, value in vars(found).items()
            if isinstance(value, type) and value.__module__ == found.__name__
        }

    def op_request(
        self,
        app: int,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        count_sql: bool = False,
        capture_logs: bool = False,
        remote_addr: str | None = None,
        **body: Any,
    ) -> dict[str, Any]:
        """One HTTP request through Flask's test client; the body travels as base64."""
        flask_app = self._app(app)
        kwargs: dict[str, Any] = {
            "method": method,
            "headers": headers or {},
            "query_string": query or None,
        }
        if remote_addr:
            kwargs["environ_base"] = {"REMOTE_ADDR": remote_addr}
        if "json" in body:
            kwargs["json"] = body["json"]
        elif "data" in body:
            kwargs["data"] = body["data"]
        with (
            counting_sql(flask_app, count_sql) as statements,
            capturing_logs(flask_app, capture_logs) as logs,
        ):
            response = flask_app.test_client().open(path, **kwargs)
        try:
            data = response.get_data()[:MAX_BODY]
            return {
                "status_code": int(response.status_code),
                "headers": [[str(k), str(v)] for k, v in response.headers.items()],
                "body": base64.b64encode(data).decode("ascii"),
                "sql_count": statements[0] if count_sql else None,
                "logs": logs if capture_logs else None,
            }
        finally:
            response.close()

    def op_together(
        self, app: int, requests: list[dict[str, Any]], meet_at: str | None = None
    ) -> list[dict[str, Any]]:
        """Several requests at the same moment, one thread each (``meet_at``: a table whose
        reads they all reach before any goes on, see :func:`meeting_at`); answers in order."""
        flask_app = self._app(app)
        answers: list[dict[str, Any]] = [{} for _ in requests]
        failures: list[BaseException] = []

        def send(index: int) -> None:
            request = {k: v for k, v in requests[index].items() if k != "app"}
            try:
                answers[index] = self.op_request(app, **request)
            except BaseException as exc:  # raised again below, as a lone request's would be
                failures.append(exc)

        with meeting_at(flask_app, meet_at, len(requests)):
            threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if failures:
            raise failures[0]
        return answers

    def op_config(self, app: int, keys: list[str] | None = None) -> dict[str, Any]:
        """Config values (all keys when ``keys`` is None) as plain JSON."""
        config = self._app(app).config
        wanted = list(config) if keys is None else keys
        return {key: jsonable(config[key]) for key in wanted if key in config}

    def op_url_rules(self, app: int) -> list[dict[str, Any]]:
        """Every URL rule: its path, endpoint and methods."""
        return [
            {"rule": rule.rule, "endpoint": rule.endpoint, "methods": sorted(rule.methods or ())}
            for rule in self._app(app).url_map.iter_rules()
        ]

    def op_extensions(self, app: int) -> dict[str, Any]:
        """``app.extensions``: each key with the type and identity of its value."""
        return {
            str(k): {"type": type(v).__name__, "id": id(v)}
            for k, v in self._app(app).extensions.items()
        }

    def op_shell_context(self, app: int) -> list[str]:
        """The names ``flask shell`` would offer."""
        flask_app = self._app(app)
        with flask_app.app_context():  # as `flask shell` runs the processors
            return sorted(str(k) for k in flask_app.make_shell_context())

    def op_cli(self, app: int, args: list[str], input: str | None = None) -> dict[str, Any]:
        """Run a ``flask`` command, plugin commands (``flask db``) included."""
        runner = self._app(app).test_cli_runner()
        with preserved_logging():
            result = runner.invoke(shortcuts.flask_cli(), args=args, input=input)
        error = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            error = describe(result.exception)
        return {
            "exit_code": int(result.exit_code),
            "output": result.output[-MAX_TEXT * 5 :],
            "error": error,
        }

    def op_schema(self, app: int) -> dict[str, Any]:
        """The database schema the app's engine sees: tables, columns, indexes, keys."""
        import sqlalchemy as sa

        flask_app = self._app(app)
        with flask_app.app_context():
            inspector = sa.inspect(flask_app.extensions["sqlalchemy"].engine)
            return {table: _table_schema(inspector, table) for table in inspector.get_table_names()}

    def op_sql(self, app: int, query: str) -> list[Any]:
        """The rows of one SELECT (anything else is refused) as plain JSON."""
        import sqlalchemy as sa

        if not query.lstrip().lower().startswith("select"):
            raise ValueError("only SELECT queries are allowed")
        flask_app = self._app(app)
        with flask_app.app_context():
            session = flask_app.extensions["sqlalchemy"].session
            rows = session.execute(sa.text(query)).all()
            session.rollback()
        return [jsonable(list(row)) for row in rows]

    def op_temp_database(self) -> str:
        """The URL of a new, empty SQLite file database in a private temporary folder."""
        folder = Path(tempfile.mkdtemp(prefix="workbook-db-"))
        self.temp_folders.append(folder)
        return f"sqlite:///{folder / 'grading.sqlite3'}"

    def op_run_tests(
        self,
        reverse: bool = False,
        limit: float = 60.0,
        here: bool = False,
        only: list[str] | None = None,
    ) -> dict[str, Any]:
        """Run the project's own ``tests/`` (stage 08): outcomes by id (see
        :func:`workbook.suiterun.run`)."""
        return suiterun.run(self.project, reverse=reverse, limit=limit, here=here, only=only)

    def op_gunicorn_settings(
        self, env: dict[str, str | None] | None = None, cpus: int | None = None
    ) -> dict[str, Any]:
        """``gunicorn.conf.py`` as Gunicorn reads it, under ``env`` and ``cpus`` CPUs."""
        from workbook import production

        with patched_environ(env or {}):
            return production.gunicorn_settings(self.project, cpus)

    def op_engine_pool(self, app: int) -> dict[str, Any]:
        """The app's engine: its dialect and its pool's options (stage 09)."""
        from workbook import production

        return production.engine_pool(self._app(app))

    def op_project_tools(self, probes: bool = True, limit: float = 0.0) -> dict[str, Any]:
        """The project's ruff and mypy, run with its own pyproject.toml (stage 09; ``limit``
        is the trusted side's patience)."""
        from workbook import production

        return production.project_tools(self.project, probes, self.tool_cache)

    def op_stack_start(
        self, env: dict[str, str], nginx: bool = True, limit: float = 0.0
    ) -> dict[str, Any]:
        """Deploy the project for real (:mod:`workbook.stack`); one stack per worker."""
        if self.stack is not None:
            self.stack.close()
        from workbook.stack import Stack

        self.stack = Stack(self.project)
        return self.stack.start(env, nginx)

    def op_stack(self, action: str, **args: Any) -> Any:
        """One question to the running stack: ``http``, ``processes``, ``log``, ``stop``,
        ``terminate_during``."""
        if self.stack is None:
            raise RuntimeError("no stack is running")
        allowed = {"http", "processes", "log", "stop", "terminate_during"}
        if action not in allowed:
            raise ValueError(f"no stack action {action!r}")
        args.pop("limit", None)  # the trusted side's patience, not an argument
        return getattr(self.stack, action)(**args)

    def op_dispose(self, app: int) -> None:
        """Forget an app the fixtures no longer need."""
        self.apps.pop(app, None)
