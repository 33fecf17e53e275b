"""Show text that came from files or users as text, and times in the users' time zone."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from config import settings

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md(text: str) -> str:
    """Escape `text` for st.markdown, so links, images, emphasis and HTML show literally."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(settings().timezone)).strftime("%Y-%m-%d %H:%M")
