"""Learner-controlled text made safe to show: on a terminal, in rich markup, in a spreadsheet.

Names, file names, flags, feedback and messages can hold whatever a learner chose: escape
sequences that retitle the terminal, hide text or write the clipboard (``ESC]0;``, ``ESC[8m``,
OSC 52), newlines that print a fake result line, bidi overrides that reorder what is read,
rich markup, or spreadsheet formulas.
"""

from __future__ import annotations

import re

from rich.markup import escape

# C0 and C1 controls, DEL, and the Unicode bidi, zero-width and line-separator characters.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
# A spreadsheet runs a cell that starts with one of these (OWASP's list).
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` on one line, every control or invisible formatting character shown as an
    escape (``\\x1b``, ``\\n``, ``\\u202e``); a lone surrogate becomes ``\\udcff``."""
    value = str(text).encode("utf-8", errors="backslashreplace").decode("utf-8")
    return _UNSAFE.sub(_escaped, value)


def markup(text: object) -> str:
    """``text`` made printable, then escaped so that rich prints it as written."""
    return escape(printable(text))


def spreadsheet_cell(value: object) -> object:
    """A CSV cell no spreadsheet runs as a formula: text starting ``=``, ``+``, ``-``, ``@``
    (and the like) gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
