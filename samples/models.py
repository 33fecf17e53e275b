"""Sample registers, imported logs and service targets: the tables (issue 17)."""
from __future__ import annotations
