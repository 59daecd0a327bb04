"""PDF rendering with reportlab: embedded Noto fonts, rich content, a footer on every page.

Body text is inline Markdown (core/document.py). Each run is escaped for
reportlab's paragraph mini-markup — so markup-like text of the source
(``<b>``, ``&amp;``, raw HTML) still prints literally — and split into
per-font runs (see :func:`toolkit.render.fonts.segment`) so that no character
is ever dropped: a character no font has is a RenderError. Bold is the real
Bold instance, italic Latin text the Noto Sans Italic instance (Hangul has no
italic and stays upright), code a tinted run, links clickable ``<a href>``
annotations.

Blocks: lists are indented paragraphs with their number or the level's
bullet; quotes are indented by level; tables are reportlab Tables that split
across pages by row with the header row repeated (``repeatRows=1``); photos
are scaled to the frame width with their caption below, kept together. The
Korean layout follows press-release-conventions.md, like the DOCX and HWPX.

Output is byte-for-byte reproducible (reportlab invariant mode, fixed
metadata, no clock).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from typing import Any

from toolkit.core.document import Block, Release
from toolkit.core.errors import Problem, RenderError, problem
from toolkit.core.inline import parse_inline, plain
from toolkit.render import _reportlab, fonts
from toolkit.render.layout import (
    Item,
    caption_template,
    column_widths,
    dateline_text,
    footer_text,
    layout,
    list_marker,
    organization,
    page_number_text,
)
from toolkit.render.style import HouseStyle
from toolkit.sources.images import ImageError, Picture, picture_loader

_reportlab.seed()  # before any reportlab.platypus import below

# dateline_text/footer_text re-exported for the pack builder.
__all__ = ["dateline_text", "footer_text", "prepare_fonts", "render_pdf"]

PT_PER_MM = 72.0 / 25.4
BULLET = "•"
LINK_COLOR = "#0563C1"
CODE_FILL = "#EDEFF2"
MAX_PHOTO_HEIGHT_MM = 120.0  # as in the DOCX and HWPX
MAX_SPANNED_PEOPLE = 12  # a longer contact list shows its department in the first row only
# Invisible format characters with no glyph in any font: dropping them
# changes nothing on the page (HWP/Word pastes are full of them).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


class _Face:
    """One part of a font family, registered with reportlab on first use.

    Its coverage comes from the font cache's small coverage file, so a part
    (rare Hangul, Hanja) is only built and parsed when a run of text needs it;
    each instance is parsed by reportlab once (its metrics kept beside it).
    """

    def __init__(self, key: str, part: str) -> None:
        source = fonts.SOURCES[key]
        self.key = f"{key}/{part}" if part else key
        self.source = source
        self.part = part
        self.cmap: frozenset[int] = fonts.coverage(source)[part]
        base = "PP-" + source.ps_base + part
        self._names = {False: base, True: base + "-Bold"}
        self._registered: set[bool] = set()

    def name(self, bold: bool) -> str:
        """The reportlab font name, registering (and if needed building) the instance."""
        if bold not in self._registered:
            self._register(bold)
        return self._names[bold]

    @property
    def regular(self) -> str:
        return self.name(False)

    @property
    def bold(self) -> str:
        return self.name(True)

    def _register(self, bold: bool) -> None:
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics

        path = fonts.ensure_instance(self.source, fonts.WEIGHTS[1 if bold else 0], self.part)
        try:
            font = _reportlab.load_ttfont(self._names[bold], path)
        except Exception as exc:  # a corrupt cache file: say where it is
            raise RenderError(
                problem(
                    path,
                    None,
                    f"cannot load cached font: {exc}",
                    f"delete {fonts.cache_dir()} and run again",
                )
            ) from None
        pdfmetrics.registerFont(font)
        regular, bold_name = self._names[False], self._names[True]
        pdfmetrics.registerFontFamily(
            regular, normal=regular, bold=bold_name, italic=regular, boldItalic=bold_name
        )
        addMapping(regular, 0, 0, regular)
        addMapping(regular, 1, 0, bold_name)
        self._registered.add(bold)


_FACES: dict[tuple[str, str], _Face] = {}


def _faces(key: str) -> list[_Face]:
    """Every part of a family, main part first (one object per process)."""
    out = []
    for part in fonts.SOURCES[key].part_names:
        if (key, part) not in _FACES:
            _FACES[(key, part)] = _Face(key, part)
        out.append(_FACES[(key, part)])
    return out


def prepare_fonts(style: HouseStyle) -> None:
    """Build (first run only) and register the main fonts the style uses.

    Optional: render_pdf does this lazily; call it first to time or announce it.
    """
    for key in dict.fromkeys((*style.en.font_chain, *style.ko.font_chain)):
        main = _faces(key)[0]
        main.name(False)
        main.name(True)


ITALIC_SOURCE = fonts.ITALIC_SOURCE


class _ItalicFace(_Face):
    def __init__(self) -> None:
        source = ITALIC_SOURCE
        self.key = source.key
        self.source = source
        self.part = fonts.MAIN
        self._cmap: frozenset[int] | None = None
        base = "PP-" + source.ps_base
        self._names = {False: base, True: base + "-Bold"}
        self._registered = set()

    @property
    def cmap(self) -> frozenset[int]:  # type: ignore[override]
        if self._cmap is None:
            self._cmap = fonts.coverage(self.source)[fonts.MAIN]
        return self._cmap


_ITALIC: list[_ItalicFace] = []


def _italic_face() -> _ItalicFace:
    if not _ITALIC:
        _ITALIC.append(_ItalicFace())
    return _ITALIC[0]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


class _Fonts:
    """The style's font chain for one language, plus text → markup helpers."""

    def __init__(self, chain: tuple[str, ...]) -> None:
        self.faces = [face for key in chain for face in _faces(key)]
        self.primary = self.faces[0]
        self._chain = [(f.key, f.cmap) for f in self.faces]
        self._by_key = {f.key: f for f in self.faces}
        self._picked: dict[str, str | None] = {}  # character → font key (see fonts.segment)

    def face_for(self, ch: str) -> _Face:
        """The first font of the chain that has ``ch`` (the primary one if none)."""
        return next((f for f in self.faces if ord(ch) in f.cmap), self.primary)

    def inline_markup(self, text: str, *, bold: bool = False) -> str:
        """Inline Markdown → escaped paragraph markup: fonts per run, bold, italic,
        tinted code, clickable links, line breaks."""
        parts: list[str] = []
        href = ""
        for span in parse_inline(text):
            if span.href != href:
                if href:
                    parts.append("</a>")
                if span.href:
                    parts.append(f'<a href="{_attr(span.href)}" color="{LINK_COLOR}">')
                href = span.href
            if span.line_break:
                parts.append("<br/>")
                continue
            body = self.markup(span.text, bold=bold or span.bold, italic=span.italic)
            if span.code:
                body = f'<font backColor="{CODE_FILL}">{body}</font>'
            if span.href:
                body = f"<u>{body}</u>"
            parts.append(body)
        if href:
            parts.append("</a>")
        return "".join(parts)

    def has(self, cp: int) -> bool:
        ch = chr(cp)
        if ch not in self._picked:
            self._picked[ch] = fonts._pick(cp, self._chain)
        return self._picked[ch] is not None

    def runs(self, text: str, bold: bool) -> list[tuple[str, str]]:
        """(reportlab font name, text) runs."""
        out = []
        for key, run in fonts.segment(clean(text), self._chain, self._picked):
            out.append((self._by_key[key].name(bold), run))
        return out

    def markup(self, text: str, bold: bool = False, italic: bool = False) -> str:
        """Escaped paragraph markup with an explicit font per run."""
        parts = []
        italic_face = _italic_face() if italic else None
        for name, run in self.runs(text, bold):
            # a run the italic font covers entirely (Latin) is set in it; Hangul stays upright
            if italic_face is not None and all(ord(ch) in italic_face.cmap or ch in " \n" for ch in run):
                name = italic_face.name(bold)
            escaped = _esc(run).replace("\n", "<br/>")
            parts.append(f'<font face="{name}">{escaped}</font>')
        return "".join(parts)


