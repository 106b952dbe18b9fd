"""The learner kit (``workbook release``): every N released, installed in a fresh virtual
environment with the kit's own README commands and with ``pip install DIR``, searched for
hidden tests and solutions, and used as a learner uses it."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader import paths as grader_paths
from workbook import catalog, fences
from workbook.overlays import reference_files, skeleton_files

pytestmark = pytest.mark.slow
STAGES = catalog.load()
TEXT = (".py", ".md", ".toml", ".ini", ".txt", ".cfg", ".json", ".in", ".ipynb")


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["WORKBOOK_HOME"] = str(cwd / ".progress")
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def _install(env: Path, kit: Path, cwd: Path) -> None:
    """``pip install DIR`` of one kit into the learner environment (its dependencies are in)."""
    done = _run(env / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps",
                "--no-build-isolation", "--force-reinstall", kit, cwd=cwd)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


def _hidden_tests() -> dict[str, str]:
    """Every hidden test function of every stage: its name and its body's source."""
    found: dict[str, str] = {}
    for stage in STAGES:
        for path in sorted(grader_paths.suite(stage).glob("*.py")):
            text = path.read_text(encoding="utf-8")
            for node in ast.parse(text).body:
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                    body = "\n".join(
                        ast.get_source_segment(text, statement) or "" for statement in node.body
                    )
                    found[node.name] = body
    return found


def _solutions(stage: catalog.Stage) -> list[str]:
    """The lines only the solution of ``stage`` holds: its fences' lines (40 characters or
    longer) that neither its skeleton nor the finished earlier stages already show."""
    shown = {
        line.strip()
        for earlier in STAGES
        if earlier.number < stage.number
        for _, data in reference_files(earlier)
        for line in data.decode("utf-8", errors="replace").splitlines()
    }
    shown |= {
        line.strip()
        for path, _ in skeleton_files(stage)
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    }
    lines = []
    for path in sorted(stage.solution_dir.rglob("*.py")):
        for fence in fences.parse(path.read_text(encoding="utf-8"), str(path)):
            lines += [
                line.strip()
                for line in fence.solution
                if len(line.strip()) >= 40 and line.strip() not in shown
            ]
    return lines


