"""lecturers belong to the unit that created them

Revision ID: 0131
Revises: 0130
Create Date: 2026-12-01 22:00:00

Existing lecturers: a lecturer who teaches sessions of one host unit's classes only is given
that unit; any other (teaching for several units, or for none) stays admin-created (NULL),
so that no organizer gains a lecturer who also teaches for another unit.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0131'
down_revision = '0130'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lecturers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lecturers_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key('fk_lecturers_unit_id_units', 'units', ['unit_id'], ['id'])
    op.execute(
        """
        UPDATE lecturers SET unit_id = (
            SELECT MIN(p.host_unit_id) FROM sessions s
            JOIN training_classes c ON c.id = s.class_id
            JOIN projects p ON p.id = c.project_id
            WHERE s.lecturer_id = lecturers.id
        )
        WHERE (
            SELECT COUNT(DISTINCT p.host_unit_id) FROM sessions s
            JOIN training_classes c ON c.id = s.class_id
            JOIN projects p ON p.id = c.project_id
            WHERE s.lecturer_id = lecturers.id
        ) = 1
        """
    )


def downgrade():
    with op.batch_alter_table('lecturers', schema=None) as batch_op:
        batch_op.drop_constraint('fk_lecturers_unit_id_units', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lecturers_unit_id'))
        batch_op.drop_column('unit_id')
