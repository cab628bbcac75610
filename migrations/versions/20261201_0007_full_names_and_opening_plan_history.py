"""users.full_name (the name in the pages' header); opening plans' history of decisions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'opening_plan_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('class_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('by_user_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['class_id'], ['training_classes.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('opening_plan_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_opening_plan_decisions_class_id', ['class_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('full_name', sa.String(length=50), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('full_name')
    op.drop_table('opening_plan_decisions')
