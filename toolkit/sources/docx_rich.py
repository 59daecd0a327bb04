"""Rich content of Word paragraphs and tables: formatting, links, lists, pictures.

The DOCX reader walks the body; this module turns what it meets into the
release model's canonical inline Markdown and blocks, the same way for
every reader of WordprocessingML:

* runs → ``Span`` runs: bold/italic (``w:b``/``w:i`` toggles, after the
  paragraph style), hard breaks (``w:br``), tabs as spaces, hyperlinks
  (``w:hyperlink r:id`` → its external target; internal anchors are text),
  accepted insertions (``w:ins``) read, deletions not;
* numbering (``w:numPr``, or a numbered paragraph style) → list items with
  their level and, for numbered formats, the number Word would show;
* ``w:drawing`` pictures → image blocks whose ``src`` points into the file
  (``release.docx#word/media/image1.png``), alt text from ``wp:docPr``;
* a ``Caption`` paragraph right after a picture is its caption, right before
  a table the table's caption (``< 제목 >`` / ``Table: …`` wrappers removed).

Everything is read from the XML elements; nothing is resolved from outside
the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.core.inline import Span, parse_inline, to_inline

__all__ = ["ListState", "Picture", "caption_text", "paragraph_content", "table_rows"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CODE_FILL = "EDEFF2"  # the tint presspack's DOCX writer gives code
MONOSPACE = frozenset(
    {"consolas", "courier new", "courier", "menlo", "d2coding", "noto sans mono", "lucida console"}
)
_SKIP = frozenset({"del", "moveFrom", "rPr", "pPr", "instrText", "delText", "fldData", "commentReference"})
_CAPTION_WRAP = re.compile(
    r"^\s*(?:<\s*(?P<a>.*?)\s*>|(?:Table|Photo|표|사진)\s*[:：]\s*(?P<b>.*?))\s*$", re.S
)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _on(el: Any | None) -> bool | None:
    """A toggle property: None when absent, else on/off (``w:val="0"`` turns it off)."""
    if el is None:
        return None
    return (el.get(_w("val")) or "true").lower() not in ("0", "false", "off", "none")


@dataclass(frozen=True)
class Picture:
    """A picture met in a paragraph: where its bytes are and what it shows."""

    target: str  # package path, e.g. "word/media/image1.png"
    alt: str
    title: str


@dataclass
class _Walk:
    links: Mapping[str, str]  # relationship id → external URL
    media: Mapping[str, str]  # relationship id → package path of an image
    spans: list[Span] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)


def paragraph_content(
    p: Any, links: Mapping[str, str], media: Mapping[str, str], *, bold: bool = False, italic: bool = False
) -> tuple[str, list[Picture]]:
    """(inline Markdown of the paragraph, its pictures); ``bold``/``italic``: the style's."""
    walk = _Walk(links, media)
    _runs(p, walk, bold, italic, "")
    spans = [s for s in walk.spans if s.line_break or s.text]
    while spans and spans[-1].line_break:
        spans.pop()
    # whitespace is collapsed as the plain reader does: a release is not typeset by spaces
    text = to_inline(_collapse(spans))
    return text, walk.pictures


def _collapse(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if span.line_break:
            out.append(span)
            continue
        text = span.text if span.code else re.sub(r"\s+", " ", span.text)
        out.append(Span(text, span.bold, span.italic, span.code, span.href))
    while out and not out[0].line_break and not out[0].text.strip():
        out.pop(0)
    if out and not out[0].line_break:
        out[0] = Span(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].code, out[0].href)
    if out and not out[-1].line_break:
        out[-1] = Span(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].code, out[-1].href)
    return out


def _runs(el: Any, walk: _Walk, bold: bool, italic: bool, href: str) -> None:
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        local = tag.rsplit("}", 1)[-1]
        if tag.startswith(f"{{{W}}}") and local in _SKIP:
            continue
        if tag == _w("r"):
            _run(child, walk, bold, italic, href)
        elif tag == _w("hyperlink"):
            rid = child.get(f"{{{R}}}id") or ""
            _runs(child, walk, bold, italic, walk.links.get(rid, href))
        elif local in ("drawing", "pict"):
            _pictures(child, walk)
        elif tag.startswith(f"{{{W}}}"):  # ins, moveTo, smartTag, sdt, sdtContent, fldSimple…
            _runs(child, walk, bold, italic, href)


def _is_code(rpr: Any) -> bool:
    """A run set in a monospace font, or tinted the way presspack marks code."""
    fonts = rpr.find(_w("rFonts"))
    if fonts is not None and any(
        (fonts.get(_w(attr)) or "").lower() in MONOSPACE for attr in ("ascii", "hAnsi")
    ):
        return True
    shade = rpr.find(_w("shd"))
    return shade is not None and (shade.get(_w("fill")) or "").upper() == CODE_FILL


def _run(r: Any, walk: _Walk, bold: bool, italic: bool, href: str) -> None:
    rpr = r.find(_w("rPr"))
    code = False
    if rpr is not None:
        if _on(rpr.find(_w("vanish"))):
            return
        b, i = _on(rpr.find(_w("b"))), _on(rpr.find(_w("i")))
        bold = b if b is not None else bold
        italic = i if i is not None else italic
        code = _is_code(rpr)
    for c in r:
        tag = c.tag if isinstance(c.tag, str) else ""
        local = tag.rsplit("}", 1)[-1]
        if tag == _w("t"):
            walk.spans.append(Span(c.text or "", bold, italic, code, href))
        elif tag in (_w("tab"), _w("ptab")):
            walk.spans.append(Span(" ", bold, italic, False, href))
        elif tag in (_w("br"), _w("cr")):
            if c.get(_w("type")) in (None, "textWrapping"):
                walk.spans.append(Span("", line_break=True))
        elif tag == _w("noBreakHyphen"):
            walk.spans.append(Span("\u2011", bold, italic, False, href))
        elif local in ("drawing", "pict"):
            _pictures(c, walk)


