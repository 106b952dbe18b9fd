"""What the hidden tests hold: plain-data views of the learner's app, built on a Backend.

Nothing here imports learner code; every value is rebuilt from JSON on the trusted side.
"""

from __future__ import annotations

import ast
import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from json import dumps as _dumps
from pathlib import Path
from typing import Any

from workbook import leaks
from workbook.transport import Backend, GradingProblem, LearnerError, request_label


def _learner_error(answer: dict[str, Any], doing: str) -> LearnerError:
    info = answer["error"]
    given = leaks.GIVEN if info.get("given") is True else ""
    where = f" at {info['where']}{given}" if info.get("where") else ""
    message = f"{doing} raised {info['type']}{where}: {info['message']}".rstrip(": ")
    shown = f"{doing} raised {info['shown']}" if "shown" in info else message
    return LearnerError(message[:600], info, shown[:600])


def _result(answer: dict[str, Any], doing: str) -> Any:
    if not answer.get("ok"):
        raise _learner_error(answer, doing)
    return answer.get("result")


def _decode(value: Any) -> Any:
    """Rebuild tagged values (timedelta) from the worker's JSON."""
    if isinstance(value, dict):
        if value.get("$type") == "timedelta":
            return dt.timedelta(seconds=float(value["seconds"]))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


