"""``workbook grade --shard I/N`` and ``workbook gradebook merge``: a cohort split over
several machines grades to the same gradebook as one run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import Run, copy_project

GRADED_AT = 8  # the column that says when, which two runs never share


def _cohort(projects: Path, base: Path) -> Path:
    cohort = base / "cohort"
    for n in range(7):
        kind = "reference" if n % 2 else "skeleton"
        copy_project(projects, "02_blueprints", kind, cohort / f"learner{n}")
    (cohort / "broken.zip").write_bytes(b"not a zip")
    return cohort


def _rows(book: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(book) as db:
        rows = db.execute("SELECT * FROM results ORDER BY learner, stage").fetchall()
    return [row[:GRADED_AT] + row[GRADED_AT + 1 :] for row in rows]


def test_three_shards_merged_equal_one_unsharded_run(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = _cohort(projects, tmp_path)
    whole = tmp_path / "whole.sqlite"
    one = workbook("grade", str(cohort), "--stage", "2", "--gradebook", str(whole))
    assert one.returncode == 2, one.stderr  # broken.zip is an error; everyone else graded
    shards = []
    for index in (1, 2, 3):
        book = tmp_path / f"shard{index}.sqlite"
        run = workbook(
            "grade", str(cohort), "--stage", "2", "--shard", f"{index}/3", "--gradebook", str(book)
        )
        assert run.returncode in (0, 2), run.stderr
        shards.append(book)
    learners = [{row[0] for row in _rows(book)} for book in shards]
    assert sum(len(s) for s in learners) == len(set().union(*learners)) == 8, learners
    merged = tmp_path / "all.sqlite"
    result = workbook("gradebook", "merge", *map(str, shards), "--out", str(merged))
    assert result.returncode == 0, result.stderr
    assert _rows(merged) == _rows(whole)


def test_a_shard_graded_again_keeps_its_unchanged_results(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = _cohort(projects, tmp_path)
    book = tmp_path / "shard.sqlite"
    args = ("grade", str(cohort), "--stage", "2", "--shard", "2/3", "--gradebook", str(book))
    workbook(*args)
    again = workbook(*args)
    graded = [row for row in _rows(book) if row[4] == "graded"]
    assert f"kept {len(graded)} unchanged result(s)" in again.stderr, again.stderr


def test_a_bad_shard_or_gradebook_is_a_one_line_error(workbook: Run, tmp_path: Path) -> None:
    (tmp_path / "cohort").mkdir()
    for value in ("0/3", "4/3", "two/3", "1/0", "1-3"):
        result = workbook("grade", "cohort", "--stage", "2", "--shard", value)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, value
        assert "--shard takes I/N" in result.stderr
    (tmp_path / "junk.sqlite").write_text("not a database")
    result = workbook("gradebook", "merge", "junk.sqlite", "--out", "all.sqlite")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    missing = workbook("gradebook", "merge", "nowhere.sqlite", "--out", "all.sqlite")
    assert missing.stderr.strip() == "workbook: error: no gradebook at nowhere.sqlite"
