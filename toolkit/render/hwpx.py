"""HWPX rendering: the release as a Hancom Office document (OWPML, KS X 6101).

Built from the same :func:`toolkit.render.layout.layout` items as the DOCX
and PDF, so the three formats say the same thing. Korean releases take the
보도자료 shape (press-release-conventions.md): a cover row (보도자료 | issuer),
the 보도시점 | … | 배포 | … row, the title box with its ``- … -`` subtitle, the
body, the contact table (담당 부서 | 과 | 책임자 | 이름 | 전화 / 담당자 | …) and
붙임; English releases the newswire layout (release line, headline, dateline
lead, body, media contact, ``###``).

The package is written from code with lxml-free string templates of the
structures Hancom itself saves (checked against the Hancom-saved files in
shared/corpus/hwpx and python-hwpx's schemas in the tests): ``mimetype``
first and stored, then version, container, manifest, content.hpf (listing
every part), header.xml (only the fonts, character/paragraph shapes, border
fills and styles this document uses, numbered in order of first use),
section0.xml, settings.xml and BinData/ pictures. Text is in 함초롬바탕 /
함초롬돋움, which every Hancom Office installs. No ``hp:linesegarray`` is
written: Hancom lays the text out itself, so there is no stale layout cache.
The copyright line and the page number (``autoNum`` controls) sit in a
footer control applied to every page. Ids are counters, zip entries have
fixed timestamps and order: the same release gives the same bytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

from toolkit.core.document import Block, Release
from toolkit.core.errors import Problem, RenderError, problem
from toolkit.core.inline import Span, parse_inline
from toolkit.render.fonts import describe_char
from toolkit.render.layout import Item, footer_text, layout, organization
from toolkit.render.style import HouseStyle

__all__ = ["BODY_FONT", "HEAD_FONT", "image_size", "render_hwpx"]

MIMETYPE = b"application/hwp+zip"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
BODY_FONT = "함초롬바탕"
HEAD_FONT = "함초롬돋움"
HWPUNIT_PER_MM = 7200 / 25.4
HWPUNIT_PER_PT = 100
PX_HWPUNIT = 75  # 7200 per inch at 96 dpi
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NS = (
    'xmlns:ha="http://www.hancom.co.kr/hwpml/2011/app" '
    'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" '
    'xmlns:hp10="http://www.hancom.co.kr/hwpml/2016/paragraph" '
    'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
    'xmlns:hc="http://www.hancom.co.kr/hwpml/2011/core" '
    'xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head" '
    'xmlns:hhs="http://www.hancom.co.kr/hwpml/2011/history" '
    'xmlns:hm="http://www.hancom.co.kr/hwpml/2011/master-page" '
    'xmlns:hpf="http://www.hancom.co.kr/schema/2011/hpf" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:opf="http://www.idpf.org/2007/opf/" '
    'xmlns:ooxmlchart="http://www.hancom.co.kr/hwpml/2016/ooxmlchart" '
    'xmlns:hwpunitchar="http://www.hancom.co.kr/hwpml/2016/HwpUnitChar" '
    'xmlns:epub="http://www.idpf.org/2007/ops" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"'
)
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'
_LANGS = ("HANGUL", "LATIN", "HANJA", "JAPANESE", "OTHER", "SYMBOL", "USER")
_LANG_ATTRS = ("hangul", "latin", "hanja", "japanese", "other", "symbol", "user")
ImageLoader = Callable[[str], bytes | None]


def _mm(value: float) -> int:
    return round(value * HWPUNIT_PER_MM)


def _text(value: str) -> str:
    return _xml_escape(value)


def _attr(value: str) -> str:
    return quoteattr(value)


# --------------------------------------------------------------------------- header.xml registries


@dataclass(frozen=True)
class CharShape:
    height: int  # 1/100 pt
    color: str = "#000000"
    bold: bool = False
    italic: bool = False
    underline: bool = False
    font: int = 1  # 0 = 함초롬돋움 (headings), 1 = 함초롬바탕 (text)


@dataclass(frozen=True)
class ParaShape:
    align: str = "JUSTIFY"  # JUSTIFY | LEFT | CENTER | RIGHT
    left: int = 0  # HWPUNIT
    indent: int = 0
    prev: int = 0
    next: int = 0
    line: int = 160  # percent
    heading: str = "NONE"  # NONE | NUMBER | BULLET
    heading_ref: int = 0
    heading_level: int = 0
    keep_next: bool = False


@dataclass(frozen=True)
class BorderFill:
    border: str = "NONE"  # NONE | SOLID
    width: str = "0.12 mm"
    fill: str = ""  # #RRGGBB or ""


class _Registry:
    """Shapes numbered in order of first use (deterministic ids)."""

    def __init__(self) -> None:
        self.chars: dict[CharShape, int] = {}
        self.paras: dict[ParaShape, int] = {}
        self.fills: dict[BorderFill, int] = {BorderFill(): 1, BorderFill(fill="none"): 2}

    def char(self, shape: CharShape) -> int:
        return self.chars.setdefault(shape, len(self.chars))

    def para(self, shape: ParaShape) -> int:
        return self.paras.setdefault(shape, len(self.paras))

    def fill(self, shape: BorderFill) -> int:
        return self.fills.setdefault(shape, len(self.fills) + 1)


# Styles the document declares (reader maps them back: 제목/부제목/제목 N/인용/캡션).
_STYLES: tuple[tuple[str, str], ...] = (
    ("바탕글", "Normal"),
    ("본문", "Body"),
    ("제목", "Title"),
    ("부제목", "Subtitle"),
    ("제목 1", "Heading 1"),
    ("제목 2", "Heading 2"),
    ("제목 3", "Heading 3"),
    ("인용", "Quote"),
    ("캡션", "Caption"),
    ("목록", "List"),
    ("머리말", "Header"),
    ("꼬리말", "Footer"),
)
STYLE_ID = {name: index for index, (name, _) in enumerate(_STYLES)}


def _font_faces() -> str:
    faces = []
    for lang in _LANGS:
        fonts = "".join(
            f'<hh:font id="{i}" face="{face}" type="TTF" isEmbedded="0">'
            '<hh:typeInfo familyType="FCAT_GOTHIC" weight="6" proportion="4" contrast="0" '
            'strokeVariation="1" armStyle="1" letterform="1" midline="1" xHeight="1"/></hh:font>'
            for i, face in enumerate((HEAD_FONT, BODY_FONT))
        )
        faces.append(f'<hh:fontface lang="{lang}" fontCnt="2">{fonts}</hh:fontface>')
    return f'<hh:fontfaces itemCnt="{len(_LANGS)}">{"".join(faces)}</hh:fontfaces>'


def _border_fill_xml(shape: BorderFill, index: int) -> str:
    borders = "".join(
        f'<hh:{side}Border type="{shape.border}" width="{shape.width}" color="#000000"/>'
        for side in ("left", "right", "top", "bottom")
    )
    fill = ""
    if shape.fill == "none":
        fill = '<hc:fillBrush><hc:winBrush faceColor="none" hatchColor="#999999" alpha="0"/></hc:fillBrush>'
    elif shape.fill:
        fill = (
            f'<hc:fillBrush><hc:winBrush faceColor="{shape.fill}" hatchColor="#999999" alpha="0"/>'
            "</hc:fillBrush>"
        )
    return (
        f'<hh:borderFill id="{index}" threeD="0" shadow="0" centerLine="NONE" breakCellSeparateLine="0">'
        '<hh:slash type="NONE" Crooked="0" isCounter="0"/><hh:backSlash type="NONE" Crooked="0" '
        'isCounter="0"/>'
        f'{borders}<hh:diagonal type="SOLID" width="0.1 mm" color="#000000"/>{fill}</hh:borderFill>'
    )


def _char_xml(shape: CharShape, index: int) -> str:
    flags = ("<hh:italic/>" if shape.italic else "") + ("<hh:bold/>" if shape.bold else "")
    underline = "BOTTOM" if shape.underline else "NONE"
    return (
        f'<hh:charPr id="{index}" height="{shape.height}" textColor="{shape.color}" shadeColor="none" '
        'useFontSpace="0" useKerning="0" symMark="NONE" borderFillIDRef="2">'
        + "<hh:fontRef "
        + " ".join(f'{a}="{shape.font}"' for a in _LANG_ATTRS)
        + "/>"
        + "<hh:ratio "
        + " ".join(f'{a}="100"' for a in _LANG_ATTRS)
        + "/>"
        + "<hh:spacing "
        + " ".join(f'{a}="0"' for a in _LANG_ATTRS)
        + "/>"
        + "<hh:relSz "
        + " ".join(f'{a}="100"' for a in _LANG_ATTRS)
        + "/>"
        + "<hh:offset "
        + " ".join(f'{a}="0"' for a in _LANG_ATTRS)
        + "/>"
        + flags
        + f'<hh:underline type="{underline}" shape="SOLID" color="{shape.color}"/>'
        + '<hh:strikeout shape="NONE" color="#000000"/><hh:outline type="NONE"/>'
        + '<hh:shadow type="NONE" color="#C0C0C0" offsetX="10" offsetY="10"/></hh:charPr>'
    )


def _para_xml(shape: ParaShape, index: int) -> str:
    margin = (
        f'<hh:margin><hc:intent value="{shape.indent}" unit="HWPUNIT"/>'
        f'<hc:left value="{shape.left}" unit="HWPUNIT"/><hc:right value="0" unit="HWPUNIT"/>'
        f'<hc:prev value="{shape.prev}" unit="HWPUNIT"/><hc:next value="{shape.next}" unit="HWPUNIT"/>'
        f'</hh:margin><hh:lineSpacing type="PERCENT" value="{shape.line}" unit="HWPUNIT"/>'
    )
    keep = "1" if shape.keep_next else "0"
    return (
        f'<hh:paraPr id="{index}" tabPrIDRef="0" condense="0" fontLineHeight="0" snapToGrid="1" '
        'suppressLineNumbers="0" checked="0" textDir="LTR">'
        f'<hh:align horizontal="{shape.align}" vertical="BASELINE"/>'
        f'<hh:heading type="{shape.heading}" idRef="{shape.heading_ref}" level="{shape.heading_level}"/>'
        '<hh:breakSetting breakLatinWord="KEEP_WORD" breakNonLatinWord="BREAK_WORD" widowOrphan="0" '
        f'keepWithNext="{keep}" keepLines="0" pageBreakBefore="0" lineWrap="BREAK"/>'
        '<hh:autoSpacing eAsianEng="0" eAsianNum="0"/>'
        '<hp:switch><hp:case hp:required-namespace="http://www.hancom.co.kr/hwpml/2016/HwpUnitChar">'
        f"{margin}</hp:case><hp:default>{margin}</hp:default></hp:switch>"
        '<hh:border borderFillIDRef="2" offsetLeft="0" offsetRight="0" offsetTop="0" offsetBottom="0" '
        'connect="0" ignoreMargin="0"/></hh:paraPr>'
    )


_NUMBER_FORMATS = (
    "DIGIT",
    "HANGUL_SYLLABLE",
    "DIGIT",
    "HANGUL_SYLLABLE",
    "DIGIT",
    "HANGUL_SYLLABLE",
    "DIGIT",
)
_NUMBER_TEXTS = ("^1.", "^2.", "^3)", "^4)", "(^5)", "(^6)", "^7")
_BULLET_CHARS = "•◦▪•◦▪•"


def _numberings_xml() -> str:
    heads = "".join(
        f'<hh:paraHead start="1" level="{i + 1}" align="LEFT" useInstWidth="1" autoIndent="1" '
        f'widthAdjust="0" textOffsetType="PERCENT" textOffset="50" numFormat="{fmt}" '
        f'charPrIDRef="4294967295" checkable="0">{_NUMBER_TEXTS[i]}</hh:paraHead>'
        for i, fmt in enumerate(_NUMBER_FORMATS)
    )
    return f'<hh:numberings itemCnt="1"><hh:numbering id="1" start="0">{heads}</hh:numbering></hh:numberings>'


def _bullets_xml() -> str:
    return (
        '<hh:bullets itemCnt="1"><hh:bullet id="1" char="•" useImage="0">'
        '<hh:paraHead level="0" align="LEFT" useInstWidth="0" autoIndent="1" widthAdjust="0" '
        'textOffsetType="PERCENT" textOffset="50" numFormat="DIGIT" charPrIDRef="4294967295" checkable="0"/>'
        "</hh:bullet></hh:bullets>"
    )


def _header_xml(reg: _Registry, style_refs: dict[str, tuple[int, int]]) -> str:
    fills = "".join(_border_fill_xml(s, i) for s, i in sorted(reg.fills.items(), key=lambda kv: kv[1]))
    chars = "".join(_char_xml(s, i) for s, i in sorted(reg.chars.items(), key=lambda kv: kv[1]))
    paras = "".join(_para_xml(s, i) for s, i in sorted(reg.paras.items(), key=lambda kv: kv[1]))
    styles = "".join(
        f'<hh:style id="{i}" type="PARA" name="{name}" engName="{eng}" '
        f'paraPrIDRef="{style_refs[name][0]}" charPrIDRef="{style_refs[name][1]}" '
        f'nextStyleIDRef="{STYLE_ID["본문"] if name in ("제목", "부제목") else i}" '
        'langID="1042" lockForm="0"/>'
        for i, (name, eng) in enumerate(_STYLES)
    )
    return (
        f'{_DECL}<hh:head {_NS} version="1.5" secCnt="1">'
        '<hh:beginNum page="1" footnote="1" endnote="1" pic="1" tbl="1" equation="1"/>'
        f"<hh:refList>{_font_faces()}"
        f'<hh:borderFills itemCnt="{len(reg.fills)}">{fills}</hh:borderFills>'
        f'<hh:charProperties itemCnt="{len(reg.chars)}">{chars}</hh:charProperties>'
        '<hh:tabProperties itemCnt="1"><hh:tabPr id="0" autoTabLeft="0" autoTabRight="0"/></hh:tabProperties>'
        f"{_numberings_xml()}{_bullets_xml()}"
        f'<hh:paraProperties itemCnt="{len(reg.paras)}">{paras}</hh:paraProperties>'
        f'<hh:styles itemCnt="{len(_STYLES)}">{styles}</hh:styles></hh:refList>'
        '<hh:compatibleDocument targetProgram="HWP201X"><hh:layoutCompatibility/></hh:compatibleDocument>'
        '<hh:docOption><hh:linkinfo path="" pageInherit="0" footnoteInherit="0"/></hh:docOption>'
        '<hh:trackchageConfig flags="56"/></hh:head>'
    )


# --------------------------------------------------------------------------- images


def image_size(data: bytes) -> tuple[int, int, str] | None:
    """(width px, height px, extension) of a PNG, JPEG, GIF or BMP; None otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height, "png"
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height, "gif"
    if data[:2] == b"BM" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height), "bmp"
    if data[:2] == b"\xff\xd8":
        pos = 2
        while pos + 9 < len(data):
            if data[pos] != 0xFF:
                pos += 1
                continue
            marker = data[pos + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                pos += 2
                continue
            length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
                return width, height, "jpg"
            pos += 2 + length
    return None


_MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpg", "gif": "image/gif", "bmp": "image/bmp"}


def default_image_loader(release: Release) -> ImageLoader:
    """Images beside the release (never outside its folder) or inside an HWPX source."""
    folder = Path(release.source_path).parent if release.source_path else Path(".")

    def load(src: str) -> bytes | None:
        if not src:
            return None
        if "#" in src:
            from toolkit.sources.hwpx import embedded_image

            try:
                return embedded_image(folder, src)
            except Exception:  # a damaged source picture: the caption still prints
                return None
        # photos of a Markdown release: checked (inside the folder, PNG/JPEG/WebP, bounded)
        # when it was read; WebP comes back as PNG, which Hancom Office shows
        from toolkit.sources.images import ImageError, load_picture

        try:
            return load_picture(folder, src).data
        except ImageError:
            return None

    return load


# --------------------------------------------------------------------------- section builder


class _Section:
    """Builds section0.xml paragraph by paragraph."""

    def __init__(self, release: Release, style: HouseStyle, reg: _Registry, images: ImageLoader) -> None:
        self.release = release
        self.style = style
        self.reg = reg
        self.load_image = images
        self.parts: list[str] = []
        self.ids = 0
        self.bin: list[tuple[str, bytes, str]] = []  # (item id, data, ext)
        t = style.type
        self.body_char = CharShape(round(t.body_size * HWPUNIT_PER_PT))
        self.body_para = ParaShape(line=round(t.line_spacing * 110), next=round(t.body_size * 60))
        page = style.page
        width_mm = page.size_mm[0] - page.margin_left_mm - page.margin_right_mm
        self.text_width = _mm(width_mm)

    def next_id(self) -> int:
        self.ids += 1
        return self.ids

    # -- runs ----------------------------------------------------------------

    def runs(self, text: str, base: CharShape, *, bold: bool | None = None) -> str:
        """Inline Markdown → hp:run elements (bold/italic runs, links as HYPERLINK fields)."""
        out: list[str] = []
        pending: list[str] = []
        current: CharShape | None = None
        link = ""

        def flush() -> None:
            nonlocal pending
            if pending and current is not None:
                out.append(
                    f'<hp:run charPrIDRef="{self.reg.char(current)}"><hp:t>{"".join(pending)}</hp:t></hp:run>'
                )
            pending = []

        spans: tuple[Span, ...] = parse_inline(text) if text else ()
        for span in spans:
            href = span.href
            if href != link:
                flush()
                if link:
                    out.append(self._field_end())
                if href:
                    out.append(self._field_begin(href))
                link = href
            if span.line_break:
                if current is None:
                    current = base
                # the break ends its hp:t: readers that only read each hp:t's text
                # (hwp-hwpx-parser) still see the next line
                pending.append("<hp:lineBreak/></hp:t><hp:t>")
                continue
            shape = CharShape(
                base.height,
                "#0000FF" if href else base.color,
                bold=base.bold if (bold is None and not span.bold) else (bold if bold is not None else True),
                italic=base.italic or span.italic,
                underline=bool(href),
                font=base.font,
            )
            if shape != current:
                flush()
                current = shape
            pending.append(_tab_text(span.text))
        flush()
        if link:
            out.append(self._field_end())
        if not out:
            out.append(f'<hp:run charPrIDRef="{self.reg.char(base)}"/>')
        return "".join(out)

    def _field_begin(self, href: str) -> str:
        self._field = self.next_id()
        command = href.replace("\\", "\\\\").replace(":", "\\:").replace(";", "\\;") + ";1;0;0;"
        return (
            f'<hp:run charPrIDRef="{self.reg.char(self.body_char)}"><hp:ctrl>'
            f'<hp:fieldBegin id="{self._field}" type="HYPERLINK" name="" editable="0" dirty="0" '
            f'zorder="-1" fieldid="{self._field}"><hp:parameters cnt="6" name="">'
            '<hp:integerParam name="Prop">0</hp:integerParam>'
            f'<hp:stringParam name="Command">{_text(command)}</hp:stringParam>'
            f'<hp:stringParam name="Path">{_text(href)}</hp:stringParam>'
            '<hp:stringParam name="Category">HWPHYPERLINK_TYPE_URL</hp:stringParam>'
            '<hp:stringParam name="TargetType">HWPHYPERLINK_TARGET_DOCUMENT_DONTCARE</hp:stringParam>'
            '<hp:stringParam name="DocOpenType">HWPHYPERLINK_JUMP_NEWTAB</hp:stringParam>'
            "</hp:parameters></hp:fieldBegin></hp:ctrl></hp:run>"
        )

    def _field_end(self) -> str:
        return (
            f'<hp:run charPrIDRef="{self.reg.char(self.body_char)}"><hp:ctrl>'
            f'<hp:fieldEnd beginIDRef="{self._field}" fieldid="{self._field}"/></hp:ctrl></hp:run>'
        )

    def para_xml(self, runs: str, para: ParaShape, style: str = "본문") -> str:
        return (
            f'<hp:p id="{self.next_id()}" paraPrIDRef="{self.reg.para(para)}" styleIDRef="{STYLE_ID[style]}" '
            f'pageBreak="0" columnBreak="0" merged="0">{runs}</hp:p>'
        )

    def paragraph(self, text: str, char: CharShape, para: ParaShape, style: str = "본문", **kw: bool) -> None:
        self.parts.append(self.para_xml(self.runs(text, char, **kw), para, style))

    # -- tables ----------------------------------------------------------------

    def table(
        self,
        rows: list[list[tuple[str, CharShape, ParaShape, int]]],
        widths: list[int],
        *,
        spans: dict[tuple[int, int], tuple[int, int]] | None = None,
        header_rows: int = 1,
    ) -> None:
        """A table in its own paragraph; cells are (inline text, char, para, borderFill id)."""
        cells = [
            [
                (
                    "".join(
                        self.para_xml(self.runs(line, char), para)
                        for line in (text.split("\\\n") if text else [""])
                    ),
                    fill,
                )
                for text, char, para, fill in row
            ]
            for row in rows
        ]
        self._table_xml(cells, widths, spans or {}, header_rows)

    def _table_xml(
        self,
        rows: list[list[tuple[str, int]]],
        widths: list[int],
        spans: dict[tuple[int, int], tuple[int, int]],
        header_rows: int,
        *,
        raw: bool = True,
    ) -> None:
        """Cells given as (paragraphs XML, borderFill id); cells covered by a span are left out."""
        covered: set[tuple[int, int]] = set()
        for (r, c), (rs, cs) in spans.items():
            covered.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs) if dr or dc)
        row_height = 1800
        tid = self.next_id()
        trs = []
        for r, row in enumerate(rows):
            tcs = []
            for c, (inner, fill) in enumerate(row):
                if (r, c) in covered:
                    continue
                rs, cs = spans.get((r, c), (1, 1))
                width = sum(widths[c : c + cs])
                tcs.append(
                    f'<hp:tc name="" header="{1 if r < header_rows else 0}" hasMargin="0" protect="0" '
                    f'editable="0" dirty="0" borderFillIDRef="{fill}">'
                    '<hp:subList id="" textDirection="HORIZONTAL" lineWrap="BREAK" vertAlign="CENTER" '
                    'linkListIDRef="0" linkListNextIDRef="0" textWidth="0" textHeight="0" hasTextRef="0" '
                    f'hasNumRef="0">{inner}</hp:subList>'
                    f'<hp:cellAddr colAddr="{c}" rowAddr="{r}"/><hp:cellSpan colSpan="{cs}" rowSpan="{rs}"/>'
                    f'<hp:cellSz width="{width}" height="{row_height * rs}"/>'
                    '<hp:cellMargin left="510" right="510" top="141" bottom="141"/></hp:tc>'
                )
            trs.append(f"<hp:tr>{''.join(tcs)}</hp:tr>")
        total = sum(widths)
        tbl = (
            f'<hp:tbl id="{tid}" zOrder="0" numberingType="TABLE" textWrap="TOP_AND_BOTTOM" '
            'textFlow="BOTH_SIDES" lock="0" dropcapstyle="None" pageBreak="CELL" '
            f'repeatHeader="{1 if header_rows else 0}" '
            f'rowCnt="{len(rows)}" colCnt="{len(widths)}" cellSpacing="0" borderFillIDRef="3" noAdjust="0">'
            f'<hp:sz width="{total}" widthRelTo="ABSOLUTE" height="{row_height * len(rows)}" '
            'heightRelTo="ABSOLUTE" protect="0"/>'
            '<hp:pos treatAsChar="0" affectLSpacing="0" flowWithText="1" allowOverlap="0" '
            'holdAnchorAndSO="0" '
            'vertRelTo="PARA" horzRelTo="COLUMN" vertAlign="TOP" horzAlign="LEFT" vertOffset="0" '
            'horzOffset="0"/>'
            '<hp:outMargin left="283" right="283" top="283" bottom="283"/>'
            '<hp:inMargin left="510" right="510" top="141" bottom="141"/>'
            f"{''.join(trs)}</hp:tbl>"
        )
        anchor = ParaShape(align="LEFT", next=round(self.style.type.body_size * 60))
        self.parts.append(
            self.para_xml(
                f'<hp:run charPrIDRef="{self.reg.char(self.body_char)}">{tbl}<hp:t/></hp:run>', anchor
            )
        )

    def title_box(
        self,
        title: str,
        title_char: CharShape,
        subtitles: list[str],
        subtitle_char: CharShape,
        para: ParaShape,
        fill: int,
        width: int,
    ) -> None:
        paras = [self.para_xml(self.runs(title, title_char), para, "제목")]
        sub_para = ParaShape(align="CENTER", line=130)
        paras += [self.para_xml(self.runs(sub, subtitle_char), sub_para, "부제목") for sub in subtitles]
        self._table_xml([[("".join(paras), fill)]], [width], {}, 0, raw=True)

    # -- pictures ----------------------------------------------------------------

    def picture(self, block: Block, caption_char: CharShape) -> None:
        data = self.load_image(block.src)
        size = image_size(data) if data else None
        if data is not None and size is not None and size[0] > 0 and size[1] > 0:
            width_px, height_px, ext = size
            item = f"image{len(self.bin) + 1}"
            self.bin.append((item, data, ext))
            org_w, org_h = width_px * PX_HWPUNIT, height_px * PX_HWPUNIT
            cur_w = min(org_w, self.text_width)
            cur_h = round(org_h * cur_w / org_w)
            max_h = _mm(120)
            if cur_h > max_h:
                cur_w, cur_h = round(cur_w * max_h / cur_h), max_h
            pid = self.next_id()
            sx, sy = cur_w / org_w, cur_h / org_h
            comment = _text((block.text and _plain(block.text)) or "")
            pic = (
                f'<hp:pic id="{pid}" zOrder="{pid}" numberingType="PICTURE" textWrap="TOP_AND_BOTTOM" '
                'textFlow="BOTH_SIDES" lock="0" dropcapstyle="None" href="" groupLevel="0" '
                f'instid="{pid}" reverse="0">'
                '<hp:offset x="0" y="0"/>'
                f'<hp:orgSz width="{org_w}" height="{org_h}"/><hp:curSz width="{cur_w}" height="{cur_h}"/>'
                '<hp:flip horizontal="0" vertical="0"/>'
                f'<hp:rotationInfo angle="0" centerX="{cur_w // 2}" centerY="{cur_h // 2}" rotateimage="1"/>'
                '<hp:renderingInfo><hc:transMatrix e1="1" e2="0" e3="0" e4="0" e5="1" e6="0"/>'
                f'<hc:scaMatrix e1="{sx:.6f}" e2="0" e3="0" e4="0" e5="{sy:.6f}" e6="0"/>'
                '<hc:rotMatrix e1="1" e2="0" e3="0" e4="0" e5="1" e6="0"/></hp:renderingInfo>'
                f'<hp:imgRect><hc:pt0 x="0" y="0"/><hc:pt1 x="{org_w}" y="0"/>'
                f'<hc:pt2 x="{org_w}" y="{org_h}"/><hc:pt3 x="0" y="{org_h}"/></hp:imgRect>'
                f'<hp:imgClip left="0" right="{org_w}" top="0" bottom="{org_h}"/>'
                '<hp:inMargin left="0" right="0" top="0" bottom="0"/>'
                f'<hp:imgDim dimwidth="{org_w}" dimheight="{org_h}"/>'
                f'<hc:img binaryItemIDRef="{item}" bright="0" contrast="0" effect="REAL_PIC" alpha="0"/>'
                f'<hp:sz width="{cur_w}" widthRelTo="ABSOLUTE" height="{cur_h}" heightRelTo="ABSOLUTE" '
                'protect="0"/>'
                '<hp:pos treatAsChar="1" affectLSpacing="0" flowWithText="1" allowOverlap="0" '
                'holdAnchorAndSO="0" '
                'vertRelTo="PARA" horzRelTo="PARA" vertAlign="TOP" horzAlign="LEFT" vertOffset="0" '
                'horzOffset="0"/>'
                '<hp:outMargin left="0" right="0" top="0" bottom="0"/>'
                f"<hp:shapeComment>{comment}</hp:shapeComment></hp:pic>"
            )
            self.parts.append(
                self.para_xml(
                    f'<hp:run charPrIDRef="{self.reg.char(self.body_char)}">{pic}<hp:t/></hp:run>',
                    ParaShape(align="CENTER", next=200),
                )
            )
        if block.text:
            self.paragraph(
                block.text,
                caption_char,
                ParaShape(align="CENTER", next=round(self.style.type.body_size * 80)),
                "캡션",
            )


