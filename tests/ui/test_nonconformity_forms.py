"""AppTest: the nonconformity page's forms carry the version the user saw, keep what a refused submit held, and
are offered only to whoever the service lets act."""
import pytest

from config import settings
from db import engine_for, session
from nonconformities.services import get_nonconformity, nc_history, return_rectification, submit_rectification
from tests.factories import actor
from tests.ui.conftest import go
from vocabulary import NcState

NC_PAGE = "ui/views/nonconformities.py"
NC = 3  # the demo initial audit's NC-02 (clause 5.2.1.b), raised by 张审查, its lead assessor; 李评审 is on the team


def db():
    return session(engine_for(settings().effective_database_url))


def stored(nc_id=NC):
    with db() as s:
        return get_nonconformity(s, nc_id, by=actor())


def answer(nc_id=NC, cause="制度未落实"):
    with db() as s:
        submit_rectification(s, nc_id=nc_id, cause=cause, correction="已补充", corrective_action="每月复核",
                             evidence_ids=[], expected_version=stored(nc_id).version, by=actor("企业用户"))


def returned_and_answered_again(cause):
    """Behind the page: a colleague returns the rectification and the client answers again (version + 2)."""
    with db() as s:
        return_rectification(s, nc_id=NC, reason="缺少签字", expected_version=stored().version, by=actor("李评审"))
    answer(cause=cause)


def last_event(nc_id=NC):
    with db() as s:
        return nc_history(s, nc_id, by=actor())[-1]


def opened(at, nc_id=NC):
    go(at, NC_PAGE)
    at.selectbox(key="nc-chosen").set_value(nc_id).run()
    assert not at.exception, at.exception
    return at


def test_accepting_a_rectification_that_changed_after_the_page_showed_it_is_refused(signed_in):
    at = signed_in("zhang")  # the first run loads the demo data
    answer(cause="第一次的原因分析")
    opened(at)
    assert at.button(key=f"accept-{NC}").label == "接受整改"
    returned_and_answered_again("第二次的原因分析")  # the version moves by two; the state is 已提交 again
    at.text_area(key=f"review-comment-{NC}").set_value("整改有效")
    at.button(key=f"accept-{NC}").click().run()
    assert not at.exception, at.exception
    assert any("已被他人处理" in e.value for e in at.error)
    assert stored().state == NcState.SUBMITTED and last_event().event == "submit"
    assert at.text_area(key=f"review-comment-{NC}").value == "整改有效"
    # the page now shows the newer answer, whole; accepting what is on screen goes through
    assert any("第二次的原因分析" in m.value for m in at.markdown)
    assert not any("第一次的原因分析" in m.value for m in at.markdown)
    at.button(key=f"accept-{NC}").click().run()
    assert stored().state == NcState.ACCEPTED and last_event().comment == "整改有效"


def test_a_refused_rectification_keeps_what_the_client_typed(signed_in):
    at = opened(signed_in("client"))
    at.text_area(key=f"cause-{NC}").set_value("保修卡模板未更新")
    at.text_area(key=f"corrective-{NC}").set_value("发布前由质量部审核")
    at.button(key=f"answer-submit-{NC}").click().run()  # 纠正 left empty
    assert any("请填写纠正" in e.value for e in at.error)
    assert stored().state == NcState.RAISED
    assert at.text_area(key=f"cause-{NC}").value == "保修卡模板未更新"
    at.text_area(key=f"correction-{NC}").set_value("已重印保修卡")  # fills only what was missing
    at.button(key=f"answer-submit-{NC}").click().run()
    assert any("整改已提交" in s.value for s in at.success)
    details = last_event().details
    assert (details["cause"], details["correction"], details["corrective_action"]) == (
        "保修卡模板未更新", "已重印保修卡", "发布前由质量部审核")


def test_a_refused_return_keeps_its_reason(signed_in):
    at = signed_in("zhang")
    answer()
    opened(at)
    returned_and_answered_again("补充后的原因分析")
    at.text_area(key=f"review-comment-{NC}").set_value("纠正措施缺少完成期限")
    at.button(key=f"return-{NC}").click().run()
    assert any("已被他人处理" in e.value for e in at.error)
    assert at.text_area(key=f"review-comment-{NC}").value == "纠正措施缺少完成期限"
    at.button(key=f"return-{NC}").click().run()  # the reason is still in the form: no need to type it again
    assert stored().state == NcState.RETURNED and last_event().comment == "纠正措施缺少完成期限"


def test_a_refused_closure_keeps_the_verification_record(signed_in):
    from nonconformities.services import accept_rectification, raise_nonconformity
    from tests.factories import default_tree
    at = signed_in("zhang")
    with db() as s:
        serious = raise_nonconformity(s, engagement_id=2, severity="serious", code="5.1.6.b", finding="未验证",
                                      tree=default_tree(), by=actor())
    answer(serious.id)
    with db() as s:
        accept_rectification(s, nc_id=serious.id, comment="", expected_version=stored(serious.id).version,
                             by=actor())
    opened(at, serious.id)
    at.radio(key=f"verify-method-{serious.id}").set_value("documents")
    at.text_area(key=f"verify-note-{serious.id}").set_value("已查验修订后的程序文件")
    at.button(key=f"close-submit-{serious.id}").click().run()
    assert any("严重不符合必须经现场验证" in e.value for e in at.error)
    at.radio(key=f"verify-method-{serious.id}").set_value("on_site")
    at.button(key=f"close-submit-{serious.id}").click().run()
    assert stored(serious.id).state == NcState.CLOSED
    assert last_event(serious.id).comment == "已查验修订后的程序文件"


@pytest.mark.parametrize("username, offered", [("li", False), ("client", False), ("zhang", True)])
def test_only_whoever_may_change_the_deadline_is_offered_its_form(signed_in, username, offered):
    at = opened(signed_in(username))
    assert (f"due-submit-{NC}" in {b.key for b in at.button}) == offered


def test_the_lead_assessor_changes_the_deadline(signed_in):
    from datetime import date
    at = opened(signed_in("zhang"))
    at.date_input(key=f"due-{NC}").set_value(date(2027, 1, 15))
    at.button(key=f"due-submit-{NC}").click().run()
    assert any("整改期限已更新" in s.value for s in at.success)
    assert stored().due_date == date(2027, 1, 15)
