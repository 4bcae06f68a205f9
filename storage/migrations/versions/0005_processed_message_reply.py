"""a handled callback keeps its passive reply, so WeCom's retry gets the same answer

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('processedmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('processedmessage', schema=None) as batch_op:
        batch_op.drop_column('reply')
