"""Show text that came from files or users as text, and times in the users' time zone; how long typed text may be.

Everything Streamlit shows in markdown (st.markdown, captions, alerts, toasts, button and expander labels) reads
`*`, `_`, `[x](y)`, `<b>`, `#`, backticks and more as formatting. `md` escapes a piece of user text placed into
markdown the page writes; `as_text` is for a whole message (a product error, a flash) that is text throughout.
"""
import re

from timefmt import local_time

__all__ = ["as_text", "local_time", "longest", "md", "md_lines"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$/=&])")


def md(text: str) -> str:
    """Escape `text` for st.markdown, so links, images, emphasis, headings, HTML, entities, emoji shortcodes and
    Streamlit's :material/icon: and :color[text] directives show literally."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def md_lines(text: str) -> str:
    """`md`, keeping the text's line breaks (markdown would join the lines of a paragraph)."""
    return md(text).replace("\r\n", "\n").replace("\n", "  \n")


_ACTIVE = re.compile(r"([\\`*_{}\[\]<>#|~$&:])|(?i:(?<=material)(/))")  # /: Streamlit reads :material/x: escaped
_BULLET = re.compile(r"^([ \t]*)([-+=])(?=[ \t]|[-=]*[ \t]*$)", re.M)  # lists, rules and setext underlines
_NUMBERED = re.compile(r"^([ \t]*\d{1,9})([.)])(?=[ \t]|$)", re.M)      # "1. ", not "5.3.1.a"


def as_text(message: str) -> str:
    """A whole message for st.error, st.success or st.toast, shown as the text it is. Unlike `md` it leaves alone
    what markdown acts on only beside characters escaped here (dots, parentheses, dashes within a line), so the
    message also reads the same in the page source, the logs and tests. (Streamlit still makes a bare URL or
    e-mail address clickable: the autolink runs whatever is escaped, and the text shown is unchanged.)"""
    text = _ACTIVE.sub(lambda m: "\\" + (m[1] or m[2]), message or "")
    return _NUMBERED.sub(r"\1\\\2", _BULLET.sub(r"\1\\\2", text))


def longest(model, field: str) -> int:
    """The most characters `model.field` stores, for a form's max_chars (one number, the model's)."""
    return next(m.max_length for m in model.model_fields[field].metadata if getattr(m, "max_length", None))
