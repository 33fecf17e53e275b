"""AppTest: the assessor reviews the client's whole answer and its files; the client's files come with the answer or
not at all, and after a return the form starts from the previous answer; the 查看 box names the current state;
user text shows as text; no English or empty tables (issue 14 items 4, 5, 7, 12, 13)."""
import io

import pytest

from evidence.services import evidence_links, list_evidence, upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.services import return_rectification, submit_rectification
from records.models import Engagement
from tests.factories import actor, default_tree
from tests.ui.conftest import go
from tests.ui.test_nonconformity_forms import NC, NC_PAGE, db, last_event, opened, stored
from tests.ui.test_workspace_messages import assert_chinese_controls
from ui.text import md, md_lines
from vocabulary import NcState

INITIAL = 2  # the demo initial audit, which NC 3 (its NC-02, clause 5.2.1.b) belongs to
CLIENT = actor("企业用户")
HOSTILE = "*强调* _下划线_ [链接](http://evil.example) <b>粗</b> # 标题 `代码` :red[红]"


def client_file(name="整改_记录*v2*.txt", content="2026-11-20 已重印保修卡并由质量部签字。"):
    from config import settings
    with db() as s:
        return upload_evidence(s, LocalBlobStore(settings().evidence_folder), engagement_id=INITIAL, name=name,
                               stream=io.BytesIO(content.encode()), tree=default_tree(), links={"5.2.1.b": set()},
                               by=CLIENT, max_bytes=1 << 20).evidence


def answered(cause="保修卡模板未更新", evidence_ids=(), **answer):
    with db() as s:
        submit_rectification(s, nc_id=NC, cause=cause, correction=answer.get("correction", "已重印保修卡"),
                             corrective_action=answer.get("corrective_action", "发布前由质量部审核"),
                             evidence_ids=list(evidence_ids), expected_version=stored().version, by=CLIENT)


def returned(reason="缺少签字"):
    with db() as s:
        return_rectification(s, nc_id=NC, reason=reason, expected_version=stored().version, by=actor("李评审"))


def files_of_engagement():
    with db() as s:
        return {e.name: e for e in list_evidence(s, INITIAL, by=actor(), include_removed=True)}


# item 4
def test_the_assessor_reviews_the_whole_answer_and_previews_and_downloads_its_files(signed_in):
    at = signed_in("zhang")
    file = client_file()
    cause = "第一行：保修卡模板未更新。\n" + "模板由市场部维护，发布前无人核对服务信息。" * 20 + "\n最后一行：结论。"
    answered(cause, evidence_ids=[file.id])
    opened(at)
    texts = [m.value for m in at.markdown]
    assert f"**原因分析**  \n{md_lines(cause)}" in texts  # whole, with its line breaks, not a table cell
    assert any("已重印保修卡" in t for t in texts) and any("发布前由质量部审核" in t for t in texts)
    box = next(e for e in at.expander if md(file.name) in e.label)
    assert not any(b.key == f"download-{file.id}" for b in at.get("download_button"))  # read only when opened
    at.session_state[f"answer-file-{NC}-{file.id}"] = True
    at.run()
    assert not at.exception, at.exception
    assert box.label.endswith(md(file.name))
    assert any(b.key == f"download-{file.id}" for b in at.get("download_button"))
    assert any("已重印保修卡并由质量部签字" in t.value for t in at.text)


# item 5
def test_a_refused_answer_uploads_and_links_nothing_and_keeps_what_was_typed(signed_in):
    at = opened(signed_in("client"))
    at.text_area(key=f"cause-{NC}").set_value("保修卡模板未更新")
    at.text_area(key=f"corrective-{NC}").set_value("发布前由质量部审核")
    at.file_uploader(key=f"answer-upload-{NC}").set_value(("签字记录.txt", "已签字".encode(), "text/plain"))
    at.button(key=f"answer-submit-{NC}").click().run()  # 纠正 left empty
    assert any("请填写纠正" in e.value for e in at.error)
    assert "签字记录.txt" not in files_of_engagement() and stored().state == NcState.RAISED
    assert at.text_area(key=f"cause-{NC}").value == "保修卡模板未更新"
    at.text_area(key=f"correction-{NC}").set_value("已重印保修卡")
    at.button(key=f"answer-submit-{NC}").click().run()
    assert any("整改已提交" in s.value and "签字记录.txt" in s.value for s in at.success)
    file = files_of_engagement()["签字记录.txt"]
    assert last_event().details["evidence_ids"] == [file.id] and file.submitted_at is not None
    with db() as s:
        assert [link.code for link in evidence_links(s, file.id, by=actor())] == ["5.2.1.b"]


