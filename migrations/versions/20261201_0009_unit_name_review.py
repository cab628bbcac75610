"""unit name review: a unit created under a name close to another's is flagged

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('similar_to_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_units_similar_to_id_units', 'units', ['similar_to_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint('fk_units_similar_to_id_units', type_='foreignkey')
        batch_op.drop_column('similar_to_id')
