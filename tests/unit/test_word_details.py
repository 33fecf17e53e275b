"""What the documents print in detail (issue 14 item 19): whole hashes, sample counts, a legend clear of the bars,
single line breaks from Windows text."""
import io
import json

import pytest
from docx import Document
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from exports.__main__ import main
from exports.charts import points_chart
from exports.context import build_report_context
from exports.documents import DOCUMENTS
from exports.word_report import render_report
from tests.unit.test_word_report import TREE, snapshot


def texts(doc) -> list[str]:
    """Every paragraph's text, in the body and in table cells."""
    return [p.text for p in doc.paragraphs] + [p.text for t in doc.tables for row in t.rows for cell in row.cells
                                               for p in cell.paragraphs]


@pytest.fixture(scope="module")
def report():
    return Document(io.BytesIO(render_report(build_report_context(snapshot(), TREE))))


def test_the_evidence_index_prints_the_whole_sha256(report):
    index = next(t for t in report.tables if t.rows[0].cells[-1].text == "SHA-256")
    assert index.rows[1].cells[-1].text == "ab" * 32


def test_a_sampled_clause_shows_how_many_samples_failed_of_how_many(report):
    scores = next(t for t in report.tables if t.rows[0].cells[0].text == "代码")
    assert next(r for r in scores.rows if r.cells[0].text == "5.3.2.b").cells[5].text == "不符合 1 / 抽样 10"
    findings = next(t for t in report.tables if t.rows[0].cells[-1].text == "审核发现")
    assert next(r for r in findings.rows if r.cells[0].text == "5.3.2.b").cells[2].text == "不符合 1 / 抽样 10"


def test_a_sample_count_of_two_in_ten_reads_as_such():
    data = snapshot()
    data["ratings"] = [r | {"nonconforming": 2} if r["code"] == "5.3.2.b" else r for r in data["ratings"]]
    assert "不符合 2 / 抽样 10" in texts(Document(io.BytesIO(render_report(build_report_context(data, TREE)))))


@pytest.mark.parametrize("level", [1, 2])
def test_the_chart_legend_covers_no_bar(monkeypatch, level):
    drawn = []
    original = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: (drawn.append(fig), original(fig, *a, **k))[1])
    context = build_report_context(snapshot(), TREE)
    points_chart("二级指标得分", context.second_level if level == 2 else context.first_level)
    figure = drawn[-1]
    canvas = FigureCanvasAgg(figure)  # pyplot may have closed it: draw it again to place the legend
    canvas.draw()
    renderer = canvas.get_renderer()
    axes = figure.axes[0]
    legend = (axes.get_legend() or figure.legends[0]).get_window_extent(renderer)
    bars = [bar.get_window_extent(renderer) for bar in axes.patches if bar.get_width() > 0]
    assert bars and not [bar for bar in bars if bar.overlaps(legend)]


CRLF = "第一行\r\n第二行"


def windows_snapshot() -> dict:
    data = snapshot()
    data["company"] |= {"address": CRLF, "scope": CRLF}
    data["sites"][0]["address"] = CRLF
    data["exclusions"][0]["reason"] = CRLF
    data["special_deductions"][0]["reason"] = CRLF
    data["ratings"] = [r | {"finding": CRLF} if r["code"] == "5.1.1.1" else r for r in data["ratings"]]
    nc = data["nonconformities"][1]
    nc |= {"finding": CRLF, "requirement": CRLF}
    nc["history"] = [{"event": "submit", "details": {"cause": CRLF, "correction": CRLF, "corrective_action": CRLF}},
                     {"event": "close", "comment": CRLF, "details": {"verification": "on_site"}}]
    return data


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_windows_line_breaks_in_a_snapshot_file_print_as_single_breaks(tmp_path, kind):
    source = tmp_path / "snapshot.json"
    source.write_bytes(json.dumps(windows_snapshot(), ensure_ascii=False).encode("utf-8"))
    assert main([kind, str(source), "-o", str(tmp_path / "out.docx")]) == 0
    doc = Document(tmp_path / "out.docx")
    printed = texts(doc)
    assert not [t for t in printed if "\r" in t or "\n\n" in t]
    assert kind in ("result",) or any("第一行\n第二行" in t for t in printed)
    assert "<w:cr" not in doc.element.xml
