"""The grader under attack: every hostile or broken submission of ``tests/attacks/`` gets what
an honest grader gives, is flagged when it tampers, and leaves the other learners, the host
and the grader exactly as they were.

Each attack is a folder with a ``sample.toml`` (the format of ``samples/``: a base project, the
expected score and status, edits, files copied in) plus ``flag``, a piece of the tamper flag
the instructor must see (empty: none), and ``special`` for what a folder cannot hold (zips,
symbolic links, bytecode). The whole corpus is graded as one cohort, between two honest
learners, in one ``workbook grade --jobs 2`` run.
"""

from __future__ import annotations

import hashlib
import json
import os
import py_compile
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from conftest import command_lines

from grader import catalog, paths, samples, sandbox, workspace

ATTACKS = Path(__file__).resolve().parent / "attacks"
SENTINEL = Path("/tmp/workbook-attack-sentinel.txt")
DROPPED = (Path("/tmp/workbook-attack-dropped.txt"), Path("/tmp/workbook-attack-home.txt"))
PLANTED = paths.suites() / "01_factory" / "test_planted.py"


def _load() -> list[samples.Sample]:
    found = []
    for folder in sorted(p for p in ATTACKS.iterdir() if (p / samples.SPEC).is_file()):
        spec = tomllib.loads((folder / samples.SPEC).read_text(encoding="utf-8"))
        found.append(
            samples.Sample(
                catalog.find(spec["stage"]),
                folder.name,
                folder,
                spec["base"],
                float(spec["expected_score"]),
                spec.get("expected_status", "graded"),
                spec["description"],
                spec,
            )
        )
    return found


CORPUS = _load()


