"""Free text as the product stores it: control characters (NUL included, which PostgreSQL refuses) removed."""
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """Trimmed text without control characters; line breaks and tabs stay."""
    return _CONTROL.sub("", value or "").strip()
