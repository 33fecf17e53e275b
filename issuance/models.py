"""Document templates and issued documents: the tables (issue 18)."""
from __future__ import annotations
