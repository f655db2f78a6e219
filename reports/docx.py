"""Word (.docx) rendering of the document blocks (reports.document_blocks), with python-docx.

Thai offices edit and sign in Word, so the file uses Word's own structure: Heading 1–3 styles,
real tables with a repeated header row, a table-of-contents field, page-number fields per section
(front matter ก, ข, …; the body 1, 2, … or ๑, ๒, …). Text is set in TH Sarabun New at 16 pt, the
government standard font, declared for Latin and complex-script (Thai) text alike; it is not
embedded (docs/decisions.md), so Word uses the installed TH Sarabun New.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.document_blocks.writers import (
    BREAK,
    BULLETS,
    COVER,
    HEADING,
    MEMO,
    PARA,
    SIGN,
    TABLE,
    TOC,
)

FONT = "TH Sarabun New"
SIZE = 16
TABLE_SIZE = 14  # tables are set a size smaller, as Thai offices set them
HEADING_SIZES = {1: 18, 2: 16, 3: 16}
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _set_font(rpr_owner, size: int, bold: bool | None = None) -> None:
    """Declare the font for every script (Latin, East Asian, Thai) and its size."""
    font = rpr_owner.font
    font.name = FONT
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for tag in ("w:szCs", "w:lang"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), str(size * 2))
    rpr.append(size_cs)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")
    rpr.append(lang)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, SIZE)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        _set_font(style, size, bold=True)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "Table Grid"):
        if name in [s.name for s in doc.styles]:
            _set_font(doc.styles[name], SIZE)


def _field(paragraph, instruction: str, cached: str = "") -> None:
    """Append a complex field (PAGE, TOC …) with its cached result to a paragraph."""

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(cached)
    char("end")


def _page_numbers(section, fmt: str | None, thai: bool) -> None:
    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    if fmt is None:
        return
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")
    sect = section._sectPr
    numbering = sect.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sect.append(numbering)
    numbering.set(
        qn("w:fmt"), {"letters": "thaiLetters", "body": "thaiNumbers" if thai else "decimal"}[fmt]
    )
    numbering.set(qn("w:start"), "1")


def _margins(section) -> None:
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)


def _run(paragraph, text: str, *, bold: bool = False, size: int | None = None):
    """Add a run; Word sets Thai with the complex-script bold and size, so set both."""
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    if bold:
        run.bold = True
        rpr.append(OxmlElement("w:bCs"))
    if size:
        run.font.size = Pt(size)
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), str(size * 2))
        rpr.append(size_cs)
    return run


def _paragraph(doc, text: str, *, align="left", indent=False, bold=False, size=None):
    paragraph = doc.add_paragraph()
    paragraph.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(2.5)
    _run(paragraph, text, bold=bold, size=size)
    return paragraph


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell(cell, lines: list[str], *, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        paragraph.alignment = align
        _run(paragraph, f"- {line}" if len(lines) > 1 else line, bold=bold, size=TABLE_SIZE)


def _table(doc, block: dict, width_cm: float) -> None:
    if block["caption"]:
        _paragraph(doc, block["caption"], bold=True).paragraph_format.keep_with_next = True
    columns = len(block["head"])
    table = doc.add_table(rows=1, cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(width_cm * w / 100) for w in block["widths"]]
    header = table.rows[0]
    _repeat_header(header)
    for index, text in enumerate(block["head"]):
        _cell(header.cells[index], [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(header.cells[index], "E5E7EB")
    for row in block["rows"]:
        cells = table.add_row().cells
        if "group" in row:
            merged = cells[0].merge(cells[-1])
            _cell(merged, [row["group"]], bold=True)
            _shade(merged, "F3F4F6")
            continue
        values, bold = (row["total"], True) if "total" in row else (row, False)
        for index, lines in enumerate(values):
            align = (
                WD_ALIGN_PARAGRAPH.RIGHT if index in block["numeric"] else WD_ALIGN_PARAGRAPH.LEFT
            )
            _cell(cells[index], lines, bold=bold, align=align)
    # Word and LibreOffice lay a table out from its grid: fixed layout, one width per column.
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for index, width in enumerate(widths):
            row.cells[index].width = width
    doc.add_paragraph()


def _toc(doc, entries: list[dict], pages: dict[str, str]) -> None:
    """A Word TOC field whose cached result lists the headings with the PDF's page numbers."""
    _paragraph(doc, pages.get("_head", ""), align="right", bold=True)
    paragraphs = []
    for entry in entries:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.8 * (entry["level"] - 1))
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        paragraphs.append((paragraph, entry))
    if not paragraphs:
        return
    first, _ = paragraphs[0]

    def char(paragraph, kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char(first, "begin")
    run = first.add_run()
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-3" \\h \\z \\u '
    run._r.append(instruction)
    char(first, "separate")
    for paragraph, entry in paragraphs:
        paragraph.add_run(f"{entry['text']}\t{pages.get(entry['id'], '')}")
    char(paragraphs[-1][0], "end")


def _update_fields_on_open(doc) -> None:
    # Word recomputes the contents and the page numbers for its own layout when it opens.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def render_docx(
    blocks: list[dict], *, title: str, author: str, thai: bool, pages: dict[str, str]
) -> bytes:
    """Write the blocks as a .docx; pages maps a heading id to its page number in the PDF."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.core_properties.language = "th-TH"
    _styles(doc)
    section = doc.sections[0]
    _margins(section)
    _page_numbers(section, None, thai)
    width = 16.0
    for block in blocks:
        kind = block["t"]
        if kind == COVER:
            for _ in range(6):
                doc.add_paragraph()
            _paragraph(doc, block["title"], align="center", bold=True, size=26)
            for line in block["lines"]:
                if line:
                    _paragraph(doc, line, align="center", bold=True, size=20)
            if not block["front"]:  # no front matter: the body follows the cover
                following = doc.add_section(WD_SECTION.NEW_PAGE)
                _margins(following)
                _page_numbers(following, "body", thai)
            else:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == MEMO:
            _paragraph(doc, block["title"], align="center", bold=True, size=29)
            for label, value in block["rows"]:
                paragraph = doc.add_paragraph()
                _run(paragraph, f"{label} ", bold=True)
                _run(paragraph, value or "…")
            for line in block["body"]:
                _paragraph(doc, line, indent=True, align="justify")
            for line in block["sign"]:
                _paragraph(doc, line, align="center").paragraph_format.left_indent = Cm(8)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == HEADING:
            paragraph = doc.add_heading(block["text"], level=block["level"])
            if block["id"] in ("foreword", "summary", "contents"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == PARA:
            _paragraph(
                doc, block["text"], align=block["align"], indent=block["indent"], bold=block["bold"]
            )
        elif kind == BULLETS:
            for item in block["items"]:
                paragraph = _paragraph(doc, f"- {item}")
                paragraph.paragraph_format.left_indent = Cm(1.5)
                paragraph.paragraph_format.first_line_indent = Cm(-0.5)
        elif kind == TABLE:
            _table(doc, block, width)
        elif kind == TOC:
            _toc(doc, block["entries"], pages)
        elif kind == SIGN:
            doc.add_paragraph()
            for line in block["lines"]:
                paragraph = _paragraph(doc, line, align="center")
                paragraph.paragraph_format.left_indent = Cm(8)
        elif kind == BREAK:
            if block.get("body") or block.get("front"):
                following = doc.add_section(WD_SECTION.NEW_PAGE)
                _margins(following)
                _page_numbers(following, "body" if block.get("body") else "letters", thai)
            else:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _update_fields_on_open(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
