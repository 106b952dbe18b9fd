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

import csv
import hashlib
import io
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from conftest import command_lines, full_marks

from grader import paths as grader_paths
from grader import samples, sandbox
from workbook import catalog, paths, workspace
from workbook.text import printable

ATTACKS = Path(__file__).resolve().parent / "attacks"
SENTINEL = Path("/tmp/workbook-attack-sentinel.txt")
DROPPED = (Path("/tmp/workbook-attack-dropped.txt"), Path("/tmp/workbook-attack-home.txt"))
PLANTED = grader_paths.suites() / "01_factory" / "test_planted.py"
ROOT = Path(__file__).resolve().parent.parent
# Outside /tmp, on the machine's own disk: where an instructor might keep a cohort.
OUTSIDE = Path("/srv/workbook-tests")


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


def learner_of(sample: samples.Sample) -> str:
    """The learner name the grader gives the attack (its folder name unless it picks one)."""
    if sample.spec.get("special") == "non-utf8-name":
        return f"{sample.name}-\\xff"
    return str(sample.spec.get("learner", sample.name))


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
    elif special == "markup-zip":
        hostile = ["[/].pth", "[bold]x[/bold].py", "\x1b]0;pwned\x07.pth", "\x1b[8mhidden.txt"]
        _zip(project, archive, {name: b"x = 1\n" for name in hostile}, {})
    elif special == "many-entries":
        cached = {f"app/__pycache__/m{n}.cpython-311.pyc": b"" for n in range(20_000)}
        _zip(project, archive, cached, {})
    elif special == "symlinked-notebook":
        folder = cohort / sample.name / "01_factory"
        folder.mkdir(parents=True)
        (folder / "01_factory.ipynb").symlink_to(ROOT / "notebooks" / "01_factory.ipynb")
    elif special == "non-utf8-name":
        shutil.move(project, cohort / sample.name)
        os.rename(os.fsencode(cohort / sample.name), os.fsencode(cohort / sample.name) + b"-\xff")
    else:
        if special == "symlink-outside":
            (project / "secrets").symlink_to("/root")
        elif special == "stale-pyc":
            reference = catalog.find("01_factory").solution_dir / "app" / "health.py"
            cache = project / "app" / "__pycache__" / "health.cpython-311.pyc"
            py_compile.compile(str(reference), cfile=str(cache), doraise=True)
            (project / "app" / "health.pyc").write_bytes(cache.read_bytes())
        shutil.move(project, cohort / learner_of(sample))


def _shared_memory() -> list[str]:
    """The machine's System V shared-memory segments (key and size)."""
    lines = Path("/proc/sysvipc/shm").read_text(encoding="utf-8").splitlines()[1:]
    return sorted(" ".join(line.split()[:4:3]) for line in lines)


def _neighbours(disk: Path) -> None:
    """What a sandbox must hide, on the cohort's own disk: a classmate's finished project,
    an instructor's reference and an nbgrader source notebook."""
    workspace.reference(catalog.find("01_factory"), disk / "instructor" / "reference-01")
    course = disk / "instructor" / "course" / "source" / "01_factory"
    course.mkdir(parents=True)
    shutil.copyfile(ROOT / "notebooks" / "01_factory.ipynb", course / "01_factory.ipynb")


def _host_state() -> str:
    """A hash of the grader's environment: every installed file's path, size and mtime."""
    digest = hashlib.sha256()
    for top in sorted({Path(sys.prefix), grader_paths.PACKAGE, paths.PACKAGE}):
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
        if ("workbook.worker" in line or "workbook.zygote" in line) and str(scratch) in line
    ]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Grade the whole corpus and two honest learners in one cohort, once, from a folder
    outside /tmp (``/srv``, which an attack walks) beside the instructor's own files."""
    work = tmp_path_factory.mktemp("attacks")
    OUTSIDE.mkdir(parents=True, exist_ok=True)
    disk = Path(tempfile.mkdtemp(prefix="workbook-attack-cohort-", dir=OUTSIDE))
    cohort = disk / "cohort"
    cohort.mkdir()
    _neighbours(disk)
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
    before, memory = _host_state(), _shared_memory()
    book = work / "gradebook.sqlite"
    scratch = work / "scratch"  # the run's scratch folders, to tell its workers from others'
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "COLUMNS": "250"}

    def workbook(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "grader", *args, "--gradebook", str(book)]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=1200, check=False, cwd=work, env=env
        )

    run = workbook("grade", str(cohort), "--stage", "1", "--json", "--jobs", "2")
    left = sorted(p.name for p in scratch.iterdir())
    table = workbook("grade", str(cohort), "--stage", "1")  # kept results, printed as tables
    report = workbook("report")
    csv_export = workbook("export", "csv")
    time.sleep(1)  # a daemon that survived would write the sentinel again by now
    yield {
        "run": run,
        "doc": {s["learner"]: s for s in json.loads(run.stdout)["submissions"]},
        "table": table,
        "report": report,
        "csv": csv_export,
        "left": left,
        "before": before,
        "after": _host_state(),
        "memory": (memory, _shared_memory()),
        "exfiltrated": store.get("workbook-attack-exfiltrated"),
        "sentinel": SENTINEL.read_text(encoding="utf-8"),
        "workers": _workers(scratch),
    }
    SENTINEL.unlink(missing_ok=True)
    shutil.rmtree(disk, ignore_errors=True)


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
    result = graded["doc"][learner_of(sample)]
    assert result["status"] == sample.expected_status, result.get("message")
    assert result["score"] == sample.expected_score
    honest = graded["doc"]["honest-reference"]
    assert len(result["tests"]) == len(honest["tests"]), "the set of graded tests changed"


