"""Check-in indexes for a class's counts: (class, session, address) and (class, enrollment,
address) replace the single-column class and enrollment indexes (checkin_once leads with
the enrollment)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 06:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_checkins_class_session_addr', 'checkins', ['class_id', 'session_id', 'client_addr'])
    op.create_index('ix_checkins_class_enrollment_addr', 'checkins', ['class_id', 'enrollment_id', 'client_addr'])
    op.drop_index('ix_checkins_class_id', table_name='checkins')
    op.drop_index('ix_checkins_enrollment_id', table_name='checkins')


def downgrade():
    op.create_index('ix_checkins_enrollment_id', 'checkins', ['enrollment_id'])
    op.create_index('ix_checkins_class_id', 'checkins', ['class_id'])
    op.drop_index('ix_checkins_class_enrollment_addr', table_name='checkins')
    op.drop_index('ix_checkins_class_session_addr', table_name='checkins')
