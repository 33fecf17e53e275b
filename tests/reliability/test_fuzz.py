"""Hostile and broken input, generated: every input boundary refuses with a message and never crashes."""
import io
import json
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from criteria.loader import parse_tree
from errors import AuditError
from evidence.filetypes import check_file
from evidence.names import display_name
from evidence.package import zip_entries
from exports.context import build_report_context
from exports.excel import checklist_workbook, read_checklist
from exports.word_report import render_report
from scoring.assessment import parse_assessment
from tests.factories import default_tree
from textclean import clean_text
from ui.text import md

TREE = default_tree()
CASES = 150
FIXED = os.environ.get("AUDIT_FUZZ_RANDOM") != "1"
FAST = settings(max_examples=CASES, deadline=None, derandomize=FIXED,  # repeatable in CI; AUDIT_FUZZ_RANDOM=1 draws fresh cases
                suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)
CODES = st.sampled_from([leaf.code for leaf in TREE.leaves()] + ["5.1", "9.9.9", "", "5.1.1.1 "])
ratings = st.fixed_dictionaries({"code": CODES, "result": st.sampled_from(["conform", "nonconform", "sampled", "x"])},
                                optional={"sampled": st.integers(-3, 8) | st.text(max_size=3),
                                          "nonconforming": st.integers(-3, 8), "finding": st.text()})


def refuses_or_accepts(call) -> None:
    try:
        call()
    except AuditError as exc:
        assert exc.message.strip()  # refused with a message


@FAST
@given(json_values)
def test_any_json_as_a_tree_file(data):
    refuses_or_accepts(lambda: parse_tree(data, source="fuzz.yaml"))


@FAST
@given(st.dictionaries(st.sampled_from(["id", "version", "title", "indicators", "total_points"]), json_values))
def test_tree_shaped_documents(data):
    refuses_or_accepts(lambda: parse_tree(data, source="fuzz.yaml"))


@FAST
@given(st.fixed_dictionaries({"criteria": st.just("gbt27922-2011"), "ratings": st.lists(ratings, max_size=6)},
                             optional={"exclusions": st.lists(st.fixed_dictionaries(
                                 {"code": CODES}, optional={"reason": st.text()}), max_size=3),
                                 "special_bonus": st.lists(st.fixed_dictionaries({"reason": st.text()}), max_size=3),
                                 "nonconformities": st.lists(json_values, max_size=2)}))
def test_assessments_and_the_report_built_from_them(data):
    try:
        parse_assessment(data, TREE)
    except AuditError as exc:
        assert exc.message.strip()
        return
    render_report(build_report_context(data | {"company": {"name": "<b>&\x01" * 3}}, TREE))


@FAST
@given(json_values)
def test_any_json_as_an_assessment(data):
    refuses_or_accepts(lambda: parse_assessment(data, TREE))


@FAST
@given(st.text(), st.binary(max_size=300))
def test_uploaded_names_and_contents(name, content):
    def upload():
        shown = display_name(name)
        assert "/" not in shown and "\\" not in shown and ".." not in shown.split(".")[:1]
        check_file(shown, content[:64], len(content), content)
    refuses_or_accepts(upload)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the generated archives may repeat a name on purpose
@FAST
@given(st.binary(max_size=400) | st.builds(lambda names: _zip(names), st.lists(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20),
    max_size=4)))  # names zipfile can write: no NUL, no lone surrogates
def test_zip_packages(data):
    refuses_or_accepts(lambda: list(zip_entries(io.BytesIO(data), len(data))))


