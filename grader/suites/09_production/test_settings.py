"""Stage 09, tasks 1-4: the project's own checks, pool settings, the production app and
Gunicorn's settings, inspected in the worker (no server started)."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from workbook.client import PRODUCTION_ENV, AppFactory, Source
from workbook.transport import GradingProblem, LearnerError

# A PostgreSQL nobody listens on: the engine is made, and any connection is refused at once.
CLOSED_POSTGRES = "postgresql+psycopg://grader@127.0.0.1:1/taskboard"
CLOSED_REDIS = "redis://127.0.0.1:1/0"
PROBE_FOLDERS = ("app", "migrations", "tests")
# mypy plugins that are packages the app depends on (anything else would be project code
# running inside the checker that is being graded).
KNOWN_PLUGINS = {"pydantic.mypy", "sqlalchemy.ext.mypy.plugin"}


def _production(make_app: AppFactory, **env: str | None) -> Any:
    """A production app; on the closed PostgreSQL no tables are made (nothing connects)."""
    tables = env.get("DATABASE_URL") != CLOSED_POSTGRES
    return make_app("production", env={**PRODUCTION_ENV, **env}, dotenv="", tables=tables)


# -- task 1: ruff, ruff format and mypy with the project's own pyproject.toml ------------


@pytest.fixture(scope="module")
def tools(workbook_backend: Any, source: Source) -> dict[str, Any]:
    """The three tools, run once for this module, on the project and on a probed copy."""
    try:
        settings = tomllib.loads(source.text("pyproject.toml"))
    except tomllib.TOMLDecodeError as exc:
        raise GradingProblem(f"pyproject.toml is not valid TOML ({exc})") from None
    plugins = settings.get("tool", {}).get("mypy", {}).get("plugins", [])
    plugins = [plugins] if isinstance(plugins, str) else list(plugins)
    unknown = [str(p) for p in plugins if str(p).strip() not in KNOWN_PLUGINS]
    if unknown:
        raise GradingProblem(
            f"mypy plugins other than {', '.join(sorted(KNOWN_PLUGINS))} are not graded: "
            "a plugin is code that runs inside the checker"
        )
    return AppFactory(workbook_backend).project_tools()


def _problems(run: dict[str, Any]) -> str:
    lines = [line for line in run["lines"] if line.strip()][:3]
    return "; ".join(lines)[:300] or "no output"


def _mentions(run: dict[str, Any], folder: str, probe: str, *codes: str) -> bool:
    """Whether a tool's output names ``folder/probe`` on a line with each of ``codes``."""
    path = f"{folder}/{probe}"
    lines = [line.replace("\\", "/") for line in run["lines"] if path in line.replace("\\", "/")]
    return bool(lines) and all(any(code in line for line in lines) for code in codes)


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_the_project_passes_its_own_ruff_format_and_mypy(tools: dict[str, Any]) -> None:
    """`ruff check`, `ruff format --check` and `mypy`, run in the project folder with its own
    pyproject.toml, must all pass on the whole project, and ruff format must cover app/,
    migrations/ and tests/ (a file there it would reformat is reported)."""
    clean, probed = tools["clean"], tools["probed"]
    for name, label in (("ruff", "ruff check"), ("format", "ruff format --check")):
        assert clean[name]["code"] == 0, f"{label} fails: {_problems(clean[name])}"
    assert clean["mypy"]["code"] == 0, f"mypy fails: {_problems(clean['mypy'])}"
    missed = [f for f in PROBE_FOLDERS if not _mentions(probed["format"], f, tools["probe"])]
    assert not missed, f"ruff format does not check {missed[0]}/"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_ruff_lints_every_folder_and_sorts_imports(tools: dict[str, Any]) -> None:
    """ruff, passing on the project, must lint app/, migrations/ and tests/ with at least its
    default rules (an unused import, F401, is reported everywhere) plus import sorting (I001)."""
    clean = tools["clean"]["ruff"]
    assert clean["code"] == 0, f"ruff check fails: {_problems(clean)}"
    probed, probe = tools["probed"]["ruff"], tools["probe"]
    missed = [f for f in PROBE_FOLDERS if not _mentions(probed, f, probe, "F401")]
    assert not missed, f"ruff does not report an unused import in {missed[0]}/"
    assert _mentions(probed, "app", probe, "I001"), "ruff does not check import order (I)"


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_mypy_checks_every_folder_and_requires_annotations(tools: dict[str, Any]) -> None:
    """mypy (no arguments: the config's `files`) must check app/, migrations/ and tests/, and
    in app/ refuse a function without type hints (`disallow_untyped_defs` or `strict`)."""
    probed, probe = tools["probed"]["mypy"], tools["probe"]
    missed = [f for f in PROBE_FOLDERS if not _mentions(probed, f, probe, "error")]
    assert not missed, f"mypy does not check {missed[0]}/ (a wrong type there goes unseen)"
    assert _mentions(probed, "app", probe, "no-untyped-def"), (
        "mypy accepts a function without type hints in app/"
    )


