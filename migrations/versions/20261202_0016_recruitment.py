"""招生报名: recruitments, applications, and the roster's recruitment fields

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TITLE_LEVELS = ('senior', 'intermediate', 'junior', 'none')
LIVE = "status != 'withdrawn'"


def _title_level() -> sa.Enum:
    return sa.Enum(*TITLE_LEVELS, name='title_level', native_enum=False, create_constraint=True, length=16)


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('county', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('title_level', _title_level(), nullable=True))
        batch_op.add_column(sa.Column('management_post', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('grassroots', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('poor_area', sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table('recruitments',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('admitted', sa.Integer(), nullable=False),
    sa.Column('notice', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('quota > 0', name='recruitment_quota_positive'),
    sa.CheckConstraint('admitted >= 0 AND admitted <= quota', name='recruitment_within_quota'),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], ),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('class_id')
    )
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=11), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('employer', sa.String(length=100), nullable=False),
    sa.Column('post', sa.String(length=50), nullable=False),
    sa.Column('professional_title', sa.String(length=50), nullable=False),
    sa.Column('title_level', _title_level(), nullable=False),
    sa.Column('management_post', sa.Boolean(), nullable=False),
    sa.Column('region', sa.String(length=50), nullable=False),
    sa.Column('county', sa.String(length=50), nullable=False),
    sa.Column('grassroots', sa.Boolean(), nullable=False),
    sa.Column('poor_area', sa.Boolean(), nullable=False),
    sa.Column('attendance_mode', sa.Enum('onsite', 'online', name='attendance_mode', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'admitted', 'waitlisted', 'rejected', 'withdrawn', name='application_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('enrollment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainees.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_trainee_id'), ['trainee_id'], unique=False)
        batch_op.create_index('application_live_once', ['class_id', 'trainee_id'], unique=True, sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('application_live_once')
        batch_op.drop_index(batch_op.f('ix_applications_trainee_id'))
        batch_op.drop_index(batch_op.f('ix_applications_phone'))
        batch_op.drop_index(batch_op.f('ix_applications_class_id'))
    op.drop_table('applications')
    op.drop_table('recruitments')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_column('poor_area')
        batch_op.drop_column('grassroots')
        batch_op.drop_column('management_post')
        batch_op.drop_column('title_level')
        batch_op.drop_column('county')
