"""reminders.claimed_at: when a round claimed a reminder, so one left `sending` by a killed
process is settled as failed (发送中断) instead of waiting forever

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reminders') as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('reminders') as batch_op:
        batch_op.drop_column('claimed_at')
