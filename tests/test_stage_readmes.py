"""Every example in a stage README holds for the stage's reference: its ``http`` exchanges,
its ``pycon`` sessions and its ``flask`` commands. A learner writing from the README alone
must never be misled by an example that drifted from the truth."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from production_stack import free_port, stop_group

from workbook import catalog, workspace

HERE = Path(__file__).resolve().parent
STAGES = catalog.load()
PYCON = re.compile(r"```pycon\n(.*?)```", re.S)
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each stage's assembled reference project."""
    base = tmp_path_factory.mktemp("references")
    return {s.name: workspace.reference(s, base / s.name) for s in STAGES}


def _python(project: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_every_http_example_of_the_readme_holds_for_the_reference(
    stage: catalog.Stage, references: dict[str, Path]
) -> None:
    readme = stage.exercise_dir / "README.md"
    out = _python(
        references[stage.name], str(HERE / "readme_examples.py"), str(readme), str(stage.number)
    )
    problems = json.loads(out)
    assert not problems, "\n".join(problems)


def _pycon_script(block: str) -> tuple[str, list[str]]:
    """A script printing each ``>>>`` line's repr (or ``Type: message`` when it raises),
    and the expected lines."""
    lines, expected = ["import sys", "sys.path.insert(0, '.')"], []
    for line in block.splitlines():
        if line.startswith(">>> "):
            code = line[4:]
            if code.startswith(("from ", "import ")) or re.match(r"^[\w, ]+ = ", code):
                lines.append(code)
                continue
            lines += [
                "try:",
                f"    _v = {code}",
                "    print(repr(_v)) if _v is not None else None",
                "except Exception as _e:",
                "    print(f'{type(_e).__name__}: {_e}')",
            ]
        elif line.strip():
            expected.append(line)
    return "\n".join(lines), expected


def _pycon_cases() -> list[tuple[catalog.Stage, int]]:
    return [
        (stage, n)
        for stage in STAGES
        for n, _ in enumerate(PYCON.findall((stage.exercise_dir / "README.md").read_text()))
    ]


@pytest.mark.parametrize("case", _pycon_cases(), ids=lambda c: f"{c[0].name}-pycon{c[1] + 1}")
def test_every_pycon_example_of_the_readme_prints_what_it_shows(
    case: tuple[catalog.Stage, int], references: dict[str, Path]
) -> None:
    stage, number = case
    block = PYCON.findall((stage.exercise_dir / "README.md").read_text())[number]
    script, expected = _pycon_script(block)
    printed = _python(references[stage.name], "-c", script).splitlines()
    assert printed == expected


def _commands() -> list[tuple[catalog.Stage, str, list[str]]]:
    """Each ``$ flask ...`` and ``$ curl ...`` line of a stage README, with the output lines
    shown under it."""
    found = []
    for stage in STAGES:
        for block in CONSOLE.findall((stage.exercise_dir / "README.md").read_text()):
            lines = block.splitlines()
            for n, line in enumerate(lines):
                command = line.removeprefix("$ ").split("  #")[0].strip()
                if line.startswith("$ ") and re.match(r"^(\w+=\S* )*(flask|curl) ", command):
                    shown = []
                    for out in lines[n + 1 :]:
                        if out.startswith("$ "):
                            break
                        shown.append(out)
                    found.append((stage, command, shown))
    return found


@pytest.fixture(scope="module")
def servers(references: dict[str, Path]) -> Iterator[Callable[[str], int]]:
    """``port(stage)``: the stage's reference under ``flask run``, started on first use."""
    running: dict[str, tuple[subprocess.Popen[bytes], int]] = {}

    def port(stage: str) -> int:
        if stage not in running:
            number = free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(number)],
                cwd=references[stage],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            running[stage] = (server, number)
            _wait_for(number)
        return running[stage][1]

    yield port
    for server, _ in running.values():
        stop_group(server, grace=5)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"flask run did not listen on {port} within 30 s")


def _same_line(printed: str, shown: str) -> bool:
    """A printed line ends with the shown one, or both are the same JSON."""
    if printed.strip().endswith(shown):
        return True
    try:
        return bool(json.loads(printed) == json.loads(shown))
    except ValueError:
        return False


@pytest.mark.parametrize(
    "case", _commands(), ids=lambda c: f"{c[0].name}-{c[1].split(' ', 1)[1][:36]}"
)
def test_every_command_of_the_readme_prints_what_it_shows(
    case: tuple[catalog.Stage, str, list[str]],
    references: dict[str, Path],
    servers: Callable[[str], int],
    tmp_path: Path,
) -> None:
    """Output lines must appear in order (a printed line may end with the shown one, as a
    traceback's last line ends with ``Type: message``); ``...`` stands for any lines. A
    ``curl`` to ``localhost:5000`` reaches the reference under ``flask run``."""
    stage, command, shown = case
    if command.startswith("curl "):
        command = command.replace("localhost:5000", f"127.0.0.1:{servers(stage.name)}")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=references[stage.name],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    printed = (result.stdout + result.stderr).splitlines()
    wanted = [line.strip() for line in shown if line.strip() and line.strip() != "..."]
    at = 0
    for line in printed:
        if at < len(wanted) and _same_line(line, wanted[at]):
            at += 1
    assert at == len(wanted), f"{command!r} printed:\n" + "\n".join(printed[-30:])
