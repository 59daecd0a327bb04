"""PDF rendering with reportlab: embedded Noto fonts, a footer on every page.

Text is plain Unicode. It is escaped for reportlab's paragraph mini-markup
and split into per-font runs (see :func:`toolkit.fonts.segment`) so that no
character is ever dropped: a character no font has is a RenderError.
Output is byte-for-byte reproducible (reportlab invariant mode, fixed
metadata, no clock).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from toolkit.core.document import Release
from toolkit.core.errors import Problem, RenderError, problem
from toolkit.render import fonts
from toolkit.render.layout import (
    Item,
    dateline_text,
    flatten_rich,
    footer_text,
    layout,
    organization,
    page_number_text,
)
from toolkit.render.style import HouseStyle

# dateline_text/footer_text re-exported for the pack builder.
__all__ = ["dateline_text", "footer_text", "prepare_fonts", "render_pdf"]

PT_PER_MM = 72.0 / 25.4
BULLET = "•"
# Invisible format characters with no glyph in any font: dropping them
# changes nothing on the page (HWP/Word pastes are full of them).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


class _Face:
    """One part of a font family, registered with reportlab on first use.

    Its coverage comes from the font cache's small coverage file, so a part
    (rare Hangul, Hanja) is only built and parsed when a run of text needs it;
    each instance is parsed by reportlab once per process.
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
        from reportlab.pdfbase.ttfonts import TTFont

        path = fonts.ensure_instance(self.source, fonts.WEIGHTS[1 if bold else 0], self.part)
        try:
            font = TTFont(self._names[bold], str(path))
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


class _Fonts:
    """The style's font chain for one language, plus text → markup helpers."""

    def __init__(self, chain: tuple[str, ...]) -> None:
        self.faces = [face for key in chain for face in _faces(key)]
        self.primary = self.faces[0]
        self._chain = [(f.key, f.cmap) for f in self.faces]
        self._by_key = {f.key: f for f in self.faces}

    def has(self, cp: int) -> bool:
        return any(cp in f.cmap for f in self.faces)

    def runs(self, text: str, bold: bool) -> list[tuple[str, str]]:
        """(reportlab font name, text) runs."""
        out = []
        for key, run in fonts.segment(clean(text), self._chain):
            out.append((self._by_key[key].name(bold), run))
        return out

    def markup(self, text: str, bold: bool = False) -> str:
        """Escaped paragraph markup with an explicit font per run."""
        parts = []
        for name, run in self.runs(text, bold):
            escaped = run.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            escaped = escaped.replace("\n", "<br/>")
            parts.append(f'<font face="{name}">{escaped}</font>')
        return "".join(parts)


def clean(text: str) -> str:
    return text.translate(_INVISIBLE).replace("\t", " ").replace("\r", "")


def _check_glyphs(release: Release, style: HouseStyle, items: tuple[Item, ...], f: _Fonts) -> None:
    """Collect every character no font has, then raise once (never drop glyphs)."""
    where = release.source_path or f"<{release.lang} release>"
    problems: list[Problem] = []
    texts: list[tuple[str, int]] = [(footer_text(release, style), 0), (BULLET, 0)]
    texts.append((page_number_text(release, style, 1, 1), 0))
    for item in items:
        texts.append((item.lead + item.text, item.line))
        texts.extend((label + value, item.line) for label, value in item.rows)
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
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
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
            textColor=_color("#FFFFFF"),
            spaceAfter=0,
            **sized(t.title_size * 0.9),
        ),
        "cell_org": derive("cell_org", fontName=bold, spaceAfter=0, **sized(t.heading_size)),
    }


_BOLD_ROLES = frozenset({"release_line", "title", "heading", "contact_label"})


