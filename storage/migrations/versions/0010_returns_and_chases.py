"""reports sent back to their unit (退回), and each unit's latest 催报

Revision ID: 0010
Revises: 0012
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reportreturn',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('returned_by', sa.String(), nullable=False),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id', 'revision')
    )
    with op.batch_alter_table('reportreturn', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reportreturn_report_id'), ['report_id'], unique=False)

    op.create_table('unitchase',
    sa.Column('unit_id', sa.String(), nullable=False),
    sa.Column('chased_by', sa.String(), nullable=False),
    sa.Column('chased_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('unit_id')
    )


def downgrade() -> None:
    op.drop_table('unitchase')
    with op.batch_alter_table('reportreturn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reportreturn_report_id'))
    op.drop_table('reportreturn')
