"""notices keep an event's end (a range such as 9:30-11:30 or 12月4日至5日) and its part of day (上午, 全天)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_end', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('event_part', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('event_part')
        batch_op.drop_column('event_end')
