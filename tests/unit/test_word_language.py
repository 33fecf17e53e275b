"""Every document says its East Asian text is Simplified Chinese (issue 14 item 19): renderers other than Word pick
Japanese glyph variants (严, 关, 门) for text tagged en-US."""
import io
import zipfile

import pytest
from docx import Document
from lxml import etree

from exports.context import build_report_context
from exports.documents import DOCUMENTS
from exports.word_report import render_report
from tests.unit.test_word_report import TREE, snapshot

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
EAST_ASIA = f"{{{W}}}eastAsia"


def parts(docx: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")
                and name.split("/")[-1].startswith(("document", "styles", "header", "footer"))}


def check_chinese_throughout(docx: bytes) -> None:
    xml = parts(docx)
    styles = xml["word/styles.xml"]
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default is not None and default.get(EAST_ASIA) == "zh-CN"
    for name in ("Normal", "heading 1", "heading 2", "heading 3"):
        style = styles.find(f"w:style/w:name[@w:val='{name}']/..", NS)
        assert style.find("w:rPr/w:lang", NS).get(EAST_ASIA) == "zh-CN", name
    tags = {(name, lang.get(EAST_ASIA)) for name, root in xml.items() for lang in root.iter(f"{{{W}}}lang")}
    assert {tag for _, tag in tags} == {"zh-CN"}, tags
    for name, root in xml.items():
        runs = list(root.iter(f"{{{W}}}r"))
        untagged = [r for r in runs if r.find("w:rPr/w:lang", NS) is None]
        assert not untagged, (name, len(untagged), len(runs))


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_document_tags_its_east_asian_text_zh_cn(kind):
    check_chinese_throughout(DOCUMENTS[kind][1](build_report_context(snapshot(), TREE)))


def test_a_template_tagged_japanese_is_tagged_chinese_in_the_report():
    template = Document()
    for lang in template.styles.element.iter(f"{{{W}}}lang"):
        lang.set(EAST_ASIA, "ja-JP")
    template.sections[0].header.paragraphs[0].add_run("某认证有限公司")
    buffer = io.BytesIO()
    template.save(buffer)
    check_chinese_throughout(render_report(build_report_context(snapshot(), TREE), buffer.getvalue()))
