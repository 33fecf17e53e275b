"""python-docx helpers the reports share: Chinese fonts, fields (TOC, page numbers), tables, safe text."""
from __future__ import annotations

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from textclean import without_controls

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


def clean(text: object) -> str:
    """Text as Word accepts it: XML-incompatible control characters removed."""
    return without_controls(None if text is None else str(text))


def east_asian_font(element, font: str, latin: str = LATIN_FONT) -> None:
    """Set the CJK (w:eastAsia) and Latin fonts of a style or run; theme fonts would override them."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), font)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def setup_styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    east_asian_font(normal.element, BODY_FONT)
    for level, size in ((1, 16), (2, 13), (3, 11)):
        style = doc.styles[f"Heading {level}"]
        style.font.size, style.font.bold, style.font.color.rgb = Pt(size), True, RGBColor(0x1F, 0x2D, 0x3D)
        east_asian_font(style.element, HEADING_FONT)
    doc.settings.element.append(_element("w:updateFields", **{"w:val": "true"}))  # Word refreshes the TOC on open


def _element(tag: str, **attrs) -> OxmlElement:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(key), value)
    return el


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (TOC, PAGE, NUMPAGES) that Word or LibreOffice fills in."""
    paragraph.add_run()._r.append(_element("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}))
    code = _element("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(_element("w:fldChar", **{"w:fldCharType": "separate"}))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(_element("w:fldChar", **{"w:fldCharType": "end"}))


def page_number_footer(doc: Document) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = 1
    paragraph.add_run("第 ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" 页 / 共 ")
    add_field(paragraph, "NUMPAGES", "1")
    paragraph.add_run(" 页")


def _shading(fill: str):
    return _element("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})


def table(doc: Document, headers: list[str], rows: list[list], widths: list[float] | None = None,
          bold_rows: set[int] = frozenset()):
    """A bordered table with a shaded header row repeated on every page; rows in `bold_rows` (0-based) are bold
    and shaded. Rows are written as XML in one pass: python-docx's per-cell API rescans the table for every cell,
    which made a 2,000-row evidence index take seconds."""
    grid = doc.add_table(rows=0, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths:  # Word reads the cells' widths, LibreOffice the grid's: set both, and stop autofit
        grid.autofit = False
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = Cm(width)
    twips = [str(column.width.twips) for column in grid.columns]
    tbl = grid._tbl
    header = _row(headers, twips, bold=True, fill="D9E2F3")
    header.insert(0, _element("w:trPr"))
    header[0].append(_element("w:tblHeader"))
    tbl.append(header)
    for index, values in enumerate(rows):
        if len(values) != len(headers):
            raise ValueError(f"row {index} has {len(values)} cells for {len(headers)} columns")
        bold = index in bold_rows
        tbl.append(_row(values, twips, bold=bold, fill="F2F4F7" if bold else None))
    return grid


_W = {name: qn(f"w:{name}") for name in ("tr", "tc", "tcPr", "tcW", "p", "r", "rPr", "b", "t", "br", "tab", "w",
                                          "type")}
_PRESERVE = qn("xml:space")


def _row(values: list, twips: list[str], bold: bool, fill: str | None):
    tr = OxmlElement("w:tr")
    for column, value in enumerate(values):
        tc = etree.SubElement(tr, _W["tc"])
        pr = etree.SubElement(tc, _W["tcPr"])
        etree.SubElement(pr, _W["tcW"], {_W["w"]: twips[column], _W["type"]: "dxa"})
        if fill:
            pr.append(_shading(fill))
        run = etree.SubElement(etree.SubElement(tc, _W["p"]), _W["r"])
        if bold:
            etree.SubElement(etree.SubElement(run, _W["rPr"]), _W["b"])
        _run_text(run, clean(value))
    return tr


def _run_text(run, text: str) -> None:
    """Text into a run as Word writes it: line breaks and tabs as their own elements."""
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if number:
            etree.SubElement(run, _W["br"])
        for part, piece in enumerate(line.split("\t")):
            if part:
                etree.SubElement(run, _W["tab"])
            if piece:
                t = etree.SubElement(run, _W["t"], {_PRESERVE: "preserve"})
                t.text = piece
