"""What every request must be before a schema sees it: text PostgreSQL can store.

A JSON body nested past Python's recursion limit, or holding a NUL character or a lone
surrogate (valid JSON escapes, but not storable text), is no JSON to the app: ``get_json``
answers None (or 400), never a 500 from deep inside the database driver. A query string
with a NUL character is a 400.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask.json.provider import DefaultJSONProvider


class StorableJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading only documents whose every string is storable text."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse ``s``; ValueError (so a 400) when it is too deep or holds unstorable text."""
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None
        if not storable(value):
            raise ValueError("the JSON holds a NUL character or a lone surrogate")
        return value


def storable(value: Any) -> bool:
    """Whether every string in ``value`` (keys too) is UTF-8 text without NUL characters."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or not _encodes(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_nul_in_query() -> None:
    """A ``before_request`` hook: 400 when a query argument holds a NUL character."""
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            abort(400, description="the query string must not contain NUL characters")
