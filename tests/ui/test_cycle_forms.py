"""AppTest: a surveillance is created in the company's cycle from the engagement form; its lead verifies on the
不符合项 page what the initial certification left open, and carries its evidence forward."""
import io
from datetime import date

from sqlmodel import select

from config import settings
from cycle.cycles import create_in_cycle
from db import engine_for, session
from evidence.models import Evidence
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.models import Nonconformity
from nonconformities.services import submit_rectification
from records.models import Engagement
from tests import cycle_rows as rows
from tests.factories import actor, default_tree
from tests.ui.conftest import go, sign_in

ENGAGEMENTS, NCS, INITIAL = "ui/views/engagements.py", "ui/views/nonconformities.py", 2


def db():
    return session(engine_for(settings().effective_database_url))


def certified(lead="wu"):
    """The demo initial certification in a cycle with its certificate, and an assessor `lead` (no team yet)."""
    with db() as s:
        initial = s.get(Engagement, INITIAL)
        cycle = rows.cycle_of(s, initial)
        rows.certificate(s, initial, date(2026, 11, 20))
        return cycle.id, rows.user(s, lead, "assessor").id


def test_the_admin_creates_a_surveillance_in_the_cycle(signed_in):
    cycle_id, wu = certified()
    at = signed_in("admin")
    at.selectbox(key="eng-kind").set_value("surveillance").run()
    assert "eng-company" not in {w.key for w in at.selectbox}  # the company is the cycle's
    assert at.selectbox(key="eng-cycle").value == cycle_id
    at.text_input(key="eng-title").set_value("第一次监督评价")
    at.selectbox(key="eng-lead").set_value(next(u for u in at.selectbox(key="eng-lead").options if "wu" in u))
    at.button(key="eng-submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with db() as s:
        made = s.exec(select(Engagement).where(Engagement.title == "第一次监督评价")).one()
        assert (made.kind, made.cycle_id, made.previous_id) == ("surveillance", cycle_id, INITIAL)


def test_the_new_lead_verifies_a_carried_nonconformity_and_carries_evidence(app):
    cycle_id, wu = certified()
    with db() as s:
        later = create_in_cycle(s, cycle_id=cycle_id, tree=default_tree(), by=actor(), data={"kind": "surveillance",
                                "title": "第一次监督评价"}, team=[{"role": "lead_assessor", "user_id": wu}])
        ncs = s.exec(select(Nonconformity).where(Nonconformity.engagement_id == INITIAL)
                     .order_by(Nonconformity.number)).all()
        answered = submit_rectification(s, nc_id=ncs[-1].id, cause="因", correction="纠", corrective_action="措",
                                        evidence_ids=[], expected_version=0, by=actor())
        upload_evidence(s, LocalBlobStore(settings().evidence_folder), engagement_id=INITIAL, name="服务制度.pdf",
                        tree=default_tree(), stream=io.BytesIO(b"%PDF-1.4 rules %%EOF"), links={"5.1.1.1": set()},
                        by=actor(), max_bytes=1 << 20)
        later_id, nc_id = later.id, answered.id
    at = go(sign_in(app, "wu", rows.PASSWORD), NCS, engagement=later_id)
    assert any(h.value == "上次评价遗留的不符合项（需验证）" for h in at.subheader)
    assert len(at.dataframe[0].value) == len(ncs)
    at.selectbox(key="carried-nc").set_value(nc_id).run()
    at.text_area(key=f"review-comment-{nc_id}").set_value("整改证据充分")
    at.button(key=f"accept-{nc_id}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with db() as s:
        assert s.get(Nonconformity, nc_id).state == "accepted"
    at.multiselect(key="carry-evidence").select(at.multiselect(key="carry-evidence").options[0])
    at.button(key="carry-submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with db() as s:
        [copy] = s.exec(select(Evidence).where(Evidence.engagement_id == later_id)).all()
        assert copy.name == "服务制度.pdf" and copy.uploaded_by == "wu"


def test_the_workspace_shows_the_last_score_beside_the_clause(app):
    cycle_id, wu = certified()
    with db() as s:
        later = create_in_cycle(s, cycle_id=cycle_id, tree=default_tree(), by=actor(), data={"kind": "surveillance",
                                "title": "第一次监督评价"}, team=[{"role": "lead_assessor", "user_id": wu}]).id
    at = go(sign_in(app, "wu", rows.PASSWORD), "ui/views/workspace.py", engagement=later)
    assert any(c.value.startswith("上次得分（项目 2《初次认证现场评价》）：符合，") for c in at.caption), \
        [c.value for c in at.caption]