def clean(text: str) -> str:
    return text.translate(_INVISIBLE).replace("\t", " ").replace("\r", "")


def _check_glyphs(release: Release, style: HouseStyle, items: tuple[Item, ...], f: _Fonts) -> None:
    """Collect every character no font has, then raise once (never drop glyphs)."""
    where = release.source_path or f"<{release.lang} release>"
    problems: list[Problem] = []
    texts: list[tuple[str, int]] = [(footer_text(release, style), 0)]
    texts.append((page_number_text(release, style, 1, 1), 0))
    for kind in ("table", "photo"):
        texts.append(("".join(caption_template(style, release.lang, kind)), 0))
    for item in items:
        text = plain(item.text) if item.inline else item.text
        texts.append((item.lead + text, item.line))
        texts.extend(("".join(row), item.line) for row in item.rows)
        if item.block is not None:
            texts.extend((plain(cell), item.line) for row in item.block.rows for cell in row)
            if item.role == "list_item":
                texts.append((list_marker(item.block, style, release.lang), item.line))
    for text, line in texts:
        for ch in fonts.missing_chars(clean(text), f.has):
            problems.append(
                problem(
                    where,
                    line or None,
                    f"no embedded font has the character {fonts.describe_char(ch)}",
                    "replace it with a similar character or remove it",
                )
            )
    if problems:
        raise RenderError(problems)


