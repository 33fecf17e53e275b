"""Alembic environment: the URL comes from the caller's connection or from the app's settings."""
from alembic import context
from sqlmodel import SQLModel

import models_registry  # noqa: F401  (imports every table so the metadata is complete)

target_metadata = SQLModel.metadata


def _configure_and_run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    from config import settings
    from db import make_engine
    engine = make_engine(context.get_x_argument(as_dictionary=True).get("dburl")
                         or settings().effective_database_url)
    with engine.begin() as conn:
        _configure_and_run(conn)
    engine.dispose()


run()
