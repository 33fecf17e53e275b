"""Show text that came from files or users as text, and times in the users' time zone; how long typed text may be."""
import re

from timefmt import local_time

__all__ = ["local_time", "longest", "md"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md(text: str) -> str:
    """Escape `text` for st.markdown, so links, images, emphasis and HTML show literally."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")



def longest(model, field: str) -> int:
    """The most characters `model.field` stores, for a form's max_chars (one number, the model's)."""
    return next(m.max_length for m in model.model_fields[field].metadata if getattr(m, "max_length", None))
