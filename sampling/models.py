"""The sampling plan's tables (issue 17)."""
from __future__ import annotations