# -- task 2: the engine's pool in production ---------------------------------------------


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_production_engine_gets_the_pool_settings_from_the_environment(
    make_app: AppFactory,
) -> None:
    """With DATABASE_URL on PostgreSQL, SQLALCHEMY_POOL_SIZE=7, SQLALCHEMY_MAX_OVERFLOW=3 and
    SQLALCHEMY_POOL_RECYCLE=600 must reach the engine's pool, with pre-ping on."""
    app = _production(
        make_app,
        DATABASE_URL=CLOSED_POSTGRES,
        SQLALCHEMY_POOL_SIZE="7",
        SQLALCHEMY_MAX_OVERFLOW="3",
        SQLALCHEMY_POOL_RECYCLE="600",
    )
    pool = app.engine_pool()
    assert pool["dialect"] == "postgresql", f"the engine's dialect is {pool['dialect']!r}"
    got = {k: pool[k] for k in ("size", "max_overflow", "recycle", "pre_ping")}
    assert got == {"size": 7, "max_overflow": 3, "recycle": 600, "pre_ping": True}, (
        f"the pool has {got}"
    )


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_pool_settings_have_the_readme_defaults(make_app: AppFactory) -> None:
    """Unset, the pool is 10 connections plus 20 overflow, recycled after 1800 s, pre-pinged."""
    pool = _production(make_app, DATABASE_URL=CLOSED_POSTGRES).engine_pool()
    got = {k: pool[k] for k in ("size", "max_overflow", "recycle", "pre_ping")}
    assert got == {"size": 10, "max_overflow": 20, "recycle": 1800, "pre_ping": True}, (
        f"the default pool has {got}"
    )


BAD_POOL = [
    ("SQLALCHEMY_POOL_SIZE", "0"),
    ("SQLALCHEMY_POOL_SIZE", "many"),
    ("SQLALCHEMY_MAX_OVERFLOW", "-1"),
    ("SQLALCHEMY_POOL_RECYCLE", "0"),
]


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_a_bad_pool_setting_is_a_config_error_naming_it(make_app: AppFactory) -> None:
    """A pool size below 1, an overflow below 0, a recycle below 1 s or a value that is no
    number must raise ConfigError naming the setting."""
    for name, value in BAD_POOL:
        with pytest.raises(LearnerError) as caught:
            _production(make_app, DATABASE_URL=CLOSED_POSTGRES, **{name: value})
        assert caught.value.is_a("ConfigError"), (
            f"{name}={value} raised {caught.value.info['type']!r}, not ConfigError"
        )
        assert name in str(caught.value), f"the ConfigError for {name}={value} does not name it"


# -- task 3: the production app ----------------------------------------------------------


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_production_has_no_static_route(make_app: AppFactory) -> None:
    """In production Nginx serves /static/: the app must register no static route."""
    rules = [r["rule"] for r in _production(make_app).url_rules()]
    static = [r for r in rules if r.startswith("/static")]
    assert not static, f"the production app still serves {static[0]}"


def _login(client: Any, number: int, forwarded: str) -> Any:
    body = {"email": f"proxy{number}@example.com", "password": "not-the-password-1"}
    return client.post("/api/v1/auth/login", json=body, headers={"X-Forwarded-For": forwarded})


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_production_takes_the_client_address_from_the_one_proxy(make_app: AppFactory) -> None:
    """Behind Nginx every request comes from 127.0.0.1: production must read the client's
    address from the last X-Forwarded-For entry (one trusted proxy), so the login limit
    (10 per minute) counts per client, and an entry a client adds itself changes nothing."""
    client = _production(make_app).client(login=False)
    for number in range(10):
        forwarded = "203.0.113.7" if number % 2 else "198.51.100.1, 203.0.113.7"
        answer = _login(client, number, forwarded)
        assert answer.status_code == 401, f"attempt {number + 1}: {answer} (expected 401)"
    limited = _login(client, 10, "192.0.2.99, 203.0.113.7")
    assert limited.status_code == 429, (
        f"the 11th login of one client (with an X-Forwarded-For entry of its own) "
        f"answered {limited.status_code}, not 429"
    )
    other = _login(client, 11, "203.0.113.8")
    assert other.status_code == 401, (
        f"another client behind the same proxy was limited too ({other.status_code}): the "
        "app does not read X-Forwarded-For"
    )