def _flowables(items: tuple[Item, ...], style: HouseStyle, f: _Fonts, styles: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    out: list[Any] = []
    for item in items:
        if item.role == "ko_header":
            out.append(_ko_header(item, style, f, styles, Paragraph, Table, TableStyle))
            out.append(Spacer(1, style.type.body_size))
            continue
        bold = item.role in _BOLD_ROLES
        text = f.markup(item.lead, bold=True) + f.markup(item.text, bold=bold)
        kwargs: dict[str, Any] = {}
        if item.role == "list_item":
            kwargs["bulletText"] = BULLET
        out.append(Paragraph(text, styles[item.role], **kwargs))
    return out


def _ko_header(
    item: Item,
    style: HouseStyle,
    f: _Fonts,
    styles: dict[str, Any],
    paragraph: Callable[..., Any],
    table: Callable[..., Any],
    table_style: Callable[..., Any],
) -> Any:
    page_w = style.page.size_mm[0] - style.page.margin_left_mm - style.page.margin_right_mm
    label_w = 28 * PT_PER_MM
    rows = []
    for index, (label, value) in enumerate(item.rows):
        if index == 0:
            rows.append(
                [
                    paragraph(f.markup(label, bold=True), styles["cell_title"]),
                    paragraph(f.markup(value, bold=True), styles["cell_org"]),
                ]
            )
        else:
            rows.append(
                [
                    paragraph(f.markup(label, bold=True), styles["cell_label"]),
                    paragraph(f.markup(value), styles["cell"]),
                ]
            )
    c = style.colors
    commands = [
        # Table cells default to Helvetica (never embedded) even around Paragraphs.
        ("FONTNAME", (0, 0), (-1, -1), f.primary.regular),
        ("GRID", (0, 0), (-1, -1), 0.5, _color(c.muted)),
        ("BACKGROUND", (0, 0), (0, 0), _color(c.accent)),
        ("BACKGROUND", (0, 1), (0, -1), _color(c.header_fill)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    return table(
        rows,
        colWidths=[label_w, page_w * PT_PER_MM - label_w],
        style=table_style(commands),
        hAlign="LEFT",
    )


def _draw_centered(canvas: Any, f: _Fonts, text: str, y: float, size: float, width: float) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = f.runs(text, bold=False)
    total = sum(stringWidth(run, name, size) for name, run in runs)
    x = (width - total) / 2
    for name, run in runs:
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, name, size)


def render_pdf(release: Release, style: HouseStyle) -> bytes:
    """Render one release to PDF bytes (A4, embedded fonts, footer on every page)."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    lang_style = style.for_lang(release.lang)
    f = _Fonts(lang_style.font_chain)
    items = flatten_rich(layout(release, style))
    _check_glyphs(release, style, items, f)
    styles = _styles(style, f)
    copyright_line = footer_text(release, style)
    page = style.page
    width, height = (v * PT_PER_MM for v in page.size_mm)
    left, right = page.margin_left_mm * PT_PER_MM, page.margin_right_mm * PT_PER_MM
    top, bottom = page.margin_top_mm * PT_PER_MM, page.margin_bottom_mm * PT_PER_MM
    footer_size = style.type.footer_size

    def build(total_pages: int) -> tuple[bytes, int]:
        def on_page(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFillColor(_color(style.colors.muted))
            canvas.setStrokeColor(_color(style.colors.muted))
            canvas.setLineWidth(0.4)
            rule_y = bottom - footer_size * 1.2
            canvas.line(left, rule_y, width - right, rule_y)
            y = rule_y - footer_size * 1.6
            _draw_centered(canvas, f, copyright_line, y, footer_size, width)
            number = page_number_text(release, style, doc.page, total_pages)
            _draw_centered(canvas, f, number, y - footer_size * 1.5, footer_size, width)
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
        frame = Frame(left, bottom, width - left - right, height - top - bottom, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
        doc.build(_flowables(items, style, f, styles))
        return buffer.getvalue(), int(doc.page)

    data, pages = build(0)
    if "{pages}" in lang_style.page_number:
        data, pages_again = build(pages)
        if pages_again != pages:  # cannot happen: the footer lies outside the frame
            raise RenderError(problem(release.source_path or "<release>", None, "page count changed"))
    return data
