"""Show text that came from files or users as text, and times in the users' time zone."""
import re

from timefmt import local_time

__all__ = ["local_time", "md"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md(text: str) -> str:
    """Escape `text` for st.markdown, so links, images, emphasis and HTML show literally."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")