@dataclass(frozen=True)
class Response:
    """An HTTP answer, shaped like Flask's test response."""

    status_code: int
    headers: dict[str, str]
    data: bytes
    label: str = ""
    sql_count: int | None = None
    logs: list[dict[str, Any]] | None = None
    redacted: bool = False  # graded: strings in the body are excerpted in reprs

    @property
    def mimetype(self) -> str:
        """The Content-Type without parameters."""
        return self.headers.get("Content-Type", "").split(";")[0].strip()

    @property
    def text(self) -> str:
        """The body as text."""
        text = self.data.decode("utf-8", errors="replace")
        return leaks.Shown(text) if self.redacted else text

    def get_json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON."""
        try:
            data = json.loads(self.data)
        except ValueError:
            return None
        return leaks.shown(data) if self.redacted else data

    def __str__(self) -> str:
        return f"{self.label} answered {self.status_code}"


@dataclass
class Client:
    """``client.get/post/put/patch/delete(path, json=..., headers=..., query_string=...)``."""

    backend: Backend
    app_id: int
    headers: dict[str, str] = field(default_factory=dict)

    def open(self, method: str, path: str, **kwargs: Any) -> Response:
        """Send one request to the learner's app (this client's headers first, then yours)."""
        label = request_label(method, path)
        raw = _result(self.backend.call("request", **self._request(method, path, kwargs)), label)
        return self._response(raw, label)

    def together(
        self, requests: list[tuple[str, str, dict[str, Any]]], meet_at: str | None = None
    ) -> list[Response]:
        """Send ``(method, path, kwargs)`` requests at the same moment, a thread each; with
        ``meet_at`` (a table), each waits at its reads of that table until all have reached
        one, so a check-then-write race is lost every time, not by chance."""
        sent = [self._request(method, path, kwargs) for method, path, kwargs in requests]
        label = " and ".join(request_label(method, path) for method, path, _ in requests)
        answers = _result(
            self.backend.call("together", app=self.app_id, requests=sent, meet_at=meet_at), label
        )
        return [
            self._response(raw, request_label(m, p))
            for raw, (m, p, _) in zip(answers, requests, strict=False)
        ]

    def _request(self, method: str, path: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = {
            "app": self.app_id,
            "method": method,
            "path": path,
            "headers": {**self.headers, **(kwargs.get("headers") or {})},
            "query": kwargs.get("query_string"),
        }
        for key in ("json", "data", "count_sql", "capture_logs", "remote_addr"):
            if key in kwargs:
                request[key] = kwargs[key]
        return request

    def _response(self, raw: dict[str, Any], label: str) -> Response:
        headers = {k: v for k, v in raw["headers"]}
        body = base64.b64decode(raw["body"])
        return Response(
            int(raw["status_code"]),
            headers,
            body,
            label,
            raw.get("sql_count"),
            raw.get("logs"),
            self.backend.redacts,
        )

    def get(self, path: str, **kwargs: Any) -> Response:
        """GET ``path``."""
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        """POST ``path``."""
        return self.open("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Response:
        """PUT ``path``."""
        return self.open("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Response:
        """PATCH ``path``."""
        return self.open("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        """DELETE ``path``."""
        return self.open("DELETE", path, **kwargs)


@dataclass(frozen=True)
class CliResult:
    """What a ``flask`` command did: its exit code and output."""

    exit_code: int
    output: str
    error: dict[str, Any] | None
    label: str = ""

    def __str__(self) -> str:
        error = self.error or {}
        why = f": {error.get('shown') or error['type'] + ': ' + error['message']}" if error else ""
        return f"{self.label} exited {self.exit_code}{why}"[:400]


@dataclass
class AppHandle:
    """One app the learner's ``create_app`` built, living in the worker."""

    backend: Backend
    app_id: int
    info: dict[str, Any] = field(default_factory=dict)
    login: bool = False

    def client(self, login: bool | None = None) -> Client:
        """A test client; from the first stage with auth on, logged in as a fresh grader user
        unless ``login=False``."""
        client = Client(self.backend, self.app_id)
        if self.login if login is None else login:
            client.headers["Authorization"] = f"Bearer {login_new_user(client)['access_token']}"
        return client

    def config(self, *keys: str) -> dict[str, Any]:
        """Config values (all of them when no key is named)."""
        answer = self.backend.call("config", app=self.app_id, keys=list(keys) if keys else None)
        return dict(_decode(_result(answer, "reading app.config")))

    def classes(self, module: str, *attributes: str) -> dict[str, dict[str, Any]]:
        """The classes ``module`` defines: ``{name: {"mro", "attributes"}}``, the named class
        attributes as the running code sees them."""
        answer = self.backend.call("classes", module=module, attributes=list(attributes))
        return dict(_result(answer, f"importing {module}"))

    def url_rules(self) -> list[dict[str, Any]]:
        """Every URL rule as ``{"rule", "endpoint", "methods"}``."""
        return list(_result(self.backend.call("url_rules", app=self.app_id), "listing URL rules"))

    def extensions(self) -> dict[str, dict[str, Any]]:
        """``app.extensions`` as ``{name: {"type", "id"}}``."""
        return dict(_result(self.backend.call("extensions", app=self.app_id), "app.extensions"))

    def shell_context(self) -> list[str]:
        """The names ``flask shell`` offers."""
        return list(_result(self.backend.call("shell_context", app=self.app_id), "flask shell"))

    def sql(self, query: str) -> list[list[Any]]:
        """The rows of one read-only SELECT against the app's database."""
        rows = _result(
            self.backend.call("sql", app=self.app_id, query=query), "reading the database"
        )
        return [list(row) for row in rows]

    def schema(self) -> dict[str, Any]:
        """The database schema: ``{table: {"columns", "primary_key", "indexes", ...}}``."""
        return dict(
            _result(self.backend.call("schema", app=self.app_id), "inspecting the database")
        )

    def engine_pool(self) -> dict[str, Any]:
        """The engine's ``dialect`` and its pool: ``pool`` (class), ``size``,
        ``max_overflow``, ``recycle``, ``pre_ping``."""
        answer = self.backend.call("engine_pool", app=self.app_id)
        return dict(_result(answer, "reading the database engine"))

    def cli(self, *args: str, input: str | None = None) -> CliResult:
        """Run ``flask <args>`` against this app."""
        doing = "flask " + " ".join(args)
        raw = _result(
            self.backend.call("cli", app=self.app_id, args=list(args), input=input), doing
        )
        return CliResult(int(raw["exit_code"]), str(raw["output"]), raw.get("error"), doing)


