"""Personal API tokens: the table (issue 19)."""
from __future__ import annotations
