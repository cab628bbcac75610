"""lecturers belong to the unit that created them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:00:00

Existing lecturers: a lecturer who teaches sessions of one host unit's classes only is given
that unit; any other (teaching for several units, or for none) stays admin-created (NULL),
so that no organizer gains a lecturer who also teaches for another unit.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


#: Existing lecturers get the one host unit whose classes they teach, if there is exactly one.
BACKFILL = """
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


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # A plain ADD COLUMN, not batch mode's copy: copying `lecturers` drops a table that
        # sessions and users refer to, which SQLite refuses once they have rows.
        op.execute('ALTER TABLE lecturers ADD COLUMN unit_id INTEGER REFERENCES units (id)')
    else:
        op.add_column('lecturers', sa.Column('unit_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_lecturers_unit_id_units', 'lecturers', 'units', ['unit_id'], ['id'])
    op.create_index(op.f('ix_lecturers_unit_id'), 'lecturers', ['unit_id'], unique=False)
    op.execute(BACKFILL)


def downgrade():
    # SQLite: batch mode copies the table, which works only while no session refers to it.
    with op.batch_alter_table('lecturers', schema=None) as batch_op:
        batch_op.drop_constraint('fk_lecturers_unit_id_units', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lecturers_unit_id'))
        batch_op.drop_column('unit_id')
