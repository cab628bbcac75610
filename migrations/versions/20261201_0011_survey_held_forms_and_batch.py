"""survey answers released in batches: held forms, sealed; the class's batch size

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:40:00

Forms already stored as answers stay there: they were shown one by one before this
change, and there is nothing left to hide about them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_held_forms',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
        sa.Column('class_id', sa.Integer(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['class_id'], ['training_classes.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('survey_held_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_held_forms_class_id'), ['class_id'], unique=False)
    with op.batch_alter_table('survey_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_size', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            'survey_batch_size_range', 'batch_size IS NULL OR (batch_size >= 3 AND batch_size <= 50)'
        )


def downgrade():
    with op.batch_alter_table('survey_settings', schema=None) as batch_op:
        batch_op.drop_constraint('survey_batch_size_range', type_='check')
        batch_op.drop_column('batch_size')
    with op.batch_alter_table('survey_held_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_held_forms_class_id'))
    op.drop_table('survey_held_forms')
