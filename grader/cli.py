"""The ``workbook`` command: a thin click group; each verb lives in ``grader/commands/``."""

from __future__ import annotations

import sys

import click

from grader.commands import author, check, demo, grade, learner, report, verify, watch
from grader.errors import WorkbookError
from grader.text import printable


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flask-workbook")
def cli() -> None:
    """Flask Workbook: learn production Flask stage by stage, graded."""


for command in (
    learner.list_stages,
    learner.start,
    check.check,
    learner.hint,
    watch.watch,
    grade.grade,
    report.report,
    report.export,
    demo.demo,
    author.build,
    verify.verify,
    author.solution,
):
    cli.add_command(command)


def main() -> None:
    """Entry point: a WorkbookError becomes one line on stderr and exit code 2."""
    try:
        cli.main(standalone_mode=False)
    except WorkbookError as exc:
        click.echo(f"workbook: error: {printable(exc)}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("workbook: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
