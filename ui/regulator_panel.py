"""监管报送表 on the programme page: choose a month, build its three sheets, download each file."""
from datetime import date

import streamlit as st

from config import settings
from cycle.regulator import regulator_rows
from exports.regulator import load_mapping, mapping_file, monthly_files
from ui.current import actor
from ui.feedback import shown_errors
from ui.page_state import PageState
from ui.state import db_session, tree_registry

MONTHS_OFFERED = 24
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def regulator_panel(page: PageState, today: date) -> None:
    st.subheader("监管报送表")
    mapping_path = mapping_file(settings().data_dir)
    st.caption(f"按月导出审核计划信息表、证书信息表和审核结果信息表，每张表一个 Excel 文件，可分别上传到认证认可业务信息"
               f"统一上报平台。各表的列、顺序和格式由映射文件 {mapping_path.name} 决定"
               f"（{'本机构的版本，位于数据文件夹' if mapping_path.parent == settings().data_dir else '随软件提供的默认版本'}）。")
    months = _recent_months(today)
    chosen = st.selectbox("月份", months, index=1, format_func=lambda m: f"{m[:4]} 年 {int(m[5:])} 月", key="reg-month")
    month = int(chosen[:4]), int(chosen[5:])
    if st.button("生成报送表", key="reg-build", icon=":material/table_view:"):
        with shown_errors(), db_session() as s:
            mapping = load_mapping(mapping_path)
            data = regulator_rows(s, year=month[0], month=month[1], by=actor(), trees=tree_registry())
            page.kept["regulator"] = (month, monthly_files(mapping, data, *month),
                                      {name: len(rows) for name, rows in data.items()})
    built = page.kept.get("regulator")
    if built and built[0] == month:
        _, files, counts = built
        st.caption(f"审核计划 {counts['plans']} 条，证书 {counts['certificates']} 条，审核结果 {counts['results']} 条。")
        for number, (name, content) in enumerate(files.items()):
            st.download_button(f"下载 {name}", content, file_name=name, mime=XLSX, key=f"reg-download-{number}",
                               icon=":material/download:")


def _recent_months(today: date) -> list[str]:
    """This month first, then the months before it ("2026-11"; the report is usually for the month just ended)."""
    index = today.year * 12 + today.month - 1
    return [f"{year:04d}-{month + 1:02d}" for year, month in (divmod(index - n, 12) for n in range(MONTHS_OFFERED))]
