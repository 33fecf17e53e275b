"""The column type of every text column: what is written is cleaned by textclean, whatever path wrote it."""
from __future__ import annotations

from sqlalchemy.types import TypeDecorator
from sqlmodel.sql.sqltypes import AutoString

from textclean import without_controls


class CleanText(TypeDecorator):
    """VARCHAR(length) that never stores a control character, a lone surrogate or a noncharacter."""

    impl = AutoString
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return without_controls(value) if isinstance(value, str) else value
