"""An engagement's sample registers, imported logs and service targets as plain data named without database ids:
the snapshot's `sample_registers`, `record_imports` and `service_targets` keys, which the report prints (n / N
and the annex of samples; on a pre-audit, the targets the records do not yet support). The caller has checked
the reader may view the engagement."""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from records.models import Site
from samples.models import RecordImport, SampleRow, ServiceTarget
from samples.targets import describe_target, missed


def samples_plain(session: Session, engagement_id: int) -> dict:
    rows = session.exec(select(SampleRow).where(SampleRow.engagement_id == engagement_id,
                                                SampleRow.removed == False).order_by(SampleRow.id)).all()  # noqa: E712
    sites = {s.id: s.name for s in session.exec(select(Site).where(Site.id.in_({r.site_id for r in rows} or {-1})))}
    imports = session.exec(select(RecordImport).where(RecordImport.engagement_id == engagement_id)
                           .order_by(RecordImport.id)).all()
    names = {r.id: r.file_name for r in imports}
    targets = session.exec(select(ServiceTarget).where(ServiceTarget.engagement_id == engagement_id)
                           .order_by(ServiceTarget.code, ServiceTarget.id)).all()
    return {
        "sample_registers": [{"code": r.code, "reference": r.reference, "site": sites.get(r.site_id),
                              "date": _plain(r.sampled_on), "reported": _plain(r.reported_at),
                              "responded": _plain(r.responded_at), "on_site": _plain(r.on_site_at),
                              "resolved": _plain(r.resolved_at), "limit": r.limit_text, "conforms": r.conforms,
                              "note": r.note, "from_import": names.get(r.import_id)} for r in rows],
        "record_imports": [{"kind": r.kind, "file": r.file_name, "sha256": r.original_sha256,
                            "table_sha256": r.table_sha256, "encoding": r.encoding, "mapping": r.mapping,
                            "rows": r.rows, "seed": r.seed, "by": r.imported_by, "at": r.imported_at.isoformat()}
                           for r in imports],
        "service_targets": [{"code": t.code, "target": describe_target(t), "measured": t.measured,
                             "missed": missed(t), "from_import": names.get(t.measured_import_id)} for t in targets],
    }


def _plain(moment: date | datetime | None) -> str | None:
    return moment.isoformat(sep=" ", timespec="minutes") if isinstance(moment, datetime) else \
        (moment.isoformat() if moment else None)
