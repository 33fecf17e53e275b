"""Benchmark of importing a company's complaint log (issue 17): the product's path (encoding and header found,
mapping guessed, every column parsed with its problems, the 24-hour check, a sample drawn by seed) against
pandas' own read_csv and the same vectorised checks written by hand for this one file, in the same run; and the
peak memory of the product's path in a fresh process (resource's maxrss, the whole interpreter included).

`python -m bench.records FILE` prints the peak resident memory in MB of importing the log in FILE.
"""
from __future__ import annotations

import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.figures import Figure

COLUMNS = 20
TITLE = "某电器有限公司 投诉登记表（2026 年）\n"
HEADER = ["投诉单号", "受理时间", "响应时间", "到场时间", "完成时间", "服务网点", "距离（公里）", "满意度",
          "客户姓名", "联系电话", "地址", "产品型号", "购买日期", "故障描述", "处理措施", "处理人", "回访人", "回访结果",
          "备注", "登记人"]


def complaint_log(rows: int, seed: int = 17) -> bytes:
    """A GBK CSV with a title line, 20 columns, dates in three formats (ISO with time, 2026/1/5, Excel serials)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300 * 24 * 60, rows), unit="min")
    hours = pd.to_timedelta(rng.gamma(2.0, 8.0, rows), unit="h")
    times = [start, start + hours / 4, start + hours, start + hours * 2]
    form = rng.integers(0, 3, rows)

    def written(stamps: pd.DatetimeIndex) -> np.ndarray:
        iso = stamps.strftime("%Y-%m-%d %H:%M").to_numpy()
        slash = stamps.strftime("%Y/%m/%d %H:%M").to_numpy()
        serial = np.char.mod("%.5f", ((stamps - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)).to_numpy())
        return np.where(form == 0, iso, np.where(form == 1, slash, serial))

    frame = pd.DataFrame({"投诉单号": [f"TS{i:07d}" for i in range(rows)]})
    for name, stamps in zip(HEADER[1:5], times, strict=True):
        frame[name] = written(pd.DatetimeIndex(stamps))
    frame["服务网点"] = rng.choice(["西湖网点", "滨江网点", "萧山网点", "余杭网点"], rows)
    frame["距离（公里）"] = rng.integers(1, 150, rows)
    frame["满意度"] = rng.integers(3, 6, rows)
    for name in HEADER[8:]:
        frame[name] = "某某内容" + pd.Series(rng.integers(0, 1000, rows)).astype(str)
    return (TITLE + frame.to_csv(index=False)).encode("gbk")


def product_path(data: bytes) -> int:
    from samples.logs import TimeLimit, check_limit, draw_sample, guess_mapping, parse_log, read_log
    from vocabulary import LimitUnit, LogField
    raw = read_log("投诉记录.csv", data)
    log = parse_log(raw, guess_mapping(raw.headers))
    checked = check_limit(log.table, TimeLimit(24, LimitUnit.HOURS, LogField.ON_SITE, within_km=100))
    return int(checked["met"].sum()) + len(draw_sample(log.table, 50, seed=1))


def by_hand(data: bytes) -> int:
    """What the product does, written for this one file: its encoding, header row and formats known."""
    frame = pd.read_csv(io.BytesIO(data), encoding="gb18030", skiprows=1, dtype=str, keep_default_na=False)
    times = {}
    for name in HEADER[1:5]:
        cells = frame[name]
        numbers = pd.to_numeric(cells, errors="coerce")
        out = pd.Timestamp("1899-12-30") + pd.to_timedelta(numbers, unit="D")
        norm = cells.str.replace("/", "-", regex=False)
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            left = out.isna()
            out[left] = pd.to_datetime(norm[left], format=fmt, errors="coerce")
        times[name] = out.dt.round("s")
    backwards = (times["到场时间"] < times["受理时间"]) | (times["完成时间"] < times["到场时间"])
    bad = frame["投诉单号"].duplicated() | backwards | times["受理时间"].isna()
    near = pd.to_numeric(frame["距离（公里）"], errors="coerce").le(100)
    met = near & ((times["到场时间"] - times["受理时间"]).dt.total_seconds() / 3600).le(24)
    return int(met.sum()) + len(frame[~bad].sample(n=50, random_state=1))


def peak_mb(data: bytes) -> float:
    """The product path's peak resident memory in a fresh process that reads the log from a file."""
    with tempfile.NamedTemporaryFile(suffix=".csv") as log:
        log.write(data)
        log.flush()
        done = subprocess.run([sys.executable, "-m", "bench.records", log.name], capture_output=True, text=True,
                              check=True, timeout=600)
    return float(done.stdout.split()[-1])


def records_figures(rows: int, repeat: int = 5) -> list[Figure]:
    data = complaint_log(rows)
    assert product_path(data) == by_hand(data)  # the two compute the same figures

    def median(call) -> float:
        spent = []
        for _ in range(repeat):
            start = time.perf_counter()
            call(data)
            spent.append(time.perf_counter() - start)
        return float(np.median(spent))

    measured, floor = median(product_path), median(by_hand)
    peak = peak_mb(data)
    extra = (f"{rows} rows × {COLUMNS} columns, GBK with a title line, dates in three formats; peak memory "
             f"{peak:.0f} MB in a fresh process (limit 500 MB); floor: pandas' read_csv with the encoding and "
             "header row known, the same date parsing, checks and sample written by hand")
    return [Figure(f"importing a {rows}-row complaint log with its checks and a sample (median of {repeat})",
                   measured, floor, "s", 3.0, extra + ("" if peak < 500 else "; OVER the memory limit"))]


def own_peak_mb() -> float:
    """This process's peak resident memory since it started: /proc's VmHWM belongs to the running program, while
    getrusage's maxrss keeps the high-water mark of the process that forked it (Linux carries it across exec), so a
    child of the large benchmark run would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: the best there is


if __name__ == "__main__":
    product_path(Path(sys.argv[1]).read_bytes())
    print(own_peak_mb())
