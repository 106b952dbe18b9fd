"""Per-learner feedback pages: one self-contained HTML file per learner, from the gradebook.

A page works offline and fetches nothing: its styles are inline, it has no script, and its
Content-Security-Policy forbids every request. It shows each stage's score, the points per
task, the teaching sentence of every check that did not pass, regressions and flags, and
never a hidden test's name or code. Every string a learner controls is escaped.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import defaultdict
from pathlib import Path

from workbook import catalog
from workbook.errors import WorkbookError
from workbook.results import SubmissionResult, TestResult

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; } td, th { padding: .3rem .6rem; text-align: left; }
tr + tr td { border-top: 1px solid #ddd; } .bar { background: #eee; height: .6rem; width: 8rem; }
.bar span { display: block; height: 100%; background: #2a7; } .error { color: #b00; }
.flag { color: #909; } li { margin: .3rem 0; }
"""
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def page_name(learner: str) -> str:
    """A file name for ``learner``'s page: safe characters, and a hash so two names that
    look alike once made safe never share a file."""
    digest = hashlib.sha256(learner.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    slug = UNSAFE.sub("-", learner).strip("-.")[:40] or "learner"
    return f"{slug}-{digest}.html"


def write_pages(results: list[SubmissionResult], out: Path) -> list[Path]:
    """One page per learner in ``out``; the files written."""
    by_learner: dict[str, list[SubmissionResult]] = defaultdict(list)
    for result in results:
        by_learner[result.learner].append(result)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for learner, mine in sorted(by_learner.items()):
        path = out / page_name(learner)
        path.write_text(render(learner, sorted(mine, key=lambda r: r.stage)), encoding="utf-8")
        written.append(path)
    return written


def render(learner: str, results: list[SubmissionResult]) -> str:
    """The whole page of one learner."""
    body = "".join(_stage(result) for result in results)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>Feedback for {_e(learner)}</title><style>{STYLE}</style></head>"
        f"<body><h1>Feedback for {_e(learner)}</h1>{body}</body></html>\n"
    )


def _stage(result: SubmissionResult) -> str:
    titles = _titles(result.stage)
    parts = [
        f"<h2>{_e(result.stage)}: {result.score:g} / {result.max_score:g} points</h2>",
    ]
    if result.status != "graded":
        parts.append(f'<p class="error">Not graded: {_e(result.message)}</p>')
    if result.flags:
        parts.append(f'<p class="flag">Flagged for review: {_e("; ".join(result.flags))}</p>')
    parts.append(_tasks(result.tests, titles))
    failed = sorted(
        (t for t in result.tests if t.outcome != "passed" and t.feedback), key=lambda t: t.task
    )
    if failed:
        items = "".join(f"<li>Task {t.task}: {_e(t.feedback)}</li>" for t in failed)
        parts.append(f"<h3>What to fix</h3><ul>{items}</ul>")
    if result.regressions:
        items = "".join(
            f"<li>An earlier stage's task {t.task}: {_e(t.feedback)}</li>"
            for t in result.regressions
        )
        parts.append(f"<h3>Earlier stages that no longer pass</h3><ul>{items}</ul>")
    return "".join(parts)


def _tasks(tests: list[TestResult], titles: dict[int, str]) -> str:
    points: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for test in tests:
        points[test.task][0] += test.points
        points[test.task][1] += test.max_points
    rows = []
    for task, (got, best) in sorted(points.items()):
        share = 0 if not best else round(100 * got / best)
        rows.append(
            f"<tr><td>Task {task}</td><td>{_e(titles.get(task, ''))}</td>"
            f"<td>{got:g} / {best:g}</td>"
            f'<td><div class="bar"><span style="width:{share}%"></span></div></td></tr>'
        )
    return "<table>" + "".join(rows) + "</table>"


def _titles(stage: str) -> dict[int, str]:
    try:
        return {task.number: task.title for task in catalog.find(stage).tasks}
    except WorkbookError:  # a gradebook row of a stage this kit no longer has
        return {}


def _e(text: str) -> str:
    """``text`` escaped for HTML, with what UTF-8 cannot hold (lone surrogates) replaced."""
    return html.escape(text.encode("utf-8", "replace").decode("utf-8"), quote=True)
