"""DOCX rendering with python-docx: house styles, rich content, Korean-aware fonts, footer.

Every run names a Latin and an East Asian font (``w:rFonts``) and a language
(``w:lang``), so Word picks Korean glyphs and Korean proofing for Hangul even
in an English document. Body text is inline Markdown (see core/document.py):
bold, italic and code become run properties, links real ``w:hyperlink``
elements with external relationships, hard breaks ``w:br`` — and every other
character is printed as it is, never interpreted (raw HTML is text).

Blocks: ordered and nested lists use Word numbering (``w:numPr``; one
``w:num`` per sub-list so each restarts at its first number), block quotes
are indented by level, GFM tables are ``w:tbl`` with a repeated, shaded
header row (``w:tblHeader``) and their caption, photos are inline pictures
scaled to the text width with their caption below and the alt text in
``wp:docPr/@descr``. The Korean layout follows press-release-conventions.md
(cover row, 보도시점/배포 row, contact table before 붙임).

The fonts used are embedded (see :mod:`toolkit.render.docx_fonts`) so the
document looks the same on a machine without Noto Sans KR. The copyright
footer and a PAGE field sit in the section footer. The package is rewritten
with fixed timestamps and member order so the same release gives the same
bytes.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as _dt
import functools
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.document import Block, Lang, Release
from toolkit.core.errors import Problem, RenderError, problem
from toolkit.core.inline import Span, parse_inline, plain
from toolkit.render import zipout
from toolkit.render.fonts import SOURCES, describe_char
from toolkit.render.layout import (
    Item,
    caption_template,
    column_widths,
    dateline_text,
    footer_text,
    layout,
    list_marker,
    organization,
)
from toolkit.render.style import HouseStyle
from toolkit.sources.images import ImageError, Picture, picture_loader

# dateline_text/footer_text re-exported for the pack builder.
__all__ = ["dateline_text", "footer_text", "render_docx"]

EAST_ASIAN_FONT = "Noto Sans KR"
CORE_PROPERTY_CHARS = 255  # OOXML core properties (title, subject, author): python-docx refuses more
FIXED_CREATED = _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC)
EMU_PER_MM = 36000
TWIPS_PER_MM = 1440 / 25.4
MAX_PHOTO_HEIGHT_MM = 120.0  # a portrait photo must not fill the page (same cap as HWPX)
LIST_INDENT_MM = 6.0  # each list level indents this much more; the marker hangs in it (HWPX too)
LINK_COLOR = "0563C1"
CODE_FILL = "EDEFF2"
BULLET_ABSTRACT_ID = 90
NUMBER_ABSTRACT_ID = 91
FIRST_NUM_ID = 100
LIST_LEVELS = 9
# Characters XML 1.0 cannot hold: python-docx would fail with a traceback.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _east_asian(cp: int) -> bool:
    """Characters Word sets in the eastAsia font of a run (Hangul, CJK, full-width forms)."""
    return (
        0x1100 <= cp <= 0x11FF
        or 0x2E80 <= cp <= 0x9FFF
        or 0xA960 <= cp <= 0xA97F
        or 0xAC00 <= cp <= 0xD7FF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
    )


class _Fonts:
    """Font names and language tags for one document.

    A run with a letter its Latin font lacks (Ł, ź in a Korean release: Noto Sans KR
    has no Latin Extended-A) names the next font of the chain that has them for its
    Latin text, and that font is embedded too, as the PDF sets such letters: Word
    would otherwise draw them in whatever font the reader's machine has, or as boxes.
    """

    def __init__(self, lang: Lang, style: HouseStyle) -> None:
        chain = style.for_lang(lang).font_chain
        self.latin_key = chain[0]
        self.latin = SOURCES[chain[0]].family
        self.east_asia = EAST_ASIAN_FONT
        self.lang = "ko-KR" if lang == "ko" else "en-US"
        self._chain = chain
        self._covers: dict[str, frozenset[int]] = {}
        self._fallback: dict[str, str | None] = {}  # character → font key
        self.fallbacks: set[str] = set()  # the keys runs used (embedded with the others)

    def _cover(self, key: str) -> frozenset[int]:
        if key not in self._covers:
            from toolkit.render.fonts import coverage

            self._covers[key] = frozenset().union(*coverage(SOURCES[key]).values())
        return self._covers[key]

    def fallback_for(self, text: str) -> str | None:
        """The font key for the Latin text of a run of ``text`` when its first font lacks
        one of its letters and a later font of the chain has them all, else None."""
        keys = set()
        for ch in set(text):
            if ch not in self._fallback:
                cp = ord(ch)
                if ch.isspace() or _east_asian(cp) or cp in self._cover(self.latin_key):
                    self._fallback[ch] = None
                else:
                    self._fallback[ch] = next((k for k in self._chain[1:] if cp in self._cover(k)), "")
            keys.add(self._fallback[ch])
        keys.discard(None)
        if len(keys) != 1 or "" in keys:
            return None  # nothing to change, or no single font has them all
        key = str(keys.pop())
        self.fallbacks.add(key)
        return key


@functools.cache
def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


# children of w:rPr that come after w:shd (ECMA-376 §17.3.2.28, python-docx's CT_RPr order)
_RPR_AFTER_SHD = (
    *("w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout"),
    *("w:specVanish", "w:oMath"),
)


def _el(tag: str, **attrs: str) -> Any:
    """``OxmlElement(tag)`` with w: attributes: the same element of python-docx's parser
    (its custom class included), its tag's name and namespace worked out once."""
    from docx.oxml.parser import oxml_parser

    clark, nsmap = _tag(tag)
    element = oxml_parser.makeelement(clark, nsmap=nsmap)
    for name, value in attrs.items():
        element.set(_w(name), value)
    return element


