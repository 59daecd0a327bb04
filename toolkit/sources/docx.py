"""Word .docx releases: Title/Heading/List/Quote styles become blocks.

The package is read with :class:`~toolkit.core.safezip.SafeZip` (sizes
capped before anything is decompressed) and its XML with lxml configured
like defusedxml: no network, no DTD loading, entities never resolved by the
parser. python-docx is not used for reading because its ``paragraph.text``
drops tracked insertions (``w:ins``), every table and the text after an
entity reference.

What counts as the document's text is what Word shows with all tracked
changes accepted: insertions and moved-to text are read, deletions and
moved-from text are not, a deleted paragraph mark joins two paragraphs.
Hidden text (``w:vanish``), field instructions and drawings are not text;
text boxes and embedded documents are not read, with a warning. Internal
entities with plain-text values are expanded (bounded by
``text_expansion_chars``); external entities are never read.

Block texts are canonical inline Markdown (:mod:`toolkit.core.inline`):
runs become :class:`~toolkit.core.inline.Span` s (bold, italic, code — a
monospace font or presspack's code tint —, hyperlinks to external targets,
line breaks), whitespace is collapsed across runs, text is NFC; meta fields
(the title, the subtitle) are plain text.

Rich content is kept the way the Markdown reader keeps it: Word numbering
gives ordered and nested list items with the numbers Word shows; tables
are table blocks (a bold header row is the table's look, not emphasis; a
``Caption`` paragraph right above a table is its caption); pictures are image
blocks pointing into the file (``release.docx#word/media/image1.png``, read
and checked like any photo) with the alt text of ``wp:docPr``, and a
``Caption`` paragraph right below one is its caption. The frame around the
body is read back as front matter — the 보도자료 cover row, 보도시점/배포 row,
one-cell title box and contact table; the newswire release line, dateline
lead, media contact and ``###`` — so a DOCX presspack wrote reads back as
the release it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.core.document import Block, BlockKind
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.inline import Span, canonical, escape, parse_inline, plain, to_inline
from toolkit.core.limits import TEXT_EXPANSION_CHARS, XML_DEPTH, XML_ELEMENTS, LimitExceeded
from toolkit.core.normalize import nfc
from toolkit.core.safezip import ArchiveError, SafeZip
from toolkit.core.xmlsafe import hardened_parser
from toolkit.sources.release import LoadedRelease, _finish, _meta_from_values

_W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict Open XML
    }
)
_OFFICE_DOCUMENT = re.compile(r"/officeDocument$")
_FIX_RESAVE = "open it in Word and save as .docx again"
_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ENTITY_REF = re.compile(r"&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z_][\w.\-]*);")
# Containers whose content is (or is not) part of the visible, accepted text.
_SKIP = frozenset(
    {
        "del",
        "moveFrom",
        "delText",
        "delInstrText",
        "instrText",
        "rPr",
        "pPr",
        "tblPr",
        "trPr",
        "tcPr",
        "sectPr",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "annotationRef",
        "object",
        "fldData",
    }
)
_DRAWINGS = frozenset({"drawing", "pict", "AlternateContent"})


@dataclass
class _Run:
    """A stretch of visible text with its formatting (the seam to inline Markdown)."""

    text: str
    bold: bool = False
    italic: bool = False
    line_break: bool = False
    code: bool = False
    href: str = ""


@dataclass(frozen=True)
class _Picture:
    """A picture met in a paragraph: the package part of its bytes and its alt text."""

    target: str  # e.g. "word/media/image1.png"
    alt: str
    title: str


CODE_FILL = "EDEFF2"  # the tint presspack's DOCX writer gives code
MONOSPACE = frozenset(
    {"consolas", "courier new", "courier", "menlo", "d2coding", "noto sans mono", "lucida console"}
)


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str = ""
    outline: int | None = None
    numbering: tuple[str, int] | None = None  # (numId, ilvl) from the style


Cell = list[Span]  # one table cell's text as runs


@dataclass(frozen=True)
class _Table:
    rows: list[list[Cell]]
    line: int  # paragraph number of its first cell paragraph


@dataclass
class _Para:
    """One paragraph as read: its runs, style kind and list position."""

    runs: list[_Run]
    kind: str  # "title" | "subtitle" | "heading" | "list_item" | "quote" | "paragraph"
    level: int
    index: int  # 1-based paragraph number in the document, used as the "line"
    ordered: bool = False
    number: int = 0
    from_table: bool = False
    style: str = ""  # the paragraph style's name, lower case ("caption", …)
    pictures: list[_Picture] = field(default_factory=list)

    @property
    def spans(self) -> list[Span]:
        return _spans(self.runs)

    @property
    def text(self) -> str:
        """The block text: canonical inline Markdown."""
        return to_inline(self.spans)

    @property
    def plain(self) -> str:
        """The visible text on one line (for meta fields such as the title)."""
        return " ".join(" ".join(" " if s.line_break else s.text for s in self.spans).split())


def _spans(runs: list[_Run]) -> list[Span]:
    """Runs → spans with whitespace collapsed to single spaces across run boundaries,
    none at the start, the end or around a line break (Word's rendering of them)."""
    out: list[Span] = []
    for run in runs:
        if run.line_break:
            while out and out[-1].text.endswith(" "):
                out[-1] = _with_text(out[-1], out[-1].text.rstrip(" "))
            if out and not out[-1].line_break:
                out.append(Span("", line_break=True))
            continue
        text = " ".join(nfc(run.text).split())
        if run.text[:1].isspace():
            text = " " + text
        if run.text[-1:].isspace() and text.strip():
            text += " "
        previous = next((s for s in reversed(out) if s.text or s.line_break), None)
        if previous is None or previous.line_break or previous.text.endswith(" "):
            text = text.lstrip(" ")
        if run.code:
            text = nfc(run.text)  # code keeps its spacing
        if text:
            out.append(Span(text, bold=run.bold, italic=run.italic, code=run.code, href=run.href))
    while out and (out[-1].line_break or out[-1].text.endswith(" ")):
        if out[-1].line_break:
            out.pop()
        else:
            out[-1] = _with_text(out[-1], out[-1].text.rstrip(" "))
    return [s for s in out if s.text or s.line_break]


def _with_text(span: Span, text: str) -> Span:
    return Span(text, bold=span.bold, italic=span.italic, code=span.code, href=span.href)


def _local(el: Any) -> str | None:
    """Local name of a WordprocessingML element, or None (other namespaces, comments, entities)."""
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    ns, _, local = tag[1:].partition("}")
    return local if ns in _W_NAMESPACES else None


def _any_local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el: Any, name: str) -> str | None:
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return str(value)
    return None


