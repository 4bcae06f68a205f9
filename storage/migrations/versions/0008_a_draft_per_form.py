"""a user may keep a draft of each form at once: conversation's key becomes (user_id, form)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _rekey(['user_id', 'form'])


def downgrade() -> None:
    op.execute(_OLDER_DRAFTS)
    _rekey(['user_id'])


_OLDER_DRAFTS = """
DELETE FROM conversation WHERE EXISTS (
    SELECT 1 FROM conversation newer WHERE newer.user_id = conversation.user_id
    AND (newer.updated_at > conversation.updated_at OR (newer.updated_at = conversation.updated_at AND newer.form > conversation.form))
)"""  # one draft per user again: the one touched last


def _rekey(columns: list[str]) -> None:
    """Recreate the table under the new primary key (SQLite cannot alter one in place), rows kept."""
    op.create_table(
        'conversation_new',
        sa.Column('user_id', sa.String(), nullable=False),
        sa.Column('form', sa.String(), nullable=False),
        sa.Column('state', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        *([sa.Column('turn', sa.Integer(), nullable=False, server_default='0')] if len(columns) > 1 else []),
        sa.PrimaryKeyConstraint(*columns),
    )
    op.execute("INSERT INTO conversation_new (user_id, form, state, updated_at) SELECT user_id, form, state, updated_at FROM conversation")
    op.drop_table('conversation')
    op.rename_table('conversation_new', 'conversation')
