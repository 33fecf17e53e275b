"""Free text as the product stores it: control characters (NUL included, which PostgreSQL refuses) removed."""
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(value: str | None) -> str:
    """Text without control characters; line breaks, tabs and spacing stay."""
    return _CONTROL.sub("", value or "")


def clean_text(value: str | None) -> str:
    """Trimmed text without control characters."""
    return without_controls(value).strip()