def _pictures(el: Any, walk: _Walk) -> None:
    for inline in el.iter():
        tag = inline.tag if isinstance(inline.tag, str) else ""
        if tag not in (f"{{{WP}}}inline", f"{{{WP}}}anchor"):
            continue
        doc_pr = inline.find(f"{{{WP}}}docPr")
        alt = (doc_pr.get("descr") or "").strip() if doc_pr is not None else ""
        title = (doc_pr.get("title") or "").strip() if doc_pr is not None else ""
        blip = next((b for b in inline.iter(f"{{{A}}}blip")), None)
        rid = blip.get(f"{{{R}}}embed") if blip is not None else None
        target = walk.media.get(rid or "")
        if target:
            walk.pictures.append(Picture(target, " ".join(alt.split()), " ".join(title.split())))


def caption_text(text: str) -> str:
    """A caption paragraph without its ``< … >`` / ``Table: …`` wrapper."""
    m = _CAPTION_WRAP.match(text)
    if not m:
        return text
    return m.group("a") if m.group("a") is not None else m.group("b") or ""


def table_rows(
    tbl: Any, links: Mapping[str, str], media: Mapping[str, str]
) -> tuple[tuple[str, ...], ...]:
    """Cells of a table as inline Markdown, merged cells once (spans leave empty cells)."""
    rows: list[list[str]] = []
    for tr in tbl.iter(_w("tr")):
        if tr.getparent() is not tbl:
            continue  # rows of a nested table belong to its cell's text
        cells: list[str] = []
        for tc in tr.findall(_w("tc")):
            tcpr = tc.find(_w("tcPr"))
            span, continued = 1, False
            if tcpr is not None:
                grid = tcpr.find(_w("gridSpan"))
                span = max(1, min(int(grid.get(_w("val"), "1")) if grid is not None else 1, 64))
                merge = tcpr.find(_w("vMerge"))
                continued = merge is not None and (merge.get(_w("val")) or "continue") != "restart"
            texts = [paragraph_content(p, links, media)[0] for p in tc.iter(_w("p"))]
            cells.append("" if continued else " ".join(t for t in texts if t))
            cells.extend([""] * (span - 1))
        if any(c.strip() for c in cells):
            rows.append(cells)
    if rows and all(_all_bold(c) for c in rows[0] if c):
        rows[0] = [_unbold(c) for c in rows[0]]  # a bold header row is the table's look, not emphasis
    width = max((len(r) for r in rows), default=0)
    return tuple(tuple(r + [""] * (width - len(r))) for r in rows)


def _all_bold(text: str) -> bool:
    spans = [s for s in parse_inline(text) if s.text.strip()]
    return bool(spans) and all(s.bold for s in spans)


def _unbold(text: str) -> str:
    spans = parse_inline(text)
    return to_inline([Span(s.text, False, s.italic, s.code, s.href, s.line_break) for s in spans])


class ListState:
    """Word's list counters: numbered formats per (numId, level), counting as Word shows them."""

    def __init__(self, numbering: Any | None) -> None:
        self.formats: dict[str, dict[int, tuple[bool, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        if numbering is None:
            return
        abstract: dict[str, dict[int, tuple[bool, int]]] = {}
        for el in numbering.findall(_w("abstractNum")):
            levels: dict[int, tuple[bool, int]] = {}
            for lvl in el.findall(_w("lvl")):
                fmt = lvl.find(_w("numFmt"))
                start = lvl.find(_w("start"))
                kind = fmt.get(_w("val")) if fmt is not None else "decimal"
                levels[int(lvl.get(_w("ilvl"), "0"))] = (
                    kind not in ("bullet", "none"),
                    int(start.get(_w("val"), "1")) if start is not None else 1,
                )
            abstract[el.get(_w("abstractNumId"), "")] = levels
        for num in numbering.findall(_w("num")):
            ref = num.find(_w("abstractNumId"))
            levels = dict(abstract.get(ref.get(_w("val"), "") if ref is not None else "", {}))
            for override in num.findall(_w("lvlOverride")):
                level = int(override.get(_w("ilvl"), "0"))
                start = override.find(_w("startOverride"))
                if start is not None and level in levels:
                    levels[level] = (levels[level][0], int(start.get(_w("val"), "1")))
            self.formats[num.get(_w("numId"), "")] = levels

    def item(self, num_id: str, level: int) -> tuple[bool, int]:
        """(ordered, number) of the next item of list ``num_id`` at ``level``."""
        levels = self.formats.get(num_id, {})
        ordered = levels.get(level, (False, 1))[0]
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= level:
            counters.append(levels.get(len(counters), (False, 1))[1] - 1)
        del counters[level + 1 :]  # a shallower item restarts the deeper levels
        counters[level] += 1
        return ordered, counters[level] if ordered else 0


def rels_targets(rels: Iterable[Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(hyperlink id → URL, image id → package path) from python-docx relationships."""
    links: dict[str, str] = {}
    media: dict[str, str] = {}
    for rel in rels:
        kind = str(rel.reltype)
        if kind.endswith("/hyperlink") and rel.is_external:
            links[rel.rId] = str(rel.target_ref)
        elif kind.endswith("/image") and not rel.is_external:
            media[rel.rId] = str(rel.target_part.partname).lstrip("/")
    return links, media
