"""Times as users read them: in the configured time zone (Asia/Shanghai by default), to the minute."""
from datetime import datetime
from zoneinfo import ZoneInfo

from config import settings


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(settings().timezone)).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))
