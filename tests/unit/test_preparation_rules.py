"""The pure rules before the visit: when the on-site evaluation may start, the plan's number, agenda and attendee
lists as typed, the draft's fingerprint, the team's one lead assessor."""
import pytest

from audits.status_workflow import start_refusal
from cycle.rules import agenda_text, draft_version, parse_agenda, parse_names, plan_number, team_problem
from errors import InvalidInput


@pytest.mark.parametrize("kind, result, reason, may_start", [
    ("initial", None, "", False),
    ("initial", "changes", "", False),
    ("initial", "failed", "", False),
    ("initial", "passed", "", True),
    ("initial", None, "企业急需，文件审查与现场评价同时进行", True),
    ("initial", "changes", "  ", False),
    ("recertification", None, "", False),
    ("recertification", "passed", "", True),
    ("pre_audit", None, "", True),
    ("surveillance", None, "", True),
    ("special", "failed", "", True),
])
def test_the_on_site_evaluation_waits_for_a_passed_review_or_a_reason(kind, result, reason, may_start):
    assert (start_refusal(kind, result, reason) == "") == may_start


def test_the_refusal_says_what_is_missing_and_what_to_do():
    assert "尚未记录文件审查" in start_refusal("initial", None)
    assert "最近一次文件审查结果为“需补充修改”" in start_refusal("recertification", "changes")
    assert "写明理由" in start_refusal("initial", "failed")


def test_the_plan_number_has_the_year_and_the_engagement():
    assert plan_number(2026, 7) == "JH-2026-0007"
    assert plan_number(2027, 12345) == "JH-2027-12345"


def test_the_agenda_reads_one_row_per_line_with_either_bar_or_a_tab():
    text = "12-03 09:00 | 首次会议 | 张审查\n\n12-03 10:00｜文件审查\n末次会议\n09:00\t现场评价\t李评审"
    assert parse_agenda(text) == [
        {"time": "12-03 09:00", "item": "首次会议", "who": "张审查"},
        {"time": "12-03 10:00", "item": "文件审查", "who": ""},
        {"time": "", "item": "末次会议", "who": ""},
        {"time": "09:00", "item": "现场评价", "who": "李评审"}]
    assert parse_agenda(agenda_text(parse_agenda(text))) == parse_agenda(text)


@pytest.mark.parametrize("text, message", [("09:00 | | 张审查", "第 1 行缺少内容"),
                                           ("首次会议\n09:00 |  ", "第 2 行缺少内容"),
                                           ("x | " + "长" * 201, "第 1 行过长"),
                                           ("会\n" * 101, "不能超过 100 行")])
def test_a_bad_agenda_row_is_named(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_agenda(text)


def test_names_are_one_per_line_without_blanks_or_repeats():
    assert parse_names("王经理\n\n 李主管 \n王经理", "企业出席人员") == ["王经理", "李主管"]
    assert parse_names(["张审查", "", "张审查"], "评价组出席人员") == ["张审查"]
    with pytest.raises(InvalidInput, match="企业出席人员"):
        parse_names("长" * 101, "企业出席人员")


def test_the_draft_fingerprint_moves_with_any_change_of_content():
    content = {"objectives": "目的", "agenda": [{"time": "09:00", "item": "首次会议", "who": ""}], "site_ids": [1]}
    assert draft_version(content) == draft_version(dict(reversed(list(content.items()))))
    assert draft_version(content) != draft_version({**content, "site_ids": [1, 2]})
    assert draft_version(content) > 0


@pytest.mark.parametrize("kind, roles, problem", [
    ("initial", ["lead_assessor", "assessor"], ""),
    ("initial", ["assessor", "technical_expert"], "现有 0 名"),
    ("surveillance", ["lead_assessor", "lead_assessor"], "现有 2 名"),
    ("pre_audit", ["consultant"], ""),
    ("pre_audit", ["consultant", "lead_assessor"], "不能有审查组长"),
])
def test_a_certification_team_keeps_exactly_one_lead(kind, roles, problem):
    found = team_problem(kind, roles)
    assert (problem in found) if problem else found == ""
