"""The access matrix's rows for sample registers, a company's imported logs and its service targets
(tests/services/test_access_matrix.py): changing them is rating work (the team; a consultant on the pre-audit of
a company assigned to them); reading them goes with seeing the engagement."""
from samples.imports import confirm_import, preview_log
from samples.registers import SampleEntry, add_samples, register_of
from samples.targets import TargetEntry, record_target, targets_of
from tests.factories import default_tree
from vocabulary import Comparison, LogKind, TargetMetric

TREE = default_tree()
LOG = "单号,受理时间,到场时间\nA1,2026/1/5 08:00,2026/1/5 10:00\n".encode("gbk")
MAPPING = {"case": "单号", "reported": "受理时间", "on_site": "到场时间"}

SAMPLES_ACTIONS = {
    "register a sample": lambda db, w, by, who, e, c: add_samples(
        db, engagement_id=e, code="5.1.2.1", entries=[SampleEntry("WO-1", conforms=False)], tree=TREE, by=by),
    "read a sample register": lambda db, w, by, who, e, c: register_of(db, e, "5.1.2.1", by=by),
    "preview a company log": lambda db, w, by, who, e, c: preview_log(
        db, engagement_id=e, kind=LogKind.COMPLAINT, name="投诉.csv", data=LOG, mapping=None, by=by),
    "import a company log": lambda db, w, by, who, e, c: confirm_import(
        db, w.store, engagement_id=e, kind=LogKind.COMPLAINT, name="投诉.csv", data=LOG, mapping=MAPPING, by=by,
        max_bytes=10**6),
    "record a service target": lambda db, w, by, who, e, c: record_target(
        db, engagement_id=e, entry=TargetEntry("5.1.2.1", TargetMetric.SATISFACTION, Comparison.AT_LEAST, 85),
        tree=TREE, by=by),
    "read the service targets": lambda db, w, by, who, e, c: targets_of(db, e, by=by),
}
SAMPLES_EXPECTED = {
    "register a sample":               {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "read a sample register":          {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "preview a company log":           {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "import a company log":            {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "record a service target":         {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "read the service targets":        {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
}