def _on(el: Any | None) -> bool:
    """A toggle property such as ``<w:b/>`` or ``<w:b w:val="false"/>``."""
    if el is None:
        return False
    return (_attr(el, "val") or "true").lower() not in ("0", "false", "off", "none")


def _child(el: Any, name: str) -> Any | None:
    for c in el:
        if _local(c) == name:
            return c
    return None


class _DocxReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: dict[str, Problem] = {}
        self.entities: dict[str, str | None] = {}
        self.memo: dict[str, str] = {}
        self.expanded = 0
        self.styles: dict[str, _Style] = {}
        self.default_style = ""
        self.numbering: dict[str, dict[int, tuple[bool, int]]] = {}  # numId → ilvl → (ordered, start)
        self.counters: dict[str, list[int]] = {}
        self.paragraph_index = 0
        self.links: dict[str, str] = {}  # relationship id → external URL (hyperlinks)
        self.media: dict[str, str] = {}  # relationship id → package part (pictures)
        self.pictures: list[_Picture] = []  # met in the paragraph being read

    # ------------------------------------------------------------------ helpers

    def warn(self, what: str, fix: str = "") -> None:
        self.warnings.setdefault(
            what, Problem(file=str(self.path), line=None, what=what, fix=fix, severity="warning")
        )

    def parse(self, part: str, data: bytes) -> Any:
        from lxml import etree

        parser = hardened_parser()
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            message = str(exc.msg or exc)
            if "Excessive depth" in message:
                raise LimitExceeded(XML_DEPTH, part) from None
            if "amplification" in message:  # libxml2's own billion-laughs guard
                raise LimitExceeded(TEXT_EXPANSION_CHARS, f"text from XML entities in {part}") from None
            line = f"line {exc.lineno}: " if exc.lineno else ""
            raise SourceError(
                problem(
                    self.path, None, f"not a readable Word .docx file ({part}: {line}{message})", _FIX_RESAVE
                )
            ) from None
        depth = elements = 0
        max_depth, max_elements = XML_DEPTH.value, XML_ELEMENTS.value
        for event, _ in etree.iterwalk(root, events=("start", "end")):
            if event == "start":
                depth += 1
                elements += 1
                if depth > max_depth:
                    raise LimitExceeded(XML_DEPTH, part)
                if elements > max_elements:
                    raise LimitExceeded(XML_ELEMENTS, f"{part} (more than {max_elements:,} elements)")
            else:
                depth -= 1
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None:
            for entity in dtd.iterentities():
                self.entities[str(entity.name)] = None if entity.system_url else (entity.content or "")
        return root

    def expand(self, name: str) -> str:
        """The text of an entity reference, counted against ``text_expansion_chars``."""
        text = self._entity_text(name, ())
        self.expanded += len(text)
        if self.expanded > TEXT_EXPANSION_CHARS.value:
            raise LimitExceeded(TEXT_EXPANSION_CHARS, "text from XML entities in the document")
        return text

    def _entity_text(self, name: str, stack: tuple[str, ...]) -> str:
        """An internal entity's value with nested references expanded once each (memoised), so
        a billion-laughs declaration ends in a clear limit error instead of exponential work."""
        if name in _PREDEFINED:
            return _PREDEFINED[name]
        if name in self.memo:
            return self.memo[name]
        value = self.entities.get(name)
        if value is None:
            self.warn(
                f"entity &{name}; refers to an external file and was not read",
                "retype the text it stood for",
            )
            return ""
        if "<" in value or name in stack or len(stack) > 16:
            self.warn(
                f"entity &{name}; holds markup or refers to itself and was not expanded",
                "retype the text it stood for",
            )
            return ""

        def one(match: re.Match[str]) -> str:
            ref = match.group(1)
            if ref.startswith("#x"):
                return _char(int(ref[2:], 16))
            if ref.startswith("#"):
                return _char(int(ref[1:]))
            return self._entity_text(ref, (*stack, name))

        pieces: list[str] = []
        size = 0
        pos = 0
        for match in _ENTITY_REF.finditer(value):
            pieces.append(value[pos : match.start()])
            pieces.append(one(match))
            size += len(pieces[-1]) + len(pieces[-2])
            if size > TEXT_EXPANSION_CHARS.value:
                raise LimitExceeded(TEXT_EXPANSION_CHARS, f"entity &{name};")
            pos = match.end()
        pieces.append(value[pos:])
        text = "".join(pieces)
        self.memo[name] = text
        return text

    # ------------------------------------------------------------------ styles, numbering

    def load_styles(self, root: Any) -> None:
        for st in root:
            if _local(st) != "style":
                continue
            style_id = _attr(st, "styleId") or ""
            name_el = _child(st, "name")
            based_el = _child(st, "basedOn")
            ppr = _child(st, "pPr")
            outline = None
            numbering = None
            if ppr is not None:
                outline = _outline(ppr)
                numbering = _num_pr(ppr)
            self.styles[style_id] = _Style(
                name=((_attr(name_el, "val") if name_el is not None else None) or style_id).lower(),
                based_on=(_attr(based_el, "val") if based_el is not None else None) or "",
                outline=outline,
                numbering=numbering,
            )
            if _attr(st, "type") == "paragraph" and _on_default(st):
                self.default_style = style_id

    def load_numbering(self, root: Any) -> None:
        abstract: dict[str, dict[int, tuple[bool, int]]] = {}
        for el in root:
            if _local(el) != "abstractNum":
                continue
            levels: dict[int, tuple[bool, int]] = {}
            for lvl in el:
                if _local(lvl) != "lvl":
                    continue
                ilvl = _int(_attr(lvl, "ilvl"), 0)
                fmt_el, start_el = _child(lvl, "numFmt"), _child(lvl, "start")
                fmt = (_attr(fmt_el, "val") if fmt_el is not None else None) or "decimal"
                start = _int(_attr(start_el, "val") if start_el is not None else None, 1)
                levels[ilvl] = (fmt not in ("bullet", "none"), start)
            abstract[_attr(el, "abstractNumId") or ""] = levels
        for el in root:
            if _local(el) == "num":
                ref = _child(el, "abstractNumId")
                key = (_attr(ref, "val") if ref is not None else None) or ""
                self.numbering[_attr(el, "numId") or ""] = abstract.get(key, {})

    def style_kind(self, style_id: str) -> tuple[str, int, tuple[str, int] | None]:
        """(kind, heading level, numbering) of a paragraph style, following ``basedOn``."""
        seen: set[str] = set()
        current = style_id or self.default_style
        numbering = None
        while current and current not in seen and len(seen) < 20:
            seen.add(current)
            st = self.styles.get(current)
            if st is None:
                break
            numbering = numbering or st.numbering
            name = st.name
            if name == "title":
                return "title", 0, numbering
            if name == "subtitle":
                return "subtitle", 0, numbering
            match = re.match(r"^heading\s*(\d)", name)
            if match:
                return "heading", int(match.group(1)), numbering
            if name.startswith("list continue"):
                return "paragraph", 0, None  # text under an item, with no marker of its own
            if "list" in name:
                # Word's built-in List Bullet 2, List Number 3…: the number is the depth (their
                # numbering is level 0 of a list of their own, indented by the style)
                depth = re.search(r"\s([2-9])$", name)
                return "list_item", int(depth.group(1)) - 1 if depth else 0, numbering
            if "quote" in name:
                return "quote", 0, numbering
            if st.outline is not None:
                return "heading", st.outline + 1, numbering
            current = st.based_on
        return "paragraph", 0, numbering

    def style_name(self, style_id: str) -> str:
        st = self.styles.get(style_id or self.default_style)
        return st.name if st is not None else ""

    def list_position(self, num_id: str, ilvl: int) -> tuple[bool, int]:
        levels = self.numbering.get(num_id, {})
        ordered = levels.get(ilvl, (False, 1))[0]
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= ilvl:
            counters.append(levels.get(len(counters), (False, 1))[1] - 1)
        del counters[ilvl + 1 :]  # a shallower item restarts deeper levels
        counters[ilvl] += 1
        return ordered, counters[ilvl] if ordered else 0

    # ------------------------------------------------------------------ text

    def load_rels(self, root: Any, base: str) -> None:
        """Hyperlink targets and picture parts of the main part's relationships."""
        for rel in root:
            kind = _attr(rel, "Type") or ""
            rid, target = _attr(rel, "Id") or "", _attr(rel, "Target") or ""
            if kind.endswith("/hyperlink") and (_attr(rel, "TargetMode") or "") == "External":
                self.links[rid] = target
            elif kind.endswith("/image") and (_attr(rel, "TargetMode") or "") != "External":
                path = target.lstrip("/") if target.startswith("/") else f"{base}{target}"
                parts: list[str] = []
                for piece in path.split("/"):
                    if piece == "..":
                        if parts:
                            parts.pop()
                    elif piece and piece != ".":
                        parts.append(piece)
                self.media[rid] = "/".join(parts)

    def runs(self, el: Any, out: list[_Run], fmt: tuple[bool, bool] = (False, False), href: str = "") -> None:
        """Collect the visible runs under ``el`` (a paragraph or an inline container)."""
        field_state: list[str] = []  # complex fields: "code" until separate, then "result"
        for child in el:
            name = _local(child)
            if name is None:
                if _any_local(child) in _DRAWINGS:
                    self.note_drawing(child)
                elif _any_local(child) == "oMath" or _any_local(child) == "oMathPara":
                    out.append(_Run("".join(t for t in child.itertext())))
                continue
            if name in _SKIP:
                continue
            if name == "r":
                self.run(child, out, fmt, field_state, href)
            elif name in _DRAWINGS:
                self.note_drawing(child)
            elif name == "hyperlink":  # an external link; an internal anchor stays text
                target = self.links.get(_attr(child, "id") or "", "")
                self.runs(child, out, fmt, target or href)
            else:  # ins, moveTo, smartTag, sdt, sdtContent, fldSimple, customXml, bdo, dir…
                self.runs(child, out, fmt, href)

    def run(
        self, r: Any, out: list[_Run], fmt: tuple[bool, bool], field_state: list[str], href: str = ""
    ) -> None:
        rpr = _child(r, "rPr")
        bold, italic = fmt
        code = rpr is not None and _is_code(rpr)
        if rpr is not None:
            if _on(_child(rpr, "vanish")):
                if any(_local(c) == "t" and (c.text or len(c)) for c in r):
                    self.warn("hidden text was left out", "unhide it in Word if it belongs in the release")
                return
            b, i = _child(rpr, "b"), _child(rpr, "i")
            bold = _on(b) if b is not None else bold
            italic = _on(i) if i is not None else italic
        for c in r:
            name = _local(c)
            if name == "fldChar":
                kind = _attr(c, "fldCharType")
                if kind == "begin":
                    field_state.append("code")
                elif kind == "separate" and field_state:
                    field_state[-1] = "result"
                elif kind == "end" and field_state:
                    field_state.pop()
                continue
            if field_state and field_state[-1] == "code":
                continue  # between begin and separate: field instructions, not text
            if name == "t":
                out.append(_Run(self.text_of(c), bold, italic, code=code, href=href))
            elif name in ("tab", "ptab"):
                out.append(_Run("\t", bold, italic))
            elif name in ("br", "cr"):
                out.append(_Run("", bold, italic, line_break=True))
            elif name == "noBreakHyphen":
                out.append(_Run("\u2011", bold, italic))
            elif name == "sym":
                point = _int(_attr(c, "char"), -1, base=16)
                if 0x20 <= point < 0xE000 or point > 0xF8FF:
                    out.append(_Run(_char(point), bold, italic))
            elif name in _DRAWINGS or (name is None and _any_local(c) in _DRAWINGS):
                self.note_drawing(c)

    def text_of(self, t: Any) -> str:
        """A ``w:t``: its text, each entity reference's expansion, and the text after it."""
        parts = [t.text or ""]
        from lxml import etree

        for child in t:
            if isinstance(child, etree._Entity):
                parts.append(self.expand(str(child.name)))
            parts.append(child.tail or "")
        return "".join(parts)

    def note_drawing(self, el: Any) -> None:
        for sub in el.iter():
            local = _any_local(sub) if isinstance(sub.tag, str) else ""
            if local in ("inline", "anchor"):
                self.picture(sub)
        for sub in el.iter():
            if (
                isinstance(sub.tag, str)
                and _any_local(sub) == "txbxContent"
                and "".join(sub.itertext()).strip()
            ):
                self.warn("text in text boxes was not read", "move it into the body text in Word")
                return

    def picture(self, frame: Any) -> None:
        """A DrawingML picture: its embedded image part and its alt text (``wp:docPr``)."""
        doc_pr = next((c for c in frame if _any_local(c) == "docPr"), None)
        alt = " ".join((_attr(doc_pr, "descr") or "").split()) if doc_pr is not None else ""
        title = " ".join((_attr(doc_pr, "title") or "").split()) if doc_pr is not None else ""
        for sub in frame.iter():
            if isinstance(sub.tag, str) and _any_local(sub) == "blip":
                target = self.media.get(_attr(sub, "embed") or "")
                if target:
                    self.pictures.append(_Picture(target, nfc(alt), nfc(title)))
                return

    # ------------------------------------------------------------------ blocks

    def paragraph(self, p: Any, from_table: bool = False) -> _Para:
        self.paragraph_index += 1
        ppr = _child(p, "pPr")
        style_id = ""
        numbering = None
        outline = None
        if ppr is not None:
            pstyle = _child(ppr, "pStyle")
            style_id = (_attr(pstyle, "val") if pstyle is not None else None) or ""
            numbering = _num_pr(ppr)
            outline = _outline(ppr)
        kind, level, style_numbering = self.style_kind(style_id)
        if outline is not None and kind == "paragraph":
            kind, level = "heading", outline + 1
        numbering = numbering or style_numbering
        runs: list[_Run] = []
        self.pictures = []
        self.runs(p, runs)
        para = _Para(runs=runs, kind=kind, level=level, index=self.paragraph_index, from_table=from_table)
        para.pictures, self.pictures = self.pictures, []
        para.style = self.style_name(style_id)
        if numbering is not None and numbering[0] not in ("", "0") and kind in ("paragraph", "list_item"):
            para.kind = "list_item"
            para.level = numbering[1] or (level if kind == "list_item" else 0)
            para.ordered, para.number = self.list_position(*numbering)
        elif kind == "list_item":
            para.level = level
        return para

    def body(self, el: Any, out: list[_Para | _Table]) -> None:
        """Paragraphs and tables in document order; ``out`` gets _Para and table rows."""
        pending: list[_Run] | None = None  # runs of a paragraph whose mark was deleted
        for child in el:
            name = _local(child)
            if name == "p":
                para = self.paragraph(child)
                if pending is not None:
                    para.runs = [*pending, _Run(" "), *para.runs]
                    pending = None
                if _mark_deleted(child):
                    pending = para.runs
                    continue
                out.append(para)
            elif name == "tbl":
                box = _single_cell(child)
                if box is not None:  # a one-cell box (the 보도자료 title box): its paragraphs
                    self.body(box, out)
                else:
                    out.append(self.table(child))
            elif name in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
                self.body(child, out)
            elif name == "altChunk":
                self.warn("an embedded document (altChunk) was not read", "paste its text into the document")
        if pending is not None:
            out.append(_Para(runs=pending, kind="paragraph", level=0, index=self.paragraph_index))

    def table(self, tbl: Any) -> _Table:
        line = self.paragraph_index + 1
        rows: list[list[Cell]] = []
        for tr in _children_through(tbl, "tr"):
            trpr = _child(tr, "trPr")
            if trpr is not None and _child(trpr, "del") is not None:
                continue  # a deleted row: accepted deletion
            cells: list[Cell] = []
            for tc in _children_through(tr, "tc"):
                tcpr = _child(tc, "tcPr")
                span = 1
                continued = False
                if tcpr is not None:
                    grid = _child(tcpr, "gridSpan")
                    span = max(1, min(_int(_attr(grid, "val") if grid is not None else None, 1), 64))
                    merge = _child(tcpr, "vMerge")
                    continued = merge is not None and (_attr(merge, "val") or "continue") != "restart"
                cells.append([] if continued else self.cell(tc))
                cells.extend([] for _ in range(span - 1))
            if any(cells):
                rows.append(cells)
        width = max((len(r) for r in rows), default=0)
        return _Table([r + [[] for _ in range(width - len(r))] for r in rows], line)

    def cell(self, tc: Any) -> Cell:
        """A cell's paragraphs (and nested tables' cells) as runs, joined by spaces."""
        parts: list[_Para | _Table] = []
        self.body(tc, parts)
        pieces: list[Cell] = []
        for part in parts:
            if isinstance(part, _Para):
                pieces.append(part.spans)
            else:  # a nested table: its cells, in reading order
                pieces.extend(cell for row in part.rows for cell in row)
        return _joined([p for p in pieces if p], " ")


