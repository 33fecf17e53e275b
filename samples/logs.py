"""Reading a company's own log (complaints, repairs, deliveries) from Excel or CSV into a pandas table, and
checking its cases against time limits: pure, no database, no Streamlit.

Rules:
- A CSV is UTF-8 (with or without BOM) or GBK (read as GB18030, its superset); anything else is refused
  naming the encodings tried. An .xlsx is read cell values only; merged title rows above the header are skipped.
- The header is the first row with at least two filled cells and at least half as many as the fullest of the
  first rows (a title row merged across the sheet has one).
- Dates may mix 2026/1/5, 2026-01-05 08:00, 2026年1月5日 and Excel serial numbers (days since 1899-12-30).
- Every problem names the row as the file numbers it and the column by its header: missing columns, empty rows,
  a missing or duplicate case number, an unreadable date, a time before the case was reported or a completion
  before arrival. Rows with a problem are kept and marked; they are left out of samples and rates.
- A time limit is met when the clock (from reported to the chosen time) stays within the hours, or within the
  working days (Monday to Friday, public holidays not known); a case without the end time has not met it.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd

from errors import InvalidInput
from vocabulary import LOG_FIELD_LABELS, LimitUnit, LogField

TIMES = (LogField.REPORTED, LogField.RESPONDED, LogField.ON_SITE, LogField.RESOLVED)
REQUIRED = (LogField.CASE, LogField.REPORTED)
HEADER_SCAN = 20
CHUNK = 1 << 20
SERIAL_RANGE = (20000, 80000)  # Excel serial days from 1954 to 2119: numbers outside are not dates
GUESSES = {
    LogField.CASE: ("单号", "编号", "工单", "投诉号", "案件", "流水号"),
    LogField.SITE: ("网点", "服务站", "站点", "门店"),
    LogField.REPORTED: ("受理", "报修时间", "投诉时间", "下单", "登记时间", "接单"),
    LogField.RESPONDED: ("响应", "回复", "答复", "回访"),
    LogField.ON_SITE: ("到场", "上门", "到达"),
    LogField.RESOLVED: ("完成", "结案", "办结", "关闭", "处理完毕"),
    LogField.DISTANCE: ("距离", "公里", "里程"),
    LogField.SATISFACTION: ("满意",),
}
ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GBK"))


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row as the file numbers it; None for the whole file
    column: str
    message: str

    def text(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}“{self.column}”：{self.message}" if self.column else f"{where}：{self.message}"


@dataclass
class RawLog:
    """The cells as text under the file's own headers; `rows` numbers each row as the file does."""

    frame: pd.DataFrame
    rows: np.ndarray
    encoding: str = ""

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)


@dataclass
class ParsedLog:
    table: pd.DataFrame  # one column per mapped field, `row` and `problem` (empty when the row is sound)
    problems: list[Problem] = field(default_factory=list)

    @property
    def sound(self) -> pd.DataFrame:
        return self.table[self.table["problem"] == ""]


@dataclass(frozen=True)
class TimeLimit:
    value: float
    unit: LimitUnit
    to: LogField = LogField.ON_SITE
    within_km: float | None = None

    def text(self) -> str:
        span = f"{self.value:g} {'小时' if self.unit == LimitUnit.HOURS else '个工作日'}"
        near = f"{self.within_km:g} 公里内" if self.within_km else ""
        return f"{near}{span}内{LOG_FIELD_LABELS[self.to].removesuffix('时间')}"


def read_log(name: str, data: bytes) -> RawLog:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        return _from_cells(_xlsx_cells(data), "")
    if suffix in (".csv", ".txt"):
        codec, label = encoding_of(data)
        return _from_cells(_csv_cells(data, codec), label)
    raise InvalidInput(f"“{name}” 不是 Excel（.xlsx）或 CSV 文件")


def encoding_of(data: bytes) -> tuple[str, str]:
    """The codec and the encoding's name; refuses bytes that are neither UTF-8 nor GBK. Decoded in pieces, so a
    large file is never held twice as text."""
    for codec, label in ENCODINGS:
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            for at in range(0, len(data), CHUNK):
                decoder.decode(data[at:at + CHUNK])
            decoder.decode(b"", final=True)
            return codec, label
        except UnicodeDecodeError:
            continue
    raise InvalidInput("文件编码无法识别：既不是 UTF-8 也不是 GBK。请在 Excel 中另存为“CSV UTF-8”后重新上传")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding's name (see encoding_of)."""
    codec, label = encoding_of(data)
    return data.decode(codec), label