@functools.cache
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    from docx.oxml.ns import NamespacePrefixedTag

    nsptag = NamespacePrefixedTag(tag)
    return nsptag.clark_name, nsptag.nsmap


def _apply_fonts(rpr: Any, fonts: _Fonts) -> None:
    """Explicit rFonts (theme fonts removed, they would win) + w:lang, in schema order."""
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
        lang = _el("w:lang")
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
        "List Paragraph": (t.body_size, c.text, None),
        "Quote": (t.body_size, c.muted, None),
        "Caption": (max(t.body_size - 1, 6), c.muted, False),
        "Footer": (t.footer_size, c.muted, None),
        "Table Grid": (t.header_size, c.text, None),
    }
    for name, (size, color, bold) in spec.items():
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.color.rgb = _rgb(color)
        if bold is not None:
            st.font.bold = bold
        st.font.italic = False if name in ("Subtitle", "Quote", "Caption") else st.font.italic
        _apply_fonts(st.element.get_or_add_rPr(), fonts)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(t.body_size * 0.6)
    normal.line_spacing = t.line_spacing * 0.83  # Word's "multiple" already includes leading
    doc.styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["Footer"].paragraph_format.space_after = Pt(0)
    caption = doc.styles["Caption"].paragraph_format
    caption.space_before = Pt(t.body_size * 0.3)
    caption.space_after = Pt(t.body_size)
    doc.styles["List Paragraph"].paragraph_format.space_after = Pt(t.body_size * 0.3)


def _line_break() -> Any:
    return _el("w:br")


