"""The gradebook: one SQLite file, one row per (learner, stage), written atomically."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import sqlite3
import threading
from pathlib import Path

from workbook.errors import WorkbookError
from workbook.results import SubmissionResult
from workbook.text import spreadsheet_cell

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    learner TEXT NOT NULL,
    stage TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    suite_version TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    result_json TEXT NOT NULL,
    PRIMARY KEY (learner, stage)
)
"""


def _storable(text: str) -> str:
    """Valid UTF-8 for SQLite: a lone surrogate (from a name that is not UTF-8) is escaped."""
    return text.encode("utf-8", errors="backslashreplace").decode("utf-8")


class Gradebook:
    """Results by learner and stage; the newest grading of a submission replaces the old."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()  # grading threads look up while the main thread records
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, check_same_thread=False)
            with contextlib.suppress(OSError):  # a shared gradebook keeps its owner's mode
                path.chmod(0o600)  # grades are the instructor's: no other user reads them
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise WorkbookError(f"{path} is not a usable gradebook ({exc})") from None

    def record(self, result: SubmissionResult, suite_version: str) -> None:
        """Store one result in one transaction."""
        row = (
            _storable(result.learner),
            result.stage,
            result.score,
            result.max_score,
            result.status,
            _storable(result.message),
            result.content_hash,
            suite_version,
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            json.dumps(result.as_json(), sort_keys=True),
        )
        with self.lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?,?,?)", row)

    def unchanged(
        self, learner: str, stage: str, content_hash: str, suite_version: str
    ) -> SubmissionResult | None:
        """The stored result of this exact submission under this exact suite, if graded."""
        query = (
            "SELECT result_json FROM results WHERE learner = ? AND stage = ? AND "
            "content_hash = ? AND suite_version = ? AND status = 'graded'"
        )
        with self.lock:
            row = self.db.execute(query, (learner, stage, content_hash, suite_version)).fetchone()
        if row is None:
            return None
        result = SubmissionResult.from_json(learner, stage, json.loads(row[0]))
        result.content_hash, result.reused = content_hash, True
        return result

    def result(self, learner: str, stage: str) -> SubmissionResult | None:
        """The stored result of one learner's stage, if any."""
        query = "SELECT result_json FROM results WHERE learner = ? AND stage = ?"
        with self.lock:
            row = self.db.execute(query, (_storable(learner), stage)).fetchone()
        return (
            None if row is None else SubmissionResult.from_json(learner, stage, json.loads(row[0]))
        )

    def results(self, stage: str | None = None) -> list[SubmissionResult]:
        """Every stored result (of one stage, if given), by stage then learner."""
        query = "SELECT learner, stage, result_json FROM results"
        params: tuple[str, ...] = ()
        if stage:
            query, params = query + " WHERE stage = ?", (stage,)
        with self.lock:
            rows = self.db.execute(query + " ORDER BY stage, learner", params).fetchall()
        return [
            SubmissionResult.from_json(learner, st, json.loads(raw)) for learner, st, raw in rows
        ]

    def to_csv(self, stage: str | None = None) -> str:
        """One row per learner, a score column per stage, then the total."""
        results = self.results(stage)
        stages = sorted({r.stage for r in results})
        learners = sorted({r.learner for r in results})
        cell = {(r.learner, r.stage): r for r in results}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["learner", *stages, "total", "max_total"])
        for learner in learners:
            mine = [cell.get((learner, s)) for s in stages]
            writer.writerow(
                [
                    spreadsheet_cell(learner),
                    *[
                        ("" if r is None else r.score if r.status == "graded" else "error")
                        for r in mine
                    ],
                    sum(r.score for r in mine if r),
                    sum(r.max_score for r in mine if r),
                ]
            )
        return out.getvalue()

    def rows(self) -> list[tuple[object, ...]]:
        """Every stored row as it is, by learner and stage."""
        with self.lock:
            return self.db.execute("SELECT * FROM results ORDER BY learner, stage").fetchall()

    def merge(self, other: Gradebook) -> int:
        """Copy ``other``'s rows in, one transaction; where both hold a (learner, stage), the
        later grading wins. The number of rows taken."""
        taken = 0
        with self.lock, self.db:
            for row in other.rows():
                mine = self.db.execute(
                    "SELECT graded_at FROM results WHERE learner = ? AND stage = ?", row[:2]
                ).fetchone()
                if mine is None or str(mine[0]) <= str(row[8]):
                    self.db.execute(
                        "INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?,?,?)", row
                    )
                    taken += 1
        return taken

    def close(self) -> None:
        """Close the database."""
        self.db.close()
