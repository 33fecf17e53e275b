"""Find the indicator trees on disk: the built-in ones plus any folder a certification body adds."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from criteria.loader import load_tree_file
from criteria.model import Tree
from errors import TreeInvalid, TreeNotFound

BUILTIN_DIR = Path(__file__).resolve().parent / "trees"
ARCHIVE_DIR = BUILTIN_DIR / "archive"  # superseded versions: found by id@version, never offered for new work
DEFAULT_TREE_ID = "gbt27922-2011"
SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass(frozen=True)
class TreeEntry:
    """One tree file as found: its tree when it loads, or the reason it does not."""

    path: Path
    tree: Tree | None = None
    error: str | None = None


class TreeRegistry:
    """The trees in a list of folders; later folders may add trees but never shadow an id@version."""

    def __init__(self, folders: list[Path] | None = None):
        self.folders = [BUILTIN_DIR, *(folders or [])]
        self._cache: dict[Path, tuple[float, TreeEntry]] = {}

    def entries(self) -> list[TreeEntry]:
        """Every tree file, loaded or with its error; duplicates of an id@version are reported, not loaded."""
        out: list[TreeEntry] = []
        seen: dict[str, Path] = {}
        for path in self._files():
            entry = self._load(path)
            if entry.tree is not None and entry.tree.ref in seen:
                entry = TreeEntry(path, error=f"{path.name}: 指标树 {entry.tree.ref} 已由 {seen[entry.tree.ref].name} 提供，此文件被忽略")
            elif entry.tree is not None:
                seen[entry.tree.ref] = path
            out.append(entry)
        return out

    def trees(self) -> list[Tree]:
        return [e.tree for e in self.entries() if e.tree is not None]

    def get(self, ref: str) -> Tree:
        """A tree by `id` (the newest version found) or by `id@version`, an archived version included."""
        tree_id, _, version = ref.partition("@")
        matches = [t for t in self.trees() if t.id == tree_id and (not version or t.version == version)]
        if not matches and version:
            matches = [t for t in self.archived() if t.ref == ref]
        if not matches:
            known = "、".join(sorted(t.ref for t in self.trees())) or "无"
            raise TreeNotFound(f"未找到指标树 “{ref}”；可用的指标树：{known}")
        return max(matches, key=lambda t: t.version)

    def archived(self) -> list[Tree]:
        """The superseded versions shipped in trees/archive/, kept for the engagements scored on them."""
        return [e.tree for e in map(self._load, self._files([ARCHIVE_DIR])) if e.tree is not None]

    def _files(self, folders: list[Path] | None = None) -> list[Path]:
        files = []
        for folder in folders or self.folders:
            if folder.is_dir():
                files += sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
        return files

    def _load(self, path: Path) -> TreeEntry:
        mtime = path.stat().st_mtime
        cached = self._cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            entry = TreeEntry(path, tree=load_tree_file(path))
        except TreeInvalid as exc:
            entry = TreeEntry(path, error="\n".join(exc.problems))
        self._cache[path] = (mtime, entry)
        return entry
