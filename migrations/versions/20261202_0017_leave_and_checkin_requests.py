"""请假, 补签 and 签退: leave requests (with their sessions), check-in requests, the
class's check-out setting and the check-outs

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:35:42.220389

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkout_settings',
    sa.Column('class_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], ),
    sa.PrimaryKeyConstraint('class_id')
    )
    op.create_table('checkin_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='request_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_requests_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_requests_enrollment_id'), ['enrollment_id'], unique=False)

    op.create_table('checkouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('checked_out_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], ),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enrollment_id', 'session_id', name='checkout_once')
    )
    with op.batch_alter_table('checkouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkouts_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkouts_enrollment_id'), ['enrollment_id'], unique=False)

    op.create_table('leave_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='request_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('leave_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leave_requests_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leave_requests_enrollment_id'), ['enrollment_id'], unique=False)

    op.create_table('leave_request_sessions',
    sa.Column('leave_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['leave_id'], ['leave_requests.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ),
    sa.PrimaryKeyConstraint('leave_id', 'session_id')
    )


def downgrade():
    op.drop_table('leave_request_sessions')
    with op.batch_alter_table('leave_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leave_requests_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_leave_requests_class_id'))

    op.drop_table('leave_requests')
    with op.batch_alter_table('checkouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkouts_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_checkouts_class_id'))

    op.drop_table('checkouts')
    with op.batch_alter_table('checkin_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_requests_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_requests_class_id'))

    op.drop_table('checkin_requests')
    op.drop_table('checkout_settings')