def _is_code(rpr: Any) -> bool:
    """A run set in a monospace font, or tinted the way presspack marks code."""
    fonts = _child(rpr, "rFonts")
    if fonts is not None and any((_attr(fonts, a) or "").lower() in MONOSPACE for a in ("ascii", "hAnsi")):
        return True
    shade = _child(rpr, "shd")
    return shade is not None and (_attr(shade, "fill") or "").upper() == CODE_FILL


def _single_cell(tbl: Any) -> Any | None:
    """The only cell of a one-row, one-column table, else None."""
    rows = list(_children_through(tbl, "tr"))
    if len(rows) != 1:
        return None
    cells = list(_children_through(rows[0], "tc"))
    return cells[0] if len(cells) == 1 else None


def _children_through(el: Any, name: str) -> Iterator[Any]:
    """Children named ``name``, looking through sdt/customXml/ins wrappers."""
    for c in el:
        local = _local(c)
        if local == name:
            yield c
        elif local in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            yield from _children_through(c, name)


def _mark_deleted(p: Any) -> bool:
    ppr = _child(p, "pPr")
    rpr = _child(ppr, "rPr") if ppr is not None else None
    return rpr is not None and _child(rpr, "del") is not None


def _num_pr(ppr: Any) -> tuple[str, int] | None:
    num = _child(ppr, "numPr")
    if num is None:
        return None
    num_id, ilvl = _child(num, "numId"), _child(num, "ilvl")
    value = (_attr(num_id, "val") if num_id is not None else None) or ""
    level = _int(_attr(ilvl, "val") if ilvl is not None else None, 0)
    return value, max(0, min(level, 8))


