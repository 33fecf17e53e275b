"""The regulator's monthly sheets: the month's rows (plain dicts) to one .xlsx per sheet, with the columns the
mapping file names (exports/regulator_sheets.yaml, or the body's copy in the data folder).

One file per sheet, not one workbook: the platform takes each information table as an upload of its own, so a
body uploads each file as it is; each file holds one sheet named after its table.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

from errors import InvalidInput

SHIPPED = Path(__file__).resolve().parent / "regulator_sheets.yaml"
MAPPING_NAME = SHIPPED.name
SHEETS = ("plans", "certificates", "results")
FORMATS = ("text", "date", "code", "integer")
# The fields the service gathers for each sheet (cycle/regulator.py fills exactly these), named in the mapping.
FIELDS = {
    "plans": ("engagement_id", "plan_number", "company_name", "credit_code", "company_address", "standard",
              "scheme", "kind", "visit_start", "visit_end", "lead_assessor", "team", "sites", "plan_sent_on"),
    "certificates": ("certificate_number", "company_name", "credit_code", "company_address", "standard", "scheme",
                     "services", "product_types", "star", "sites", "issued_on", "expires_on", "state", "state_since",
                     "state_reason", "changes"),
    "results": ("engagement_id", "plan_number", "company_name", "credit_code", "kind", "visit_start", "visit_end",
                "lead_assessor", "score", "recommendation", "outcome", "star", "decided_on", "decided_by",
                "reasons", "certificate_number"),
}


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    format: str


@dataclass(frozen=True)
class Sheet:
    name: str       # plans, certificates, results
    file: str       # file name without the month and suffix
    title: str      # the sheet's name in the workbook
    columns: tuple[Column, ...]


def mapping_file(data_dir: Path) -> Path:
    """The body's copy in the data folder when there is one, else the shipped mapping."""
    own = data_dir / MAPPING_NAME
    return own if own.is_file() else SHIPPED


def load_mapping(path: Path) -> dict[str, Sheet]:
    """The three sheets' columns; InvalidInput names the file and every problem (unknown field, format, ...)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"无法读取监管报送表映射文件 {path}：{exc}") from None
    problems, sheets = [], {}
    raw = data.get("sheets") if isinstance(data, dict) else None
    for name in SHEETS:
        spec = raw.get(name) if isinstance(raw, dict) else None
        if not isinstance(spec, dict) or not isinstance(spec.get("columns"), list) or not spec["columns"]:
            problems.append(f"缺少 sheets.{name} 或其 columns")
            continue
        columns = [_column(name, i, c, problems) for i, c in enumerate(spec["columns"], 1)]
        title = str(spec.get("title") or name)[:31]  # Excel's longest sheet name
        sheets[name] = Sheet(name, _file_name(str(spec.get("file") or title)), title,
                             tuple(c for c in columns if c is not None))
    if problems:
        raise InvalidInput(f"监管报送表映射文件 {path} 有误：" + "；".join(problems))
    return sheets


def _column(sheet: str, number: int, spec, problems: list[str]) -> Column | None:
    if not isinstance(spec, dict):
        problems.append(f"{sheet} 第 {number} 列应写成 {{field: ..., title: ..., format: ...}}")
        return None
    field, title, fmt = str(spec.get("field", "")), str(spec.get("title") or spec.get("field", "")), \
        str(spec.get("format", "text"))
    if field not in FIELDS[sheet]:
        problems.append(f"{sheet} 第 {number} 列的字段“{field}”不存在，可用字段：{'、'.join(FIELDS[sheet])}")
        return None
    if fmt not in FORMATS:
        problems.append(f"{sheet} 第 {number} 列的格式“{fmt}”无效，应为 {'、'.join(FORMATS)}")
        return None
    return Column(field, title, fmt)


def _file_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "sheet"


def cell(value, fmt: str):
    """A value as the column's format writes it: dates as dates (shown YYYY-MM-DD), codes upper case without
    spaces, integers as numbers, everything else as text; nothing as an empty cell."""
    if value is None or value == "":
        return None
    if fmt == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if fmt == "code":
        return re.sub(r"\s+", "", str(value)).upper()
    if fmt == "integer":
        return int(value)
    return str(value)


def sheet_rows(sheet: Sheet, rows: list[dict]) -> list[list]:
    """The sheet's header and one row per record, in the mapping's column order."""
    return [[c.title for c in sheet.columns], *([cell(r.get(c.field), c.format) for c in sheet.columns] for r in rows)]


def sheet_workbook(sheet: Sheet, rows: list[dict]) -> bytes:
    book = Workbook()
    page = book.active
    page.title = sheet.title
    for values in sheet_rows(sheet, rows):
        page.append(values)
    for number, column in enumerate(sheet.columns, 1):
        page.cell(1, number).font = Font(bold=True)
        letter = page.cell(1, number).column_letter
        if column.format == "date":
            for (found,) in page.iter_rows(min_row=2, min_col=number, max_col=number):
                found.number_format = "yyyy-mm-dd"
        page.column_dimensions[letter].width = max(12, min(40, 2 * len(column.title) + 4))
    page.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def monthly_files(mapping: dict[str, Sheet], data: dict[str, list[dict]], year: int, month: int) -> dict[str, bytes]:
    """File name -> .xlsx bytes, one per sheet: 审核计划信息表-2026-11.xlsx, ..."""
    return {f"{sheet.file}-{year:04d}-{month:02d}.xlsx": sheet_workbook(sheet, data.get(name, []))
            for name, sheet in mapping.items()}
