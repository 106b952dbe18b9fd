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
    subprocess.run([*pip, "--editable", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted, encoding="utf-8")


def main(argv: list[str]) -> int:
    """``demo`` or ``test``, with any extra arguments passed on."""
    if not argv or argv[0] not in ("demo", "test"):
        print("usage: python3 run.py {demo|test} [args...]", file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may meet an older python3
        print("Flask Workbook needs Python 3.11 or newer", file=sys.stderr)
        return 2
    ensure_venv()
    if argv[0] == "demo":
        command = [str(BIN / "workbook"), "demo", *argv[1:]]
    else:
        command = [str(BIN / "python"), "-m", "pytest", *argv[1:]]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
