"""drop checkin_code_failures: the typed-code budget lives in the rate limiter's storage

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkin_code_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_code_failures_trainee_at')
    op.drop_table('checkin_code_failures')


def downgrade():
    op.create_table('checkin_code_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainees.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin_code_failures', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_code_failures_trainee_at', ['trainee_id', 'at'], unique=False)