def _color(hex_rgb: str) -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor(hex_rgb)


def _styles(style: HouseStyle, f: _Fonts) -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    t, c = style.type, style.colors
    reg, bold = f.primary.regular, f.primary.bold
    base = ParagraphStyle(
        "body",
        fontName=reg,
        fontSize=t.body_size,
        leading=t.body_size * t.line_spacing,
        textColor=_color(c.text),
        alignment=TA_LEFT,
        spaceAfter=t.body_size * 0.6,
    )

    def derive(name: str, **kw: Any) -> Any:
        return ParagraphStyle(name, parent=base, **kw)

    def sized(size: float) -> dict[str, float]:
        return {"fontSize": size, "leading": size * t.line_spacing}

    bullet_name = next((x.regular for x in f.faces if ord(BULLET) in x.cmap), f.primary.regular)
    return {
        "paragraph": base,
        "release_line": derive(
            "release_line",
            fontName=bold,
            textColor=_color(c.accent),
            spaceAfter=t.body_size,
            **sized(t.release_line_size),
        ),
        "title": derive(
            "title",
            fontName=bold,
            textColor=_color(c.accent),
            spaceBefore=t.body_size * 0.5,
            spaceAfter=t.body_size * 0.5,
            keepWithNext=1,
            **sized(t.title_size),
        ),
        "subtitle": derive(
            "subtitle",
            textColor=_color(c.muted),
            spaceAfter=t.body_size * 1.2,
            keepWithNext=1,
            **sized(t.subtitle_size),
        ),
        "heading": derive(
            "heading",
            fontName=bold,
            textColor=_color(c.accent),
            spaceBefore=t.body_size * 0.8,
            spaceAfter=t.body_size * 0.4,
            keepWithNext=1,
            **sized(t.heading_size),
        ),
        "list_item": derive(
            "list_item",
            leftIndent=t.body_size * 1.6,
            bulletIndent=t.body_size * 0.4,
            bulletFontName=bullet_name,
            spaceAfter=t.body_size * 0.3,
        ),
        "quote": derive(
            "quote",
            leftIndent=t.body_size * 2,
            rightIndent=t.body_size * 2,
            textColor=_color(c.muted),
        ),
        "contact_label": derive(
            "contact_label", fontName=bold, spaceBefore=t.body_size, spaceAfter=0, keepWithNext=1
        ),
        "contact": derive("contact"),
        "end_mark": derive("end_mark", alignment=TA_CENTER, spaceBefore=t.body_size),
        "cell": derive("cell", spaceAfter=0, **sized(t.header_size)),
        "cell_label": derive("cell_label", fontName=bold, spaceAfter=0, **sized(t.header_size)),
        "cell_title": derive(
            "cell_title",
            fontName=bold,
            alignment=TA_CENTER,
            textColor=_color("#FFFFFF"),
            spaceAfter=0,
            **sized(t.title_size * 0.9),
        ),
        "cell_org": derive(
            "cell_org", fontName=bold, alignment=TA_CENTER, spaceAfter=0, **sized(t.heading_size)
        ),
        "cell_center": derive("cell_center", alignment=TA_CENTER, spaceAfter=0, **sized(t.header_size)),
        "cell_label_center": derive(
            "cell_label_center", fontName=bold, alignment=TA_CENTER, spaceAfter=0, **sized(t.header_size)
        ),
        "cell_right": derive("cell_right", alignment=TA_RIGHT, spaceAfter=0, **sized(t.header_size)),
        "caption": derive(
            "caption",
            alignment=TA_CENTER,
            textColor=_color(c.muted),
            spaceBefore=t.body_size * 0.3,
            spaceAfter=t.body_size,
            **sized(max(t.body_size - 1, 6)),
        ),
        "table_caption": derive(
            "table_caption",
            alignment=TA_CENTER,
            textColor=_color(c.muted),
            spaceBefore=t.body_size * 0.3,
            spaceAfter=t.body_size * 0.3,
            **sized(max(t.body_size - 1, 6)),
        ),
        "ko_title": derive(
            "ko_title",
            fontName=bold,
            alignment=TA_CENTER,
            textColor=_color(c.accent),
            spaceBefore=t.body_size * 0.5,
            spaceAfter=t.body_size * 0.5,
            keepWithNext=1,
            **sized(t.title_size),
        ),
        "ko_subtitle": derive(
            "ko_subtitle",
            alignment=TA_CENTER,
            textColor=_color(c.muted),
            spaceAfter=t.body_size * 1.2,
            keepWithNext=1,
            **sized(t.subtitle_size),
        ),
    }


