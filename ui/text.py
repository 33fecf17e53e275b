"""Show text that came from files or users as text: markdown and HTML in it must stay inert."""
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md(text: str) -> str:
    """Escape `text` for st.markdown, so links, images, emphasis and HTML show literally."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")
