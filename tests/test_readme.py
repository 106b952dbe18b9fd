"""Keep the README true: every command in its console blocks runs, with the exit code it says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```console\n(.*?)```", flags=re.DOTALL)
# `python3 run.py test` is this very suite (CI runs it through .ci/run); `python3 run.py demo`
# runs in test_grading with `--all`, which grades its samples and more; `watch` runs until
# stopped, so the test gives it a number of runs.
SKIP = {"python3 run.py test", "python3 run.py demo"}
BOUNDED = {"workbook watch": "workbook watch --max-runs 1"}


def _blocks() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [
        [line[2:] for line in block.splitlines() if line.startswith("$ ")]
        for block in BLOCK.findall(text)
    ]


def _script(commands: list[str]) -> str:
    lines = ["set +e"]
    for command in commands:
        code, plain = 0, command.split("  #")[0].strip()
        if match := re.search(r"# exits (\d+)", command):
            code = int(match.group(1))
        if plain in SKIP:
            continue
        plain = BOUNDED.get(plain, plain)
        lines += [
            plain,
            f"rc=$?; [ $rc -eq {code} ] || {{ echo {shlex.quote(plain)} exited $rc, "
            f"not {code}; exit 1; }}",
        ]
    return "\n".join(lines)


def test_the_readme_has_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    setup = _blocks()[0]
    assert setup == ["python3 run.py demo", "python3 run.py test"]
    assert "python3 run.py test\n" in (ROOT / ".ci/run").read_text()


def _runnable() -> list[int]:
    """The blocks with a command this file runs (the setup block's two run elsewhere)."""
    return [
        index
        for index, block in enumerate(_blocks())
        if any(c.split("  #")[0].strip() not in SKIP for c in block)
    ]


@pytest.mark.parametrize("index", _runnable())
def test_readme_console_block_runs(index: int, tmp_path: Path) -> None:
    commands = _blocks()[index]
    cwd = ROOT if any(c.startswith("python3 run.py") for c in commands) else tmp_path
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "WORKBOOK_HOME": str(tmp_path / "home"),
        "COLUMNS": "200",
    }
    env.pop("WORKBOOK_GRADEBOOK", None)
    result = subprocess.run(
        ["bash", "-c", _script(commands)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
