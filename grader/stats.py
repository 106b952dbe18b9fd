"""Cohort statistics for one stage: which checks learners fail, and how each task's points
spread. Instructors use it to find unclear instructions and weak tests.

For the instructor only (test ids appear), as a table and as a self-contained HTML report
with one inline SVG chart per task.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass

from workbook.results import SubmissionResult

CSP = "default-src 'none'; style-src 'unsafe-inline'"
BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 28, 6, 120


@dataclass(frozen=True)
class TestStat:
    """How one check fared across the cohort."""

    id: str
    task: int
    failed: int
    graded: int
    common_feedback: str


def test_stats(results: list[SubmissionResult]) -> list[TestStat]:
    """Per check of the stage, most failed first: failures among graded learners, and the
    teaching sentence (with its detail) they most often got."""
    failed: dict[str, int] = defaultdict(int)
    seen: dict[str, int] = defaultdict(int)
    tasks: dict[str, int] = {}
    sentences: dict[str, Counter[str]] = defaultdict(Counter)
    for result in _graded(results):
        for test in result.tests:
            seen[test.id] += 1
            tasks[test.id] = test.task
            if test.outcome != "passed":
                failed[test.id] += 1
                sentences[test.id][test.feedback] += 1
    stats = [
        TestStat(
            test_id,
            tasks[test_id],
            failed[test_id],
            seen[test_id],
            sentences[test_id].most_common(1)[0][0] if sentences[test_id] else "",
        )
        for test_id in seen
    ]
    return sorted(stats, key=lambda s: (-s.failed, s.task, s.id))


def task_distribution(results: list[SubmissionResult]) -> dict[int, Counter[float]]:
    """Per task, how many learners got each score."""
    spread: dict[int, Counter[float]] = defaultdict(Counter)
    for result in _graded(results):
        points: dict[int, float] = defaultdict(float)
        for test in result.tests:
            points[test.task] += test.points
        for task, got in points.items():
            spread[task][round(got, 2)] += 1
    return dict(sorted(spread.items()))


def html_report(stage: str, results: list[SubmissionResult]) -> str:
    """The statistics as one self-contained HTML page: a chart per task, a row per check."""
    graded = len(_graded(results))
    charts = "".join(
        f"<figure><figcaption>Task {task}: learners per score</figcaption>{_svg(spread)}</figure>"
        for task, spread in task_distribution(results).items()
    )
    rows = "".join(
        f"<tr><td>{s.task}</td><td>{_e(s.id)}</td><td>{s.failed} / {s.graded}</td>"
        f"<td>{_e(s.common_feedback)}</td></tr>"
        for s in test_stats(results)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{_e(stage)}: cohort statistics</title><style>"
        "body{font:14px/1.4 system-ui,sans-serif;margin:2rem}td,th{padding:.2rem .5rem;"
        "text-align:left;vertical-align:top}figure{display:inline-block;margin:0 2rem 1rem 0}"
        "</style></head>"
        f"<body><h1>{_e(stage)}: {graded} graded learner(s)</h1>{charts}"
        "<table><tr><th>task</th><th>check</th><th>failed</th>"
        f"<th>most common feedback</th></tr>{rows}</table></body></html>\n"
    )


def _svg(spread: Counter[float]) -> str:
    """Bars of learners per score, lowest score first, labelled underneath."""
    scores = sorted(spread)
    tallest = max(spread.values())
    width = len(scores) * (BAR_WIDTH + BAR_GAP) + BAR_GAP
    parts = []
    for n, score in enumerate(scores):
        x = BAR_GAP + n * (BAR_WIDTH + BAR_GAP)
        height = round(CHART_HEIGHT * spread[score] / tallest)
        y = CHART_HEIGHT - height + 14
        parts.append(
            f'<rect x="{x}" y="{y}" width="{BAR_WIDTH}" height="{height}" fill="#2a7">'
            f"<title>{spread[score]} learner(s) scored {score:g}</title></rect>"
            f'<text x="{x + BAR_WIDTH / 2}" y="{y - 3}" text-anchor="middle" '
            f'font-size="11">{spread[score]}</text>'
            f'<text x="{x + BAR_WIDTH / 2}" y="{CHART_HEIGHT + 28}" text-anchor="middle" '
            f'font-size="11">{score:g}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{CHART_HEIGHT + 34}" role="img">{"".join(parts)}</svg>'
    )


def _graded(results: list[SubmissionResult]) -> list[SubmissionResult]:
    return [r for r in results if r.status == "graded"]


def _e(text: str) -> str:
    return html.escape(text.encode("utf-8", "replace").decode("utf-8"), quote=True)
