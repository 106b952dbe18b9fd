"""The instructor's terminal tables: one learner's tests, the gradebook, the flags."""

from __future__ import annotations

from rich.table import Table

from grader.stats import TestStat
from workbook.results import SubmissionResult
from workbook.text import markup

MARK = {"passed": "[green]✓[/]", "failed": "[red]✗[/]"}


def submission_table(result: SubmissionResult) -> Table:
    """One learner's tests: outcome, points and the teaching feedback."""
    title = f"{markup(result.learner)}: {result.score:g}/{result.max_score:g}"
    if result.status != "graded":
        title += f"  [red]error: {markup(result.message)}[/]"
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    if result.flags:
        table.caption = f"[magenta]⚑ flagged: {markup('; '.join(result.flags))}[/]"
        table.caption_justify = "left"
    table.add_column("", width=1)
    table.add_column("test")
    table.add_column("points", justify="right")
    table.add_column("feedback", overflow="fold")
    for test in result.tests:
        table.add_row(
            MARK.get(test.outcome, "[yellow]![/]"),
            markup(test.name),
            f"{test.points:g}/{test.max_points:g}",
            markup(test.feedback),
        )
    for test in result.regressions:
        table.add_row(
            "[yellow]↺[/]", f"{markup(test.id)} (earlier stage)", "", markup(test.feedback)
        )
    return table


def gradebook_table(results: list[SubmissionResult]) -> Table:
    """Learners down, stages across: score/max, or the error."""
    stages = sorted({r.stage for r in results})
    learners = sorted({r.learner for r in results})
    cell = {(r.learner, r.stage): r for r in results}
    table = Table(title="Gradebook", title_justify="left")
    table.add_column("learner")
    for stage in stages:
        table.add_column(stage, justify="right")
    for learner in learners:
        row = [markup(learner)]
        for stage in stages:
            r = cell.get((learner, stage))
            row.append("" if r is None else _cell(r))
        table.add_row(*row)
    return table


def flagged_lines(results: list[SubmissionResult]) -> list[str]:
    """One line per flagged submission: what it tried against the grader."""
    return [
        f"[magenta]⚑[/] {markup(r.learner)} ({markup(r.stage)}): {markup('; '.join(r.flags))}"
        for r in results
        if r.flags
    ]


def _cell(result: SubmissionResult) -> str:
    text = f"{result.score:g}/{result.max_score:g}"
    if result.flags:
        text += " [magenta]⚑[/]"
    if result.status != "graded":
        return f"[red]error[/] {text}"
    if result.regressions:
        text += f" [yellow]↺{len(result.regressions)}[/]"
    return text


def stats_table(stage: str, stats: list[TestStat]) -> Table:
    """Checks down, most failed first: failures and the most common feedback."""
    table = Table(title=f"{stage}: checks by failures", title_justify="left")
    for name in ("task", "check", "failed", "most common feedback"):
        table.add_column(name, justify="right" if name == "failed" else "left")
    for stat in stats:
        table.add_row(
            str(stat.task),
            stat.id.split("::")[-1],
            f"{stat.failed}/{stat.graded}",
            markup(stat.common_feedback[:160]),
        )
    return table
