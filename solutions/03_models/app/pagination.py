"""One page of a query's rows, and the meta a list endpoint answers with."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass(frozen=True)
class Page:
    """The rows of one page and where it sits."""

    rows: list[Any]
    page: int
    per_page: int
    total: int

    def meta(self) -> dict[str, int]:
        """``{"page", "per_page", "total"}`` for the envelope."""
        return {"page": self.page, "per_page": self.per_page, "total": self.total}


def page_args() -> tuple[int, int]:
    """``?page=`` (from 1) and ``?per_page=`` (1..100, default DEFAULT_PAGE_SIZE)."""
    default = int(current_app.config.get("DEFAULT_PAGE_SIZE", 20))
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", default, type=int)
    return max(page, 1), min(max(per_page, 1), 100)


def paginate(stmt: Select[Any], page: int, per_page: int) -> Page:
    """Run ``stmt`` for one page: two statements (count and rows) whatever the size.

    A page past the end is empty without asking for its rows, so ``?page=`` may be any
    number: an OFFSET past the database's 64-bit integers is never sent.
    """
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = int(db.session.scalar(counted) or 0)
    offset = (page - 1) * per_page
    past_the_end = offset > 0 and offset >= total
    rows = [] if past_the_end else db.session.execute(stmt.limit(per_page).offset(offset)).all()
    return Page(list(rows), page, per_page, total)


def parse_uuid(text: str | None) -> uuid.UUID | None:
    """``text`` as a UUID, or None when it is not one (an unknown id is a 404, not a 500)."""
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None