@pytest.mark.parametrize("sample", CORPUS, ids=[s.name for s in CORPUS])
def test_each_tampering_attempt_is_flagged_for_the_instructor(
    graded: dict[str, Any], sample: samples.Sample
) -> None:
    flags = graded["doc"][learner_of(sample)].get("flags", [])
    if sample.spec["flag"]:
        assert any(sample.spec["flag"] in flag for flag in flags), flags
    else:
        assert flags == [], "a broken but honest submission is not an attack"


def test_honest_learners_in_an_attacked_cohort_are_unaffected(graded: dict[str, Any]) -> None:
    doc = graded["doc"]
    assert (
        doc["honest-reference"]["score"] == full_marks("01_factory")
        and doc["honest-skeleton"]["score"] == 0
    )
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
    assert report.returncode == 0, report.stderr[-2000:]
    assert "Flagged for review" in report.stdout
    for sample in CORPUS:
        if sample.spec["flag"]:
            assert f"{printable(learner_of(sample))} (01_factory)" in report.stdout, sample.name


def test_nothing_of_a_run_is_left_in_its_temporary_folder(graded: dict[str, Any]) -> None:
    assert graded["left"] == [], "job or scratch folders outlived the run"


def test_no_shared_memory_segment_outlives_the_run(graded: dict[str, Any]) -> None:
    before, after = graded["memory"]
    assert after == before


def test_learner_text_reaches_the_terminal_escaped(graded: dict[str, Any]) -> None:
    """Names, zip entries and messages chosen by learners are shown, never obeyed: no escape
    sequence, bidi override or fake line reaches the instructor's terminal, and rich markup
    in them neither breaks the tables nor styles anything."""
    for run in (graded["table"], graded["report"]):
        assert "Traceback" not in run.stderr, run.stderr[-2000:]
        shown = run.stdout + run.stderr
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in shown, f"{raw!r} reached the terminal"
        assert not any(line.startswith("mallory: 27 of 27") for line in shown.splitlines())
    assert graded["table"].returncode == 2, graded["table"].stderr[-2000:]
    assert "conceal\\x1b[8m" in graded["table"].stdout
    assert "[/].pth" in graded["table"].stdout


def test_the_csv_export_holds_no_live_formula(graded: dict[str, Any]) -> None:
    run = graded["csv"]
    assert run.returncode == 0, run.stderr[-2000:]
    rows = list(csv.reader(io.StringIO(run.stdout)))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("x","formula")' in names
    assert "'@SUM(1+1)" in names
    assert not [name for name in names if name.startswith(("=", "+", "-", "@"))]


def test_feedback_never_reads_back_what_the_tests_sent(graded: dict[str, Any]) -> None:
    """A submission that raises or answers with a record of every request gets back, per
    test, its teaching sentence and at most a short excerpt of what it chose."""
    for test in graded["doc"]["recorder-feedback"]["tests"]:
        assert 'REC:[{"config": ' not in test["feedback"], test["feedback"]
        assert not re.search(r"REC:[^…\"]{9}", test["feedback"]), test["feedback"]
        assert "sss" not in test["feedback"] and "SECRET_KEY=" not in test["feedback"]


def test_an_exception_is_shown_as_the_line_the_learner_submitted(
    graded: dict[str, Any],
) -> None:
    feedback = [t["feedback"] for t in graded["doc"]["exception-osc"]["tests"]]
    assert any("raised ValueError at app/__init__.py:" in text for text in feedback), feedback
