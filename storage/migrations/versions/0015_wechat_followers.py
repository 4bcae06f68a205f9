"""the WeChat official account: followers bound to members, bind codes, wrong codes, whether WeCom knows a member, each revision's channel

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'follower',
        sa.Column('openid', sa.String(), nullable=False),
        sa.Column('user_id', sa.String(), nullable=False),
        sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('openid'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_table(
        'bindcode',
        sa.Column('code', sa.String(), nullable=False),
        sa.Column('user_id', sa.String(), nullable=False),
        sa.Column('issued_by', sa.String(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('code'),
    )
    with op.batch_alter_table('bindcode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bindcode_user_id'), ['user_id'], unique=False)
    op.create_table(
        'bindfailure',
        sa.Column('openid', sa.String(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('openid'),
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_wecom', sa.Boolean(), nullable=True))
    with op.batch_alter_table('reportrevision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via', sa.String(), nullable=False, server_default='wecom'))


def downgrade() -> None:
    with op.batch_alter_table('reportrevision', schema=None) as batch_op:
        batch_op.drop_column('via')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('in_wecom')
    op.drop_table('bindfailure')
    op.drop_table('bindcode')
    op.drop_table('follower')