def _outline(ppr: Any) -> int | None:
    el = _child(ppr, "outlineLvl")
    if el is None:
        return None
    level = _int(_attr(el, "val"), 9)
    return level if 0 <= level <= 8 else None


def _on_default(style: Any) -> bool:
    return (_attr(style, "default") or "").lower() in ("1", "true", "on")


def _int(text: str | None, default: int, base: int = 10) -> int:
    if text is None or len(text) > 12:
        return default
    try:
        return int(text, base)
    except ValueError:
        return default


def _char(code: int) -> str:
    if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return ""


def _joined(pieces: list[Cell], separator: str) -> Cell:
    out: Cell = []
    for i, piece in enumerate(pieces):
        if i:
            out.append(Span(separator))
        out.extend(piece)
    return out


def _cell_texts(rows: list[list[Cell]]) -> tuple[tuple[str, ...], ...]:
    """A table's cells as inline Markdown; a header row bold throughout is the table's look."""
    header = [c for c in rows[0] if c] if rows else []
    unbold = bool(header) and all(s.bold for cell in header for s in cell if s.text.strip())
    out: list[tuple[str, ...]] = []
    for r, row in enumerate(rows):
        cells = row
        if r == 0 and unbold:
            cells = [[replace(s, bold=False) for s in cell] for cell in row]
        out.append(tuple(to_inline(cell) for cell in cells))
    return tuple(out)