def _zip(names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            z.writestr(name or "x", b"%PDF-1.4")
    return buffer.getvalue()


BASE_BOOK = checklist_workbook(TREE, {}, {}, 1)


@settings(max_examples=40, deadline=None, derandomize=FIXED)
@given(st.dictionaries(st.sampled_from(["结果", "抽样数", "不符合数", "删减理由", "审核发现"]),
                       st.none() | st.text(max_size=40) | st.integers(-5, 10**6) | st.floats(allow_nan=False)),
       st.sampled_from([leaf.code for leaf in TREE.leaves()]))
def test_excel_cells(values, code):
    from tests.services.test_checklist import fill
    try:
        data = fill(BASE_BOOK, {code: values})
    except IllegalCharacterError:  # openpyxl refuses to write such a cell: no such file can exist
        return
    rows, _, _, errors = read_checklist(data, TREE)
    assert all(e.message for e in errors)


@FAST
@given(st.text())
def test_user_text_shown_in_markdown_stays_text(text):
    shown = md(text)
    for special in "[]()<>*_`#!|":
        escaped = shown.replace("\\\\", "").replace("\\" + special, "")
        assert special not in escaped, json.dumps(shown)


@FAST
@given(st.text(), st.text())
def test_the_checklist_export_takes_any_stored_text(reason, finding):
    from scoring.assessment import RatingEntry
    data = checklist_workbook(TREE, {"5.1.1.1": RatingEntry("excluded", reason=reason, finding=finding)}, {}, 1)
    read_checklist(data, TREE)  # an emptied reason comes back as an error, not a crash


@settings(max_examples=60, deadline=None, derandomize=FIXED,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=6000), st.sampled_from(["conform", "nonconform", "excluded"]))
def test_form_fields_through_the_rating_service(engine, text, status):
    from audits.ratings import RatingEntry, get_rating, rate_clause
    from db import session
    from tests.factories import actor
    with session(engine) as s:
        engagement = _engagement(s)
        before = get_rating(s, engagement, "5.1.1.1", by=actor()).version
        try:
            saved = rate_clause(s, engagement_id=engagement, code="5.1.1.1", tree=TREE, by=actor(),
                                entry=RatingEntry(status, reason=text, finding=text), expected_version=before)
        except AuditError as exc:
            assert exc.message.strip() and get_rating(s, engagement, "5.1.1.1", by=actor()).version == before
            return
        assert saved.finding == clean_text(text)


def _engagement(s) -> int:
    from audits.engagements import list_engagements
    from tests.factories import actor, make_engagement
    rows = list_engagements(s, by=actor())
    return rows[0].engagement.id if rows else make_engagement(s).id


# Text pasted from web pages and PDFs: anything, plus what Word, Excel and XML cannot hold.
PASTED = st.lists(st.text(st.characters(codec=None), max_size=8) | st.sampled_from(
    ["\ufffe", "\uffff", "\ud800", "\udfff", "\U0001fffe", "\U0001f600", "\U00020000", "\r\n", "\r", "\x0b",
     "<", "&", "{{", "]]>"]), max_size=8).map("".join)


def _every_text_field(t: list[str]) -> dict:
    """A snapshot whose every free-text field holds generated text (t has 24 strings)."""
    return {
        "criteria": "gbt27922-2011",
        "ratings": [{"code": "5.1.1.1", "result": "nonconform", "finding": t[0]},
                    {"code": "5.3.2.b", "result": "sampled", "sampled": 5, "nonconforming": 2, "finding": t[1]}],
        "exclusions": [{"code": "5.2.6", "reason": t[2] + "理由"}],
        "special_deductions": [{"reason": t[3] + "扣分", "code": "5.2.4.c", "category": "law", "by": t[4]}],
        "special_bonus": [{"reason": t[5] + "加分"}],
        "nonconformities": [{"number": 1, "code": "5.1.1.1", "severity": "general", "status": "submitted",
                             "finding": t[6], "requirement": t[7], "evidence_seen": t[8], "raised_by": t[9],
                             "history": [{"event": "submit", "from": "raised", "to": "submitted", "by": t[10],
                                          "at": "2026-11-20T08:00:00+00:00", "comment": t[11],
                                          "details": {"cause": t[12], "correction": t[13],
                                                      "corrective_action": t[14]}}]}],
        "engagement": {"id": 1, "kind": "initial", "title": t[15], "start_date": "2026-11-02"},
        "company": {"name": t[16] + "公司", "credit_code": "91330106MA2DEMX01W", "address": t[17],
                    "industry": t[18], "scope": t[19], "contact": t[20]},
        "sites": [{"name": t[21] + "网点", "kind": "outlet", "address": t[22]}],
        "team": [{"name": t[23] + "组长", "role": "lead_assessor"}],
        "evidence": [{"name": t[0] + ".pdf", "sha256": "ab" * 32, "codes": ["5.1.1.1"], "uploaded_by": t[1],
                      "note": t[2]}],
    }


@settings(max_examples=40, deadline=None, derandomize=FIXED, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PASTED, min_size=24, max_size=24))
def test_every_document_and_export_takes_pasted_text_in_every_field(texts):
    from docx import Document

    from exports.documents import DOCUMENTS
    from scoring.assessment import RatingEntry
    snapshot = _every_text_field(texts)
    context = build_report_context(snapshot, TREE)
    for name, (_, render) in DOCUMENTS.items():
        document = Document(io.BytesIO(render(context)))  # opens: the XML is well formed
        if name == "report":
            body = "\n".join(p.text for p in document.paragraphs) + "".join(
                c.text for t in document.tables for r in t.rows for c in r.cells)
            assert clean_text(texts[16] + "公司") in body
    book = checklist_workbook(TREE, {"5.1.1.1": RatingEntry("excluded", reason=texts[2] + "理由",
                                                            finding=texts[0])}, {}, 1)
    read_checklist(book, TREE)
