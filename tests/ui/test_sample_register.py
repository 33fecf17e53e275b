"""AppTest: a clause's sample register in the workspace: a sample registered drives the counts, which the form
then shows read-only; a time that cannot be read is refused and the form keeps what was typed."""
import io

from audits.ratings import clause_history, get_rating
from config import settings
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from samples.registers import SampleEntry, add_samples
from samples.targets import TargetEntry, record_target
from tests.factories import actor, default_tree
from tests.ui.conftest import go
from tests.ui.test_audit_pages import PRE_AUDIT, WORKSPACE, db
from vocabulary import Comparison, TargetMetric

CLAUSE = "5.3.1.a"
KEY = f"{PRE_AUDIT}-{CLAUSE}"


def open_register(at):
    go(at, WORKSPACE, engagement=PRE_AUDIT)
    at.button(key=f"goto-{CLAUSE}").click().run()
    at.session_state[f"register-{KEY}"] = True
    at.run()
    assert not at.exception, at.exception


def test_a_registered_sample_drives_the_counts_shown_read_only(at):
    open_register(at)
    at.text_input(key=f"sample-ref-{KEY}").set_value("WO-123")
    at.text_input(key=f"sample-reported_at-{KEY}").set_value("2026/1/5 08:00")
    at.text_input(key=f"sample-on_site_at-{KEY}").set_value("2026-01-06 10:00")
    at.text_input(key=f"sample-limit-{KEY}").set_value("24 小时内到场")
    at.radio(key=f"sample-conforms-{KEY}").set_value("不符合")
    at.button(key=f"sample-save-{KEY}").click().run()
    assert not at.exception, at.exception
    with db() as s:
        rating = get_rating(s, PRE_AUDIT, CLAUSE, by=actor())
        assert (rating.status, rating.sampled, rating.nonconforming) == ("sampled", 1, 1)
        assert clause_history(s, PRE_AUDIT, by=actor(), code=CLAUSE)[0].reason == "样本登记：新增 WO-123 不符合"
    sampled = at.number_input(key=f"sampled-{KEY}")
    assert (sampled.value, sampled.disabled) == (1, True)
    assert at.number_input(key=f"nonconforming-{KEY}").value == 1
    assert any("由下方的样本登记得出" in c.value for c in at.caption)
    assert any("样本登记（1 个样本，1 个不符合）" == e.label for e in at.expander)


def test_a_time_that_cannot_be_read_is_refused_and_the_form_keeps_it(at):
    open_register(at)
    at.text_input(key=f"sample-ref-{KEY}").set_value("WO-9")
    at.text_input(key=f"sample-reported_at-{KEY}").set_value("上周五")
    at.button(key=f"sample-save-{KEY}").click().run()
    assert any("受理时间“上周五”无法识别" in e.value for e in at.error), [e.value for e in at.error]
    assert at.text_input(key=f"sample-ref-{KEY}").value == "WO-9"
    with db() as s:
        assert get_rating(s, PRE_AUDIT, CLAUSE, by=actor()).status != "sampled"


def test_a_missed_service_target_shows_against_its_clause(at):
    with db() as s:
        proof = upload_evidence(s, LocalBlobStore(settings().evidence_folder), engagement_id=PRE_AUDIT,
                                name="满意度调查汇总.pdf", stream=io.BytesIO(b"%PDF-1.4 survey"), tree=default_tree(),
                                links={}, by=actor(), max_bytes=10**6)
        record_target(s, engagement_id=PRE_AUDIT, tree=default_tree(), by=actor(), entry=TargetEntry(
            CLAUSE, TargetMetric.SATISFACTION, Comparison.AT_LEAST, 85, measured=80.5, evidence_id=proof.evidence.id))
    go(at, WORKSPACE, engagement=PRE_AUDIT)
    at.button(key=f"goto-{CLAUSE}").click().run()
    assert any(w.value == "服务目标未达成：用户满意度 ≥ 85%，实测 80.5%。请考虑是否作为审核发现。" for w in at.warning), \
        [w.value for w in at.warning]


def test_marking_a_sample_nonconforming_then_removing_it_moves_the_counts(at):
    with db() as s:
        add_samples(s, engagement_id=PRE_AUDIT, code=CLAUSE, tree=default_tree(), by=actor(),
                    entries=[SampleEntry("WO-1"), SampleEntry("WO-2")])
    open_register(at)
    at.radio(key=f"sample-new-conforms-{KEY}").set_value("不符合")
    at.text_input(key=f"sample-why-{KEY}").set_value("到场超时")
    at.button(key=f"sample-edit-{KEY}").click().run()
    assert not at.exception, at.exception
    with db() as s:
        assert get_rating(s, PRE_AUDIT, CLAUSE, by=actor()).nonconforming == 1
    assert at.number_input(key=f"nonconforming-{KEY}").value == 1
    at.text_input(key=f"sample-why-{KEY}").set_value("重复登记")
    at.button(key=f"sample-remove-{KEY}").click().run()
    assert not at.exception, at.exception
    with db() as s:
        rating = get_rating(s, PRE_AUDIT, CLAUSE, by=actor())
        assert (rating.sampled, rating.nonconforming) == (1, 0)
        assert clause_history(s, PRE_AUDIT, by=actor(), code=CLAUSE)[0].reason == "样本登记：删除 WO-1（重复登记）"
    assert at.number_input(key=f"sampled-{KEY}").value == 1
