"""The migrations build exactly the tables the models describe (what `flask db check` says)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.extensions import db


def test_the_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
