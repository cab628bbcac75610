"""checkin address and device: where each check-in came from, for relay flags

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_addr', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('device', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_column('device')
        batch_op.drop_column('client_addr')
