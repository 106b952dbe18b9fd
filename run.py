"""Set up and run Flask Workbook with nothing but Python 3.11+.

    python3 run.py demo    # grade the bundled sample submissions
    python3 run.py test    # the kit's whole test suite

Each creates ``.venv`` on first use (and reinstalls when pyproject.toml changes), then runs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".workbook-installed"


def ensure_venv() -> None:
    """Create the virtual environment and install the kit into it, unless already current."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8") == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing the kit and its dependencies into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f"{ROOT}[dev,notebooks,instructor]"], check=True)
    STAMP.write_text(wanted, encoding="utf-8")


def ensure_services() -> None:
    """Start the local PostgreSQL and Redis the integration tests use, when they are down.

    Only where the server packages are installed (the CI machines); elsewhere the tests that
    need a server fail and say which one.
    """
    import shutil
    import socket

    def up(port: int) -> bool:
        with socket.socket() as sock:
            sock.settimeout(1)
            return sock.connect_ex(("127.0.0.1", port)) == 0

    clusters = Path("/etc/postgresql")
    if not up(5432) and shutil.which("pg_ctlcluster") and clusters.is_dir():
        for version in sorted(p.name for p in clusters.iterdir()):
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                check=False,
            )
    if not up(6379) and shutil.which("redis-server"):
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=False,
        )


# What the tests need from Debian, by the command each package provides: bubblewrap is the
# grading sandbox; Chromium is the real browser the JupyterLab test drives with Playwright.
SYSTEM_PACKAGES = {
    "bwrap": "bubblewrap",
    "chromium": "chromium",
    # Stage 09 is graded on a live stack: the grader starts private copies of these.
    "redis-server": "redis-server",
    "pg_ctlcluster": "postgresql",
    "nginx": "nginx-light",
}
LIVE_STACK = ("redis-server", "pg_ctlcluster", "nginx")


def ensure_system_packages(*commands: str) -> None:
    """Install the Debian packages that provide ``commands`` when they are missing and this
    machine can (root with apt-get). Elsewhere grading warns that it runs unsandboxed, and the
    tests that need a missing one fail and say which."""
    import shutil

    path = f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin"
    missing = [SYSTEM_PACKAGES[c] for c in commands if not shutil.which(c, path=path)]
    if not missing or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    print(f"installing {', '.join(missing)} from Debian's packages ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

    def apt(*args: str) -> int:
        quiet = subprocess.DEVNULL
        return subprocess.run(["apt-get", *args], stdout=quiet, env=env, check=False).returncode

    if apt("install", "-y", "-q", *missing):
        apt("update", "-q")
        apt("install", "-y", "-q", *missing)


def main(argv: list[str]) -> int:
    """``demo`` or ``test``, with any extra arguments passed on."""
    if not argv or argv[0] not in ("demo", "test"):
        print("usage: python3 run.py {demo|test} [args...]", file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may meet an older python3
        print("Flask Workbook needs Python 3.11 or newer", file=sys.stderr)
        return 2
    ensure_venv()
    ensure_system_packages("bwrap", *LIVE_STACK)
    if argv[0] == "demo":
        command = [str(BIN / "workbook"), "demo", *argv[1:]]
    else:
        ensure_system_packages("chromium")
        ensure_services()
        command = [str(BIN / "python"), "-m", "pytest", *argv[1:]]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
