"""Imports every table module, so SQLModel's metadata (and Alembic) sees the whole schema."""
from audits import models as audit_models  # noqa: F401