def _main_part(zf: SafeZip, reader: _DocxReader) -> str:
    """The main document part named by _rels/.rels (word/document.xml in every Word file)."""
    rels = zf.read_optional("_rels/.rels")
    if rels is not None:
        root = reader.parse("_rels/.rels", rels)
        for rel in root:
            if _OFFICE_DOCUMENT.search(_attr(rel, "Type") or ""):
                target = (_attr(rel, "Target") or "").lstrip("/")
                if target and zf.has(target):
                    return target
    return "word/document.xml"


def _read(path: Path) -> tuple[list[_Para | _Table], dict[str, Problem]]:
    reader, body = _open_body(path)
    parts: list[_Para | _Table] = []
    try:
        reader.body(body, parts)
    except LimitExceeded as exc:
        raise SourceError(problem(path, None, exc.what, exc.limit.fix)) from None
    return parts, reader.warnings


CellParagraphs = list[list[Span]]  # one table cell: its paragraphs, each as runs


def read_docx_tables(path: Path) -> list[list[list[CellParagraphs]]]:
    """Every top-level table of a .docx as rows of cells, each cell its paragraphs as runs.

    Read exactly like a release source (safe package, tracked changes accepted,
    hidden text dropped, bold/italic/code/links kept), for documents whose
    content is a table, such as the bilingual review DOCX of ``presspack export
    review``. A cell's nested tables add their cells' paragraphs in reading order.
    """
    reader, body = _open_body(path)
    tables: list[list[list[CellParagraphs]]] = []
    try:
        for tbl in _children_through(body, "tbl"):
            rows: list[list[CellParagraphs]] = []
            for tr in _children_through(tbl, "tr"):
                trpr = _child(tr, "trPr")
                if trpr is not None and _child(trpr, "del") is not None:
                    continue
                cells: list[CellParagraphs] = []
                for tc in _children_through(tr, "tc"):
                    parts: list[_Para | _Table] = []
                    reader.body(tc, parts)
                    paragraphs: CellParagraphs = []
                    for part in parts:
                        if isinstance(part, _Para):
                            paragraphs.append(part.spans)
                        else:
                            paragraphs.extend(cell for row in part.rows for cell in row)
                    cells.append(paragraphs)
                rows.append(cells)
            tables.append(rows)
    except LimitExceeded as exc:
        raise SourceError(problem(path, None, exc.what, exc.limit.fix)) from None
    return tables


