"""The offline scoring checklist as an Excel workbook, and reading a filled-in one back.

Pure: bytes in, bytes or values out. The workbook carries, on a hidden sheet, the tree it was made from and
the version of each clause's rating, so an import can tell a clause someone else changed in the meantime.
Reading checks every row and reports each problem with its row and column; nothing is decided here.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from criteria.model import Tree
from scoring.assessment import ENTRY_FIELDS, RatingEntry, entry_problems, normalised_entry
from textclean import without_controls
from vocabulary import CLAUSE_STATUS_LABELS, ClauseStatus, Limit, clause_status_from_word

SHEET, META = "评分表", "meta"
COLUMNS = ["代码", "一级指标", "二级指标", "条款", "要求", "应查证据", "分值", "抽样评分", "结果", "抽样数", "不符合数",
           "删减理由", "审核发现"]
INPUT = {"结果", "抽样数", "不符合数", "删减理由", "审核发现"}
COLUMN_OF = dict(zip(ENTRY_FIELDS, ["结果", "抽样数", "不符合数", "删减理由", "审核发现"], strict=True))
REQUIRED = ["代码", *COLUMN_OF.values()]
HEADER_SEARCH = 20
MAX_DIGITS = 9


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str


def checklist_workbook(tree: Tree, current: dict[str, RatingEntry], versions: dict[str, int], engagement_id: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3" if cell.value in INPUT else "EEEEEE")
    for leaf in tree.leaves():
        chain = tree.ancestors(leaf.code)
        row = current.get(leaf.code, RatingEntry(ClauseStatus.UNRATED))
        sheet.append([leaf.code, chain[0].name if chain else "", chain[-1].name if chain else "", leaf.name,
                      leaf.requirement, "；".join(leaf.evidence), float(leaf.points), "是" if leaf.sampled else "",
                      CLAUSE_STATUS_LABELS[row.status], row.sampled or None, row.nonconforming or None,
                      _cell_text(row.reason), _cell_text(row.finding)])
    choices = DataValidation(type="list", formula1='"' + ",".join(CLAUSE_STATUS_LABELS.values()) + '"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"I2:I{sheet.max_row}")
    for letter, width in zip("ABCDEFGHIJKLM", [9, 12, 12, 20, 40, 36, 6, 8, 8, 8, 8, 20, 40], strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "E2"
    meta = book.create_sheet(META)
    meta.append(["tree", tree.ref])
    meta.append(["engagement", engagement_id])
    for code, version in sorted(versions.items()):
        meta.append([code, version])
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(text: str) -> str:
    """What Excel cannot hold (control characters, lone surrogates, noncharacters) is dropped from what we write."""
    return without_controls(text)


@dataclass(frozen=True)
class ChecklistFile:
    """What a filled-in checklist holds; `row_of` is the worksheet row each clause was read from."""

    rows: dict[str, RatingEntry]
    row_of: dict[str, int]
    versions: dict[str, int]
    engagement: int | None
    errors: list[CellError]


def read_checklist(data: bytes, tree: Tree) -> tuple[dict[str, RatingEntry], dict[str, int], int | None, list[CellError]]:
    """(rows by clause, versions at export, engagement id, errors); any error means nothing may be applied."""
    found = read_checklist_file(data, tree)
    return found.rows, found.versions, found.engagement, found.errors


def read_checklist_file(data: bytes, tree: Tree, *, kind: str | None = None) -> ChecklistFile:
    """Read the checklist as people leave it after editing it in Excel, WPS or LibreOffice Calc.

    The header is the row, among the first HEADER_SEARCH, that holds the columns 代码 and 结果; title rows above it
    are ignored. Columns are found by their titles, so inserted or moved columns do not matter, but the input
    columns must all be there. Blank rows, and rows a person added without a clause code and without input
    (notes, sub-headings naming an indicator), are skipped. Errors carry the worksheet row Excel shows."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return _refused(CellError(0, "", "不是有效的 Excel（.xlsx）文件"))
    if SHEET not in book.sheetnames or META not in book.sheetnames:
        return _refused(CellError(0, "", "不是本系统导出的评分表（缺少“评分表”或元数据工作表）"))
    meta = {str(r[0]): r[1] for r in book[META].iter_rows(values_only=True) if r and r[0] is not None}
    sheet = book[SHEET]
    sheet.reset_dimensions()  # trust the rows themselves, not a dimension another program may have misstated
    lines = enumerate(sheet.iter_rows(values_only=True), start=1)
    place, problem = _header(lines)
    if problem:
        return _refused(problem)
    errors = [] if meta.get("tree") == tree.ref else \
        [CellError(0, "", f"评分表基于指标树 {meta.get('tree')}，而本项目使用 {tree.ref}")]
    rows, row_of = _rows(lines, place, tree, errors, kind)
    versions = {code: v for code, v in meta.items() if tree.node(code) is not None and isinstance(v, int)}
    engagement = meta.get("engagement") if isinstance(meta.get("engagement"), int) else None
    return ChecklistFile(rows, row_of, versions, engagement, errors)