def _plain(text: str) -> str:
    return "".join("\n" if s.line_break else s.text for s in parse_inline(text))


def _tab_text(text: str) -> str:
    """Text for hp:t: tabs become hp:tab elements (Hancom's own form)."""
    parts = text.split("\t")
    return '<hp:tab width="4000" leader="0" type="1"/></hp:t><hp:t>'.join(_text(p) for p in parts)


# --------------------------------------------------------------------------- the document


def _check_text(release: Release, style: HouseStyle, items: tuple[Item, ...]) -> None:
    where = release.source_path or f"<{release.lang} release>"
    problems: list[Problem] = []
    texts = [(footer_text(release, style), 0)]
    for item in items:
        texts.append((item.lead + item.text, item.line))
        texts.extend(("".join(row), item.line) for row in item.rows)
        if item.block is not None:
            texts.extend((cell, item.line) for cell in item.block.texts())
    for text, line in texts:
        for ch in dict.fromkeys(_XML_ILLEGAL.findall(text)):
            problems.append(
                problem(
                    where,
                    line or None,
                    f"control character {describe_char(ch)} cannot be stored in HWPX",
                    "remove it from the source",
                )
            )
    if problems:
        raise RenderError(problems)


def _build(
    release: Release, style: HouseStyle, images: ImageLoader
) -> tuple[dict[str, tuple[int, int]], str, _Section]:
    reg = _Registry()
    sec = _Section(release, style, reg, images)
    t, c = style.type, style.colors
    lang_style = style.for_lang(release.lang)
    pt = HWPUNIT_PER_PT
    body = sec.body_char
    body_para = sec.body_para
    # shapes of the styles, registered first so their ids are stable
    title_char = CharShape(round(t.title_size * pt), c.text, bold=True, font=0)
    subtitle_char = CharShape(round(t.subtitle_size * pt), c.muted, font=1)
    heading_chars = {
        1: CharShape(round((t.heading_size + 2) * pt), c.accent, bold=True, font=0),
        2: CharShape(round(t.heading_size * pt), c.accent, bold=True, font=0),
        3: CharShape(round((t.body_size + 0.5) * pt), c.accent, bold=True, font=0),
    }
    quote_char = CharShape(round(t.body_size * pt), c.muted)  # not italic: it would read back as *text*
    caption_char = CharShape(round(max(t.body_size - 1, 6) * pt), c.muted)
    small = CharShape(round(t.header_size * pt))
    small_bold = CharShape(round(t.header_size * pt), bold=True)
    footer_char = CharShape(round(t.footer_size * pt), c.muted)
    center = ParaShape(align="CENTER", line=130)
    title_para = ParaShape(align="CENTER", line=130, next=300, keep_next=True)
    heading_para = ParaShape(
        align="LEFT", prev=round(t.body_size * 80), next=round(t.body_size * 40), keep_next=True
    )
    quote_para = ParaShape(left=_mm(8), line=body_para.line, next=body_para.next)
    refs = {
        "바탕글": (reg.para(body_para), reg.char(body)),
        "본문": (reg.para(body_para), reg.char(body)),
        "제목": (reg.para(title_para), reg.char(title_char)),
        "부제목": (reg.para(center), reg.char(subtitle_char)),
        "제목 1": (reg.para(heading_para), reg.char(heading_chars[1])),
        "제목 2": (reg.para(heading_para), reg.char(heading_chars[2])),
        "제목 3": (reg.para(heading_para), reg.char(heading_chars[3])),
        "인용": (reg.para(quote_para), reg.char(quote_char)),
        "캡션": (reg.para(center), reg.char(caption_char)),
        "목록": (reg.para(body_para), reg.char(body)),
        "머리말": (reg.para(center), reg.char(footer_char)),
        "꼬리말": (reg.para(center), reg.char(footer_char)),
    }
    grid = reg.fill(BorderFill(border="SOLID"))
    shaded = reg.fill(BorderFill(border="SOLID", fill=c.header_fill))
    boxed = reg.fill(BorderFill(border="SOLID", width="0.4 mm"))
    accent = reg.fill(BorderFill(border="SOLID", fill=c.accent))
    width = sec.text_width
    items = layout(release, style)
    title_box: list[str] = []

    def flush_title() -> None:
        """The 보도자료 title box: one bordered cell, the title then its ``- … -`` subtitles."""
        if title_box:
            sec.title_box(title_box[0], title_char, title_box[1:], subtitle_char, title_para, boxed, width)
            title_box.clear()

    for item in items:
        if item.role != "subtitle" and title_box and release.lang == "ko":
            flush_title()
        if item.role == "ko_header":
            org = item.rows[0][1] if item.rows else organization(release, style)
            cover_label = item.rows[0][0] if item.rows else lang_style.header_label
            white = CharShape(round(t.title_size * 0.9 * pt), "#FFFFFF", bold=True, font=0)
            sec.table(
                [
                    [
                        (_esc(cover_label), white, center, accent),
                        (
                            _esc(org),
                            CharShape(round(t.heading_size * pt), c.text, bold=True, font=0),
                            center,
                            grid,
                        ),
                    ]
                ],
                [_mm(45), width - _mm(45)],
                header_rows=0,
            )
        elif item.role == "release_time":
            cells = []
            for label, value in item.rows:
                cells += [(_esc(label), small_bold, center, shaded), (_esc(value), small, center, grid)]
            sec.table(
                [cells],
                [_mm(25), (width - _mm(50)) // 2, _mm(25), width - _mm(50) - (width - _mm(50)) // 2],
                header_rows=0,
            )
        elif item.role == "contact_table":
            _contact(sec, item, small, small_bold, center, shaded, grid, width)
        elif item.role == "release_line":
            sec.paragraph(
                _esc(item.text),
                CharShape(round(t.release_line_size * pt), c.accent, bold=True, font=0),
                ParaShape(align="LEFT", next=300),
            )
        elif item.role == "title":
            if release.lang == "ko":
                title_box.append(_esc(item.text))
            else:
                sec.paragraph(_esc(item.text), title_char, title_para, "제목")
        elif item.role == "subtitle":
            if release.lang == "ko" and title_box:
                title_box.append(_esc(item.text))
            else:
                sec.paragraph(_esc(item.text), subtitle_char, ParaShape(align="CENTER", next=400), "부제목")
        elif item.role == "heading":
            level = min(max(item.level, 1), 3)
            sec.paragraph(item.text, heading_chars[level], heading_para, f"제목 {level}")
        elif item.role == "list_item":
            block = item.block
            level = min(max(block.level if block else 0, 0), 6)
            ordered = bool(block and block.ordered)
            shape = ParaShape(
                left=_mm(6) * (level + 1),
                indent=-_mm(5),
                line=body_para.line,
                next=round(t.body_size * 30),
                heading="NUMBER" if ordered else "BULLET",
                heading_ref=1,
                heading_level=level,
            )
            sec.paragraph(item.text, body, shape, "목록")
        elif item.role == "quote":
            sec.paragraph(item.text, quote_char, quote_para, "인용")
        elif item.role == "table" and item.block is not None:
            _body_table(sec, item.block, body, small_bold, shaded, grid, caption_char, width)
        elif item.role == "image" and item.block is not None:
            sec.picture(item.block, caption_char)
        elif item.role == "contact_label":
            sec.paragraph(
                _esc(item.text),
                CharShape(body.height, bold=True),
                ParaShape(align="LEFT", prev=300, keep_next=True),
            )
        elif item.role == "contact":
            sec.paragraph(_esc(item.text), body, ParaShape(align="LEFT", next=300))
        elif item.role == "end_mark":
            sec.paragraph(_esc(item.text), body, ParaShape(align="CENTER", prev=300))
        else:  # paragraph (with the English dateline as a bold lead)
            text = item.text
            if item.lead:
                text = (
                    "**" + _esc(item.lead.strip()) + "** " + text
                    if text
                    else "**" + _esc(item.lead.strip()) + "**"
                )
            sec.paragraph(text, body, body_para)
    flush_title()
    return refs, _footer(sec, release, style, footer_char, center), sec


def _esc(text: str) -> str:
    from toolkit.core.inline import escape

    return escape(text)


def _ko_date(release: Release) -> str:
    from toolkit.render.layout import ko_date

    return ko_date(release.meta.date) if release.meta.date else ""


def _body_table(
    sec: _Section,
    block: Block,
    body: CharShape,
    bold: CharShape,
    shaded: int,
    grid: int,
    caption_char: CharShape,
    width: int,
) -> None:
    if block.text:
        sec.paragraph(block.text, caption_char, ParaShape(align="CENTER", next=100, keep_next=True), "캡션")
    n_cols = max((len(r) for r in block.rows), default=0)
    if not n_cols:
        return
    aligns = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}
    rows = []
    for r, row in enumerate(block.rows):
        cells = []
        for col in range(n_cols):
            text = row[col] if col < len(row) else ""
            align = aligns.get(block.align[col] if col < len(block.align) else "", "LEFT" if r else "CENTER")
            para = ParaShape(align=align, line=130)
            cells.append(
                (
                    text,
                    CharShape(bold.height, bold=True) if r == 0 else CharShape(bold.height),
                    para,
                    shaded if r == 0 else grid,
                )
            )
        rows.append(cells)
    col_w = width // n_cols
    sec.table(rows, [col_w] * (n_cols - 1) + [width - col_w * (n_cols - 1)], header_rows=1)


