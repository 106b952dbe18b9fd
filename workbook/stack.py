"""Stage 09's live stack: the learner's project deployed for real, inside the worker.

A private Redis, a private PostgreSQL cluster (``initdb`` into the worker's home), the
project's migrations applied as a deploy does, Gunicorn with the project's
``gunicorn.conf.py``, and Nginx with its ``nginx.conf`` where Nginx is installed. In the
grading sandbox all of it lives in the worker's own network and PID namespaces, so fixed
ports collide with nobody. The trusted side asks for plain data only: answers to HTTP
requests, the process table, the last lines of a log.
"""

from __future__ import annotations

import base64
import contextlib
import glob
import http.client
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from workbook import paths

GUNICORN_PORT = 8000
NGINX_PORT = 8080
REDIS_PORT = 6379
SMTP_PORT = 2525
POSTGRES_PORT = 5432
DATABASE = "taskboard"
# Where the stack's databases live: what the app's environment is given.
DATABASE_URL = f"postgresql+psycopg://postgres@127.0.0.1:{POSTGRES_PORT}/{DATABASE}"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
PORTS = (GUNICORN_PORT, NGINX_PORT, REDIS_PORT, POSTGRES_PORT, SMTP_PORT)
STATIC_PROBE = "app/static/__grader__.txt"
MAX_LINE = 1000


def redis_server() -> Path | None:
    """The ``redis-server`` binary, if this machine has one."""
    found = shutil.which("redis-server")
    return Path(found) if found else None


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server binaries (``initdb``, ``postgres``), if any."""
    for candidate in [
        shutil.which("initdb"),
        *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")),
    ]:
        if candidate and Path(candidate).resolve().is_file():
            return Path(candidate).resolve().parent
    return None


def nginx() -> Path | None:
    """The ``nginx`` binary, if installed (on PATH or in ``/usr/sbin``)."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None
    )
    return Path(found) if found else None


def missing_services(wanted: tuple[str, ...]) -> list[str]:
    """Those of ``wanted`` (``redis-server``, ``postgresql``, ``nginx``) this machine lacks."""
    found = {"redis-server": redis_server, "postgresql": postgres_bin, "nginx": nginx}
    return [name for name in wanted if name not in found or found[name]() is None]


def service_files() -> list[Path]:
    """What the sandbox must show a worker for the live stack: the servers' binaries and the
    read-only data they need (PostgreSQL's share folder, time zones, Nginx's MIME types)."""
    found: list[Path] = []
    if (redis := redis_server()) is not None:
        found.append(redis)
    if (pg := postgres_bin()) is not None:
        found.append(pg.parent)
        found += [Path(p) for p in glob.glob(f"/usr/share/postgresql/{pg.parent.name}")]
        found.append(Path("/usr/share/zoneinfo"))
    if (web := nginx()) is not None:
        found += [web, Path("/etc/nginx/mime.types")]
    return [p for p in found if p.exists()]


def _tail(path: Path, lines: int) -> list[str]:
    try:
        text = path.read_bytes()[-256 * 1024 :].decode("utf-8", "replace")
    except OSError:
        return []
    return [line[:MAX_LINE] for line in text.splitlines() if line.strip()][-lines:]


def _listening(port: int) -> bool:
    """Whether something accepts connections on ``port`` of this network's loopback."""
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5):
            return True
    except OSError:
        return False


