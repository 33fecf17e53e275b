"""File names as users give them: refused when they try to name a path, cleaned for display otherwise; names
inside zip archives decoded as the program that made the archive meant them."""
from __future__ import annotations

import struct
import unicodedata
import zipfile
import zlib
from pathlib import PurePosixPath, PureWindowsPath

from errors import InvalidInput

MAX_NAME = 200
UTF8_FLAG = 0x800
UNICODE_PATH_FIELD = 0x7075
GUESSES = ("utf-8", "gb18030")  # then cp437, which decodes any bytes


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


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The name of a zip member, as its maker meant it, in NFC with "/" between folders.

    With the UTF-8 flag (bit 11) the name is UTF-8. Without it the bytes are whatever the maker used: Windows'
    own zip writes the OEM code page (GBK on Chinese Windows), Info-ZIP on Linux and macOS' Archive Utility
    write UTF-8 without setting the flag (macOS decomposed, hence NFC). So an Info-ZIP Unicode Path field whose
    checksum matches the name is believed first; then the bytes are read as strict UTF-8 (GBK text is almost
    never valid UTF-8), then GB18030 (which contains GBK), and last as CP437, the format's own default."""
    if info.flag_bits & UTF8_FLAG:
        name = info.filename
    else:
        raw = info.filename.encode("cp437")  # zipfile decoded the unflagged bytes as cp437: undo it exactly
        name = _unicode_path(info.extra, raw) or _guess(raw)
    return unicodedata.normalize("NFC", name).replace("\\", "/")


def _guess(raw: bytes) -> str:
    for encoding in GUESSES:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("cp437")


def _unicode_path(extra: bytes, raw: bytes) -> str | None:
    """The UTF-8 name in an Info-ZIP Unicode Path extra field (0x7075), if it belongs to this raw name."""
    while len(extra) >= 4:
        kind, size = struct.unpack("<HH", extra[:4])
        body, extra = extra[4: 4 + size], extra[4 + size:]
        if kind == UNICODE_PATH_FIELD and len(body) > 5 and body[0] == 1 and \
                struct.unpack("<I", body[1:5])[0] == zlib.crc32(raw):
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None