def _not_ready(answer: Any, down: str) -> None:
    assert answer.status_code == 503, f"{answer} with {down} down (expected 503)"
    error = (answer.get_json() or {}).get("error")
    assert isinstance(error, dict) and error.get("code"), "the 503 is not in the error envelope"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_readiness_is_503_when_the_database_is_down(make_app: AppFactory) -> None:
    """GET /api/v1/ready must answer 503 in the error envelope when the database refuses
    connections (never a 500), while liveness, GET /api/v1/health, still answers 200."""
    app = _production(make_app, DATABASE_URL=CLOSED_POSTGRES)
    client = app.client(login=False)
    _not_ready(client.get("/api/v1/ready"), "the database")
    alive = client.get("/api/v1/health")
    assert alive.status_code == 200, f"{alive} with the database down (liveness expects 200)"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_readiness_is_503_when_redis_is_down(make_app: AppFactory) -> None:
    """GET /api/v1/ready must answer 503 in the error envelope when Redis (REDIS_URL) does not
    answer, even though the database does."""
    url = make_app.temp_database()
    app = _production(make_app, DATABASE_URL=url, REDIS_URL=CLOSED_REDIS)
    _not_ready(app.client(login=False).get("/api/v1/ready"), "Redis")


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_readiness_is_200_when_the_database_answers(make_app: AppFactory) -> None:
    """In testing (no Redis configured) GET /api/v1/ready answers 200 with a `data` envelope."""
    answer = make_app("testing").client(login=False).get("/api/v1/ready")
    assert answer.status_code == 200, f"{answer} (expected 200)"
    assert "data" in (answer.get_json() or {}), "the 200 is not in the data envelope"


# -- task 4: gunicorn.conf.py as Gunicorn reads it ---------------------------------------


def _settings(make_app: AppFactory, cpus: int | None = None, **env: str | None) -> Any:
    unset: dict[str, str | None] = {
        "WEB_CONCURRENCY": None,
        "GUNICORN_WORKER_CLASS": None,
        "PORT": None,
        "GRACEFUL_TIMEOUT": None,
    }
    return make_app.gunicorn_settings(env={**unset, **env}, cpus=cpus)


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_workers_follow_the_cpu_count(make_app: AppFactory) -> None:
    """Without WEB_CONCURRENCY, `workers` is the CPU count (what `nproc` prints): 3 on a
    3-CPU machine, 5 on a 5-CPU one."""
    for cpus in (3, 5):
        workers = _settings(make_app, cpus=cpus)["workers"]
        assert workers == cpus, f"on a {cpus}-CPU machine, workers is {workers}"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_web_concurrency_sets_the_worker_count(make_app: AppFactory) -> None:
    """WEB_CONCURRENCY=7 gives 7 workers, whatever the CPU count."""
    workers = _settings(make_app, cpus=2, WEB_CONCURRENCY="7")["workers"]
    assert workers == 7, f"with WEB_CONCURRENCY=7, workers is {workers}"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_worker_class_comes_from_the_environment(make_app: AppFactory) -> None:
    """GUNICORN_WORKER_CLASS chooses the worker class: `sync` when unset, `gevent` when set to
    gevent."""
    default = _settings(make_app, cpus=2)["worker_class"]
    assert default.split(".")[-1].lower() in ("sync", "syncworker"), f"unset: {default!r}"
    chosen = _settings(make_app, cpus=2, GUNICORN_WORKER_CLASS="gevent")["worker_class"]
    assert "gevent" in chosen.lower(), f"GUNICORN_WORKER_CLASS=gevent gives {chosen!r}"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_bind_takes_its_port_from_port(make_app: AppFactory) -> None:
    """Gunicorn binds port PORT (8000 when unset)."""
    for env, port in (({}, "8000"), ({"PORT": "8123"}, "8123")):
        bind = _settings(make_app, cpus=2, **env)["bind"]
        assert len(bind) == 1 and re.fullmatch(rf".*:{port}", bind[0]), (
            f"with PORT={env.get('PORT', 'unset')}, bind is {bind}"
        )


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_graceful_timeout_and_access_log_settings(make_app: AppFactory) -> None:
    """graceful_timeout is 30 s unless GRACEFUL_TIMEOUT says otherwise, and the access log
    goes to stdout (`accesslog = "-"`)."""
    settings = _settings(make_app, cpus=2)
    assert settings["graceful_timeout"] == 30, f"graceful_timeout is {settings['graceful_timeout']}"
    assert settings["accesslog"] == "-", f"accesslog is {settings['accesslog']!r}, not '-'"
    longer = _settings(make_app, cpus=2, GRACEFUL_TIMEOUT="45")["graceful_timeout"]
    assert longer == 45, f"with GRACEFUL_TIMEOUT=45, graceful_timeout is {longer}"