def _contact(
    sec: _Section,
    item: Item,
    small: CharShape,
    small_bold: CharShape,
    center: ParaShape,
    shaded: int,
    grid: int,
    width: int,
) -> None:
    """담당 부서 | 과 | 책임자 | 이름 | 전화 / (merged) | 담당자 | 이름 | 전화."""
    people = list(item.rows) or [("담당자", "", "")]
    rows = []
    for index, (label, person, phone) in enumerate(people):
        rows.append(
            [
                (_esc(item.lead) if index == 0 else "", small_bold, center, shaded),
                (_esc(item.text) if index == 0 else "", small, center, grid),
                (_esc(label), small_bold, center, shaded),
                (_esc(person), small, center, grid),
                (_esc(phone), small, center, grid),
            ]
        )
    spans = {(0, 0): (len(people), 1), (0, 1): (len(people), 1)} if len(people) > 1 else {}
    w = [_mm(22), _mm(38), _mm(18)]
    rest = width - sum(w)
    sec.table(rows, [*w, rest - rest // 3, rest // 3], spans=spans, header_rows=0)


def _footer(sec: _Section, release: Release, style: HouseStyle, char: CharShape, center: ParaShape) -> str:
    """Copyright line + page number, in a footer control on every page."""
    reg = sec.reg
    cid = reg.char(char)
    pid = reg.para(center)
    copyright_runs = sec.runs(_esc(footer_text(release, style)), char)
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", style.for_lang(release.lang).page_number):
        if piece in ("{page}", "{pages}"):
            kind = "PAGE" if piece == "{page}" else "TOTAL_PAGE"
            parts.append(
                f'<hp:run charPrIDRef="{cid}"><hp:ctrl><hp:autoNum num="1" numType="{kind}">'
                '<hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar="" supscript="0"/>'
                "</hp:autoNum></hp:ctrl></hp:run>"
            )
        elif piece:
            parts.append(f'<hp:run charPrIDRef="{cid}"><hp:t>{_text(piece)}</hp:t></hp:run>')
    page = style.page
    text_width = sec.text_width
    footer_height = _mm(max(page.margin_bottom_mm - 8, 5))
    return (
        '<hp:ctrl><hp:footer id="1" applyPageType="BOTH">'
        '<hp:subList id="" textDirection="HORIZONTAL" lineWrap="BREAK" vertAlign="BOTTOM" linkListIDRef="0" '
        f'linkListNextIDRef="0" textWidth="{text_width}" textHeight="{footer_height}" hasTextRef="0" '
        'hasNumRef="0">'
        f'<hp:p id="{sec.next_id()}" paraPrIDRef="{pid}" styleIDRef="{STYLE_ID["꼬리말"]}" pageBreak="0" '
        f'columnBreak="0" merged="0">{copyright_runs}</hp:p>'
        f'<hp:p id="{sec.next_id()}" paraPrIDRef="{pid}" styleIDRef="{STYLE_ID["꼬리말"]}" pageBreak="0" '
        f'columnBreak="0" merged="0">{"".join(parts)}</hp:p>'
        "</hp:subList></hp:footer></hp:ctrl>"
    )


def _sec_pr(style: HouseStyle) -> str:
    page = style.page
    width, height = (_mm(v) for v in page.size_mm)
    margin = (
        f'<hp:margin header="{_mm(10)}" footer="{_mm(8)}" gutter="0" left="{_mm(page.margin_left_mm)}" '
        f'right="{_mm(page.margin_right_mm)}" top="{_mm(page.margin_top_mm)}" '
        f'bottom="{_mm(page.margin_bottom_mm)}"/>'
    )
    note = '<hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/>'
    return (
        '<hp:secPr id="" textDirection="HORIZONTAL" spaceColumns="1134" tabStop="8000" tabStopVal="4000" '
        'tabStopUnit="HWPUNIT" outlineShapeIDRef="1" memoShapeIDRef="0" textVerticalWidthHead="0" '
        'masterPageCnt="0">'
        '<hp:grid lineGrid="0" charGrid="0" wonggojiFormat="0"/>'
        '<hp:startNum pageStartsOn="BOTH" page="0" pic="0" tbl="0" equation="0"/>'
        '<hp:visibility hideFirstHeader="0" hideFirstFooter="0" hideFirstMasterPage="0" border="SHOW_ALL" '
        'fill="SHOW_ALL" hideFirstPageNum="0" hideFirstEmptyLine="0" showLineNumber="0"/>'
        '<hp:lineNumberShape restartType="0" countBy="0" distance="0" startNumber="0"/>'
        f'<hp:pagePr landscape="WIDELY" width="{width}" height="{height}" '
        f'gutterType="LEFT_ONLY">{margin}</hp:pagePr>'
        f'<hp:footNotePr>{note}<hp:noteLine length="-1" type="SOLID" width="0.12 mm" color="#000000"/>'
        '<hp:noteSpacing betweenNotes="283" belowLine="567" aboveLine="850"/>'
        '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="EACH_COLUMN" beneathText="0"/>'
        f"</hp:footNotePr><hp:endNotePr>{note}"
        '<hp:noteLine length="14692344" type="SOLID" width="0.12 mm" color="#000000"/>'
        '<hp:noteSpacing betweenNotes="0" belowLine="567" aboveLine="850"/>'
        '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="END_OF_DOCUMENT" beneathText="0"/>'
        "</hp:endNotePr>"
        + "".join(
            f'<hp:pageBorderFill type="{kind}" borderFillIDRef="1" textBorder="PAPER" headerInside="0" '
            'footerInside="0" fillArea="PAPER"><hp:offset left="1417" right="1417" top="1417" bottom="1417"/>'
            "</hp:pageBorderFill>"
            for kind in ("BOTH", "EVEN", "ODD")
        )
        + "</hp:secPr>"
    )


def render_hwpx(release: Release, style: HouseStyle, *, images: ImageLoader | None = None) -> bytes:
    """Render one release to HWPX bytes (A4, house styles, footer on every page)."""
    items = layout(release, style)
    _check_text(release, style, items)
    refs, footer, sec = _build(release, style, images or default_image_loader(release))
    reg = sec.reg
    first_run = (
        f'<hp:run charPrIDRef="{reg.char(sec.body_char)}">{_sec_pr(style)}'
        '<hp:ctrl><hp:colPr id="" type="NEWSPAPER" layout="LEFT" colCount="1" sameSz="1" '
        'sameGap="0"/></hp:ctrl>'
        f"{footer}</hp:run>"
    )
    # The section properties ride in the first paragraph's first run, as Hancom writes them.
    first = sec.parts[0] if sec.parts else sec.para_xml("", sec.body_para)
    head, sep, rest = first.partition(">")
    first = head + sep + first_run + rest
    section = f"{_DECL}<hs:sec {_NS}>{first}{''.join(sec.parts[1:])}</hs:sec>"
    header = _header_xml(reg, refs)
    return _package(release, style, header, section, sec.bin)


def _package(
    release: Release, style: HouseStyle, header: str, section: str, images: list[tuple[str, bytes, str]]
) -> bytes:
    meta = release.meta
    title = _text(meta.title)
    author = _text(organization(release, style))
    date = meta.date.isoformat() + "T00:00:00Z" if meta.date else "2000-01-01T00:00:00Z"
    lang = "ko" if release.lang == "ko" else "en"
    items = ['<opf:item id="header" href="Contents/header.xml" media-type="application/xml"/>']
    items += [
        f'<opf:item id="{item}" href="BinData/{item}.{ext}" media-type="{_MEDIA_TYPES[ext]}" isEmbeded="1"/>'
        for item, _, ext in images
    ]
    items += [
        '<opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/>',
        '<opf:item id="settings" href="settings.xml" media-type="application/xml"/>',
    ]
    content_hpf = (
        f'{_DECL}<opf:package {_NS} version="" unique-identifier="" id="">'
        f"<opf:metadata><opf:title>{title}</opf:title><opf:language>{lang}</opf:language>"
        f'<opf:meta name="creator" content="text">{author}</opf:meta>'
        f'<opf:meta name="subject" content="text">{_text(meta.subtitle)}</opf:meta>'
        '<opf:meta name="description" content="text"/>'
        '<opf:meta name="lastsaveby" content="text">presspack</opf:meta>'
        f'<opf:meta name="CreatedDate" content="text">{date}</opf:meta>'
        f'<opf:meta name="ModifiedDate" content="text">{date}</opf:meta>'
        '<opf:meta name="keyword" content="text"/></opf:metadata>'
        f"<opf:manifest>{''.join(items)}</opf:manifest>"
        '<opf:spine><opf:itemref idref="header" linear="yes"/><opf:itemref idref="section0" linear="yes"/>'
        "</opf:spine></opf:package>"
    )
    version = (
        f'{_DECL}<hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" '
        'tagetApplication="WORDPROCESSOR" major="5" minor="1" micro="1" buildNumber="0" os="1" '
        'xmlVersion="1.5" application="Hancom Office Hangul" appVersion="11, 0, 0, 0"/>'
    )
    container = (
        f'{_DECL}<ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:hpf="http://www.hancom.co.kr/schema/2011/hpf"><ocf:rootfiles>'
        '<ocf:rootfile full-path="Contents/content.hpf" media-type="application/hwpml-package+xml"/>'
        '<ocf:rootfile full-path="Preview/PrvText.txt" media-type="text/plain"/>'
        "</ocf:rootfiles></ocf:container>"
    )
    manifest = f'{_DECL}<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
    settings = (
        f'{_DECL}<ha:HWPApplicationSetting xmlns:ha="http://www.hancom.co.kr/hwpml/2011/app" '
        'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0">'
        '<ha:CaretPosition listIDRef="0" paraIDRef="0" pos="0"/></ha:HWPApplicationSetting>'
    )
    preview = meta.title + "\r\n"
    members: list[tuple[str, bytes, bool]] = [
        ("mimetype", MIMETYPE, False),
        ("version.xml", version.encode("utf-8"), False),
        ("Contents/header.xml", header.encode("utf-8"), True),
    ]
    members += [(f"BinData/{item}.{ext}", data, False) for item, data, ext in images]
    members += [
        ("Contents/section0.xml", section.encode("utf-8"), True),
        ("Preview/PrvText.txt", preview.encode("utf-8"), True),
        ("settings.xml", settings.encode("utf-8"), True),
        ("Contents/content.hpf", content_hpf.encode("utf-8"), True),
        ("META-INF/container.xml", container.encode("utf-8"), True),
        ("META-INF/manifest.xml", manifest.encode("utf-8"), True),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, payload, deflate in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, payload, compresslevel=6 if deflate else None)
    return out.getvalue()
