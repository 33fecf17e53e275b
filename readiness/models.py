"""The consultant's preparation tasks: the tables (issue 20)."""
from __future__ import annotations