def _open_body(path: Path) -> tuple[_DocxReader, Any]:
    """The reader (styles, numbering, links loaded) and the ``w:body`` of a .docx."""
    reader = _DocxReader(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise SourceError(
            problem(path, None, f"cannot read file ({exc.strerror})", "check the path and permissions")
        ) from None
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise SourceError(
            problem(
                path,
                None,
                "a legacy .doc or a password-protected document, not a .docx",
                "open it in Word, remove any password and save as 'Word Document (.docx)'",
            )
        )
    try:
        with SafeZip(path) as zf:
            part = _main_part(zf, reader)
            data = zf.read_optional(part)
            if data is None:
                raise SourceError(
                    problem(path, None, f"not a readable Word .docx file (no {part})", _FIX_RESAVE)
                )
            styles = zf.read_optional("word/styles.xml")
            numbering = zf.read_optional("word/numbering.xml")
            if styles is not None:
                reader.load_styles(reader.parse("word/styles.xml", styles))
            if numbering is not None:
                reader.load_numbering(reader.parse("word/numbering.xml", numbering))
            folder, _, name = part.rpartition("/")
            rels = zf.read_optional(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
            if rels is not None:
                reader.load_rels(reader.parse("document relationships", rels), f"{folder}/" if folder else "")
            reader.entities.clear()  # only the main part's own DTD counts for its text
            root = reader.parse(part, data)
    except ArchiveError as exc:
        raise SourceError(
            problem(path, None, f"not a readable Word .docx file ({exc.what})", _FIX_RESAVE)
        ) from None
    except LimitExceeded as exc:
        raise SourceError(problem(path, None, exc.what, exc.limit.fix)) from None
    body = _child(root, "body") if _local(root) == "document" else None
    if body is None:
        raise SourceError(
            problem(path, None, f"not a readable Word .docx file ({part} has no body)", _FIX_RESAVE)
        )
    return reader, body


def _load_docx(path: Path, expected_lang: str | None) -> LoadedRelease:
    """A release typed in Word: styles, formatting, lists, tables, pictures and the release frame."""
    parts, found_warnings = _read(path)
    problems: list[Problem] = []
    warnings: list[Problem] = list(found_warnings.values())
    values: dict[str, tuple[str, int]] = {}
    blocks: list[Block] = []
    caption = ""  # a Caption paragraph waiting for the table right below it
    for position, part in enumerate(parts):
        if isinstance(part, _Table):
            rows = _cell_texts(part.rows)
            if rows and not _layout_table(rows, values, part.line):
                blocks.append(Block(kind="table", text=caption, rows=rows, line=part.line))
            caption = ""
            continue
        for picture in part.pictures:
            blocks.append(
                Block(
                    kind="image",
                    text=escape(picture.alt),
                    src=f"{path.name}#{picture.target}",
                    title=picture.title,
                    line=part.index,
                )
            )
        text = part.text
        if not text:
            continue
        if part.style == "caption":
            if blocks and blocks[-1].kind == "image" and blocks[-1].line == part.index - 1:
                blocks[-1] = replace(blocks[-1], text=caption_text(text))  # the caption under a photo
                continue
            nxt = parts[position + 1] if position + 1 < len(parts) else None
            if isinstance(nxt, _Table):
                caption = caption_text(text)
                continue
        if "title" not in values and (part.kind == "title" or (part.kind == "heading" and not blocks)):
            values["title"] = (part.plain, part.index)  # meta fields are plain text
            continue
        if part.kind == "subtitle" and "subtitle" not in values:
            values["subtitle"] = (_SUBTITLE_DASHES.sub(r"\1", part.plain), part.index)
            continue
        kind: BlockKind
        if part.kind == "heading":
            blocks.append(Block(kind="heading", text=text, level=min(max(part.level, 1), 3), line=part.index))
        elif part.kind == "list_item":
            number = part.number
            last = blocks[-1] if blocks else None
            if not part.ordered and "number" in part.style:  # a numbered style without numbering
                follows = last is not None and last.kind == "list_item" and last.ordered and not last.level
                part.ordered, number = True, (last.number + 1 if follows and last is not None else 1)
            # at most one deeper than the item above (a list that starts at List Bullet 2 is a
            # list): the depth a Markdown translation of it reads back
            deepest = last.level + 1 if last is not None and last.kind == "list_item" else 0
            blocks.append(
                Block(
                    kind="list_item",
                    text=text,
                    level=min(part.level, deepest),
                    ordered=part.ordered,
                    number=number,
                    line=part.index,
                )
            )
        else:
            kind = "quote" if part.kind == "quote" else "paragraph"
            blocks.append(Block(kind=kind, text=text, line=part.index))
    blocks = _newswire(blocks, values)
    title = values.pop("title", ("", 0))[0]
    if not title:
        first = next((i for i, b in enumerate(blocks) if b.kind in ("paragraph", "heading")), None)
        if first is not None:
            title = plain(blocks.pop(first).text)
    if not title:
        raise SourceError(
            problem(path, None, "document is empty", "type the headline and paragraphs into it")
        )
    values["title"] = (" ".join(title.split()), 1)
    text_for_detection = title + "\n" + "\n".join(plain(t) for b in blocks for t in b.texts())
    meta, translation_of = _meta_from_values(
        path, values, text_for_detection, expected_lang, problems, warnings
    )
    return _finish(path, meta, blocks, translation_of, problems, warnings)


_SUBTITLE_DASHES = re.compile(r"^[-–—]\s*(.*?)(?:\s*[-–—])?$")
_CAPTION_WRAP = re.compile(
    r"^\s*(?:<\s*(?P<a>.*?)\s*>|(?:Table|Photo|표|사진)\s*[:：]\s*(?P<b>.*?))\s*$", re.S
)
# the 보도자료 tables around the body (presspack writes them, so do many offices)
_COVER = "보도자료"
_TIME_LABELS = ("보도시점", "보도일시")
_DEPT_LABELS = ("담당 부서", "담당부서")


def caption_text(text: str) -> str:
    """A caption paragraph without its ``< … >`` / ``Table: …`` wrapper."""
    m = _CAPTION_WRAP.match(text)
    if not m:
        return text
    return m.group("a") if m.group("a") is not None else m.group("b") or ""


def _layout_table(rows: tuple[tuple[str, ...], ...], values: dict[str, tuple[str, int]], line: int) -> bool:
    """The cover, 보도시점 and contact tables → front matter values; True when it was one."""
    cells = [" ".join(plain(c).split()) for row in rows for c in row]
    if cells and cells[0] == _COVER and len(cells) == 2:
        values.setdefault("organization", (cells[1], line))
        return True
    if cells and cells[0] in _TIME_LABELS and len(cells) == 4:
        day = _ko_day(cells[3]) or _ko_day(cells[1])
        if day is not None:
            values.setdefault("date", (day.isoformat(), line))
        for key, cell in (("release_time", cells[1]), ("distribution", cells[3])):
            if cell and (day is None or _ko_day(cell) != day):
                values.setdefault(key, (cell, line))
        return True
    if cells and cells[0] in _DEPT_LABELS and all(len(r) == 5 for r in rows):
        values.setdefault("department", (" ".join(plain(rows[0][1]).split()), line))
        for row in rows:
            label, person, phone = (" ".join(plain(c).split()) for c in row[2:5])
            key = "manager" if label == "책임자" else "contact_person"
            if person and key not in values:
                values[key] = (person, line)
                if phone:
                    values["manager_phone" if key == "manager" else "contact_phone"] = (phone, line)
        return True
    return False


def _ko_day(text: str) -> dt.date | None:
    """``2026. 11. 5.(목)`` (alone in its cell) → the date."""
    m = re.fullmatch(r"(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?\s*(?:\([월화수목금토일]\))?", text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


_RELEASE_LINE = re.compile(r"^(?:FOR IMMEDIATE RELEASE|EMBARGOED UNTIL\s+(?P<until>.+))$", re.IGNORECASE)
_AP_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."), 1
    )
}
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z .'\-]+),(?P<region>[^—]*?),?\s*(?:(?P<month>[A-Z][a-z]+\.?) (?P<day>\d{1,2}), "
    r"(?P<year>\d{4}))?\s*—\s*"
)
_CONTACT_LABEL = re.compile(r"^(?:Media )?contacts?:?$", re.IGNORECASE)
_END = re.compile(r"^\s*(?:###|-\s*30\s*-|-끝-|<끝>)\s*$")


