"""plan year numbers: subsidy cap, report and expense windows, class-size and length norms

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_years', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subsidy_cap', sa.Numeric(precision=12, scale=2), nullable=False, server_default='125000.00'))
        batch_op.add_column(sa.Column('report_days', sa.Integer(), nullable=False, server_default='15'))
        batch_op.add_column(sa.Column('expense_days', sa.Integer(), nullable=False, server_default='30'))
        batch_op.add_column(sa.Column('class_size', sa.Integer(), nullable=False, server_default='40'))
        batch_op.add_column(sa.Column('class_days', sa.Integer(), nullable=False, server_default='4'))


def downgrade():
    with op.batch_alter_table('plan_years', schema=None) as batch_op:
        for column in ('class_days', 'class_size', 'expense_days', 'report_days', 'subsidy_cap'):
            batch_op.drop_column(column)
