"""Reminders: subscription credits and the reminders sent

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None



def upgrade():
    op.create_table('subscription_credits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('session_start', 'survey', 'application', 'certificate', name='reminder_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('credits', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('credits >= 0', name='subscription_credits_not_negative'),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainees.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('trainee_id', 'kind', name='subscription_credit_once')
    )
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('session_start', 'survey', 'application', 'certificate', name='reminder_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('page', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sending', 'sent', 'no_credit', 'failed', name='reminder_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], ),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainees.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('trainee_id', 'kind', 'target', name='reminder_once')
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_status'))
        batch_op.drop_index(batch_op.f('ix_reminders_class_id'))
    op.drop_table('reminders')
    op.drop_table('subscription_credits')