def _newswire(blocks: list[Block], values: dict[str, tuple[str, int]]) -> list[Block]:
    """The newswire frame around an English body: release line, dateline lead, media contact, ###."""
    out: list[Block] = []
    contact_next = False
    for block in blocks:
        text = " ".join(plain(block.text).split())
        line_match = _RELEASE_LINE.match(text) if block.kind == "paragraph" and not out else None
        if line_match:
            if line_match.group("until"):
                values.setdefault("embargo", (line_match.group("until"), block.line))
            continue
        if block.kind == "paragraph" and _END.match(text):
            continue
        if block.kind == "paragraph" and _CONTACT_LABEL.match(text):
            contact_next = True
            continue
        if contact_next and block.kind == "paragraph" and "contact" not in values:
            values["contact"] = (plain(block.text), block.line)
            contact_next = False
            continue
        contact_next = False
        m = _DATELINE.match(text) if block.kind == "paragraph" and "dateline" not in values else None
        if m and block.text.startswith("**"):
            city, region = m.group("city").strip(), m.group("region").strip()
            values["dateline"] = (
                city if not region or region == "South Korea" else f"{city}, {region}",
                block.line,
            )
            month = _AP_MONTHS.get(m.group("month") or "")
            if month and "date" not in values:
                iso = f"{int(m.group('year')):04d}-{month:02d}-{int(m.group('day')):02d}"
                values["date"] = (iso, block.line)
            lead, seen, rest = len(m.group(0)), 0, []
            for span in parse_inline(block.text):  # drop the visible lead, keep the rest's formatting
                if seen >= lead:
                    rest.append(span)
                elif seen + len(span.text) > lead:
                    rest.append(replace(span, text=span.text[lead - seen :]))
                seen += len(span.text)
            if rest:
                out.append(replace(block, text=canonical(to_inline(rest))))
            continue
        out.append(block)
    return out