@dataclass
class AppFactory:
    """``make_app(config, env=..., dotenv=...)``: call the learner's ``create_app``."""

    backend: Backend
    login: bool = False
    made: list[AppHandle] = field(default_factory=list)

    def __call__(
        self,
        config: str | None = "testing",
        env: dict[str, str | None] | None = None,
        dotenv: str | None = None,
        tables: bool = True,
        probes: bool = False,
        trace: bool = False,
    ) -> AppHandle:
        """``trace``: ``handle.info["calls"]`` lists the project's functions the call ran, each
        ``{"name", "file", "takes_app"}`` (given the app it returned as first argument)."""
        doing = "create_app()" if config is None else f"create_app({config!r})"
        answer = self.backend.call(
            "create_app",
            config=config,
            env=env or {},
            dotenv=dotenv,
            tables=tables,
            probes=probes,
            trace=trace,
        )
        raw = _result(answer, doing)
        handle = AppHandle(self.backend, int(raw["app"]), raw, self.login)
        self.made.append(handle)
        return handle

    def apps_built_at_import(self) -> int:
        """How many Flask apps importing the ``app`` package built."""
        return int(_result(self.backend.call("apps_built_at_import"), "importing app"))

    def temp_database(self) -> str:
        """A URL for a new, empty SQLite file database the app can create tables in."""
        return str(_result(self.backend.call("temp_database"), "making a database"))

    def gunicorn_settings(
        self, env: dict[str, str | None] | None = None, cpus: int | None = None
    ) -> dict[str, Any]:
        """``gunicorn.conf.py`` as Gunicorn loads it, under ``env`` on a machine of ``cpus``
        CPUs: ``workers``, ``worker_class``, ``bind``, ``accesslog``, ``graceful_timeout``."""
        answer = self.backend.call("gunicorn_settings", env=env or {}, cpus=cpus)
        return dict(_result(answer, "loading gunicorn.conf.py"))

    def project_tools(self, probes: bool = True) -> dict[str, Any]:
        """The project's ruff check, ruff format and mypy, each ``{"code", "lines"}``, on
        the project as it is (``clean``) and, with ``probes``, with probe files added
        (``probed``)."""
        answer = self.backend.call("project_tools", probes=probes, limit=600)
        return dict(_result(answer, "running ruff and mypy"))

    def live_stack(self, env: dict[str, str], nginx: bool = True) -> LiveStack:
        """Deploy the project for real (Redis, PostgreSQL, migrations, Gunicorn, Nginx)."""
        answer = self.backend.call("stack_start", env=env, nginx=nginx, limit=240)
        return LiveStack(self.backend, dict(_result(answer, "deploying your project")))

    def dispose(self) -> None:
        """Let the worker forget the apps this test made."""
        for handle in self.made:
            try:
                self.backend.call("dispose", app=handle.app_id)
            except GradingProblem:
                break