# item 5
def test_after_a_return_the_form_starts_from_the_previous_answer(signed_in):
    at = signed_in("client")
    file = client_file()
    answered("第一次的原因分析", evidence_ids=[file.id], correction="第一次的纠正")
    returned()
    opened(at)
    assert at.text_area(key=f"cause-{NC}").value == "第一次的原因分析"
    assert at.text_area(key=f"correction-{NC}").value == "第一次的纠正"
    assert at.text_area(key=f"corrective-{NC}").value == "发布前由质量部审核"
    assert at.multiselect(key=f"answer-files-{NC}").value == [file.id]
    at.text_area(key=f"cause-{NC}").set_value("补充后的原因分析")
    at.text_area(key=f"correction-{NC}").set_value("")
    at.button(key=f"answer-submit-{NC}").click().run()  # refused: what was typed stays, not the old answer
    assert any("请填写纠正" in e.value for e in at.error)
    assert at.text_area(key=f"cause-{NC}").value == "补充后的原因分析"
    at.text_area(key=f"correction-{NC}").set_value("补签并重印")
    at.button(key=f"answer-submit-{NC}").click().run()
    details = last_event().details
    assert (details["cause"], details["correction"], details["evidence_ids"]) == ("补充后的原因分析", "补签并重印",
                                                                                [file.id])


def shown_choice(at, held: str | None) -> str | None:
    """What the browser shows in the 查看 box: it keeps the label it holds until the page sends it a value."""
    box = at.selectbox(key="nc-chosen").proto
    return box.raw_value if box.set_value else held


# item 7
def test_the_chooser_names_the_current_state_after_each_action(signed_in):
    at = signed_in("zhang")
    answered()
    opened(at)
    box = at.selectbox(key="nc-chosen")
    held = shown_choice(at, box.options[box.index])
    assert held.endswith("已提交整改")
    at.button(key=f"accept-{NC}").click().run()
    held = shown_choice(at, held)
    assert at.subheader[0].value.endswith("整改已接受，待验证") and held.endswith("整改已接受，待验证")
    from nonconformities.services import close_nonconformity
    with db() as s:  # a colleague closes it; this page learns it at its next run
        close_nonconformity(s, nc_id=NC, verification="documents", note="已查验", expected_version=stored().version,
                            by=actor("李评审"))
    at.run()
    assert shown_choice(at, held).endswith("已关闭")


# item 13
def test_the_return_reason_shows_literally_to_the_client(signed_in):
    at = signed_in("client")
    answered()
    returned(HOSTILE)
    opened(at)
    assert any(md(HOSTILE) in w.value for w in at.warning)


# item 13
def test_attention_buttons_show_titles_literally(signed_in):
    with db() as s:
        engagement = s.get(Engagement, INITIAL)
        engagement.title = HOSTILE
        s.add(engagement)
        s.commit()
    at = signed_in("client")
    labels = [b.label for b in at.button if b.key and b.key.startswith("attention-")]
    assert labels and all(md(HOSTILE) in label for label in labels if "NC-02" in label)


# item 12
@pytest.mark.parametrize("username", ["client", "zhang"])
def test_the_page_asks_in_chinese_and_shows_no_empty_table(signed_in, username):
    at = go(signed_in(username), NC_PAGE)
    at.selectbox(key="nc-chosen").set_value(2).run()  # the demo initial audit's NC-01: nothing done to it yet
    assert_chinese_controls(at)
    assert any(c.value == "尚无处理记录。" for c in at.caption)