def _zip(project: Path, dest: Path, files: dict[str, bytes], links: dict[str, str]) -> None:
    """Zip ``project`` plus extra ``files`` and symbolic-link entries (name -> target)."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in project.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(project).as_posix())
        for name, data in files.items():
            zf.writestr(name, data, compresslevel=9)
        for name, target in links.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16
            zf.writestr(info, target)


def _build(sample: samples.Sample, cohort: Path, work: Path) -> None:
    """Put the attack into the cohort: a folder, or a zip where the attack needs one."""
    special = sample.spec.get("special", "")
    project = samples.assemble(sample, work / sample.name).source
    archive = cohort / f"{sample.name}.zip"
    if special == "zip-slip":
        _zip(project, archive, {"../../workbook-attack-slip.py": b"x = 1\n"}, {})
    elif special == "zip-symlink":
        _zip(project, archive, {}, {"app/passwd": "/etc/passwd"})
    elif special == "zip-bomb":
        _zip(project, archive, {"app/static/zeros.bin": bytes(64 * 1024 * 1024)}, {})
    else:
        if special == "symlink-outside":
            (project / "secrets").symlink_to("/root")
        elif special == "stale-pyc":
            reference = catalog.find("01_factory").solution_dir / "app" / "health.py"
            cache = project / "app" / "__pycache__" / "health.cpython-311.pyc"
            py_compile.compile(str(reference), cfile=str(cache), doraise=True)
            (project / "app" / "health.pyc").write_bytes(cache.read_bytes())
        project.rename(cohort / sample.name)


def _host_state() -> str:
    """A hash of the grader's environment: every installed file's path, size and mtime."""
    digest = hashlib.sha256()
    for top in sorted({Path(sys.prefix), paths.PACKAGE}):
        for folder, _, files in os.walk(top):
            for name in sorted(files):
                path = Path(folder) / name
                if "__pycache__" in path.parts:
                    continue
                info = path.lstat()
                digest.update(f"{path}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _workers(scratch: Path) -> list[str]:
    """Command lines of grading workers (or anything they forked) of this run still alive."""
    return [
        line
        for line in command_lines()
        if ("grader.worker" in line or "grader.zygote" in line) and str(scratch) in line
    ]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Grade the whole corpus and two honest learners in one cohort, once."""
    work = tmp_path_factory.mktemp("attacks")
    cohort = work / "cohort"
    cohort.mkdir()
    for sample in CORPUS:
        _build(sample, cohort, work / "build")
    stage = catalog.find("01_factory")
    workspace.reference(stage, cohort / "honest-reference")
    workspace.start(stage, cohort / "honest-skeleton")
    SENTINEL.write_text("untouched", encoding="utf-8")
    for path in (*DROPPED, PLANTED):
        path.unlink(missing_ok=True)
    store = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    store.delete("workbook-attack-exfiltrated")
    before = _host_state()
    book = work / "gradebook.sqlite"
    scratch = work / "scratch"  # the run's scratch folders, to tell its workers from others'
    scratch.mkdir()
    command = [sys.executable, "-m", "grader", "grade", str(cohort), "--stage", "1"]
    run = subprocess.run(
        [*command, "--json", "--jobs", "2", "--gradebook", str(book)],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
        cwd=work,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    report = subprocess.run(
        [sys.executable, "-m", "grader", "report", "--gradebook", str(book)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "250"},
    )
    time.sleep(1)  # a daemon that survived would write the sentinel again by now
    yield {
        "run": run,
        "doc": {s["learner"]: s for s in json.loads(run.stdout)["submissions"]},
        "report": report.stdout,
        "before": before,
        "after": _host_state(),
        "exfiltrated": store.get("workbook-attack-exfiltrated"),
        "sentinel": SENTINEL.read_text(encoding="utf-8"),
        "workers": _workers(scratch),
    }
    SENTINEL.unlink(missing_ok=True)


def test_the_corpus_holds_at_least_thirty_attacks() -> None:
    assert len(CORPUS) >= 30
    assert all(s.description for s in CORPUS)


def test_the_sandbox_is_on_where_the_kit_is_tested() -> None:
    """CI installs bubblewrap (run.py); a machine without it is a failure, not a skip."""
    isolated, how = sandbox.describe()
    assert isolated, how


@pytest.mark.parametrize("sample", CORPUS, ids=[s.name for s in CORPUS])
def test_each_attack_gets_what_an_honest_grader_gives(
    graded: dict[str, Any], sample: samples.Sample
) -> None:
    result = graded["doc"][sample.name]
    assert result["status"] == sample.expected_status, result.get("message")
    assert result["score"] == sample.expected_score
    assert len(result["tests"]) == 21, "the set of graded tests changed"


@pytest.mark.parametrize("sample", CORPUS, ids=[s.name for s in CORPUS])
def test_each_tampering_attempt_is_flagged_for_the_instructor(
    graded: dict[str, Any], sample: samples.Sample
) -> None:
    flags = graded["doc"][sample.name].get("flags", [])
    if sample.spec["flag"]:
        assert any(sample.spec["flag"] in flag for flag in flags), flags
    else:
        assert flags == [], "a broken but honest submission is not an attack"


def test_honest_learners_in_an_attacked_cohort_are_unaffected(graded: dict[str, Any]) -> None:
    doc = graded["doc"]
    assert doc["honest-reference"]["score"] == 27 and doc["honest-skeleton"]["score"] == 0
    assert "flags" not in doc["honest-reference"] and "flags" not in doc["honest-skeleton"]


def test_the_grader_survives_and_says_which_submissions_could_not_be_graded(
    graded: dict[str, Any],
) -> None:
    run = graded["run"]
    assert run.returncode == 2, run.stderr[-2000:]  # error statuses, all recorded
    assert len(graded["doc"]) == len(CORPUS) + 2
    assert "Traceback" not in run.stderr


def test_the_host_and_the_grader_are_unchanged(graded: dict[str, Any]) -> None:
    assert graded["sentinel"] == "untouched"
    assert not any(path.exists() for path in DROPPED)
    assert not PLANTED.exists(), "a test was planted in the hidden suite"
    assert not Path("/workbook-attack-slip.py").exists()
    assert graded["exfiltrated"] is None, "a submission reached Redis on the host"
    assert graded["after"] == graded["before"], "the grader's installed files changed"


def test_nothing_a_submission_started_keeps_running(graded: dict[str, Any]) -> None:
    assert graded["workers"] == []


def test_the_report_lists_each_flagged_submission(graded: dict[str, Any]) -> None:
    report = graded["report"]
    assert "Flagged for review" in report
    for sample in CORPUS:
        if sample.spec["flag"]:
            assert f"{sample.name} (01_factory)" in report, sample.name
