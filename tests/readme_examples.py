"""Run a stage README's ``http`` examples against a project; print the mismatches as JSON.

``python readme_examples.py README.md STAGE_NUMBER`` in the project's folder. Each block is
one or more exchanges: a request (``METHOD /path``, headers, a JSON body), a blank line, the
answer (``NNN Reason``, headers, a JSON body). A fresh ``create_app("testing")`` serves each
block. An HTML comment right before a block says what the example takes as given:

    <!-- example given: a project; 7 projects; a task; tasks todo=2 doing=1 done=4;
         10 failed logins; a crashing route -->

Ada (``ada@example.com``) is registered (and logged in, from the auth stage on) before any
request but her own registration. In a request, ``<id>`` is the last project or task made
for the path, ``<a user id>`` Ada's id, ``<refresh token>`` her refresh token, and
``"project_id": "..."`` the last project. In an answer, ``"..."`` and ``<...>`` match any
value, a string with ``...`` in it matches any string that starts and ends the same way, and
``[...N things...]`` any list of N items; every object must have exactly the keys shown.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ADA = {"email": "ada@example.com", "name": "Ada", "password": "correct horse 42"}
AUTH_STAGE = 5
BLOCK = re.compile(r"(?:<!-- example given: (?P<given>.*?) -->\s*)?```http\n(?P<body>.*?)```", re.S)
REQUEST = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/\S*)$")
ANSWER = re.compile(r"^(\d{3}) [A-Za-z' -]+?(?:\s{2,}(\{.*))?$")
SETUP = ("a crashing route",)  # givens that change the app: made before its first request
LIST = re.compile(r"\[\.\.\.(\d+) [^\]]*?\.\.\.\]")


class World:
    """One app, Ada, and what the example's givens made."""

    def __init__(self, stage: int) -> None:
        sys.path.insert(0, str(Path.cwd()))
        from app import create_app  # the project's own factory

        self.app = create_app("testing")
        if "sqlalchemy" in self.app.extensions:  # the testing database is new and empty
            with self.app.app_context():
                self.app.extensions["sqlalchemy"].create_all()
        self.client = self.app.test_client()
        self.stage = stage
        self.made: dict[str, list[str]] = {"projects": [], "tasks": []}
        self.ada: dict[str, Any] = {}
        self.tokens: dict[str, str] = {}

    def headers(self) -> dict[str, str]:
        token = self.tokens.get("access_token")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def register_ada(self, login: bool) -> None:
        answer = self.client.post("/api/v1/auth/register", json=ADA)
        self.ada = (answer.get_json() or {}).get("data", {})
        if login and self.stage >= AUTH_STAGE:
            body = {"email": ADA["email"], "password": ADA["password"]}
            got = self.client.post("/api/v1/auth/login", json=body)
            self.tokens = (got.get_json() or {}).get("data", {})

    def project(self, name: str) -> None:
        body: dict[str, Any] = {"name": name}
        if self.stage < AUTH_STAGE:
            body["owner_id"] = self.ada.get("id")
        answer = self.client.post("/api/v1/projects", json=body, headers=self.headers())
        self.made["projects"].append(answer.get_json()["data"]["id"])

    def task(self, title: str, status: str = "todo") -> None:
        body = {"project_id": self.made["projects"][-1], "title": title}
        answer = self.client.post("/api/v1/tasks", json=body, headers=self.headers())
        task_id = answer.get_json()["data"]["id"]
        if status != "todo":
            change = {"status": status}
            self.client.put(f"/api/v1/tasks/{task_id}", json=change, headers=self.headers())
        self.made["tasks"].append(task_id)

    def given(self, text: str) -> None:
        """Make what one directive of the comment names."""
        for part in (p.strip() for p in text.split(";") if p.strip()):
            if part == "a project":
                self.project("Launch")
            elif m := re.fullmatch(r"(\d+) projects", part):
                for n in range(int(m[1])):
                    self.project(f"Project {n + 1}")
            elif part == "a task":
                self.task("Plan")
            elif part.startswith("tasks "):
                for status, count in (kv.split("=") for kv in part.split()[1:]):
                    for n in range(int(count)):
                        self.task(f"{status} {n}", status)
            elif m := re.fullmatch(r"(\d+) failed logins", part):
                for n in range(int(m[1])):  # other accounts: only the address limit counts
                    body = {"email": f"user{n}@example.com", "password": "wrong-password"}
                    self.client.post("/api/v1/auth/login", json=body)
            elif part == "a crashing route":

                def crash() -> None:
                    raise RuntimeError("boom")

                self.app.add_url_rule("/api/v1/something-that-crashes", view_func=crash)
            else:
                raise ValueError(f"unknown given: {part!r}")


