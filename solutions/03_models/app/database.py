"""Writing to the database: every mutation's commit goes through here."""

from __future__ import annotations

from app.extensions import db


def commit() -> None:
    """Commit the session; on any error roll back first, so the session stays usable, and
    re-raise (the caller turns an IntegrityError into its 409)."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
