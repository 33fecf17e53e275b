"""A client's document package (a zip, or a folder on the command line) turned into evidence linked to clauses.

The whole package is checked before anything is stored: entries with absolute paths, `..`, or links, and
archives that would unpack to far more than their own size (zip bombs), refuse the package. A member that
cannot be read (encrypted, damaged, a compression method we do not read) is refused on its own, with a
message, and the rest of the package is imported. System files (__MACOSX, .DS_Store, Thumbs.db) are skipped.

Each file is mapped to clauses by the manifest (manifest.csv / manifest.xlsx / 清单.csv / 清单.xlsx: file, clause
codes, optionally checklist item numbers), found at the top of the package or inside the one folder everything
is in (what Windows' "发送到 → 压缩(zipped)文件夹" makes of a folder); without one, by a code at the start of
the file's name or of a folder it is in ("5.1.1.1 组织架构图.pdf", "5.2.4.a/工单.pdf"); the innermost clause wins.

Evidence links to scored clauses only, so a code naming an indicator ("5.2.1 商品信息/") maps to the indicator's
clause when it has exactly one; when it has several, the file is refused with a message listing them, since
a file meant for one of them cannot be credited to all. The same rule holds for codes in the manifest.
"""
from __future__ import annotations

import io
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from criteria.model import Tree
from errors import InvalidInput
from evidence.filetypes import table_rows
from evidence.models import GENERAL
from evidence.names import zip_member_name

MANIFESTS = ("manifest.csv", "manifest.xlsx", "清单.csv", "清单.xlsx")
SYSTEM_FILES = {"__macosx", ".ds_store", "thumbs.db", "desktop.ini"}
MAX_ENTRIES = 5000
BOMB_RATIO = 200
BOMB_FLOOR = 50 * 1024 * 1024
CODE_START = re.compile(r"^\d+(?:\.[0-9A-Za-z]+)+")
SEPARATORS = re.compile(r"[\s,;，；、]+")
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError)  # lzma and bz2 report bad data as these too


@dataclass
class Entry:
    """One file of the package, where it came from, and the clauses it goes to."""

    path: str
    size: int
    opener: Callable[[], BinaryIO]
    links: dict[str, set[int]] = field(default_factory=dict)
    problem: str = ""

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def zip_entries(data: BinaryIO, archive_size: int) -> Iterator[Entry]:
    """The files of a zip, after the checks on the whole archive."""
    try:
        archive = zipfile.ZipFile(data)
    except UnicodeDecodeError:  # zipfile trusts the UTF-8 flag; a maker that set it wrongly leaves nothing to guess
        raise InvalidInput("压缩包中有文件名标明为 UTF-8 编码却不是，无法读取；请用其他压缩软件重新压缩") from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InvalidInput("不是有效的 ZIP 压缩包") from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_ENTRIES:
        raise InvalidInput(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_ENTRIES}）")
    for info in archive.infolist():
        _check_member(info, zip_member_name(info))
    total = sum(info.file_size for info in archive.infolist())
    if total > BOMB_FLOOR and total > BOMB_RATIO * max(archive_size, 1):
        raise InvalidInput(f"压缩包解压后约 {total // (1024 * 1024)} MB，远超其自身大小，疑似压缩炸弹，已拒绝")
    for info in infos:
        name = zip_member_name(info)
        if not _is_system_file(name):
            yield Entry(name, info.file_size, lambda info=info, name=name: _Member(archive, info, name),
                        problem=f"“{name}” 已加密，需要密码才能解压，未导入；请去掉密码后重新压缩"
                        if info.flag_bits & 0x1 else "")


def _check_member(info: zipfile.ZipInfo, name: str) -> None:
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise InvalidInput(f"压缩包含有绝对路径的条目 “{name}”，已拒绝整个压缩包")
    if ".." in name.split("/"):
        raise InvalidInput(f"压缩包含有指向上级目录（..）的条目 “{name}”，已拒绝整个压缩包")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InvalidInput(f"压缩包含有链接条目 “{name}”，已拒绝整个压缩包")