def _texts(top: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(top.rglob("*")):
        if path.is_file() and path.suffix in TEXT:
            yield path, path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """A learner kit per stage N, each written by ``workbook release --stage N``."""
    base = tmp_path_factory.mktemp("kits")
    made = {}
    for stage in STAGES:
        out = base / f"kit-{stage.number}"
        done = _run(sys.executable, "-m", "grader", "release", "--stage", str(stage.number),
                    "--out", out, cwd=base)  # fmt: skip
        assert done.returncode == 0, done.stderr
        made[stage.number] = out
    return made


@pytest.fixture(scope="module")
def learner_env(kits: dict[int, Path]) -> Path:
    """The last kit set up by its README's two commands: its own fresh ``.venv``."""
    kit = kits[max(kits)]
    started = _run(sys.executable, "run.py", "start", "1", cwd=kit)
    assert started.returncode == 0, started.stdout + started.stderr
    checked = _run(sys.executable, "run.py", "check", "--dir", "01_factory", cwd=kit)
    assert checked.returncode == 1, checked.stdout + checked.stderr  # a skeleton: checks fail
    assert "checks pass" in checked.stdout
    # Each later install builds in this environment (no isolated build environment per kit).
    python = kit / ".venv" / "bin" / "python"
    tools = _run(python, "-m", "pip", "install", "--quiet", "setuptools>=69", "wheel", cwd=kit)
    assert tools.returncode == 0, tools.stderr[-2000:]
    return kit / ".venv"


def test_no_learner_kit_holds_a_hidden_test_or_a_solution_of_its_stage_or_later(
    kits: dict[int, Path],
) -> None:
    hidden = _hidden_tests()
    assert len(hidden) > 100
    for number, kit in kits.items():
        later = [b for s in STAGES if s.number >= number for b in _solutions(s)]
        assert later
        for path, text in _texts(kit):
            names = [name for name in hidden if name in text]
            assert names == [], f"kit {number}: {path.relative_to(kit)} names {names[:3]}"
            bodies = [name for name, body in hidden.items() if body in text]
            assert bodies == [], f"kit {number}: {path.relative_to(kit)} holds {bodies[:3]}"
            if path.name in ("stage.toml", "README.md"):
                continue  # instructions and hints may spell out a line on purpose
            lines = {line.strip() for line in text.splitlines()}
            leaked = [line for line in later if line in lines]
            assert leaked == [], f"kit {number}: {path.relative_to(kit)} holds {leaked[:2]}"
        assert not list(kit.rglob("suites")) and not list(kit.rglob("solutions"))
        assert not (kit / "grader").exists() and not (kit / "authoring").exists()


def test_a_learner_kit_carries_the_references_of_earlier_stages_only(
    kits: dict[int, Path],
) -> None:
    for number, kit in kits.items():
        content = kit / "workbook" / "content"
        exercises = sorted(p.name for p in (content / "exercises").iterdir())
        assert exercises == [s.name for s in STAGES if s.number <= number]
        references = content / "references"
        shipped = sorted(p.name for p in references.iterdir()) if references.is_dir() else []
        assert shipped == [s.name for s in STAGES if s.number < number]


def test_each_learner_kit_installs_with_pip_and_starts_and_checks_its_stage(
    kits: dict[int, Path], learner_env: Path, tmp_path: Path
) -> None:
    python, workbook = learner_env / "bin" / "python", learner_env / "bin" / "workbook"
    for number, kit in sorted(kits.items()):
        _install(learner_env, kit, tmp_path)
        stage = next(s for s in STAGES if s.number == number)
        work = tmp_path / f"work-{number}"
        work.mkdir()
        assert _run(workbook, "start", str(number), cwd=work).returncode == 0
        skeleton = _run(workbook, "check", cwd=work / stage.name)
        assert skeleton.returncode == 1 and "checks pass" in skeleton.stdout, skeleton.stderr
        if number == max(kits):  # the reference passes the kit's checks
            reference = work / "reference"
            made = _run(sys.executable, "-m", "grader", "solution", str(number),
                        "--out", reference, cwd=work)  # fmt: skip
            assert made.returncode == 0
            passed = _run(workbook, "check", str(number), "--dir", reference, cwd=work)
            assert passed.returncode == 0, passed.stdout[-2000:]
        refused = _run(workbook, "solution", str(number), "--out", "peek", cwd=work)
        assert refused.returncode == 2 and not (work / "peek").exists()
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
        assert _run(python, "-c", "import grader", cwd=work).returncode != 0
        assert _run(python, "-c", "import authoring", cwd=work).returncode != 0


def test_the_installed_learner_kit_holds_no_hidden_test(
    kits: dict[int, Path], learner_env: Path
) -> None:
    site = next((learner_env / "lib").glob("python3*/site-packages"))
    hidden = _hidden_tests()
    for path, text in _texts(site / "workbook"):
        assert [n for n in hidden if n in text] == [], path


def test_a_stage_notebook_runs_in_a_kernel_environment_with_only_the_learner_kit(
    kits: dict[int, Path], learner_env: Path, tmp_path: Path
) -> None:
    """The notebook's own cells (setup, file cells, task cells) with the learner kit's
    Python alone: the reference's file cells pass every task's checks."""
    number = 4
    python = learner_env / "bin" / "python"
    _install(learner_env, kits[number], tmp_path)
    stage = next(s for s in STAGES if s.number == number)
    notebook = grader_paths.PACKAGE.parent / "notebooks" / f"{stage.name}.ipynb"
    shutil.copy(notebook, tmp_path / notebook.name)
    runner = tmp_path / "run_cells.py"
    runner.write_text(
        "import json, sys, pathlib\n"
        "cells = json.loads(pathlib.Path(sys.argv[1]).read_text())['cells']\n"
        "for cell in cells:\n"
        "    if cell['cell_type'] != 'code':\n"
        "        continue\n"
        "    text = ''.join(cell['source'])\n"
        "    first, _, body = text.partition('\\n')\n"
        "    if first.startswith('%%writefile '):\n"
        "        path = pathlib.Path(first.split()[1])\n"
        "        path.parent.mkdir(parents=True, exist_ok=True)\n"
        "        kept = [l for l in body.splitlines() if '### ' not in l]\n"
        "        path.write_text('\\n'.join(kept) + '\\n')\n"
        "    else:\n"
        "        exec(compile(text, 'cell', 'exec'), {})\n"
        "print('all cells ran')\n",
        encoding="utf-8",
    )
    ran = _run(python, runner, notebook.name, cwd=tmp_path)
    assert ran.returncode == 0, (ran.stdout + ran.stderr)[-3000:]
    assert "all cells ran" in ran.stdout and "public checks" in ran.stdout


def test_submit_packs_a_manifest_and_grading_flags_a_changed_file(
    kits: dict[int, Path], learner_env: Path, tmp_path: Path
) -> None:
    workbook = learner_env / "bin" / "workbook"
    _install(learner_env, kits[2], tmp_path)
    assert _run(workbook, "start", "2", cwd=tmp_path).returncode == 0
    space = tmp_path / "02_blueprints"
    (space / ".env").write_text("SECRET_KEY=mine\n")
    (space / "big.bin").write_bytes(b"x" * (2 * 1024 * 1024))
    (space / "app.sqlite3").write_bytes(b"db")
    packed = _run(workbook, "submit", cwd=space)
    assert packed.returncode == 0, packed.stderr
    archive = tmp_path / "02_blueprints.zip"
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("workbook-manifest.json"))
    assert "app/__init__.py" in names and ".env" not in names
    assert "big.bin" not in names and "app.sqlite3" not in names
    assert manifest["stage"] == "02_blueprints" and "app/__init__.py" in manifest["files"]
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    shutil.copy(archive, cohort / "ada.zip")
    with zipfile.ZipFile(archive) as zf, zipfile.ZipFile(cohort / "bob.zip", "w") as out:
        for name in zf.namelist():
            data = zf.read(name)
            out.writestr(name, data + b"\n# changed" if name == "app/errors.py" else data)
    graded = _run(sys.executable, "-m", "grader", "grade", cohort, "--stage", "2", "--json",
                  cwd=tmp_path)  # fmt: skip
    results = {s["learner"]: s for s in json.loads(graded.stdout)["submissions"]}
    assert results["ada"]["status"] == "graded" and not results["ada"].get("flags")
    assert any("app/errors.py" in flag for flag in results["bob"]["flags"])
    refused = _run(workbook, "submit", cwd=tmp_path)
    assert refused.returncode == 2 and "not a workbook workspace" in refused.stderr


def test_reset_puts_one_file_back_and_refuses_a_path_outside_the_workspace(
    kits: dict[int, Path], learner_env: Path, tmp_path: Path
) -> None:
    _install(learner_env, kits[2], tmp_path)
    workbook = learner_env / "bin" / "workbook"
    assert _run(workbook, "start", "2", cwd=tmp_path).returncode == 0
    space = tmp_path / "02_blueprints"
    routes, other = space / "app" / "users" / "routes.py", space / "app" / "errors.py"
    start, kept = routes.read_text(), other.read_text() + "# mine\n"
    routes.write_text("broken(")
    other.write_text(kept)
    assert _run(workbook, "reset", "app/users/routes.py", cwd=space).returncode == 0
    assert routes.read_text() == start and other.read_text() == kept
    outside = _run(workbook, "reset", "../../etc/passwd", cwd=space)
    assert outside.returncode == 2 and len(outside.stderr.strip().splitlines()) == 1
    unknown = _run(workbook, "reset", "notes.txt", cwd=space)
    assert unknown.returncode == 2 and "starting files" in unknown.stderr
