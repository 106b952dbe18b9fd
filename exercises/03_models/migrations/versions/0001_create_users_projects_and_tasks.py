"""Create users, projects and tasks.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables, their keys and their indexes."""
    # TODO(task 4): Create users, projects and tasks with their keys, constraints and indexes (`flask db migrate` writes a first draft; read it).
    raise NotImplementedError('TODO(task 4): Create users, projects and tasks with their keys, constraints and indexes (`flask db migrate` writes a first draft; read it).')


def downgrade() -> None:
    """Drop what upgrade() created, dependants first."""
    # TODO(task 4): Undo upgrade() exactly: drop the indexes and tables in reverse order.
    raise NotImplementedError('TODO(task 4): Undo upgrade() exactly: drop the indexes and tables in reverse order.')
