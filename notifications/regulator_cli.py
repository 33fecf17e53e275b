"""`python -m notifications regulator --month 2026-11 --out DIR`: the month's three sheets as .xlsx files."""
from __future__ import annotations

from pathlib import Path

from accounts.actor import Actor
from config import settings
from cycle.regulator import regulator_rows
from db import engine_for, session
from exports.regulator import load_mapping, mapping_file, monthly_files
from vocabulary import Role

CLI = Actor("命令行", role=Role.SYSTEM, username="cli")


def export_month(year: int, month: int, *, out: str) -> int:
    config = settings()
    mapping = load_mapping(mapping_file(config.data_dir))  # a bad mapping stops before anything is read
    with session(engine_for(config.effective_database_url)) as s:
        data = regulator_rows(s, year=year, month=month, by=CLI)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in monthly_files(mapping, data, year, month).items():
        (folder / name).write_bytes(content)
        print(folder / name)
    print(f"{year}-{month:02d}：审核计划 {len(data['plans'])} 条，证书 {len(data['certificates'])} 条，"
          f"审核结果 {len(data['results'])} 条。")
    return 0
