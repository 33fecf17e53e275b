"""python-docx helpers the reports share: Chinese fonts and language, fields (contents, page numbers), tables, safe
text, saving."""
from __future__ import annotations

import io

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from textclean import without_controls

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
CONTENTS_MARK = "〔目录〕"  # a template's {{ 目录 }} prints it; the renderer writes the filled contents in its place


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


_THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))


def drop_theme_fonts(doc: Document) -> None:
    """A template made in Word names theme fonts, which WPS warns about and which override w:eastAsia: every
    w:rFonts (defaults, styles, runs) gets explicit fonts instead."""
    parts = [doc.styles.element] + [part.element for part in doc.part.package.iter_parts()
                                    if isinstance(part, XmlPart) and part.partname.startswith(
                                        ("/word/document", "/word/header", "/word/footer"))]
    for root in parts:
        for fonts in root.iter(qn("w:rFonts")):
            themed = any([fonts.attrib.pop(attr, None) is not None for attr in _THEME_ATTRS])  # pop every one
            if themed or fonts.get(qn("w:eastAsia")) is None and fonts.getparent().getparent().tag == qn(
                    "w:rPrDefault"):
                for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT)):
                    if fonts.get(qn(attr)) is None:
                        fonts.set(qn(attr), value)


def setup_styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    east_asian_font(normal.element, BODY_FONT)
    for level, size in ((1, 16), (2, 13), (3, 11)):
        style = doc.styles[f"Heading {level}"]
        style.font.size, style.font.bold, style.font.color.rgb = Pt(size), True, RGBColor(0x1F, 0x2D, 0x3D)
        east_asian_font(style.element, HEADING_FONT)
    # Word refreshes the fields on open: page numbers in the contents and the footer
    doc.settings.element.append(_element("w:updateFields", **{"w:val": "true"}))


# w:lang's followers in a w:rPr (the schema fixes the order)
_AFTER_LANG = {qn(f"w:{name}") for name in ("eastAsianLayout", "specVanish", "oMath", "rPrChange")}


def _tag_chinese(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        follower = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        rpr.append(lang) if follower is None else follower.addprevious(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def tag_chinese(doc: Document) -> None:
    """East Asian text is Simplified Chinese everywhere: the defaults, every style that sets its own run properties
    and every run. Tagged en-US (as python-docx's template is) or not at all, LibreOffice and WPS draw 严, 关, 门
    with their Japanese glyphs."""
    _tag_styles(doc.styles.element)
    for part in doc.part.package.iter_parts():
        if isinstance(part, XmlPart) and part.partname.startswith(("/word/document", "/word/header", "/word/footer")):
            for run in part.element.iter(qn("w:r")):
                _tag_chinese(run.get_or_add_rPr())
        elif part.partname == "/word/stylesWithEffects.xml":  # Word 2010's copy of the styles, kept as bytes
            styles = etree.fromstring(part.blob)
            _tag_styles(styles)
            part._blob = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)


def _tag_styles(styles) -> None:
    _tag_chinese(_child(_child(_child(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr"))
    for properties in styles.iterfind(f"{qn('w:style')}/{qn('w:rPr')}"):
        _tag_chinese(properties)


def _child(parent, tag: str):
    """The child, made first if missing: each child this is used for comes first in its parent."""
    found = parent.find(qn(tag))
    if found is None:
        found = _element(tag)
        parent.insert(0, found)
    return found


def save(doc: Document) -> bytes:
    tag_chinese(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _element(tag: str, **attrs) -> OxmlElement:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(key), value)
    return el


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES) that Word or LibreOffice fills in."""
    for part in _field(instruction, _text(placeholder)):
        paragraph.add_run()._r.append(part)


def _field(instruction: str, result=None) -> list:
    """A complex field's parts, each for a run of its own: begin (dirty: Word computes it), code, the result shown
    until then, end."""
    return [_element("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}),
            _text(f" {instruction} ", "w:instrText"), _element("w:fldChar", **{"w:fldCharType": "separate"}),
            *([result] if result is not None else []), _element("w:fldChar", **{"w:fldCharType": "end"})]


def contents(doc: Document, title: str = "目录"):
    """The contents' title, and the spot `fill_contents` writes them at once every heading is in."""
    heading = doc.add_paragraph()
    heading.alignment = 1
    run = heading.add_run(title)
    run.bold, run.font.size = True, Pt(16)
    return doc.add_paragraph()


def fill_contents(doc: Document, spot, levels: int = 3) -> None:
    """The contents written out: an entry per heading, linked to a bookmark on it, its page number a PAGEREF field.
    LibreOffice computes such fields whenever it lays the document out (converting it to PDF too) but leaves a TOC
    field as it was written, and WPS never fills one; Word refreshes them on open (w:updateFields)."""
    found = [(level, p) for p in doc.paragraphs if 0 < (level := _heading_level(p)) <= levels]
    first = 1 + max((int(b.get(qn("w:id"))) for b in doc.element.body.iter(qn("w:bookmarkStart"))), default=0)
    section = doc.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin
             if None not in (section.page_width, section.left_margin, section.right_margin) else Cm(16))
    for number, (level, paragraph) in enumerate(found, start=first):
        name = f"_Toc{number:09d}"  # Word's prefix for the contents' own bookmarks, which it keeps hidden
        start = _element("w:bookmarkStart", **{"w:id": str(number), "w:name": name})
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(_element("w:bookmarkEnd", **{"w:id": str(number)}))
        spot._p.addprevious(_entry(_toc_style(doc, level, width), paragraph.text, name))
    spot._p.getparent().remove(spot._p)


def _heading_level(paragraph) -> int:
    name = paragraph.style.name if paragraph.style is not None else ""
    return int(name[8:]) if name.startswith("Heading ") and name[8:].isdigit() else 0


def _toc_style(doc: Document, level: int, width) -> str:
    """Word's own style for the level (a template's if it has one): what Word formats entries with when it
    rebuilds them."""
    name = f"toc {level}"
    if name not in [style.name for style in doc.styles]:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.74 * (level - 1))
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    return doc.styles[name].style_id


def _entry(style_id: str, text: str, bookmark: str):
    paragraph = _element("w:p")
    properties = etree.SubElement(paragraph, qn("w:pPr"))
    etree.SubElement(properties, qn("w:pStyle"), {qn("w:val"): style_id})
    link = etree.SubElement(paragraph, qn("w:hyperlink"), {qn("w:anchor"): bookmark, qn("w:history"): "1"})
    for child in (_text(text), _element("w:tab"), *_field(f"PAGEREF {bookmark} \\h")):
        etree.SubElement(link, qn("w:r")).append(child)
    return paragraph


def _text(text: str, tag: str = "w:t"):
    element = _element(tag)
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


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