def exchanges(text: str) -> list[tuple[list[str], list[str]]]:
    """The block's (request lines, answer lines) pairs."""
    pairs: list[tuple[list[str], list[str]]] = []
    request: list[str] | None = None
    answer: list[str] | None = None
    for line in text.splitlines():
        if REQUEST.match(line):
            if request is not None and answer is not None:
                pairs.append((request, answer))
            request, answer = [line], None
        elif ANSWER.match(line) and request is not None:
            answer = [line]
        elif answer is not None:
            answer.append(line)
        elif request is not None:
            request.append(line)
    if request is not None and answer is not None:
        pairs.append((request, answer))
    return pairs


def split_head(lines: list[str]) -> tuple[dict[str, str], str]:
    """Header lines (``Name: value``) and the JSON text after them."""
    headers: dict[str, str] = {}
    rest: list[str] = []
    for line in lines:
        m = re.match(r"^([A-Za-z-]+): (.*)$", line)
        if m and not rest:
            headers[m[1]] = m[2]
        elif line.strip():
            rest.append(line)
    return headers, "\n".join(rest)


def fill(world: World, text: str) -> str:
    """Replace the request placeholders by what the world holds."""
    last = {k: (v[-1] if v else "") for k, v in world.made.items()}
    text = text.replace('"project_id": "..."', f'"project_id": "{last["projects"]}"')
    text = text.replace("<a user id>", str(world.ada.get("id", "")))
    text = text.replace("<refresh token>", world.tokens.get("refresh_token", ""))
    text = re.sub(r"/projects/<id>", f"/projects/{last['projects']}", text)
    return re.sub(r"/tasks/<id>", f"/tasks/{last['tasks']}", text)


def matches(expected: Any, got: Any, where: str = "body") -> list[str]:
    """Where ``got`` differs from the example ``expected``."""
    if isinstance(expected, str) and (expected == "..." or re.fullmatch(r"<[^>]*>", expected)):
        return []
    if isinstance(expected, dict) and set(expected) == {"$list"}:
        ok = isinstance(got, list) and len(got) == expected["$list"]
        return [] if ok else [f"{where}: a list of {expected['$list']}, got {got!r:.80}"]
    if isinstance(expected, str) and "..." in expected:
        head, _, tail = expected.partition("...")
        ok = isinstance(got, str) and got.startswith(head) and got.endswith(tail)
        return [] if ok else [f"{where}: {got!r:.80} is not {expected!r}"]
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return [
                f"{where}: keys {sorted(got) if isinstance(got, dict) else got!r:.120}, "
                f"not {sorted(expected)}"
            ]
        return [p for k in expected for p in matches(expected[k], got[k], f"{where}.{k}")]
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return [f"{where}: {got!r:.80} is not {expected!r:.80}"]
        return [p for n, e in enumerate(expected) for p in matches(e, got[n], f"{where}[{n}]")]
    return [] if expected == got else [f"{where}: {got!r:.80} is not {expected!r:.80}"]


def run_exchange(world: World, request: list[str], answer: list[str]) -> list[str]:
    """Send one example request and compare the answer with the example's."""
    method, path = REQUEST.match(request[0]).groups()  # type: ignore[union-attr]
    head, body = split_head([fill(world, line) for line in request[1:]])
    path = fill(world, path)
    sent = {**world.headers(), **head}
    reply = world.client.open(
        path,
        method=method,
        data=body or None,
        headers=sent,
        content_type="application/json" if body else None,
    )
    status_line = ANSWER.match(answer[0])
    assert status_line is not None
    problems = []
    if reply.status_code != int(status_line[1]):
        problems.append(f"{method} {path}: answered {reply.status_code}, not {status_line[1]}")
    expected_headers, text = split_head(([status_line[2]] if status_line[2] else []) + answer[1:])
    for name, value in expected_headers.items():
        problems += matches(value, reply.headers.get(name), f"header {name}")
    if text:
        expected = json.loads(LIST.sub(lambda m: json.dumps({"$list": int(m[1])}), text))
        problems += [f"{method} {path}: {p}" for p in matches(expected, reply.get_json())]
    return problems


def main(readme: Path, stage: int) -> list[str]:
    """Every mismatch of every ``http`` example of ``readme``."""
    problems: list[str] = []
    for number, block in enumerate(BLOCK.finditer(readme.read_text(encoding="utf-8")), 1):
        pairs = exchanges(block["body"])
        if not pairs:
            problems.append(f"block {number}: no request and answer in it")
            continue
        world = World(stage)
        givens = [g.strip() for g in (block["given"] or "").split(";")]
        world.given("; ".join(g for g in givens if g in SETUP))  # before any request
        first = REQUEST.match(pairs[0][0][0])
        if not (first and first[2] == "/api/v1/auth/register"):
            world.register_ada(login=not (first and first[2] == "/api/v1/auth/login"))
        world.given("; ".join(g for g in givens if g not in SETUP))
        for request, answer in pairs:
            problems += [f"block {number}: {p}" for p in run_exchange(world, request, answer)]
    return problems


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]))))
