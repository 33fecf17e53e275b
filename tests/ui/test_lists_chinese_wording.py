"""AppTest: lists and forms speak Chinese where Streamlit lets a page choose the words (issue 14 item 12), user
text in markdown shows literally (item 13), and the engagement list counts progress as the dashboard does (item 15).

Streamlit's own words that a page cannot change are listed in README (the uploader's drop zone, "Press Enter to
apply" outside forms, the grid's toolbar, the date picker); each uploader gets a Chinese note under it instead."""
import re

import pytest

from config import settings
from db import engine_for, session
from tests.factories import actor
from tests.ui.conftest import go, metric, sign_in
from ui.text import md

LATIN = re.compile(r"[A-Za-z]")


def nodes(block):
    """Every element and block under `block`, depth first."""
    for child in getattr(block, "children", {}).values():
        yield child
        yield from nodes(child)


def forms(at):
    return [n for n in nodes(at._tree) if getattr(n, "type", None) == "form"]


def choosers(at):
    return [*at.selectbox, *at.multiselect]


def upload_evidence(at, name="说明书.pdf"):
    at.file_uploader(key="upload-files").set_value([(name, b"%PDF-1.4 manual", "application/pdf")])
    at.button(key="upload-submit").click().run()
    assert not at.exception, at.exception
    return at


def on_evidence_page(at):
    go(at, "ui/views/evidence.py", engagement=2)
    upload_evidence(at)
    return at.selectbox(key="preview-file").select_index(0).run()


def on_companies_page(at):
    go(at, "ui/views/companies.py")
    return at.selectbox(key="cm-company").select_index(0).run()


PAGES = {
    "engagements": ("admin", lambda at: at),
    "companies": ("admin", on_companies_page),
    "users": ("admin", lambda at: go(at, "ui/views/users.py")),
    "audit log": ("admin", lambda at: go(at, "ui/views/audit_log.py")),
    "account": ("zhang", lambda at: go(at, "ui/views/account.py")),
    "evidence": ("zhang", on_evidence_page),
    "records": ("zhang", lambda at: go(at, "ui/views/records_analysis.py", engagement=2)),
}


@pytest.mark.parametrize("page", PAGES)
def test_choosers_forms_uploaders_and_tables_speak_chinese(signed_in, page):
    who, open_page = PAGES[page]
    at = open_page(signed_in(who))
    assert not at.exception, at.exception
    placeholders = {c.label: c.proto.placeholder for c in choosers(at)}
    assert all(p and not LATIN.search(p) for p in placeholders.values()), placeholders
    assert all(m.proto.select_all is False or m.proto.select_all == 0 for m in at.multiselect)
    assert [f.proto.form.enter_to_submit for f in forms(at)] == [False] * len(forms(at))
    notes = [c.value for c in at.caption if "每个文件不超过" in c.value]
    assert len(notes) == len(at.get("file_uploader"))
    assert all(len(d.value) for d in at.dataframe), "an empty grid shows the English word 'empty'"


def test_an_empty_audit_log_says_so_in_chinese_instead_of_an_empty_grid(signed_in):
    at = go(signed_in("admin"), "ui/views/audit_log.py")
    at.text_input(key="log-user").set_value("nobody-at-all").run()
    assert not at.dataframe and any(c.value == "没有符合条件的记录。" for c in at.caption)


def test_the_evidence_chart_toolbar_and_dates_use_a_chinese_locale(signed_in):
    import json
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["locale"] == "zh-CN" and config["locales"]["zh-CN"]["format"]["shortMonths"][10] == "11月"
    assert config["locales"]["zh-CN"]["dictionary"]["Download plot as a PNG"] == "下载为 PNG 图片"


HOSTILE = "*粗体*_下划线_[链接](x.cn)<b>x<b> &amp; :smile: # 1. - a"


def test_a_file_name_with_markdown_is_shown_literally_in_the_checklist_caption(signed_in):
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    upload_evidence(at, f"{HOSTILE}.pdf")
    assert any(f"已关联 1 份文件：{md(HOSTILE + '.pdf')}" == c.value for c in at.caption)


def test_a_display_name_with_markdown_is_shown_literally_on_the_account_page(signed_in):
    from accounts.users import create_user
    with session(engine_for(settings().effective_database_url)) as s:
        create_user(s, username="mark", display_name=HOSTILE, role="assessor", password="mark-initial-pass",
                    by=actor())
    at = signed_in("zhang")
    at.button(key="logout").click().run()
    at = go(sign_in(at, "mark", "mark-initial-pass"), "ui/views/account.py")
    assert at.markdown[0].value.startswith(f"**{md(HOSTILE)}**（mark）")
    assert any(c.value == f"当前用户：{md(HOSTILE)}" for c in at.sidebar.caption)


def test_the_engagement_list_shows_the_progress_the_dashboard_shows(signed_in):
    from audits.ratings import RatingEntry, get_rating, rate_clause
    from tests.factories import default_tree
    with session(engine_for(settings().effective_database_url)) as s:  # an excluded clause is not applicable
        for code in ("5.2.6.a", "5.2.6.b"):
            rate_clause(s, engagement_id=1, code=code, entry=RatingEntry("excluded", reason="不经营废旧商品"),
                        expected_version=get_rating(s, 1, code, by=actor()).version, tree=default_tree(), by=actor())
    at = signed_in("chen")
    shown = {p.proto.text for p in at.get("progress")}
    go(at, "ui/views/dashboard.py", engagement=1)
    assert metric(at, "进度").endswith("/ 37") and f"已评 {metric(at, '进度').replace(' ', '')}" in shown, shown