_BOLD_ROLES = frozenset({"release_line", "title", "heading", "contact_label"})
# A paragraph longer than this (markup characters) is laid out as pieces of _PIECE_LINES lines
_PIECE_CHARS = 6000
_PIECE_LINES = 24
_FRAME_PADDING = 6.0  # reportlab's default padding on each side of the body frame, points
_CELL_SIDE_PADDING = 6.0  # reportlab's own left/right cell padding, points


class _Builder:
    """Layout items → reportlab flowables."""

    def __init__(self, release: Release, style: HouseStyle, f: _Fonts, styles: dict[str, Any]) -> None:
        self.release = release
        self.style = style
        self.f = f
        self.styles = styles
        self.load_picture: Callable[[str], Picture] = picture_loader(release)
        page = style.page
        self.frame_width = (page.size_mm[0] - page.margin_left_mm - page.margin_right_mm) * PT_PER_MM
        self.text_width = self.frame_width - 2 * _FRAME_PADDING  # what a paragraph in the frame wraps at

    def para(self, markup: str, style_name: str, **kwargs: Any) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(markup, self.styles[style_name], **kwargs)

    def captioned(self, caption: str, kind: str, style_name: str) -> Any:
        before, after = caption_template(self.style, self.release.lang, kind)
        markup = self.f.markup(before) + self.f.inline_markup(caption) + self.f.markup(after)
        return self.para(markup, style_name)

    def grid(
        self, rows: list[list[Any]], widths: list[float], commands: list[tuple[Any, ...]], **kw: Any
    ) -> Any:
        from reportlab.platypus import Table, TableStyle

        c = self.style.colors
        base = [
            # Table cells default to Helvetica (never embedded) even around Paragraphs.
            ("FONTNAME", (0, 0), (-1, -1), self.f.primary.regular),
            ("GRID", (0, 0), (-1, -1), 0.5, _color(c.muted)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        side = min(widths, default=0.0) / 4
        if widths and side < _CELL_SIDE_PADDING:  # many columns (a 27-column form): thinner padding
            base += [("LEFTPADDING", (0, 0), (-1, -1), side), ("RIGHTPADDING", (0, 0), (-1, -1), side)]
        # a row taller than a page (a 3,000-line cell) continues on the next page
        return Table(
            rows, colWidths=widths, style=TableStyle(base + commands), hAlign="LEFT", splitInRow=1, **kw
        )

    def label(self, text: str) -> Any:
        return self.para(self.f.markup(text, bold=True), "cell_label_center")

    def value(self, text: str) -> Any:
        return self.para(self.f.markup(text), "cell_center")

    # -- the 보도자료 tables -------------------------------------------------------

    def ko_header(self, item: Item) -> Any:
        label_w = 45 * PT_PER_MM
        rows = [
            [
                self.para(self.f.markup(label, bold=True), "cell_title"),
                self.para(self.f.markup(value, bold=True), "cell_org"),
            ]
            for label, value in item.rows
        ]
        accent = _color(self.style.colors.accent)
        return self.grid(
            rows,
            [label_w, self.frame_width - label_w],
            [("BACKGROUND", (0, 0), (0, -1), accent), ("ALIGN", (0, 0), (-1, -1), "CENTER")],
        )

    def release_time(self, item: Item) -> Any:
        label_w = 25 * PT_PER_MM
        rest = (self.frame_width - 2 * label_w) / 2
        cells: list[Any] = []
        for label, value in item.rows[:2]:
            cells += [self.label(label), self.value(value)]
        fill = _color(self.style.colors.header_fill)
        return self.grid(
            [cells],
            [label_w, rest, label_w, rest],
            [("BACKGROUND", (0, 0), (0, 0), fill), ("BACKGROUND", (2, 0), (2, 0), fill)],
        )

    def contact_table(self, item: Item) -> Any:
        widths_mm = [22.0, 38.0, 18.0]
        rest = self.frame_width - sum(widths_mm) * PT_PER_MM
        widths = [w * PT_PER_MM for w in widths_mm] + [rest - rest / 3, rest / 3]
        people = list(item.rows) or [("담당자", "", "")]
        rows = []
        for index, (label, person, phone) in enumerate(people):
            rows.append(
                [
                    self.label(item.lead) if index == 0 else "",
                    self.value(item.text) if index == 0 else "",
                    self.label(label),
                    self.value(person),
                    self.value(phone),
                ]
            )
        fill = _color(self.style.colors.header_fill)
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (0, -1), fill),
            ("BACKGROUND", (2, 0), (2, -1), fill),
        ]
        if 1 < len(rows) <= MAX_SPANNED_PEOPLE:  # (reportlab spans cost per row and page)
            commands += [("SPAN", (0, 0), (0, -1)), ("SPAN", (1, 0), (1, -1))]
        return self.grid(rows, widths, commands)

    # -- body blocks ---------------------------------------------------------------

    def table(self, block: Block) -> list[Any]:
        from reportlab.platypus import CondPageBreak

        t = self.style.type
        # the caption, the header and a first row stay together; the rest splits by row
        out: list[Any] = [CondPageBreak(t.body_size * t.line_spacing * 5)]
        if block.text:
            out.append(self.captioned(block.text, "table", "table_caption"))
        n_cols = max((len(r) for r in block.rows), default=0)
        if not n_cols:
            return out
        names = {"left": "cell", "center": "cell_center", "right": "cell_right"}
        rows = []
        for r, row in enumerate(block.rows):
            cells = []
            for col in range(n_cols):
                text = row[col] if col < len(row) else ""
                align = block.align[col] if col < len(block.align) else ""
                style_name = names.get(align, "cell_center" if r == 0 else "cell")
                cells.append(self.para(self.f.inline_markup(text, bold=r == 0), style_name))
            rows.append(cells)
        fill = _color(self.style.colors.header_fill)
        out.append(
            self.grid(
                rows,
                column_widths(block.rows, self.frame_width),
                [("BACKGROUND", (0, 0), (-1, 0), fill)],
                repeatRows=1,
                splitByRow=1,
            )
        )
        from reportlab.platypus import Spacer

        out.append(Spacer(1, self.style.type.body_size * 0.6))
        return out

    def photo(self, block: Block) -> list[Any]:
        from reportlab.platypus import KeepTogether

        try:
            picture = self.load_picture(block.src)
        except ImageError as exc:  # checked when the release was read; changed since?
            raise RenderError(
                problem(self.release.source_path or "<release>", block.line or None, exc.what, exc.fix)
            ) from None
        width = self.frame_width
        height = width * picture.aspect
        max_height = MAX_PHOTO_HEIGHT_MM * PT_PER_MM
        if height > max_height:
            width, height = width * max_height / height, max_height
        image = _reportlab.photo(picture.data, picture.sha256, width, height)
        image.hAlign = "CENTER"
        parts: list[Any] = [image]
        if block.text:
            parts.append(self.captioned(block.text, "photo", "caption"))
        return [KeepTogether(parts)]

    def flowables(self, items: tuple[Item, ...]) -> list[Any]:
        from reportlab.platypus import Spacer

        t = self.style.type
        ko = self.release.lang == "ko"
        out: list[Any] = []
        title_box: list[Any] = []
        for item in items:
            block = item.block
            if title_box and item.role != "subtitle":
                out.append(self.title_box(title_box))
                out.append(Spacer(1, t.body_size))
                title_box = []
            if ko and item.role in ("title", "subtitle"):
                # the 보도자료 title box: one bordered cell, the title then its - … - subtitles
                markup = self.f.markup(item.text, bold=item.role == "title")
                title_box.append(self.para(markup, "ko_" + item.role))
                continue
            if item.role in ("ko_header", "release_time", "contact_table"):
                if item.role == "contact_table":
                    out.append(Spacer(1, t.body_size))
                out.append(getattr(self, item.role)(item))
                out.append(Spacer(1, t.body_size * (1.0 if item.role != "ko_header" else 0.2)))
                continue
            if item.role == "table" and block is not None:
                out.extend(self.table(block))
                continue
            if item.role == "image" and block is not None:
                out.extend(self.photo(block))
                continue
            bold = item.role in _BOLD_ROLES
            if item.inline:
                text = self.f.inline_markup(item.text, bold=bold)
            else:
                text = self.f.markup(item.text, bold=bold)
            if item.lead:
                text = self.f.markup(item.lead, bold=True) + text
            style_name: str = item.role
            kwargs: dict[str, Any] = {}
            if item.role == "list_item" and block is not None:
                marker = list_marker(block, self.style, self.release.lang)
                level = max(block.level, 0)
                indent = t.body_size * 1.8
                lst = self.styles["list_item"]
                from reportlab.lib.styles import ParagraphStyle

                kwargs["bulletText"] = marker
                kwargs["style"] = ParagraphStyle(
                    f"list_item_{level}_{len(marker)}",
                    parent=lst,
                    leftIndent=indent * (level + 1),
                    bulletIndent=indent * level + t.body_size * 0.2,
                    bulletFontName=self.f.face_for(marker[0]).regular,
                )
                out.extend(_in_pieces(_paragraph(text, kwargs), text, self.text_width))
                continue
            if item.role == "quote" and block is not None and block.level:
                from reportlab.lib.styles import ParagraphStyle

                nested = ParagraphStyle(
                    f"quote_{block.level}",
                    parent=self.styles["quote"],
                    leftIndent=t.body_size * 2 * (block.level + 1),
                )
                out.extend(_in_pieces(_paragraph(text, {"style": nested}), text, self.text_width))
                continue
            out.extend(_in_pieces(self.para(text, style_name), text, self.text_width))
        if title_box:
            out.append(self.title_box(title_box))
        return out

    def title_box(self, paragraphs: list[Any]) -> Any:
        from reportlab.platypus import Table, TableStyle

        commands = [
            ("BOX", (0, 0), (-1, -1), 1.2, _color(self.style.colors.text)),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("FONTNAME", (0, 0), (-1, -1), self.f.primary.regular),
        ]
        return Table([[paragraphs]], colWidths=[self.frame_width], style=TableStyle(commands))


