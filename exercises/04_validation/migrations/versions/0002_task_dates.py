"""Add start and due dates to tasks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two nullable date columns (batch mode: SQLite rebuilds the table)."""
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("due_date", sa.Date(), nullable=True))


def downgrade() -> None:
    """Drop the two date columns."""
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("due_date")
        batch.drop_column("start_date")