class _Writer:
    """Adds content to one document; remembers the characters used (for font subsetting)."""

    def __init__(self, doc: Any, release: Release, style: HouseStyle, fonts: _Fonts) -> None:
        self.doc = doc
        self.release = release
        self.style = style
        self.fonts = fonts
        self.chars: set[str] = set()
        self.load_picture: Callable[[str], Picture] = picture_loader(release)
        self.next_num_id = FIRST_NUM_ID
        self.nums: list[Any] = []  # w:num elements, appended after the abstract definitions
        self.title_cell: Any = None  # the 보도자료 title box, once made
        self._styles: dict[str, Any] = {}
        self._rprs: dict[tuple[bool | None, bool, bool, bool], Any] = {}
        page = style.page
        self.text_width_mm = page.size_mm[0] - page.margin_left_mm - page.margin_right_mm

    def named_style(self, name: str) -> Any:
        """``doc.styles[name]``, looked up once (each lookup scans the template's styles)."""
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name]
        return self._styles[name]

    # -- runs ------------------------------------------------------------------

    def _run(
        self,
        paragraph: Any,
        text: str,
        *,
        bold: bool | None = None,
        italic: bool = False,
        code: bool = False,
        link: bool = False,
    ) -> Any:
        from docx.text.run import Run

        r = _el("w:r")
        rpr = copy.deepcopy(self._rpr(bold, italic, code, link))
        fallback = self.fonts.fallback_for(text) if text else None
        if fallback is not None:
            rfonts = rpr.find(_w("rFonts"))
            for attr in ("ascii", "hAnsi", "cs"):
                rfonts.set(_w(attr), SOURCES[fallback].family)
        r.append(rpr)
        paragraph._p.append(r)  # python-docx's add_run appends too (w:r has no successor in w:p)
        run = Run(r, paragraph)
        if "\t" in text or "\r" in text or "\n" in text:
            run.text = text  # python-docx makes w:tab and w:br of them
        elif text:
            r.add_t(text)  # what run.text does for plain text, not one character at a time
        self.chars.update(text)
        return run

    def _rpr(self, bold: bool | None, italic: bool, code: bool, link: bool) -> Any:
        """The w:rPr of a run of this kind, made once per document through python-docx's
        own setters (schema order included) and copied for every run: a release has
        thousands of runs and only a handful of kinds."""
        key = (bold, italic, code, link)
        proto = self._rprs.get(key)
        if proto is None:
            from docx.text.run import Run

            r = _el("w:r")
            run = Run(r, None)  # type: ignore[arg-type]  # no parent: only its properties are set
            if bold is not None:
                run.bold = bold
            rpr = r.get_or_add_rPr()
            _apply_fonts(rpr, self.fonts)
            if italic:
                run.italic = True
            if code:  # in schema order, before w:lang (Word rejects a misplaced child)
                shd = _el("w:shd", val="clear", color="auto", fill=CODE_FILL)
                rpr.insert_element_before(shd, *_RPR_AFTER_SHD)
            if link:
                run.font.color.rgb = _rgb(LINK_COLOR)
                run.font.underline = True
            proto = self._rprs[key] = rpr
        return proto

    def plain(self, paragraph: Any, text: str, *, bold: bool | None = None) -> list[Any]:
        """Plain text as runs; ``\\n`` becomes a line break (never markup)."""
        runs = []
        for index, line in enumerate(text.split("\n")):
            run = self._run(paragraph, line, bold=bold)
            if index:
                run._r.insert(0, _line_break())
            runs.append(run)
        return runs

    def inline(self, paragraph: Any, text: str, *, bold: bool | None = None) -> None:
        """Inline Markdown as runs: bold/italic/code properties, hyperlinks, breaks."""
        link: Any = None
        href = ""
        for span in parse_inline(text):
            if span.href != href:
                link = self._hyperlink(paragraph, span.href) if span.href else None
                href = span.href
            if span.line_break:
                run = self._run(paragraph, "")
                run._r.append(_line_break())
            else:
                run = self._span_run(paragraph, span, bold)
            if link is not None:
                link.append(run._r)  # move the run into the hyperlink

    def _span_run(self, paragraph: Any, span: Span, bold: bool | None) -> Any:
        return self._run(
            paragraph,
            span.text,
            bold=True if span.bold else bold,
            italic=span.italic,
            code=span.code,
            link=bool(span.href),
        )

    def _hyperlink(self, paragraph: Any, url: str) -> Any:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.ns import qn

        link = _el("w:hyperlink")
        link.set(qn("r:id"), self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True))
        link.set(_w("history"), "1")
        paragraph._p.append(link)
        return link

    def captioned(self, paragraph: Any, caption: str, kind: str) -> None:
        before, after = caption_template(self.style, self.release.lang, kind)
        if before:
            self.plain(paragraph, before)
        self.inline(paragraph, caption)
        if after:
            self.plain(paragraph, after)

    # -- tables ------------------------------------------------------------------

    def table(self, widths_mm: list[float]) -> Any:
        from docx.shared import Mm

        table = self.doc.add_table(rows=0, cols=len(widths_mm))
        table.style = self.named_style("Table Grid")
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)  # w:gridCol; Word reads it, LibreOffice needs it
        return table

    def row(self, table: Any, widths_mm: list[float]) -> list[Any]:
        from docx.shared import Mm

        cells = table.add_row().cells
        for cell, width in zip(cells, widths_mm, strict=True):
            cell.width = Mm(width)
        return list(cells)

    @staticmethod
    def shade(cell: Any, fill: str) -> None:
        tcpr = cell._tc.get_or_add_tcPr()
        tcpr.append(_el("w:shd", val="clear", color="auto", fill=fill.lstrip("#").upper()))

    def label_cell(self, cell: Any, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.shade(cell, self.style.colors.header_fill)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.plain(paragraph, text, bold=True)

    def value_cell(self, cell: Any, text: str, *, center: bool = True) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = cell.paragraphs[0]
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.plain(paragraph, text)

    # -- lists -------------------------------------------------------------------

    def new_num(self, ordered: bool, level: int, start: int) -> int:
        """A numbering instance for one sub-list (so each restarts at its own first number)."""
        num_id = self.next_num_id
        self.next_num_id += 1
        num = _el("w:num", numId=str(num_id))
        num.append(_el("w:abstractNumId", val=str(NUMBER_ABSTRACT_ID if ordered else BULLET_ABSTRACT_ID)))
        if ordered:
            override = _el("w:lvlOverride", ilvl=str(level))
            override.append(_el("w:startOverride", val=str(max(start, 0))))
            num.append(override)
        self.nums.append(num)
        return num_id

    def numbering_part(self) -> None:
        """Our two abstract lists (bullets by level, numbers as written) and every w:num."""
        if not self.nums:
            return
        numbering = self.doc.part.numbering_part.element
        first_num = numbering.find(_w("num"))
        bullets = self.style.for_lang(self.release.lang).bullets or ("•",)
        for abstract_id, ordered in ((BULLET_ABSTRACT_ID, False), (NUMBER_ABSTRACT_ID, True)):
            abstract = _el("w:abstractNum", abstractNumId=str(abstract_id))
            abstract.append(_el("w:multiLevelType", val="multilevel"))
            for level in range(LIST_LEVELS):
                lvl = _el("w:lvl", ilvl=str(level))
                lvl.append(_el("w:start", val="1"))
                lvl.append(_el("w:numFmt", val="decimal" if ordered else "bullet"))
                marker = f"%{level + 1}." if ordered else bullets[level % len(bullets)]
                self.chars.update(marker if not ordered else "0123456789.")
                lvl.append(_el("w:lvlText", val=marker))
                lvl.append(_el("w:lvlJc", val="left"))
                ppr = _el("w:pPr")
                left = round(LIST_INDENT_MM * (level + 1) * TWIPS_PER_MM)
                ppr.append(_el("w:ind", left=str(left), hanging=str(round(LIST_INDENT_MM * TWIPS_PER_MM))))
                lvl.append(ppr)
                rpr = _el("w:rPr")
                fonts = _el("w:rFonts")
                for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                    # Noto Sans KR has every marker (□ ○ ◦ ▪ •); the latin font may not
                    fonts.set(_w(attr), self.fonts.east_asia if not ordered else self.fonts.latin)
                rpr.append(fonts)
                lvl.append(rpr)
                abstract.append(lvl)
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
        for num in self.nums:
            numbering.append(num)

    # -- photos ------------------------------------------------------------------

    def photo(self, block: Block) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Emu

        try:
            picture = self.load_picture(block.src)
        except ImageError as exc:  # checked when the release was read; changed since?
            raise RenderError(
                problem(self.release.source_path or "<release>", block.line or None, exc.what, exc.fix)
            ) from None
        width_mm = self.text_width_mm
        height_mm = width_mm * picture.aspect
        if height_mm > MAX_PHOTO_HEIGHT_MM:
            width_mm, height_mm = width_mm * MAX_PHOTO_HEIGHT_MM / height_mm, MAX_PHOTO_HEIGHT_MM
        paragraph = self.doc.add_paragraph(style="Normal")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = bool(block.text)
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(picture.data), width=Emu(round(width_mm * EMU_PER_MM)))
        doc_pr = shape._inline.docPr
        alt = plain(block.text) if block.text else ""
        doc_pr.set("descr", alt)
        doc_pr.set("name", f"Photo {doc_pr.get('id')}")
        if block.title:
            doc_pr.set("title", block.title)
        pic_pr = shape._inline.graphic.graphicData.pic.nvPicPr.cNvPr
        pic_pr.set("name", block.src.rsplit("/", 1)[-1])
        pic_pr.set("descr", alt)
        if block.text:
            caption = self.doc.add_paragraph(style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.captioned(caption, block.text, "photo")


def _footer(section: Any, release: Release, style: HouseStyle, w: _Writer) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    first = footer.paragraphs[0]
    first.style = w.named_style("Footer")
    w.plain(first, footer_text(release, style))
    numbers = footer.add_paragraph(style=w.named_style("Footer"))
    template = style.for_lang(release.lang).page_number
    for part in re.split(r"(\{page\}|\{pages\})", template):
        if part in ("{page}", "{pages}"):
            _field(numbers, "PAGE" if part == "{page}" else "NUMPAGES", w)
        elif part:
            w.plain(numbers, part)


def _field(paragraph: Any, instr: str, w: _Writer) -> None:
    """A simple field (PAGE / NUMPAGES) with a placeholder result."""
    fld = _el("w:fldSimple", instr=f" {instr} ")
    run = _el("w:r")
    rpr = _el("w:rPr")
    _apply_fonts(rpr, w.fonts)
    run.append(rpr)
    text = _el("w:t")
    text.text = "1"
    w.chars.update("0123456789")
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _ko_header(w: _Writer, item: Item) -> None:
    """The 보도자료 cover row: the label on the accent colour, the issuer beside it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    style = w.style
    widths = [45.0, w.text_width_mm - 45.0]
    table = w.table(widths)
    for label, value in item.rows:
        cells = w.row(table, widths)
        label_p, value_p = cells[0].paragraphs[0], cells[1].paragraphs[0]
        label_p.alignment = value_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in w.plain(label_p, label, bold=True):
            run.font.color.rgb = _rgb("#FFFFFF")
            run.font.size = Pt(style.type.title_size * 0.9)
        for run in w.plain(value_p, value, bold=True):
            run.font.size = Pt(style.type.heading_size)
        w.shade(cells[0], style.colors.accent)


def _release_time(w: _Writer, item: Item) -> None:
    """보도시점 | … | 배포 | … in one row."""
    rest = (w.text_width_mm - 50.0) / 2
    widths = [25.0, rest, 25.0, rest]
    table = w.table(widths)
    cells = w.row(table, widths)
    for index, (label, value) in enumerate(item.rows[:2]):
        w.label_cell(cells[2 * index], label)
        w.value_cell(cells[2 * index + 1], value)


def _contact_table(w: _Writer, item: Item) -> None:
    """담당 부서 | 과 | 책임자 | 이름 | 전화, one row per person, the department merged."""
    rest = w.text_width_mm - 22.0 - 38.0 - 18.0
    widths = [22.0, 38.0, 18.0, rest - rest / 3, rest / 3]
    table = w.table(widths)
    people = list(item.rows) or [("담당자", "", "")]
    rows = []
    for index, (label, person, phone) in enumerate(people):
        cells = w.row(table, widths)
        rows.append(cells)
        if index == 0:
            w.label_cell(cells[0], item.lead)
            w.value_cell(cells[1], item.text)
        w.label_cell(cells[2], label)
        w.value_cell(cells[3], person)
        w.value_cell(cells[4], phone)
    if len(rows) > 1:  # the department cells run down the people's rows (w:vMerge)
        for r, cells in enumerate(rows):
            for column in (0, 1):
                tc_pr = cells[column]._tc.get_or_add_tcPr()
                tc_pr.append(_el("w:vMerge", val="restart") if r == 0 else _el("w:vMerge"))


def _title_box_paragraph(w: _Writer, role: str) -> Any:
    """A paragraph inside the 보도자료 title box: one bordered cell holding the title
    and its ``- … -`` subtitle lines, centred (press-release-conventions.md)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if role == "title" or w.title_cell is None:
        table = w.table([w.text_width_mm])
        cell = w.row(table, [w.text_width_mm])[0]
        borders = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right"):
            borders.append(_el(f"w:{side}", val="single", sz="12", space="0", color="auto"))
        for side in ("insideH", "insideV"):
            borders.append(_el(f"w:{side}", val="nil"))
        table._tbl.tblPr.append(borders)
        w.title_cell = cell
        paragraph = cell.paragraphs[0]
        paragraph.style = w.named_style("Title" if role == "title" else "Subtitle")
        # the Title style's bottom rule would double the box's border
        ppr = paragraph._p.get_or_add_pPr()
        rule = _el("w:pBdr")
        rule.append(_el("w:bottom", val="nil"))
        ppr.append(rule)
        paragraph.paragraph_format.space_before = Pt(w.style.type.body_size * 0.5)
    else:
        paragraph = w.title_cell.add_paragraph(style="Subtitle")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _body_table(w: _Writer, item: Item, block: Block) -> None:
    """A GFM table: caption above, header row repeated on every page and shaded."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if block.text:
        caption = w.doc.add_paragraph(style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_after = 0
        w.captioned(caption, block.text, "table")
    n_cols = max((len(r) for r in block.rows), default=0)
    if not n_cols:
        return
    widths = column_widths(block.rows, w.text_width_mm)
    table = w.table(widths)
    aligns = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    for r, row in enumerate(block.rows):
        cells = w.row(table, widths)
        tr_pr = table.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(_el("w:cantSplit"))  # a row stays on one page; the table splits between rows
        if r == 0:
            tr_pr.append(_el("w:tblHeader"))  # …and its header row repeats on every page
        for col, cell in enumerate(cells):
            text = row[col] if col < len(row) else ""
            paragraph = cell.paragraphs[0]
            align = block.align[col] if col < len(block.align) else ""
            if align:
                paragraph.alignment = aligns[align]
            elif r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if r == 0:
                w.shade(cell, w.style.colors.header_fill)
            w.inline(paragraph, text, bold=True if r == 0 else None)
    w.doc.add_paragraph(style="Normal").paragraph_format.space_after = 0  # Word joins adjacent tables


def _check_text(release: Release, style: HouseStyle, items: tuple[Item, ...]) -> None:
    where = release.source_path or f"<{release.lang} release>"
    problems: list[Problem] = []
    texts = [(footer_text(release, style), 0)]
    for item in items:
        texts.append((item.lead + item.text, item.line))
        texts.extend(("".join(row), item.line) for row in item.rows)
        if item.block is not None:
            texts.extend((cell + item.block.title, item.line) for cell in item.block.texts())
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


class _Lists:
    """Word numbering instances for consecutive list items: one per sub-list."""

    def __init__(self, w: _Writer) -> None:
        self.w = w
        self.open: dict[int, tuple[bool, int]] = {}  # level → (ordered, numId)

    def close(self) -> None:
        self.open.clear()

    def num_for(self, block: Block) -> tuple[int, int]:
        level = min(max(block.level, 0), LIST_LEVELS - 1)
        for deeper in [lv for lv in self.open if lv > level]:
            del self.open[deeper]  # a new sub-list below this item starts afresh
        current = self.open.get(level)
        if current is None or current[0] != block.ordered:
            current = (block.ordered, self.w.new_num(block.ordered, level, block.number or 1))
            self.open[level] = current
        return current[1], level


def _body(w: _Writer, items: tuple[Item, ...]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    style, doc = w.style, w.doc
    lists = _Lists(w)
    after_table = False
    for item in items:
        if item.role != "list_item":
            lists.close()
        if item.role in ("ko_header", "release_time", "contact_table"):
            if item.role == "contact_table":
                doc.add_paragraph(style="Normal").paragraph_format.space_after = 0
            {"ko_header": _ko_header, "release_time": _release_time, "contact_table": _contact_table}[
                item.role
            ](w, item)
            after_table = True
            if item.role == "contact_table":  # Word wants a paragraph after a table
                doc.add_paragraph(style="Normal").paragraph_format.space_after = 0
            continue
        if item.role == "table" and item.block is not None:
            _body_table(w, item, item.block)
            continue
        if item.role == "image" and item.block is not None:
            w.photo(item.block)
            continue
        if item.role in ("title", "subtitle") and w.release.lang == "ko":
            p = _title_box_paragraph(w, item.role)  # the 보도자료 title box
            after_table = True
        elif item.role == "title":
            p = doc.add_paragraph(style="Title")
        elif item.role == "subtitle":
            p = doc.add_paragraph(style="Subtitle")
        elif item.role == "heading":
            p = doc.add_paragraph(style=f"Heading {item.level or 2}")
        elif item.role == "list_item":
            p = doc.add_paragraph(style="List Paragraph")
            if item.block is not None:
                num_id, level = lists.num_for(item.block)
                ppr = p._p.get_or_add_pPr()
                num_pr = _el("w:numPr")
                num_pr.append(_el("w:ilvl", val=str(level)))
                num_pr.append(_el("w:numId", val=str(num_id)))
                ppr.insert(1 if ppr.find(_w("pStyle")) is not None else 0, num_pr)
                # the marker, for the characters to embed (Word draws it from numbering.xml)
                w.chars.update(list_marker(item.block, style, w.release.lang))
        elif item.role == "quote":
            p = doc.add_paragraph(style="Quote")
            level = item.block.level if item.block is not None else 0
            p.paragraph_format.left_indent = Pt(style.type.body_size * 2 * (level + 1))
            p.paragraph_format.right_indent = Pt(style.type.body_size * 2)
        else:
            p = doc.add_paragraph(style="Normal")
        if after_table and item.role not in ("title", "subtitle"):
            # breathing room below a header table or the title box, no empty paragraph
            p.paragraph_format.space_before = Pt(style.type.body_size * 1.5)
            after_table = False
        if item.lead:
            w.plain(p, item.lead, bold=True)
        bold = True if item.role in {"release_line", "contact_label"} else None
        if item.inline:
            w.inline(p, item.text, bold=bold)
        else:
            w.plain(p, item.text, bold=bold)
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


def _memoize_style_ids(doc: Any, known: dict[tuple[Any, Any], Any]) -> None:
    """Resolve each style name to its id once per template.

    python-docx looks a name up by scanning every style of the template (twice:
    also to find the default style), about 2 ms per ``add_paragraph`` — a
    quarter of a whole release's DOCX time. Our styles never change once the
    body is being written, so the answer for a name is fixed for every document
    made from the same prepared template (``known`` is kept with it).
    """
    part = doc.part
    lookup = part.get_style_id

    def get_style_id(style_or_name: Any, style_type: Any) -> Any:
        if style_or_name is None:
            return None
        # a style object is known by its id (python-docx makes a new proxy per lookup)
        subject = style_or_name if isinstance(style_or_name, str) else ("id", style_or_name.style_id)
        key = (subject, style_type)
        if key not in known:
            known[key] = lookup(style_or_name, style_type)
        return known[key]

    part.get_style_id = get_style_id


# The styles a release uses (with what they are based on, link to and are followed by,
# and the defaults): python-docx's stock template defines 164, mostly table designs, in
# 340 KB of XML, plus a 440 KB copy of them for Word 2010 (stylesWithEffects: documents
# Word 2013 and later save do without it). Carrying them made every DOCX 23 KB bigger
# and a process's first document a third slower (parsing, walking, deflating).
USED_STYLES = frozenset(
    {"Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Paragraph", "Quote"}
    | {"Caption", "Header", "Footer", "Table Grid"}
)


def _slim_template(doc: Any) -> None:
    """Drop the template's styles that no release uses, and its stylesWithEffects part."""
    from docx.styles import BabelFish

    styles_el = doc.styles.element
    by_id = {el.get(_w("styleId")): el for el in styles_el.findall(_w("style"))}
    names = {BabelFish.ui2internal(name) for name in USED_STYLES}  # "Heading 1" is "heading 1"
    wanted = [i for i, el in by_id.items() if el.find(_w("name")).get(_w("val")) in names]
    wanted += [i for i, el in by_id.items() if el.get(_w("default")) in ("1", "true", "on")]
    keep: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for ref in ("basedOn", "link", "next"):
            found = by_id[style_id].find(_w(ref))
            if found is not None:
                wanted.append(found.get(_w("val")))
    for style_id, el in by_id.items():
        if style_id not in keep:
            styles_el.remove(el)
    part = doc.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(r_id)


_PREPARED: dict[tuple[HouseStyle, str, str], tuple[Any, dict[tuple[Any, Any], Any]]] = {}
_PREPARED_MAX = 8
# id of a prepared template's styles element → (the element, its serialized bytes)
_SHARED_STYLES: dict[int, tuple[Any, bytes]] = {}


def _prepare_template(style: HouseStyle, fonts: _Fonts) -> bytes:
    """python-docx's stock template, slimmed, with the house style's styles and page."""
    from docx import Document
    from docx.shared import Mm

    prepared = Document()
    _slim_template(prepared)
    _setup_styles(prepared, style, fonts)
    section = prepared.sections[0]
    width, height = style.page.size_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Mm(style.page.margin_top_mm)
    section.bottom_margin = Mm(style.page.margin_bottom_mm)
    section.left_margin = Mm(style.page.margin_left_mm)
    section.right_margin = Mm(style.page.margin_right_mm)
    buffer = io.BytesIO()
    prepared.save(buffer)
    return buffer.getvalue()


def _prepared_template(style: HouseStyle, fonts: _Fonts) -> bytes:
    """The prepared template as saved, kept in the user's cache beside the fonts.

    Preparing it (reading the stock template's 340 KB of styles, walking them) cost a
    process's first document a third of its time, and it depends only on the house style,
    the fonts, python-docx and this module: all four are in the file's name (the style by
    its values, not where its file is). Every process — the one that prepares it too —
    opens the saved bytes, so all documents are made from the very same XML. A cache that
    cannot be read or written is prepared again.
    """
    import docx

    from toolkit.render.fonts import cache_dir

    look = [(f.name, getattr(style, f.name)) for f in dataclasses.fields(style) if f.name != "path"]
    recipe = [_MODULE_SHA, str(docx.__version__), repr(look), fonts.latin_key, fonts.lang]
    key = hashlib.sha256("\n".join(recipe).encode("utf-8")).hexdigest()[:32]
    path = cache_dir().parent / "docx-templates" / f"template-{key}.docx"
    with contextlib.suppress(OSError):
        data = path.read_bytes()
        if _opens(data):
            return data
    data = _prepare_template(style, fonts)
    with contextlib.suppress(OSError):
        write_bytes_atomic(path, data)
    return data


def _opens(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.testzip() is None and "word/styles.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


_MODULE_SHA = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _new_document(style: HouseStyle, fonts: _Fonts) -> Any:
    """A fresh document with the house style's styles and page set up.

    The prepared template (see :func:`_prepared_template`) is opened once per process
    and copied for each document — all but
    its styles, which no document changes once prepared (python-docx only reads them to
    resolve a style name): every copy shares that element and its serialized bytes.
    """
    from docx import Document

    key = (style, fonts.latin_key, fonts.lang)
    cached = _PREPARED.get(key)
    if cached is None:
        prepared = Document(io.BytesIO(_prepared_template(style, fonts)))
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.clear()
            _SHARED_STYLES.clear()
        styles_part = prepared.part._styles_part
        _SHARED_STYLES[id(styles_part._element)] = (styles_part._element, styles_part.blob)
        cached = _PREPARED[key] = (prepared, {})
    prepared, style_ids = cached
    styles = prepared.part._styles_part._element
    doc = copy.deepcopy(prepared, {id(styles): styles})
    _memoize_style_ids(doc, style_ids)
    return doc


def warm(style: HouseStyle, langs: Iterable[Lang]) -> None:
    """Do now the one-time work of a process's first render of each language: python-docx's
    import and the prepared template opened (a renderer forked early does it while its
    parent plans), and the fonts' coverage read for the embedded subsets."""
    from toolkit.render import docx_fonts  # noqa: F401  (the first embed's import)
    from toolkit.render.fonts import coverage

    for lang in langs:
        _new_document(style, _Fonts(lang, style))
    for key in dict.fromkeys(key for lang in langs for key in style.for_lang(lang).font_chain):
        coverage(SOURCES[key])


def render_docx(release: Release, style: HouseStyle, *, embed_fonts: bool = True) -> bytes:
    """Render one release to DOCX bytes (A4, house styles, embedded fonts, footer on every page)."""
    items = layout(release, style)
    _check_text(release, style, items)
    fonts = _Fonts(release.lang, style)
    doc = _new_document(style, fonts)
    section = doc.sections[0]  # found while the body is empty (a search of the whole body later)
    writer = _Writer(doc, release, style, fonts)
    # The stock template starts with no paragraphs; the body is ours alone.
    _body(writer, items)
    writer.numbering_part()
    _footer(section, release, style, writer)

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
    members = _package_members(doc)
    if embed_fonts:
        from toolkit.render.docx_fonts import embed_font_members

        families = (fonts.latin_key, "noto-sans-kr", *sorted(fonts.fallbacks))
        embed_font_members(members, families, "".join(sorted(writer.chars)))
    return zip_members(members)


def _package_members(doc: Any) -> dict[str, bytes]:
    """The package's members (name → bytes) exactly as ``doc.save`` would zip them.

    Zipping, unzipping to embed the fonts, and zipping again in a fixed order cost a
    fifth of a document's time; the members go straight into the one zip we keep.
    """
    from docx.opc.pkgwriter import PackageWriter

    writer: Any = PackageWriter  # its steps, given our collector instead of a zip file
    package = doc.part.package
    collected = _Members()
    parts = package.parts
    for part in parts:  # what OpcPackage.save does, in its order
        part.before_marshal()
    writer._write_content_types_stream(collected, parts)
    writer._write_pkg_rels(collected, package.rels)
    shared = _SHARED_STYLES.get(id(getattr(doc.part._styles_part, "_element", None)))
    for part in parts:  # PackageWriter._write_parts, but the template's styles serialized once
        element = getattr(part, "_element", None)
        blob = shared[1] if shared is not None and element is shared[0] else part.blob
        collected.write(part.partname, blob)
        if len(part.rels):
            collected.write(part.partname.rels_uri, part.rels.xml)
    return collected.members


class _Members:
    """Stands in for python-docx's zip writer: keeps each member's bytes by name."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.members[pack_uri.membername] = blob


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps, attributes, order and compression."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return zip_members({info.filename: src.read(info.filename) for info in src.infolist()})


def zip_members(named: dict[str, bytes]) -> bytes:
    """A zip of ``named`` with fixed timestamps, attributes, order and compression."""
    return zipout.zip_members(named, first=("[Content_Types].xml", "_rels/.rels"))
