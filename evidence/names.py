"""File names as users give them: refused when they try to name a path, cleaned for display otherwise."""
from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from errors import InvalidInput

MAX_NAME = 200


def display_name(raw: str) -> str:
    """A clean display name; a name that tries to reach another folder is refused."""
    name = "".join(ch for ch in unicodedata.normalize("NFC", raw or "") if unicodedata.category(ch)[0] != "C")
    name = name.strip()
    windows, posix = PureWindowsPath(name), PurePosixPath(name)
    if ".." in windows.parts or ".." in posix.parts or windows.anchor or posix.anchor or \
            "/" in name or "\\" in name:
        raise InvalidInput(f"文件名 “{name[:80]}” 含有路径，未保存；请只上传文件本身")
    name = name.strip(".").strip()
    if not name:
        raise InvalidInput("文件名为空或无效，未保存")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 10 else name[:MAX_NAME]
    return name