def _csv_cells(data: bytes, codec: str) -> pd.DataFrame:
    head = data[:64 * 1024].decode(codec, errors="ignore")
    try:
        width = max((len(r) for r in csv.reader(io.StringIO(head))), default=0)
        return pd.read_csv(io.BytesIO(data), encoding=codec, header=None, dtype=str, keep_default_na=False,
                           names=range(width), skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise InvalidInput(f"CSV 文件无法读取：{exc}") from exc


def _xlsx_cells(data: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook  # only when an Excel file comes
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(f"Excel 文件无法打开：{exc}") from exc
    rows = [["" if v is None else v for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()


def _from_cells(cells: pd.DataFrame, encoding: str) -> RawLog:
    if cells.empty:
        raise InvalidInput("文件中没有数据")
    head = cells.head(HEADER_SCAN)
    filled = (head.map(lambda v: str(v).strip() != "")).sum(axis=1)
    enough = max(2, (int(filled.max()) + 1) // 2)
    candidates = filled[filled >= enough]
    if candidates.empty:
        raise InvalidInput("找不到表头：前 20 行中没有至少两列有标题的行")
    at = int(candidates.index[0])
    headers = [str(v).strip() for v in cells.iloc[at]]
    keep = [i for i, h in enumerate(headers) if h]
    frame = cells.iloc[at + 1:, keep]
    frame.columns = _unique([headers[i] for i in keep])
    return RawLog(frame.reset_index(drop=True), np.arange(at + 2, at + 2 + len(frame)), encoding)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """For each field, the first header that reads like it (a field maps to one header, a header to one field)."""
    mapping: dict[str, str] = {}
    for fld, words in GUESSES.items():
        for h in headers:
            if h not in mapping.values() and any(w in h for w in words):
                mapping[fld] = h
                break
    return mapping


def parse_log(raw: RawLog, mapping: dict[str, str]) -> ParsedLog:
    """The table of the mapped fields with every problem found; nothing is dropped except empty rows."""
    problems = [Problem(None, LOG_FIELD_LABELS[LogField(f)], "必须对应一列，尚未选择")
                for f in REQUIRED if not mapping.get(f)]
    problems += [Problem(None, h, f"文件中没有此列（{LOG_FIELD_LABELS[LogField(f)]}）")
                 for f, h in mapping.items() if h and h not in raw.frame.columns]
    if problems:
        return ParsedLog(pd.DataFrame(columns=["row", "problem"]), problems)
    empty = np.ones(len(raw.frame), dtype=bool)
    for column in raw.frame.columns:  # one column at a time: a copy of the whole table would double the memory
        empty &= (raw.frame[column].astype(str).str.strip() == "").to_numpy()
    problems += [Problem(int(r), "", "空行，已略过") for r in raw.rows[empty]]
    used = list(dict.fromkeys(h for h in mapping.values() if h))
    text = raw.frame.loc[~empty, used].astype(str).apply(lambda c: c.str.strip()).reset_index(drop=True)
    rows = raw.rows[~empty]
    table = pd.DataFrame({"row": rows})
    notes = pd.Series("", index=table.index, dtype=object)

    def flag(mask: np.ndarray, column: str, message) -> None:
        idx = np.flatnonzero(mask)
        for i in idx:
            problems.append(Problem(int(rows[i]), column, message(i) if callable(message) else message))
        notes.iloc[idx] = notes.iloc[idx] + f"{column}；"

    for fld, header in mapping.items():
        if not header:
            continue
        cells = text[header]
        if fld in TIMES:
            parsed = parse_times(cells)
            flag((cells != "").to_numpy() & parsed.isna().to_numpy(), header, "日期时间无法识别")
            table[fld] = parsed
        elif fld in (LogField.DISTANCE, LogField.SATISFACTION):
            table[fld] = pd.to_numeric(cells.str.rstrip("%公里km"), errors="coerce")
        else:
            table[fld] = cells
    flag(((text[mapping[LogField.REPORTED]] == "")).to_numpy(), mapping[LogField.REPORTED], "受理时间为空")
    case_header = mapping[LogField.CASE]
    flag((table[LogField.CASE] == "").to_numpy(), case_header, "单号为空")
    dup = (table[LogField.CASE] != "") & table[LogField.CASE].duplicated(keep="first")
    first = table.drop_duplicates(LogField.CASE).set_index(LogField.CASE)["row"]
    flag(dup.to_numpy(), case_header,
         lambda i: f"单号 {table[LogField.CASE].iat[i]} 与第 {first[table[LogField.CASE].iat[i]]} 行重复")
    for later, earlier in ((LogField.RESPONDED, LogField.REPORTED), (LogField.ON_SITE, LogField.REPORTED),
                           (LogField.RESOLVED, LogField.REPORTED), (LogField.RESOLVED, LogField.ON_SITE)):
        if later in table and earlier in table:
            flag((table[later] < table[earlier]).to_numpy(), mapping[later],
                 f"早于{LOG_FIELD_LABELS[earlier]}（时间倒流）")
    table["problem"] = notes.str.rstrip("；")
    return ParsedLog(table, sorted(problems, key=lambda p: p.row or 0))


def parse_times(cells: pd.Series) -> pd.Series:
    """Mixed date formats, vectorised: Excel serials first, then the written forms tried one after another."""
    out = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    numbers = pd.to_numeric(cells, errors="coerce")
    serial = numbers.between(*SERIAL_RANGE)
    out[serial] = pd.Timestamp("1899-12-30") + pd.to_timedelta(numbers[serial], unit="D")
    norm = (cells.str.replace(r"[/.年月]", "-", regex=True).str.replace("日", "", regex=False)
            .str.replace("T", " ", regex=False))
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        left = out.isna() & (cells != "")
        if not left.any():
            break
        out[left] = pd.to_datetime(norm[left], format=fmt, errors="coerce")
    return out.dt.round("s")


def elapsed(table: pd.DataFrame, limit: TimeLimit) -> pd.Series:
    """Hours, or working days, from reported to the limit's end time (NaN where the end is not recorded)."""
    start, end = table[LogField.REPORTED], table.get(limit.to)
    if end is None:
        return pd.Series(np.nan, index=table.index)
    if limit.unit == LimitUnit.HOURS:
        return (end - start).dt.total_seconds() / 3600
    known = start.notna() & end.notna()
    days = pd.Series(np.nan, index=table.index)
    days[known] = np.busday_count(start[known].to_numpy().astype("datetime64[D]"),
                                  end[known].to_numpy().astype("datetime64[D]"))
    return days


def check_limit(table: pd.DataFrame, limit: TimeLimit) -> pd.DataFrame:
    """Per case: whether the limit applies (within its distance), the time taken, and whether it was met."""
    taken = elapsed(table, limit)
    applies = pd.Series(True, index=table.index)
    if limit.within_km and LogField.DISTANCE in table:
        applies = table[LogField.DISTANCE].le(limit.within_km) | table[LogField.DISTANCE].isna()
    return pd.DataFrame({"row": table["row"], "applies": applies, "taken": taken,
                         "met": applies & taken.le(limit.value)})


def met_share(checked: pd.DataFrame) -> float | None:
    """Percent of the cases the limit applies to that met it; None when none applies."""
    scope = checked[checked["applies"]]
    return None if scope.empty else round(float(scope["met"].mean()) * 100, 1)


def monthly_shares(table: pd.DataFrame, checked: pd.DataFrame) -> pd.DataFrame:
    """Per month of the reported time: cases and the percent that met the limit."""
    scope = checked[checked["applies"]].assign(month=table[LogField.REPORTED].dt.to_period("M").astype(str))
    grouped = scope.groupby("month")["met"]
    return pd.DataFrame({"cases": grouped.size(), "share": (grouped.mean() * 100).round(1)}).reset_index()


@dataclass(frozen=True)
class Timeliness:
    """A log checked against a time limit: the share met (None when the limit applies to no case), the time each
    applicable case took, and the share per month."""
    share: float | None
    taken: list[float]
    months: pd.DataFrame


def timeliness(table: pd.DataFrame, limit: TimeLimit) -> Timeliness:
    """The sound cases of `table` (no problem found on import) checked against `limit`, once."""
    sound = table[table["problem"] == ""]
    checked = check_limit(sound, limit)
    return Timeliness(met_share(checked), checked.loc[checked["applies"], "taken"].dropna().tolist(),
                      monthly_shares(sound, checked))


def draw_sample(table: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """A reproducible random sample of the sound cases: the same table, size and seed give the same cases."""
    if size < 1:
        raise InvalidInput("样本数量至少为 1")
    sound = table[table["problem"] == ""]
    if sound.empty:
        raise InvalidInput("记录中没有可抽取的案例（每行都有问题）")
    return sound.sample(n=min(size, len(sound)), random_state=seed).sort_values("row")


def table_csv(table: pd.DataFrame) -> bytes:
    """The parsed table as stored beside the original (UTF-8 CSV, ISO times)."""
    return table.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S").encode("utf-8")


def table_from_csv(data: bytes) -> pd.DataFrame:
    table = pd.read_csv(io.BytesIO(data), dtype={LogField.CASE: str, LogField.SITE: str, "problem": str},
                        keep_default_na=False, na_values={f: [""] for f in TIMES})
    for fld in TIMES:
        if fld in table:
            table[fld] = pd.to_datetime(table[fld], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    return table