def _paragraph(markup: str, kwargs: dict[str, Any]) -> Any:
    from reportlab.platypus import Paragraph

    style = kwargs.pop("style")
    return Paragraph(markup, style, **kwargs)


def _in_pieces(para: Any, markup: str, width: float) -> list[Any]:
    """A long body paragraph as consecutive paragraphs of its own lines, laid out the same.

    Reportlab breaks a paragraph that crosses a page into the lines on this page and a new
    paragraph of the rest, which it wraps again from its start: a paragraph of n pages
    was wrapped n times (quadratic: 33.7 s for one of 160,000 characters, now 2.2 s). Wrapped
    once at the frame's width and cut into pieces of whole lines the way reportlab's own
    ``split`` cuts it, each piece wraps alone into the same lines, on the same pages.
    """
    if len(markup) <= _PIECE_CHARS:
        return [para]
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    from reportlab.platypus.paragraph import FragLine

    para.wrap(width, 1e9)
    lines = para.blPara.lines
    if len(lines) <= 2 * _PIECE_LINES:
        return [para]
    cut = para._get_split_blParaFunc()
    style = para.style
    first = ParagraphStyle(f"{style.name}_first", parent=style, spaceAfter=0)
    middle = ParagraphStyle(
        f"{style.name}_middle", parent=style, spaceBefore=0, spaceAfter=0, firstLineIndent=0, allowOrphans=1
    )
    last = ParagraphStyle(
        f"{style.name}_last", parent=style, spaceBefore=0, firstLineIndent=0, allowOrphans=1
    )
    starts = list(range(0, len(lines), _PIECE_LINES))
    pieces = []
    for n, start in enumerate(starts):
        end = min(start + _PIECE_LINES, len(lines))
        kind = first if n == 0 else last if end == len(lines) else middle
        piece = Paragraph(
            None, kind, bulletText=para.bulletText if n == 0 else None, frags=cut(para.blPara, start, end)
        )
        if end < len(lines):  # a line that goes on in the next piece is not a paragraph's last
            line = lines[end - 1]
            piece._JustifyLast = not (isinstance(line, FragLine) and getattr(line, "lineBreak", False))
        pieces.append(piece)
    return pieces


