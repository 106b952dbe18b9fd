"""The assembled stage-07 reference under real traffic: Gunicorn (2 workers) in production
config on the machine's real PostgreSQL and Redis.

One scenario walks the whole API (register, log in, CRUD, refresh, logout), then sends it
malformed and hostile input and parallel register, refresh and logout. Every answer is
recorded: none may be a 5xx, every error must be the JSON error envelope, and no refresh
token may be spent twice. PostgreSQL and Redis must be reachable: these tests fail, never
skip, when they are not (`python3 run.py test` starts them when they are down).
"""

from __future__ import annotations

import http.client
import json
import random
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import postgres_database
from production_stack import production_stack

API = "/api/v1"
# The audit sends thousands of requests from one address: only the limits it probes stay low.
GENEROUS = {
    "RATELIMIT_DEFAULT": "100000 per minute",
    "REGISTER_LIMIT": "100000 per hour",
    "LOGIN_LIMIT": "100000 per minute",
    "LOGIN_ACCOUNT_LIMIT": "100000 per minute",
}


@dataclass
class Answer:
    """One request and what the app answered."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: Any
    sent: bytes | None = None


@dataclass
class Client:
    """Sends raw requests to the stack and keeps every answer for the audit's verdict."""

    port: int
    answers: list[Answer] = field(default_factory=list)

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request on a new connection; ``raw`` is sent as the body byte for byte."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        sent = {"Content-Type": "application/json", "Connection": "close", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, API + path, body=data, headers=sent)
            response = conn.getresponse()
            content = response.read()
            got = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        is_json = got.get("content-type", "").startswith("application/json")
        parsed = _json(content) if is_json else None
        answer = Answer(
            method, path, response.status, got, content if parsed is None else parsed, data
        )
        self.answers.append(answer)
        return answer

    def account(self, email: str, password: str = "audit-password-1") -> dict[str, str]:
        """Register ``email`` and log in: the token pair."""
        body = {"email": email, "name": "Audit", "password": password}
        assert self.send("POST", "/auth/register", body).status == 201
        login = self.send("POST", "/auth/login", {"email": email, "password": password})
        assert login.status == 200, login.body
        return dict(login.body["data"])


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The production stack on a fresh PostgreSQL database, and a client recording answers."""
    tmp = tmp_path_factory.mktemp("audit")
    with (
        postgres_database() as url,
        production_stack(tmp, extra_env={"DATABASE_URL": url, **GENEROUS}) as port,
    ):
        yield Client(port)


def _problems(answers: list[Answer]) -> list[str]:
    """Every answer that is a 5xx, or an error without the JSON error envelope."""
    bad = []
    for a in answers:
        error = a.body.get("error") if isinstance(a.body, dict) else None
        envelope = isinstance(error, dict) and {"code", "message", "details"} <= set(error)
        if a.status >= 500 or (a.status >= 400 and not envelope):
            sent = (a.sent or b"")[:60]
            bad.append(f"{a.method} {a.path[:80]} {sent!r} -> {a.status} {str(a.body)[:100]}")
    return bad


def _since(client: Client, start: int) -> str:
    """The problems among the answers from ``start`` on, one per line ("" when none)."""
    return "\n".join(_problems(client.answers[start:]))


def test_the_whole_api_answers_a_real_session(client: Client) -> None:
    start = len(client.answers)
    tokens = client.account("walk@example.com")
    access = tokens["access_token"]
    assert client.send("GET", "/auth/me", token=access).status == 200
    project = client.send("POST", "/projects", {"name": "Walk", "tasks": [{"title": "a"}]}, access)
    assert project.status == 201, project.body
    pid = project.body["data"]["id"]
    assert client.send("GET", "/projects", token=access).status == 200
    assert client.send("GET", f"/projects/{pid}", token=access).status == 200
    assert client.send("PUT", f"/projects/{pid}", {"name": "Walked"}, access).status == 200
    task = client.send("POST", "/tasks", {"project_id": pid, "title": "b"}, access)
    assert task.status == 201, task.body
    tid = task.body["data"]["id"]
    assert client.send("GET", f"/tasks?project_id={pid}&status=todo", token=access).status == 200
    assert client.send("PUT", f"/tasks/{tid}", {"status": "done"}, access).status == 200
    stats = client.send("GET", f"/projects/{pid}/stats", token=access)
    assert stats.status == 200 and stats.body["data"]["done"] == 1, stats.body
    assert client.send("DELETE", f"/tasks/{tid}", token=access).status == 204
    refreshed = client.send("POST", "/auth/refresh", token=tokens["refresh_token"])
    assert refreshed.status == 200
    assert client.send("POST", "/auth/refresh", token=tokens["refresh_token"]).status == 401
    pair = refreshed.body["data"]
    logout = client.send(
        "POST", "/auth/logout", {"refresh_token": pair["refresh_token"]}, pair["access_token"]
    )
    assert logout.status == 204
    assert client.send("GET", "/auth/me", token=pair["access_token"]).status == 401
    assert client.send("POST", "/auth/refresh", token=pair["refresh_token"]).status == 401
    assert client.send("DELETE", f"/projects/{pid}", token=access).status == 204
    assert not _since(client, start), _since(client, start)


def test_the_stats_of_a_project_named_in_upper_case_are_never_stale(client: Client) -> None:
    access = client.account("stats@example.com")["access_token"]
    pid = client.send("POST", "/projects", {"name": "Stats"}, access).body["data"]["id"]
    upper = f"/projects/{pid.upper()}/stats"
    assert client.send("GET", upper, token=access).body["data"]["todo"] == 0
    client.send("POST", "/tasks", {"project_id": pid, "title": "new"}, access)
    assert client.send("GET", upper, token=access).body["data"]["todo"] == 1


HOSTILE_TEXT = ["nul\x00byte", "lone \ud800 surrogate", "\udfff", "İ" * 200, "x" * 100_000]


def _hostile_bodies() -> Iterator[bytes]:
    """Bodies no client should send: broken JSON, wrong types, deep nesting, bad text."""
    yield b"{"
    yield b"\xff\xfe not utf-8"
    yield b"[" * 5000 + b"]" * 5000
    yield b'{"a":' * 5000 + b"1" + b"}" * 5000
    yield b'"just a string"'
    yield b"[1, 2]"
    yield b"null"
    yield b"1e999999"
    yield b'{"name": "\\ud800"}'
    yield b'{"name": "\\u0000"}'
    yield b'{"title": "\\udfff\\ud800"}'
    yield b'{"email": "a@b.co", "email": "c@d.co"}'


def _hostile_json() -> Iterator[Any]:
    for text in HOSTILE_TEXT:
        for key in ("name", "description", "title", "email", "password", "status", "due_date"):
            yield {key: text}
        yield {"name": "ok", "tasks": [{"title": text}]}
        yield {"email": f"{text}@example.com", "name": text, "password": text}
    yield {"name": "ok", "tasks": "not a list"}
    yield {"name": "ok", "tasks": [1, None, "x"]}
    yield {"project_id": "not-a-uuid", "title": "t"}
    yield {"refresh_token": "\x00"}


WRITES = [
    ("POST", "/auth/register"),
    ("POST", "/auth/login"),
    ("POST", "/auth/logout"),
    ("POST", "/projects"),
    ("POST", "/tasks"),
    ("PUT", "/projects/{pid}"),
    ("PUT", "/tasks/{tid}"),
    ("PUT", "/users/{uid}"),
]


def test_malformed_and_hostile_input_never_gets_a_5xx(client: Client) -> None:
    start = len(client.answers)
    access = client.account("hostile@example.com")["access_token"]
    uid = client.send("GET", "/auth/me", token=access).body["data"]["id"]
    pid = client.send("POST", "/projects", {"name": "Target"}, access).body["data"]["id"]
    task = client.send("POST", "/tasks", {"project_id": pid, "title": "t"}, access)
    tid = task.body["data"]["id"]
    for method, template in WRITES:
        path = template.format(pid=pid, tid=tid, uid=uid)
        for raw in _hostile_bodies():
            client.send(method, path, raw=raw, token=access)
        for body in _hostile_json():
            client.send(method, path, body, access)
    for query in _hostile_queries(pid):
        for path in ("/projects", "/tasks", f"/projects/{pid}", f"/projects/{pid}/stats"):
            client.send("GET", path + query, token=access)
    assert not _since(client, start), _since(client, start)


def _hostile_queries(pid: str) -> list[str]:
    huge = "9223372036854775808"
    return [
        f"?page={huge}",
        f"?page={huge}&per_page={huge}",
        "?page=-1&per_page=-5",
        "?page=0",
        "?page=abc&per_page=1.5",
        "?page=922337203685477580",
        "?status=%00",
        "?status=%ED%A0%80",
        "?project_id=%00",
        "?project_id=not-a-uuid",
        f"?project_id={pid.upper()}",
        "?" + "&".join(f"p{n}={n}" for n in range(300)),
    ]


def test_a_body_over_the_size_limit_is_refused_in_the_envelope(client: Client) -> None:
    """A 30 MB body is announced and its first bytes sent: the app answers 413 without
    reading the rest, and stores nothing."""
    access = client.account("big@example.com")["access_token"]
    status, body = _announce_big_body(client.port, "/projects", access, 30_000_000)
    assert status == 413, status
    error = json.loads(body).get("error", {})
    assert {"code", "message", "details"} <= set(error), body[:200]
    listed = client.send("GET", "/projects", token=access).body["data"]
    assert listed == [], "a refused body was stored"


def _announce_big_body(port: int, path: str, token: str, size: int) -> tuple[int, bytes]:
    """Send the head of a request with a ``size``-byte JSON body and its first kilobyte;
    return the status and body of the answer."""
    head = (
        f"POST {API}{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode() + b'{"name": "big", "description": "' + b"x" * 1024)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def test_an_address_that_grows_past_its_column_when_lower_cased_is_refused(client: Client) -> None:
    """``"İ".lower()`` is two characters: the length is checked on what is stored."""
    email = "İ" * 120 + "@" + "b" * 120 + ".com"
    assert len(email) <= 255 < len(email.lower())
    body = {"email": email, "name": "I", "password": "p" * 9}
    answer = client.send("POST", "/auth/register", body)
    assert answer.status in (201, 422), answer.body
    assert _problems([answer]) == []


def test_hypothesis_style_fuzz_of_every_write_never_gets_a_5xx(client: Client) -> None:
    """Random JSON (seeded, so a failure reproduces) at every write endpoint."""
    start = len(client.answers)
    access = client.account("fuzz@example.com")["access_token"]
    pid = client.send("POST", "/projects", {"name": "Fuzz"}, access).body["data"]["id"]
    rng = random.Random(20261203)
    keys = [
        "name",
        "description",
        "title",
        "status",
        "due_date",
        "start_date",
        "project_id",
        "tasks",
        "email",
        "password",
        "refresh_token",
    ]
    for _ in range(400):
        body = {rng.choice(keys): _random_value(rng, 3) for _ in range(rng.randint(0, 4))}
        method, template = rng.choice(WRITES[:5] + [("PUT", "/projects/{pid}")])
        client.send(method, template.format(pid=pid), body, access)
    assert not _since(client, start), _since(client, start)


def _random_value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(9 if depth else 6)
    atoms: list[Any] = [
        None,
        rng.choice([True, False]),
        rng.randint(-(2**70), 2**70),
        rng.uniform(-1e300, 1e300),
        "".join(
            chr(rng.choice([0, 0xD800, 0x130, 0x10FFFF, rng.randrange(32, 0x3000)]))
            for _ in range(rng.randint(0, 20))
        ),
        rng.choice(["todo", "done", "2026-01-01", "2026-02-30", pid_like(rng), ""]),
    ]
    if kind < 6:
        return atoms[kind]
    if kind < 8:
        return [_random_value(rng, depth - 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["title", "x", "status"]): _random_value(rng, depth - 1)}


def pid_like(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _parallel(count: int, job: Any) -> list[Any]:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(job, range(count)))


def test_registering_one_email_in_parallel_creates_one_account_and_answers_409(
    client: Client,
) -> None:
    start = len(client.answers)
    for round_ in range(5):
        body = {"email": f"twin{round_}@example.com", "name": "Twin", "password": "twin-pass-1"}
        statuses = _parallel(8, lambda _, b=body: client.send("POST", "/auth/register", b).status)
        assert sorted(statuses) == [201] + [409] * 7, statuses
    assert not _since(client, start), _since(client, start)


def test_a_refresh_token_spent_in_parallel_issues_exactly_one_pair(client: Client) -> None:
    start = len(client.answers)
    for round_ in range(10):
        refresh = client.account(f"race{round_}@example.com")["refresh_token"]
        answers = _parallel(6, lambda _, r=refresh: client.send("POST", "/auth/refresh", token=r))
        assert sorted(a.status for a in answers) == [200] + [401] * 5, [a.status for a in answers]
    assert not _since(client, start), _since(client, start)


def test_logout_and_refresh_racing_on_one_token_never_leave_it_usable(client: Client) -> None:
    start = len(client.answers)
    for round_ in range(10):
        pair = client.account(f"both{round_}@example.com")
        body = {"refresh_token": pair["refresh_token"]}

        def job(n: int, pair: dict[str, str] = pair, body: dict[str, str] = body) -> Answer:
            if n % 2:
                return client.send("POST", "/auth/refresh", token=pair["refresh_token"])
            return client.send("POST", "/auth/logout", body, pair["access_token"])

        answers = _parallel(6, job)
        assert [a.status for a in answers].count(200) <= 1, [a.status for a in answers]
        again = client.send("POST", "/auth/refresh", token=pair["refresh_token"])
        assert again.status == 401, "the refresh token was still usable after logout"
    assert not _since(client, start), _since(client, start)


def test_a_logout_with_a_bad_refresh_token_keeps_the_session(client: Client) -> None:
    pair = client.account("keep@example.com")
    bad = client.send("POST", "/auth/logout", {"refresh_token": "junk"}, pair["access_token"])
    assert bad.status == 422, bad.body
    assert client.send("GET", "/auth/me", token=pair["access_token"]).status == 200


def test_a_429_from_the_default_limit_echoes_the_clients_request_id(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Flask-Limiter's hook runs before the app's own: the id must be assigned first."""
    tmp = tmp_path_factory.mktemp("limited")
    with production_stack(tmp, extra_env={"RATELIMIT_DEFAULT": "2 per minute"}) as port:
        client = Client(port)
        answers = [
            client.send("GET", "/health", headers={"X-Request-ID": f"edge-{n:08d}"})
            for n in range(4)
        ]
    # The stack's own start-up probe spent one of the two.
    assert [a.status for a in answers][-2:] == [429, 429], [a.status for a in answers]
    echoed = [a.headers.get("x-request-id") for a in answers]
    assert echoed == [f"edge-{n:08d}" for n in range(4)], echoed
    assert _problems(answers) == []