class _Member:
    """A zip member opened for storing: whatever zipfile finds wrong with it becomes a message naming it."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str):
        self.archive, self.info, self.name = archive, info, name

    def __enter__(self) -> _Member:
        self.stream = self._guard(lambda: self.archive.open(self.info))
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()

    def read(self, size: int = -1) -> bytes:
        return self._guard(lambda: self.stream.read(size))

    def _guard(self, action):
        try:
            return action()
        except NotImplementedError:
            raise InvalidInput(f"“{self.name}” 使用了不支持的压缩方式，未导入；请用常规 ZIP（Deflate）方式重新压缩") from None
        except DAMAGED:
            raise InvalidInput(f"“{self.name}” 在压缩包中已损坏（内容与记录的校验值或大小不符），未导入") from None


def folder_entries(root: Path) -> Iterator[Entry]:
    root = root.resolve()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            raise InvalidInput(f"文件夹中含有链接 “{relative}”，已拒绝")
        if path.is_file() and not _is_system_file(relative):
            yield Entry(unicodedata.normalize("NFC", relative), path.stat().st_size,
                        lambda path=path, relative=relative: _open_file(path, relative))


def _open_file(path: Path, relative: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InvalidInput(f"无法读取 “{relative}”（{exc.strerror}），未导入") from None


def _is_system_file(path: str) -> bool:
    """Files operating systems add to folders and archives, not what the client sent (hidden files too)."""
    return any(part.lower() in SYSTEM_FILES or part.startswith(".") for part in path.split("/"))


def map_to_clauses(entries: list[Entry], tree: Tree) -> list[Entry]:
    """Give each entry its clause links (from the manifest if there is one); the manifest itself is dropped."""
    manifest, base = _find_manifest(entries)
    files = [e for e in entries if e is not manifest]
    if manifest is not None:
        by_path = _lookup(files, base)
        for line, (name, codes, items) in _manifest_rows(manifest).items():
            entry = by_path.get(_key(name))
            if entry is None:
                files.append(Entry(name, 0, lambda: io.BytesIO(b""), problem=f"清单第 {line} 行列出的文件不在压缩包中"))
                continue
            entry.links, problem = _links(codes, items, tree)
            entry.problem = entry.problem or (f"清单第 {line} 行：{problem}" if problem else "")
    for entry in files:
        if manifest is None and not entry.problem:
            entry.links, entry.problem = _links_from_path(entry.path, tree)
        if not entry.links and not entry.problem:
            entry.problem = "清单中没有此文件，且文件名或所在文件夹不以条款代码开头" if manifest else \
                "文件名或所在文件夹不以条款代码开头，无法确定所属条款"
    return files


def _find_manifest(entries: list[Entry]) -> tuple[Entry | None, str]:
    """The manifest and the folder its paths are relative to: the top, or the one folder holding everything."""
    tops = {e.path.split("/", 1)[0] if "/" in e.path else "" for e in entries}
    for base in [""] + [f"{top}/" for top in tops if len(tops) == 1 and top]:
        for entry in entries:
            if entry.path.startswith(base) and entry.path[len(base):].lower() in MANIFESTS:
                return entry, base
    return None, ""


def _key(name: str) -> str:
    """Manifest names as people type them: either slash, NFC, any case (Windows ignores it)."""
    return unicodedata.normalize("NFC", name.strip().replace("\\", "/").removeprefix("./")).casefold()


def _lookup(files: list[Entry], base: str) -> dict[str, Entry]:
    """Each file by its bare name, its full path, and its path from the manifest's folder (the last wins)."""
    found = {_key(e.name): e for e in files} | {_key(e.path): e for e in files}
    return found | {_key(e.path[len(base):]): e for e in files if e.path.startswith(base)}


def _manifest_rows(manifest: Entry) -> dict[int, tuple[str, str, str]]:
    if manifest.problem:
        raise InvalidInput(f"清单无法读取：{manifest.problem}")
    with manifest.opener() as f:
        data = f.read()
    rows = {}
    for number, row in enumerate(table_rows(f"清单 “{manifest.path}”", manifest.path, data), start=1):
        cells = [c.strip() for c in row] + ["", "", ""]
        if number == 1 and cells[0].lower() in ("文件", "file", "文件名", "filename"):
            continue
        if cells[0]:
            rows[number] = (cells[0], cells[1], cells[2])
    return rows


def _links(codes: str, items: str, tree: Tree) -> tuple[dict[str, set[int]], str]:
    """The links a manifest row names, or the first problem with its codes."""
    numbers = [unicodedata.normalize("NFKC", i) for i in SEPARATORS.split(items)]
    chosen = {int(i) - 1 for i in numbers if i.isdecimal() and len(i) < 4} or {GENERAL}
    links = {}
    for code in filter(None, SEPARATORS.split(unicodedata.normalize("NFKC", codes))):
        clause, problem = _clause(code, tree)
        if problem:
            return {}, problem
        links[clause] = chosen
    return links, "" if links else "没有写条款代码"


def _links_from_path(path: str, tree: Tree) -> tuple[dict[str, set[int]], str]:
    """The innermost clause a folder or the file's name starts with; else why an indicator there is not enough."""
    parts = PurePosixPath(path).parts
    named = [*parts[:-1], PurePosixPath(parts[-1]).stem]
    problem = ""
    for part in reversed(named):
        match = CODE_START.match(unicodedata.normalize("NFKC", part))
        if match is None or tree.node(match.group()) is None:
            continue
        clause, why = _clause(match.group(), tree)
        if clause:
            return {clause: {GENERAL}}, ""
        problem = problem or f"“{part}”：{why}"
    return {}, problem


def _clause(code: str, tree: Tree) -> tuple[str, str]:
    """The scored clause a code stands for, or why there is none."""
    node = tree.node(code)
    if node is None:
        return "", f"未知的条款代码 “{code}”"
    leaves = node.leaves()  # a clause is its own only leaf
    if len(leaves) == 1:
        return leaves[0].code, ""
    listed = "、".join(f"{leaf.code} {leaf.name}" for leaf in leaves[:8]) + (" 等" if len(leaves) > 8 else "")
    return "", (f"{code} 是指标（{node.name}），证据只能关联到其下的评分条款，请选择一个：{listed}。"
                "可把文件放入以条款代码命名的文件夹，或在清单中写明条款")
