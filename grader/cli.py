"""The instructor's ``workbook`` command: the learner's verbs, then grading and authoring."""

from __future__ import annotations

import click

from authoring import commands as author
from grader.commands import demo, grade, report, similar, verify
from workbook import cli as learner_cli


def group() -> click.Group:
    """The learner's group with the instructor's and the author's verbs added."""
    cli = learner_cli.group()
    for command in (
        grade.grade,
        report.report,
        report.export,
        report.gradebook_group,
        report.feedback,
        report.stats,
        similar.similar,
        demo.demo,
        author.build,
        verify.verify,
        author.solution,
        author.release,
    ):
        cli.add_command(command)
    return cli


def main() -> None:
    """The instructor's kit's entry point."""
    learner_cli.run(group())