def _refused(error: CellError) -> ChecklistFile:
    return ChecklistFile({}, {}, {}, None, [error])


def _title(value: object) -> str:
    return "".join(str(value or "").split())


def _header(lines) -> tuple[dict[str, int], CellError | None]:
    """Where each column is, from the header row found among the first rows; or the error saying what is wrong."""
    for number, values in lines:
        titles = [_title(v) for v in values]
        if "代码" in titles and "结果" in titles:
            missing = [c for c in REQUIRED if c not in titles]
            twice = [c for c in REQUIRED if titles.count(c) > 1]
            if missing or twice:
                what = f"缺少列：{'、'.join(missing)}" if missing else f"列重复：{'、'.join(twice)}"
                return {}, CellError(number, "", f"第 {number} 行的表头{what}。请勿删除、重复或改名这些列")
            return {c: titles.index(c) for c in COLUMNS if c in titles}, None
        if number >= HEADER_SEARCH:
            break
    return {}, CellError(0, "", f"在前 {HEADER_SEARCH} 行中找不到表头（应有“代码”“结果”等列的标题行）")


def _rows(lines, place: dict[str, int], tree: Tree, errors: list[CellError], kind: str | None = None):
    rows: dict[str, RatingEntry] = {}
    row_of: dict[str, int] = {}
    for number, values in lines:
        cells = {c: values[i] if i < len(values) else None for c, i in place.items()}
        code = str(cells["代码"] or "").strip()
        node = tree.node(code)
        if not any(cells[c] not in (None, "") for c in INPUT) and (node is None or not node.is_leaf):
            continue  # blank, a repeated header, a note or a sub-heading someone added: nothing to import
        row = _row(number, cells, tree, rows, errors, kind)
        if row is not None:
            rows[code], row_of[code] = row, number
    return rows, row_of


def _row(number: int, cells: dict, tree: Tree, seen: dict, errors: list[CellError],
         kind: str | None = None) -> RatingEntry | None:
    def fail(column: str, message: str) -> None:
        errors.append(CellError(number, column, message))
    code = str(cells["代码"] or "").strip()
    node = tree.node(code)
    if node is None or not node.is_leaf:
        fail("代码", f"未知的条款代码 “{code}”")
        return None
    if code in seen:
        fail("代码", f"条款 {code} 出现了不止一次")
        return None
    word = str(cells["结果"] or "").strip()
    status = clause_status_from_word(word)
    if status is None:
        fail("结果", f"{ENTRY_FIELDS['status']}只能是 {'、'.join(CLAUSE_STATUS_LABELS.values())} 之一，而不是 “{word}”")
        return None
    unreadable = len(errors)
    sampled, nonconforming = _count(cells, "抽样数", fail), _count(cells, "不符合数", fail)
    if len(errors) > unreadable:
        return None
    reason, finding = _text(cells, "删减理由"), _text(cells, "审核发现")
    if status == ClauseStatus.SAMPLED and sampled is not None and nonconforming is None:
        fail("不符合数", "抽样评分需要填写不符合数（可为 0）")
    entry = RatingEntry(status, sampled or 0, nonconforming or 0, reason, finding)
    problems = entry_problems(entry, node, kind=kind)
    for problem in problems:
        fail(COLUMN_OF[problem.field], problem.message)
    return None if problems else normalised_entry(entry)


def _count(cells: dict, column: str, fail) -> int | None:
    """A count as people type it: a number, or digits with spaces or in full width (１２); never ①, ² or Ⅻ."""
    value = cells[column]
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = "".join(value.split()) if isinstance(value, str) else ""
    if digits.isdecimal() and len(digits) > MAX_DIGITS:
        fail(column, f"{column}过大（上限 {Limit.SAMPLES}）")
        return None
    if digits.isdecimal():  # full-width digits yes; ① and ² are digits but not decimal
        value = int(digits)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        shown = str(value) if len(str(value)) <= 20 else str(value)[:20] + "…"
        fail(column, f"{column}必须是非负整数（如 0、12），而不是 “{shown}”")
        return None
    return value


def _text(cells: dict, column: str) -> str:
    return str(cells[column] or "").strip()
