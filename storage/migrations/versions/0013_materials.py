"""images and videos members send during a weekly report are kept as 素材, linked to each revision

Revision ID: 0013
Revises: 0009
Create Date: 2026-11-26 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'material',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.String(), nullable=False),
        sa.Column('sent_by', sa.String(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('media_id', sa.String(), nullable=False),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('filename', sa.String(), nullable=False),
        sa.Column('content_type', sa.String(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_material_sent_by'), ['sent_by'], unique=False)
    op.create_table(
        'revisionmaterial',
        sa.Column('revision_id', sa.Integer(), nullable=False),
        sa.Column('material_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['material_id'], ['material.id']),
        sa.ForeignKeyConstraint(['revision_id'], ['reportrevision.id']),
        sa.PrimaryKeyConstraint('revision_id', 'material_id'),
    )
    with op.batch_alter_table('revisionmaterial', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisionmaterial_material_id'), ['material_id'], unique=False)


def downgrade() -> None:
    op.drop_table('revisionmaterial')
    op.drop_table('material')
