"""DOCX rendering with python-docx: house styles, Korean-aware fonts, footer.

Every run names a Latin and an East Asian font (``w:rFonts``) and a language
(``w:lang``), so Word picks Korean glyphs and Korean proofing for Hangul even
in an English document. The copyright footer and a PAGE field sit in the
section footer, which Word repeats on every page. The package is rewritten
with fixed timestamps and member order so the same release gives the same
bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from typing import Any

from toolkit.core.document import Release
from toolkit.core.errors import Problem, RenderError, problem
from toolkit.render.fonts import SOURCES, describe_char
from toolkit.render.layout import Item, dateline_text, flatten_rich, footer_text, layout, organization
from toolkit.render.style import HouseStyle

# dateline_text/footer_text re-exported for the pack builder.
__all__ = ["dateline_text", "footer_text", "render_docx"]

EAST_ASIAN_FONT = "Noto Sans KR"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
CORE_PROPERTY_CHARS = 255  # OOXML core properties (title, subject, author): python-docx refuses more
FIXED_CREATED = _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC)
# Characters XML 1.0 cannot hold: python-docx would fail with a traceback.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


class _Fonts:
    """Font names and language tags for one document."""

    def __init__(self, release: Release, style: HouseStyle) -> None:
        chain = style.for_lang(release.lang).font_chain
        self.latin = SOURCES[chain[0]].family
        self.east_asia = EAST_ASIAN_FONT
        self.lang = "ko-KR" if release.lang == "ko" else "en-US"


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


def _apply_fonts(rpr: Any, fonts: _Fonts) -> None:
    """Explicit rFonts (theme fonts removed, they would win) + w:lang, in schema order."""
    from docx.oxml import OxmlElement

    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(_w(attr), None)
    for attr, value in (
        ("ascii", fonts.latin),
        ("hAnsi", fonts.latin),
        ("eastAsia", fonts.east_asia),
        ("cs", fonts.latin),
    ):
        rfonts.set(_w(attr), value)
    lang = rpr.find(_w("lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        successor = next(
            (
                rpr.find(_w(t))
                for t in ("eastAsianLayout", "specVanish", "oMath")
                if rpr.find(_w(t)) is not None
            ),
            None,
        )
        if successor is None:
            rpr.append(lang)
        else:
            successor.addprevious(lang)
    lang.attrib.clear()
    lang.set(_w("val"), fonts.lang)
    lang.set(_w("eastAsia"), "ko-KR")


def _rgb(hex_rgb: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_rgb.lstrip("#").upper())


def _setup_styles(doc: Any, style: HouseStyle, fonts: _Fonts) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    styles_el = doc.styles.element
    defaults = styles_el.find(_w("docDefaults"))
    rpr_default = defaults.find(_w("rPrDefault")).find(_w("rPr"))
    _apply_fonts(rpr_default, fonts)
    # Strip theme fonts everywhere: a style's asciiTheme overrides explicit names.
    for rfonts in styles_el.iter(_w("rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(_w(attr), None)

    t, c = style.type, style.colors
    spec: dict[str, tuple[float, str, bool | None]] = {
        "Normal": (t.body_size, c.text, None),
        "Title": (t.title_size, c.accent, True),
        "Subtitle": (t.subtitle_size, c.muted, False),
        "Heading 1": (t.heading_size + 2, c.accent, True),
        "Heading 2": (t.heading_size, c.accent, True),
        "Heading 3": (t.body_size + 0.5, c.accent, True),
        "List Bullet": (t.body_size, c.text, None),
        "Quote": (t.body_size, c.muted, None),
        "Footer": (t.footer_size, c.muted, None),
        "Table Grid": (t.header_size, c.text, None),
    }
    for name, (size, color, bold) in spec.items():
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.color.rgb = _rgb(color)
        if bold is not None:
            st.font.bold = bold
        st.font.italic = False if name == "Subtitle" else st.font.italic
        _apply_fonts(st.element.get_or_add_rPr(), fonts)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(t.body_size * 0.6)
    normal.line_spacing = t.line_spacing * 0.83  # Word's "multiple" already includes leading
    doc.styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["Footer"].paragraph_format.space_after = Pt(0)


def _add_text(paragraph: Any, text: str, fonts: _Fonts, bold: bool | None = None) -> None:
    """Add ``text`` as runs; ``\\n`` becomes a line break (never markup)."""
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        if index:
            run._r.insert(0, _line_break())
        if bold is not None:
            run.bold = bold
        _apply_fonts(run._r.get_or_add_rPr(), fonts)


def _line_break() -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement("w:br")


def _field(paragraph: Any, instr: str, fonts: _Fonts) -> None:
    """A simple field (PAGE / NUMPAGES) with a placeholder result."""
    from docx.oxml import OxmlElement

    fld = OxmlElement("w:fldSimple")
    fld.set(_w("instr"), f" {instr} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    _apply_fonts(rpr, fonts)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _footer(doc: Any, release: Release, style: HouseStyle, fonts: _Fonts) -> None:
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    first = footer.paragraphs[0]
    first.style = doc.styles["Footer"]
    _add_text(first, footer_text(release, style), fonts)
    numbers = footer.add_paragraph(style=doc.styles["Footer"])
    template = style.for_lang(release.lang).page_number
    for part in re.split(r"(\{page\}|\{pages\})", template):
        if part == "{page}":
            _field(numbers, "PAGE", fonts)
        elif part == "{pages}":
            _field(numbers, "NUMPAGES", fonts)
        elif part:
            _add_text(numbers, part, fonts)


def _ko_header(doc: Any, item: Item, style: HouseStyle, fonts: _Fonts) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    body_w = style.page.size_mm[0] - style.page.margin_left_mm - style.page.margin_right_mm
    widths = (Mm(28), Mm(body_w - 28))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol; Word reads it, LibreOffice needs it
    for index, (label, value) in enumerate(item.rows):
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        label_p, value_p = cells[0].paragraphs[0], cells[1].paragraphs[0]
        _add_text(label_p, label, fonts, bold=True)
        _add_text(value_p, value, fonts, bold=index == 0)
        shading = OxmlElement("w:shd")
        shading.set(_w("val"), "clear")
        shading.set(_w("color"), "auto")
        fill = style.colors.accent if index == 0 else style.colors.header_fill
        shading.set(_w("fill"), fill.lstrip("#").upper())
        cells[0]._tc.get_or_add_tcPr().append(shading)
        if index == 0:
            for run in label_p.runs:
                run.font.color.rgb = _rgb("#FFFFFF")
                run.font.size = Pt(style.type.title_size * 0.9)
            for run in value_p.runs:
                run.font.size = Pt(style.type.heading_size)


def _check_text(release: Release, style: HouseStyle, items: tuple[Item, ...]) -> None:
    where = release.source_path or f"<{release.lang} release>"
    problems: list[Problem] = []
    texts = [(footer_text(release, style), 0)]
    for item in items:
        texts.append((item.lead + item.text, item.line))
        texts.extend((label + value, item.line) for label, value in item.rows)
    for text, line in texts:
        for ch in dict.fromkeys(_XML_ILLEGAL.findall(text)):
            problems.append(
                problem(
                    where,
                    line or None,
                    f"control character {describe_char(ch)} cannot be stored in DOCX",
                    "remove it from the source",
                )
            )
    if problems:
        raise RenderError(problems)


def _body(doc: Any, items: tuple[Item, ...], style: HouseStyle, fonts: _Fonts) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    after_table = False
    for item in items:
        if item.role == "ko_header":
            _ko_header(doc, item, style, fonts)
            after_table = True
            continue
        if item.role == "title":
            p = doc.add_paragraph(style="Title")
        elif item.role == "subtitle":
            p = doc.add_paragraph(style="Subtitle")
        elif item.role == "heading":
            p = doc.add_paragraph(style=f"Heading {item.level or 2}")
        elif item.role == "list_item":
            p = doc.add_paragraph(style="List Bullet")
        elif item.role == "quote":
            p = doc.add_paragraph(style="Quote")
        else:
            p = doc.add_paragraph(style="Normal")
        if after_table:  # breathing room below the header table, no empty paragraph
            p.paragraph_format.space_before = Pt(style.type.body_size * 1.5)
            after_table = False
        if item.lead:
            _add_text(p, item.lead, fonts, bold=True)
        bold = True if item.role in {"release_line", "contact_label"} else None
        _add_text(p, item.text, fonts, bold=bold)
        if item.role == "release_line":
            for run in p.runs:
                run.font.color.rgb = _rgb(style.colors.accent)
                run.font.size = Pt(style.type.release_line_size)
        elif item.role == "contact_label":
            p.paragraph_format.space_before = Pt(style.type.body_size)
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = True
        elif item.role == "end_mark":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _core_text(text: str) -> str:
    """A document property as Word stores it: one line, at most 255 characters (an ellipsis
    marks a cut). The full text is in the document body; properties only label the file."""
    flat = " ".join(text.split())
    return flat if len(flat) <= CORE_PROPERTY_CHARS else flat[: CORE_PROPERTY_CHARS - 1] + "…"


def _fixed_time(release: Release) -> _dt.datetime:
    day = release.meta.date
    if day is None:
        return FIXED_CREATED
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)


def _memoize_style_ids(doc: Any) -> None:
    """Resolve each style name to its id once per document.

    python-docx looks a name up by scanning every style of the template (twice:
    also to find the default style), about 1.5 ms per ``add_paragraph`` — a
    quarter of a whole release's DOCX time. Our styles never change once the
    body is being written, so the answer for a name is fixed.
    """
    part = doc.part
    lookup = part.get_style_id
    known: dict[tuple[str, Any], Any] = {}

    def get_style_id(style_or_name: Any, style_type: Any) -> Any:
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in known:
            known[key] = lookup(style_or_name, style_type)
        return known[key]

    part.get_style_id = get_style_id


def render_docx(release: Release, style: HouseStyle) -> bytes:
    """Render one release to DOCX bytes (A4, house styles, footer on every page)."""
    from docx import Document
    from docx.shared import Mm

    items = flatten_rich(layout(release, style))
    _check_text(release, style, items)
    fonts = _Fonts(release, style)
    doc = Document()
    _memoize_style_ids(doc)
    _setup_styles(doc, style, fonts)
    section = doc.sections[0]
    width, height = style.page.size_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Mm(style.page.margin_top_mm)
    section.bottom_margin = Mm(style.page.margin_bottom_mm)
    section.left_margin = Mm(style.page.margin_left_mm)
    section.right_margin = Mm(style.page.margin_right_mm)
    # The stock template starts with no paragraphs; the body is ours alone.
    _body(doc, items, style, fonts)
    _footer(doc, release, style, fonts)

    props = doc.core_properties
    moment = _fixed_time(release)
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.last_modified_by = "presspack"
    props.author = _core_text(organization(release, style))
    props.title = _core_text(release.meta.title)
    props.subject = _core_text(release.meta.subtitle)
    props.comments = ""
    props.language = fonts.lang
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps, attributes, order and compression."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    first = ["[Content_Types].xml", "_rels/.rels"]
    members.sort(key=lambda m: (first.index(m[0]) if m[0] in first else len(first), m[0]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, payload in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