def _wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float) -> bool:
    """Whether something accepts connections on ``port`` within ``seconds`` (False at once
    when ``proc`` has exited)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if _listening(port):
            return True
        time.sleep(0.05)
    return False


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept every message and keep its envelope (the app's mail)."""

    server: MailSink

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._say("220 grader ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline(4096):
            verb = line.decode("utf-8", "replace").strip().split(" ", 1)[0].upper()
            if verb == "DATA":
                self._say("354 end with .")
                while (body := self.rfile.readline(65536)) and body.rstrip(b"\r\n") != b".":
                    pass
                self.server.received.append(recipients)
                recipients = []
                self._say("250 queued")
            elif verb == "RCPT":
                recipients.append(line.decode("utf-8", "replace").strip()[:200])
                self._say("250 ok")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            elif verb == "EHLO":
                self._say("250 grader")
            else:
                self._say("250 ok")


class MailSink(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 that keeps the recipients of what it is sent."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _SmtpSink)
        self.received: list[list[str]] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()


class StackError(RuntimeError):
    """A part of the stack did not start; the message says which and why."""


class Stack:
    """The running services of one deployment, started in order and stopped together."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.home = Path(os.environ.get("HOME") or project.parent) / "stack"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.env: dict[str, str] = {}
        self.mail: MailSink | None = None

    def _log(self, name: str) -> Path:
        return self.home / f"{name}.log"

    def _spawn(self, name: str, command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        out = self._log(name).open("ab")
        err = self._log(f"{name}.err").open("ab")
        with out, err:
            proc = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, **kwargs
            )
        self.procs[name] = proc
        return proc

    def start(self, env: dict[str, str], with_nginx: bool) -> dict[str, Any]:
        """Start Redis, PostgreSQL, migrations, Gunicorn and (``with_nginx``) Nginx."""
        taken = [port for port in PORTS if _listening(port)]
        if taken:
            raise StackError(
                f"port {taken[0]} is taken here: the live stack runs only in the grading "
                "sandbox, which has a network of its own"
            )
        self.home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(paths.PACKAGE.parent),
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "PORT": str(GUNICORN_PORT),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(SMTP_PORT),
            **env,
        }
        self.mail = MailSink(SMTP_PORT)
        self._start_redis()
        self._start_postgres()
        self._migrate()
        self._start_gunicorn()
        nginx_problem = "this machine has no Nginx" if nginx() is None else None
        if with_nginx and nginx_problem is None:
            try:
                self._start_nginx()
            except StackError as exc:  # the Gunicorn checks go on; the Nginx ones say why
                nginx_problem = str(exc)
        return {
            "gunicorn": self.procs["gunicorn"].pid,
            "nginx_problem": nginx_problem if with_nginx else "not started",
            "ports": {"gunicorn": GUNICORN_PORT, "nginx": NGINX_PORT},
            "cpus": sorted({len(os.sched_getaffinity(0)), os.cpu_count() or 1}),
        }

    def _start_redis(self) -> None:
        binary = redis_server()
        if binary is None:
            raise StackError("this machine has no redis-server")
        data = self.home / "redis"
        data.mkdir(exist_ok=True)
        command = [str(binary), "--port", str(REDIS_PORT), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(data)]
        if not _wait_port(REDIS_PORT, self._spawn("redis", command), 10):
            raise StackError("the grader's Redis did not start")

    def _start_postgres(self) -> None:
        folder = postgres_bin()
        if folder is None:
            raise StackError("this machine has no PostgreSQL server (initdb)")
        data = self.home / "pg"
        init = [str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
        init += ["--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
        done = subprocess.run(init, capture_output=True, timeout=60, check=False)
        if done.returncode != 0:
            raise StackError(f"initdb failed: {done.stderr.decode(errors='replace')[-300:]}")
        command = [str(folder / "postgres"), "-D", str(data), "-k", str(self.home)]
        command += ["-c", "listen_addresses=127.0.0.1", "-c", f"port={POSTGRES_PORT}"]
        command += ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=60"]
        command += ["-c", "synchronous_commit=off", "-c", "dynamic_shared_memory_type=mmap"]
        if not _wait_port(POSTGRES_PORT, self._spawn("postgres", command), 20):
            raise StackError("the grader's PostgreSQL did not start")
        import psycopg

        for _ in range(100):  # accepting connections a moment before it serves them
            try:
                with psycopg.connect(
                    f"host=127.0.0.1 port={POSTGRES_PORT} user=postgres dbname=postgres",
                    autocommit=True,
                ) as conn:
                    conn.execute(f"CREATE DATABASE {DATABASE}")
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise StackError("the grader's PostgreSQL did not accept connections")

    def _migrate(self) -> None:
        """``flask db upgrade`` on the production config, as a deploy runs it."""
        command = [sys.executable, "-m", "flask", "--app", "app:create_app('production')"]
        command += ["db", "upgrade"]
        done = subprocess.run(
            command, cwd=self.project, env=self.env, capture_output=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise StackError(
                f"`flask db upgrade` on PostgreSQL exited {done.returncode}: "
                f"{done.stderr.decode(errors='replace')[-400:]}"
            )

    def _start_gunicorn(self) -> None:
        if not (self.project / "gunicorn.conf.py").is_file():
            raise StackError("the project has no gunicorn.conf.py")
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        command += ["workbook.served:app"]
        proc = self._spawn("gunicorn", command, cwd=self.project, env=self.env)
        if not _wait_port(GUNICORN_PORT, proc, 60):
            raise StackError(
                f"Gunicorn did not listen on port {GUNICORN_PORT} (PORT) within 60 s; "
                f"its last words: {' | '.join(_tail(self._log('gunicorn.err'), 3))[:400]}"
            )
        for _ in range(300):  # every worker booted: the first answer comes from a live app
            if self.http(GUNICORN_PORT, "GET", "/api/v1/health")["status_code"] == 200:
                return
            time.sleep(0.1)

    def _start_nginx(self) -> None:
        binary = nginx()
        assert binary is not None
        if not (self.project / "nginx.conf").is_file():
            raise StackError("the project has no nginx.conf")
        probe = self.project / STATIC_PROBE
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_text("served from disk\n", encoding="utf-8")
        settings = f"daemon off; pid {self.home / 'nginx.pid'};"
        command = [str(binary), "-p", f"{self.project}/", "-c", "nginx.conf", "-e", "stderr"]
        proc = self._spawn("nginx", command + ["-g", settings], cwd=self.project)
        if not _wait_port(NGINX_PORT, proc, 20):
            raise StackError(
                f"Nginx did not listen on port {NGINX_PORT}: "
                f"{' | '.join(_tail(self._log('nginx.err'), 3))[:400]}"
            )

    def http(
        self,
        port: int,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: str | None = None,
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """One request on a new connection; a refused or broken one answers status 0."""
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request(
                method, path, body=body, headers={"Connection": "close", **(headers or {})}
            )
            response = conn.getresponse()
            data = response.read(4 * 1024 * 1024)
            return {
                "status_code": response.status,
                "headers": [[str(k), str(v)] for k, v in response.getheaders()],
                "body": base64.b64encode(data).decode("ascii"),
            }
        except (OSError, http.client.HTTPException) as exc:
            return {"status_code": 0, "headers": [], "body": "", "problem": type(exc).__name__}
        finally:
            conn.close()

    def processes(self) -> list[dict[str, Any]]:
        """Every process this worker can see: pid, parent pid and the first arguments."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                argv = (entry / "cmdline").read_bytes().split(b"\0")[:8]
                found.append(
                    {
                        "pid": int(entry.name),
                        "ppid": ppid,
                        "argv": [a.decode("utf-8", "replace")[:200] for a in argv if a],
                    }
                )
        return found

    def log(self, name: str, lines: int = 200) -> list[str]:
        """The last ``lines`` lines a service wrote (``gunicorn`` stdout, ``gunicorn.err``)."""
        if name not in {"gunicorn", "gunicorn.err", "nginx", "nginx.err"}:
            raise ValueError(f"no log {name!r}")
        return _tail(self._log(name), lines)

    def stop(self, name: str) -> None:
        """Kill one service now (``redis``, ``postgres``), as an outage would."""
        proc = self.procs[name]
        proc.kill()
        proc.wait(timeout=10)

    def terminate_during(self, port: int, path: str, delay: float, wait: float) -> dict[str, Any]:
        """Send ``GET path`` to ``port``, SIGTERM Gunicorn's master ``delay`` seconds later,
        and report the request's answer and how the master ended (within ``wait`` seconds)."""
        master = self.procs["gunicorn"]
        answer: dict[str, Any] = {}

        def send() -> None:
            answer.update(self.http(port, "GET", path, timeout=wait))

        thread = threading.Thread(target=send)
        thread.start()
        time.sleep(delay)
        master.send_signal(signal.SIGTERM)
        started = time.monotonic()
        thread.join(wait)
        try:
            code: int | None = master.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            code = None
        return {"answer": answer, "exit_code": code, "seconds": time.monotonic() - started}

    def close(self) -> None:
        """Stop every service (the sandbox's PID namespace would take them anyway)."""
        for proc in reversed(list(self.procs.values())):
            with contextlib.suppress(OSError):
                proc.kill()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        self.procs.clear()
        if self.mail is not None:
            self.mail.shutdown()
            self.mail.server_close()
            self.mail = None
