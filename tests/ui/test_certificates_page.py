"""AppTest: issuing the certificate from the dashboard's decision panel, then suspending and restoring it on the
证书 page; the client sees its certificate without the forms."""

from sqlmodel import select

from config import settings
from cycle.models import Certificate, CertificateEvent
from db import engine_for, session
from records.models import Engagement
from tests import cycle_rows as rows
from tests.ui.conftest import go, sign_in
from timefmt import local_today

DASHBOARD, CERTIFICATES, INITIAL = "ui/views/dashboard.py", "ui/views/certificates.py", 2


def db():
    return session(engine_for(settings().effective_database_url))


def approved():
    """The demo initial audit, decided 批准 at four stars (rows written directly: the decision is not under test)."""
    with db() as s:
        engagement = s.get(Engagement, INITIAL)
        decision = rows.decision(s, engagement, local_today())
        engagement.status = "decided"
        s.add(engagement)
        s.commit()
        return decision.id


def certificates() -> list[Certificate]:
    with db() as s:
        return list(s.exec(select(Certificate)))


def keys(at) -> set[str]:
    return {w.key for w in [*at.button, *at.text_area, *at.text_input] if w.key}


def test_the_admin_issues_the_certificate_from_the_decision_panel(signed_in):
    approved()
    at = go(signed_in("admin"), DASHBOARD, engagement=INITIAL)
    assert {"cert-issue", "cert-services", "cert-products"} <= keys(at)
    assert at.text_area(key="cert-services").value == "空调、冰箱、洗衣机的销售、配送、安装及维修服务"
    at.text_input(key="cert-products").set_value("空调、冰箱、洗衣机")
    at.button(key="cert-issue").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    [made] = certificates()
    assert made.product_types == "空调、冰箱、洗衣机" and made.star == "four_star" and made.state == "valid"
    assert any(f"已颁发证书：{made.number}" in s.value for s in at.success)
    assert "cert-issue" not in keys(at) and any(f"证书：**{made.number}**" in m.value for m in at.markdown)


def test_an_assessor_is_offered_no_certificate(signed_in):
    approved()
    at = go(signed_in("zhang"), DASHBOARD, engagement=INITIAL)
    assert "cert-issue" not in keys(at)


def issued_certificate(at) -> Certificate:
    at.button(key="cert-issue").click().run()
    return certificates()[0]


def test_suspend_and_restore_on_the_certificates_page(signed_in):
    approved()
    at = go(signed_in("admin"), DASHBOARD, engagement=INITIAL)
    c = issued_certificate(at)
    at = go(at, CERTIFICATES, certificate=c.id)
    assert any(h.value == "证书" for h in at.title) and at.selectbox(key="cert-choose").value == c.id
    assert f"cert-suspend-{c.id}" in keys(at) and f"cert-restore-{c.id}" not in keys(at)
    at.button(key=f"cert-suspend-{c.id}").click().run()
    assert any("暂停证书必须写明理由" in e.value for e in at.error) and certificates()[0].state == "valid"
    at.text_area(key=f"cert-suspend-reason-{c.id}").set_value("监督评价逾期未进行")
    at.button(key=f"cert-suspend-{c.id}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert certificates()[0].state == "suspended" and any("证书已暂停" in s.value for s in at.success)
    assert f"cert-restore-{c.id}" in keys(at) and f"cert-suspend-{c.id}" not in keys(at)
    at.text_area(key=f"cert-restore-reason-{c.id}").set_value("监督评价已完成")
    at.button(key=f"cert-restore-{c.id}").click().run()
    assert certificates()[0].state == "valid" and any("证书已恢复" in s.value for s in at.success)
    with db() as s:
        moves = [e.event for e in s.exec(select(CertificateEvent).order_by(CertificateEvent.id))]
    assert moves == ["issue", "suspend", "reinstate"]


def test_the_client_sees_its_certificate_without_the_forms(signed_in):
    approved()
    at = go(signed_in("admin"), DASHBOARD, engagement=INITIAL)
    c = issued_certificate(at)
    at.button(key="logout").click().run()
    at = go(sign_in(at, "client"), CERTIFICATES, certificate=c.id)
    assert not at.exception and at.selectbox(key="cert-choose").value == c.id
    assert not {f"cert-suspend-{c.id}", f"cert-withdraw-{c.id}"} & keys(at) and f"cert-build-{c.id}" in keys(at)
    at.button(key=f"cert-build-{c.id}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    offered = {w.proto.label for w in at.get("download_button")}
    assert "下载 Word" in offered
