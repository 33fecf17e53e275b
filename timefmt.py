"""Times as users read them: in the configured time zone (Asia/Shanghai by default), to the minute."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from config import settings


def local_date(moment: datetime) -> date:
    """The calendar day a moment falls on in the configured time zone."""
    return moment.astimezone(ZoneInfo(settings().timezone)).date()


def local_today() -> date:
    """Today in the configured time zone (not the server's)."""
    return datetime.now(ZoneInfo(settings().timezone)).date()


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(settings().timezone)).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))