@dataclass
class LiveStack:
    """The project deployed in the worker: Gunicorn on ``ports["gunicorn"]``, Nginx on
    ``ports["nginx"]`` (``info["nginx_problem"]`` says why not, when it is not running)."""

    backend: Backend
    info: dict[str, Any]

    def _ask(self, action: str, doing: str, **args: Any) -> Any:
        return _result(self.backend.call("stack", action=action, **args), doing)

    def request(
        self,
        method: str,
        path: str,
        via: str = "gunicorn",
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One request to Gunicorn or Nginx (``via``); status 0 when nothing answered."""
        label = f"{request_label(method, path)} through {via.capitalize()}"
        sent = dict(headers or {})
        body = None
        if json is not None:
            body = _dumps(json)
            sent["Content-Type"] = "application/json"
        raw = self._ask(
            "http", label, port=self.info["ports"][via], method=method, path=path,
            headers=sent, body=body,
        )  # fmt: skip
        headers_in = {k: v for k, v in raw["headers"]}
        data = base64.b64decode(raw["body"])
        return Response(int(raw["status_code"]), headers_in, data, label, None, None, True)

    def processes(self) -> list[dict[str, Any]]:
        """The processes of the deployment: ``pid``, ``ppid``, ``argv``."""
        return list(self._ask("processes", "listing processes"))

    def log(self, name: str) -> list[str]:
        """The last lines of ``gunicorn`` (its stdout), ``gunicorn.err``, ``nginx``..."""
        return [str(line) for line in self._ask("log", f"reading the {name} log", name=name)]

    def stop(self, service: str) -> None:
        """Kill one service (``redis``, ``postgres``) as an outage would."""
        self._ask("stop", f"stopping {service}", name=service)

    def terminate_during(
        self, path: str, delay: float, wait: float, via: str = "gunicorn"
    ) -> dict[str, Any]:
        """SIGTERM Gunicorn ``delay`` s into ``GET path`` sent ``via`` Gunicorn or Nginx:
        ``answer`` (``status_code``...), ``exit_code`` and ``seconds`` it took to exit."""
        doing = f"SIGTERM during GET {path}"
        answer = self._ask(
            "terminate_during", doing, port=self.info["ports"][via], path=path, delay=delay,
            wait=wait, limit=2 * wait + delay,
        )  # fmt: skip
        return dict(answer)


# Everything a production app of any stage needs. Stages add required settings (03 a
# database, 05 a JWT key, 07 Redis); a stage ignores the ones it does not know yet. Redis
# points at a closed port: the limiter falls back to memory on machines without Redis.
PRODUCTION_ENV: dict[str, str | None] = {
    "SECRET_KEY": "s" * 40,
    "DATABASE_URL": "sqlite://",
    "JWT_SECRET_KEY": "j" * 40,
    "REDIS_URL": "redis://127.0.0.1:1/0",
}

_GRADER_USERS = iter(range(1, 10**9))
GRADER_PASSWORD = "grader-password-1"


def login_new_user(client: Client, name: str = "Grader") -> dict[str, Any]:
    """Register a fresh user and log in (stage 05's interface); return the login data
    (``access_token``, ``refresh_token``) plus ``email``."""
    email = f"grader{next(_GRADER_USERS)}@example.com"
    account = {"email": email, "name": name, "password": GRADER_PASSWORD}
    registered = client.post("/api/v1/auth/register", json=account)
    if registered.status_code != 201:
        raise GradingProblem(f"could not register a user: {registered} (expected 201)")
    login = client.post("/api/v1/auth/login", json={"email": email, "password": GRADER_PASSWORD})
    data = (login.get_json() or {}).get("data") if login.status_code == 200 else None
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        raise GradingProblem(f"could not log in: {login} (expected 200 with data.access_token)")
    return {**data, "email": email, "user": (registered.get_json() or {}).get("data", {})}


@dataclass
class Source:
    """The submission's files, read and parsed on the trusted side (never executed)."""

    root: Path

    def exists(self, relative: str) -> bool:
        """Whether the project has this file."""
        return (self.root / relative).is_file()

    def text(self, relative: str) -> str:
        """A file's text; a missing or unreadable file is a GradingProblem."""
        path = self.root / relative
        if not path.is_file():
            raise GradingProblem(f"expected a file {relative} in your project")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise GradingProblem(f"{relative} is not UTF-8 text") from None

    def tree(self, relative: str) -> ast.Module:
        """A file parsed as a Python AST."""
        try:
            return ast.parse(self.text(relative), filename=relative)
        except SyntaxError as exc:
            raise GradingProblem(f"{relative}:{exc.lineno}: {exc.msg}") from None

    def glob(self, pattern: str) -> list[str]:
        """Relative paths of the files matching ``pattern``, sorted."""
        return sorted(str(p.relative_to(self.root)) for p in self.root.glob(pattern) if p.is_file())