def _draw_centered(canvas: Any, f: _Fonts, text: str, y: float, size: float, width: float) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = f.runs(text, bold=False)
    total = sum(stringWidth(run, name, size) for name, run in runs)
    x = (width - total) / 2
    for name, run in runs:
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, name, size)


@lru_cache(maxsize=1)
def _held_pages_canvas() -> type:
    """A reportlab Canvas that holds every finished page until the last, then stamps each
    with ``finish(canvas, number, total)`` ("Page 2 of 3") and writes them all.

    The page count is known after one layout pass instead of two (the earlier second
    pass laid out and drew the whole release again: a third of an English PDF's time).
    Reportlab's own documented recipe for "page x of y"; imported lazily like reportlab.
    """
    from reportlab.pdfgen.canvas import Canvas

    class HeldPagesCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, finish: Callable[[Any, int, int], None], **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self._finish = finish

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                self._finish(self, number, total)
                super().showPage()
            super().save()

    return HeldPagesCanvas


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Streams are Flate-compressed binary, not also ASCII85-encoded (reportlab's default).

    ASCII85 makes every stream (page text, font subsets, photos) a quarter larger and is
    encoded in pure Python: for a photo it was a tenth of a whole batch build. Every
    PDF reader decodes binary streams; reportlab reads the setting while it writes.
    """
    from reportlab import rl_config

    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def warm(style: HouseStyle) -> None:
    """Do now the one-time work of a process's first render: reportlab's imports and
    the main fonts registered (a renderer forked early does it while its parent plans)."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate  # noqa: F401

    prepare_fonts(style)
    _italic_face()
    _held_pages_canvas()


def render_pdf(release: Release, style: HouseStyle) -> bytes:
    """Render one release to PDF bytes (A4, embedded fonts, footer on every page)."""
    with _binary_streams():
        return _render_pdf(release, style)


def _render_pdf(release: Release, style: HouseStyle) -> bytes:
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
    from reportlab.platypus.doctemplate import LayoutError

    lang_style = style.for_lang(release.lang)
    f = _Fonts(lang_style.font_chain)
    items = layout(release, style)
    _check_glyphs(release, style, items, f)
    styles = _styles(style, f)
    copyright_line = footer_text(release, style)
    page = style.page
    width, height = (v * PT_PER_MM for v in page.size_mm)
    left, right = page.margin_left_mm * PT_PER_MM, page.margin_right_mm * PT_PER_MM
    top, bottom = page.margin_top_mm * PT_PER_MM, page.margin_bottom_mm * PT_PER_MM
    footer_size = style.type.footer_size

    counting = "{pages}" in lang_style.page_number  # "page 2 of 3"
    # the footer's rows, bottom margin down: a rule, the copyright line, the page number
    rule_y = bottom - footer_size * 1.2
    copyright_y = rule_y - footer_size * 1.6
    number_y = copyright_y - footer_size * 1.5

    def draw_number(canvas: Any, number: int, total_pages: int) -> None:
        canvas.saveState()
        canvas.setFillColor(_color(style.colors.muted))
        text = page_number_text(release, style, number, total_pages)
        _draw_centered(canvas, f, text, number_y, footer_size, width)
        canvas.restoreState()

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(_color(style.colors.muted))
        canvas.setStrokeColor(_color(style.colors.muted))
        canvas.setLineWidth(0.4)
        canvas.line(left, rule_y, width - right, rule_y)
        _draw_centered(canvas, f, copyright_line, copyright_y, footer_size, width)
        if not counting:  # otherwise stamped when the page count is known (draw_number)
            draw_number(canvas, doc.page, 0)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=release.meta.title,
        author=organization(release, style),
        subject=release.meta.subtitle,
        creator="presspack",
        producer="presspack",
        invariant=1,
        lang="ko-KR" if release.lang == "ko" else "en-US",
        initialFontName=f.primary.regular,
    )
    frame = Frame(
        left,
        bottom,
        width - left - right,
        height - top - bottom,
        leftPadding=_FRAME_PADDING,
        rightPadding=_FRAME_PADDING,
        topPadding=_FRAME_PADDING,
        bottomPadding=_FRAME_PADDING,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    flowables = _Builder(release, style, f, styles).flowables(items)
    try:
        if counting:
            doc.build(flowables, canvasmaker=partial(_held_pages_canvas(), finish=draw_number))
        else:
            doc.build(flowables)
    except LayoutError as exc:  # something no page can hold, even split
        raise RenderError(
            problem(
                release.source_path or f"<{release.lang} release>",
                None,
                f"a block does not fit on a page ({str(exc)[:120]})",
                "split it into shorter paragraphs",
            )
        ) from None
    return buffer.getvalue()
