"""Conventions the code keeps: dependencies point one way, every shipped tree loads, modules stay small."""
import ast
from pathlib import Path

import pytest

from criteria import TreeRegistry

ROOT = Path(__file__).resolve().parents[2]
PURE_CORE = ["criteria", "scoring", "errors.py", "clitools.py", "textclean.py", "nonconformities/workflow.py"]
HEAVY = {"streamlit", "sqlmodel", "sqlalchemy", "docx", "plotly", "pandas"}
SERVICES = ["audits", "accounts", "evidence", "nonconformities", "db.py"]


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
