"""The learner's ``workbook`` command: a thin click group; each verb lives in ``commands/``.

The instructor's kit adds its verbs to the same group (``grader.cli``); a learner kit has only
these, so an instructor verb there is an unknown command.
"""

from __future__ import annotations

import sys

import click

from workbook import __version__
from workbook.commands import check, learner, submit, watch
from workbook.errors import WorkbookError
from workbook.text import printable

LEARNER_COMMANDS = (
    learner.list_stages,
    learner.start,
    check.check,
    learner.hint,
    watch.watch,
    learner.reset,
    submit.submit,
)


def group() -> click.Group:
    """The ``workbook`` group with the learner's verbs."""

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="workbook")
    def cli() -> None:
        """Flask Workbook: learn production Flask stage by stage, graded."""

    for command in LEARNER_COMMANDS:
        cli.add_command(command)
    return cli


def run(cli: click.Group) -> None:
    """Run ``cli``: a WorkbookError becomes one line on stderr and exit code 2."""
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


def main() -> None:
    """The learner kit's entry point."""
    run(group())
