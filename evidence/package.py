"""A client's document package (a zip, or a folder on the command line) turned into evidence linked to clauses.

The whole package is checked before anything is stored: entries with absolute paths, `..`, or links, and
archives that would unpack to far more than their own size (zip bombs), refuse the package. Each file is
then mapped to clauses by the manifest (manifest.csv / manifest.xlsx / 清单.csv / 清单.xlsx: file, clause
codes, optionally checklist item numbers) or, without a manifest, by a clause code at the start of its name
or of a folder it is in ("5.1.1.1 组织架构图.pdf", "5.2.4.a/工单.pdf").
"""
from __future__ import annotations

import csv
import io
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from criteria.model import Tree
from errors import InvalidInput
from evidence.models import GENERAL

MANIFESTS = ("manifest.csv", "manifest.xlsx", "清单.csv", "清单.xlsx")
MAX_ENTRIES = 5000
BOMB_RATIO = 200
BOMB_FLOOR = 50 * 1024 * 1024
CODE_PREFIX = re.compile(r"^(\d+(?:\.[0-9A-Za-z]+)+)(?=[\s_\-－—（(]|$)")
SEPARATORS = re.compile(r"[\s,;，；、]+")


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
    except (zipfile.BadZipFile, OSError):
        raise InvalidInput("不是有效的 ZIP 压缩包") from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_ENTRIES:
        raise InvalidInput(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_ENTRIES}）")
    total = 0
    for info in archive.infolist():
        name = _entry_name(info)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            raise InvalidInput(f"压缩包含有绝对路径的条目 “{name}”，已拒绝整个压缩包")
        if ".." in re.split(r"[/\\]", name):
            raise InvalidInput(f"压缩包含有指向上级目录（..）的条目 “{name}”，已拒绝整个压缩包")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InvalidInput(f"压缩包含有链接条目 “{name}”，已拒绝整个压缩包")
        total += info.file_size
    if total > BOMB_FLOOR and total > BOMB_RATIO * max(archive_size, 1):
        raise InvalidInput(f"压缩包解压后约 {total // (1024 * 1024)} MB，远超其自身大小，疑似压缩炸弹，已拒绝")
    for info in infos:
        yield Entry(_entry_name(info), info.file_size, lambda info=info: archive.open(info))


def _entry_name(info: zipfile.ZipInfo) -> str:
    """Names from Windows zips without the UTF-8 flag are GBK; zipfile reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def folder_entries(root: Path) -> Iterator[Entry]:
    root = root.resolve()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            raise InvalidInput(f"文件夹中含有链接 “{relative}”，已拒绝")
        if path.is_file() and not path.name.startswith("."):
            yield Entry(relative, path.stat().st_size, lambda path=path: open(path, "rb"))


def map_to_clauses(entries: list[Entry], tree: Tree) -> list[Entry]:
    """Give each entry its clause links (from the manifest if there is one); the manifest itself is dropped."""
    manifest = next((e for e in entries if e.path.lower() in MANIFESTS or e.path in MANIFESTS), None)
    files = [e for e in entries if e is not manifest]
    if manifest is not None:
        rows = _manifest_rows(manifest)
        by_path = {e.path: e for e in files} | {e.name: e for e in files}
        for line, (name, codes, items) in rows.items():
            entry = by_path.get(name)
            if entry is None:
                files.append(Entry(name, 0, lambda: io.BytesIO(b""), problem=f"清单第 {line} 行列出的文件不在压缩包中"))
                continue
            entry.links = _links(codes, items, tree, f"清单第 {line} 行")
    for entry in files:
        if manifest is None:
            entry.links = _links_from_path(entry.path, tree)
        if not entry.links and not entry.problem:
            entry.problem = "清单中没有此文件，且文件名或所在文件夹不以条款代码开头" if manifest else \
                "文件名或所在文件夹不以条款代码开头，无法确定所属条款"
    return files


def _manifest_rows(manifest: Entry) -> dict[int, tuple[str, str, str]]:
    with manifest.opener() as f:
        data = f.read()
    if manifest.path.lower().endswith(".xlsx"):
        from openpyxl import load_workbook
        sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        table = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        text = data.decode("utf-8-sig", errors="replace") if not data.startswith(b"\xff") else ""
        table = list(csv.reader(io.StringIO(text)))
    rows = {}
    for number, row in enumerate(table, start=1):
        cells = [c.strip() for c in row] + ["", "", ""]
        if number == 1 and cells[0].lower() in ("文件", "file", "文件名", "filename"):
            continue
        if cells[0]:
            rows[number] = (cells[0].replace("\\", "/"), cells[1], cells[2])
    return rows


def _links(codes: str, items: str, tree: Tree, where: str) -> dict[str, set[int]]:
    links = {}
    for code in filter(None, SEPARATORS.split(codes)):
        node = tree.node(code)
        if node is None or not node.is_leaf:
            raise InvalidInput(f"{where}：未知的条款代码 “{code}”")
        links[code] = {int(i) - 1 for i in SEPARATORS.split(items) if i.isdigit()} or {GENERAL}
    return links


def _links_from_path(path: str, tree: Tree) -> dict[str, set[int]]:
    for part in reversed(PurePosixPath(path).parts):
        match = CODE_PREFIX.match(part)
        node = tree.node(match.group(1)) if match else None
        if node is not None and node.is_leaf:
            return {node.code: {GENERAL}}
    return {}
