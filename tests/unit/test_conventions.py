"""Conventions the code keeps: dependencies point one way, every shipped tree loads, modules stay small."""
import ast
from pathlib import Path

import pytest

from criteria import TreeRegistry

ROOT = Path(__file__).resolve().parents[2]
PURE_CORE = ["criteria", "scoring", "errors.py", "clitools.py", "textclean.py", "vocabulary.py",
             "nonconformities/workflow.py"]
HEAVY = {"streamlit", "sqlmodel", "sqlalchemy", "docx", "plotly", "pandas"}
SERVICES = ["records", "audits", "accounts", "evidence", "nonconformities", "dossier", "db.py"]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def python_files(*parts: str) -> list[Path]:
    files = []
    for part in parts:
        target = ROOT / part
        files += [target] if target.is_file() else sorted(target.rglob("*.py")) if target.is_dir() else []
    return files


@pytest.mark.parametrize("path", python_files(*PURE_CORE), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_pure_core_imports_no_ui_database_or_document_library(path):
    assert not imports_of(path) & HEAVY


def test_services_and_exports_never_import_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in python_files(*SERVICES, "exports")
                 if imports_of(p) & {"streamlit", "ui"}]
    assert not offenders


def test_every_shipped_tree_file_loads():
    entries = TreeRegistry().entries()
    assert entries and all(e.tree is not None for e in entries), [e.error for e in entries]


def test_modules_stay_under_400_lines():
    big = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
           if ".venv" not in p.parts and len(p.read_text(encoding="utf-8").splitlines()) > 400]
    assert not big


def top_level_packages() -> list[str]:
    return sorted(p.name if p.is_dir() else p.stem for p in ROOT.iterdir()
                  if not p.name.startswith(".") and p.name not in ("tests", "migrations")
                  and ((p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"))


def package_graph() -> dict[str, set[str]]:
    """Which top-level package imports which (imports inside functions included)."""
    tops = set(top_level_packages())
    return {top: {name for path in python_files(top if (ROOT / top).is_dir() else f"{top}.py")
                  for name in imports_of(path) if name in tops and name != top} for top in tops}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one package (Tarjan's algorithm)."""
    index, low, stack, found, counter = {}, {}, [], [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_top_level_packages():
    assert cycles(package_graph()) == []


def test_exports_take_plain_data_and_import_no_service():
    services = {"records", "audits", "accounts", "evidence", "nonconformities", "dossier", "db", "ui"}
    assert not package_graph()["exports"] & services


def test_every_text_column_cleans_what_is_written_to_it():
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    import models_registry  # noqa: F401
    from records.text import CleanText
    plain = [f"{t.name}.{c.name}" for t in SQLModel.metadata.sorted_tables for c in t.columns
             if isinstance(c.type, sa.String) and not isinstance(c.type, CleanText)]
    assert not plain


def test_every_setting_is_documented_in_readme():
    from config import Settings
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings_section = readme[readme.index("## Settings"):]
    missing = [f"AUDIT_{name.upper()}" for name in Settings.model_fields
               if f"`AUDIT_{name.upper()}`" not in settings_section]
    assert not missing
