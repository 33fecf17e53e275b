"""Free text as the product stores and prints it, in one place.

Removed: control characters other than tab and line feed (NUL included, which PostgreSQL refuses), lone
surrogates (text cut out of a PDF or a web page), and Unicode noncharacters such as U+FFFE and U+FFFF, none of
which Word, Excel or XML can hold. Line breaks become plain line feeds (CRLF and CR from Windows and old Macs), so
an address typed on Windows does not print with doubled breaks.
"""
import re

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000))
_UNSTORABLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff{_NONCHARACTERS}]")
_BREAKS = re.compile(r"\r\n?")


def without_controls(value: str | None) -> str:
    """The text with what cannot be stored or printed removed and line breaks made plain; spacing stays."""
    return _UNSTORABLE.sub("", _BREAKS.sub("\n", value or ""))


def clean_text(value: str | None) -> str:
    """Trimmed, storable text."""
    return without_controls(value).strip()
