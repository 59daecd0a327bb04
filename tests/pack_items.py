"""What a reader of a DOCX or an HWPX sees, as one comparable list of items.

Both extractors read the files' own XML (no presspack code): paragraphs with
their kind (from the paragraph style), visible text (list markers included:
Word's come from numbering.xml, Hancom's are text) and character formatting;
tables as grids with merges, repeated header rows, shading and relative
column widths; pictures with their size and alt text; the footer with its
page-number fields. A test then asserts the two lists are equal.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
HC = "{http://www.hancom.co.kr/hwpml/2011/core}"
EMU_PER_MM = 36000
HWPUNIT_PER_MM = 7200 / 25.4

# (bold, italic, code, link) of each visible, non-space character, grouped into runs
Format = tuple[tuple[str, bool, bool, bool, str], ...]


@dataclass(frozen=True)
class Para:
    kind: str  # title subtitle heading1..3 caption list quote body
    text: str
    format: Format = ()
    align: str = "left"  # left (justified counts: both are flush left), center, right


@dataclass(frozen=True)
class Table:
    grid: tuple[tuple[str, ...], ...]  # covered (merged-away) cells read ""
    merges: frozenset[tuple[int, int, int, int]]  # (row, col, rows, cols) of spanning cells
    header_rows: frozenset[int]  # rows repeated at the top of every page
    shaded: tuple[tuple[str, ...], ...]  # fill colour per cell ("" = none)
    widths: tuple[float, ...]  # each column's share of the table width
    formats: tuple[tuple[Format, ...], ...]
    aligns: tuple[tuple[str, ...], ...] = ()  # each cell's first paragraph's


@dataclass(frozen=True)
class Picture:
    alt: str
    width_mm: float = field(compare=False)
    height_mm: float = field(compare=False)


Item = Para | Table | Picture


@dataclass(frozen=True)
class Extracted:
    items: tuple[Item, ...]
    footer: tuple[str, ...]  # footer paragraphs, page fields as {page} / {pages}


def _runs(chars: list[tuple[str, bool, bool, bool, str]]) -> Format:
    out: list[tuple[str, bool, bool, bool, str]] = []
    for ch, bold, italic, code, link in chars:
        if ch.isspace():
            continue
        if out and out[-1][1:] == (bold, italic, code, link):
            out[-1] = (out[-1][0] + ch, bold, italic, code, link)
        else:
            out.append((ch, bold, italic, code, link))
    return tuple(out)


# --------------------------------------------------------------------------- DOCX


def _on(el: Any) -> bool:
    return el is not None and el.get(f"{W}val", "true") not in ("0", "false", "none")


_ALIGN = {"both": "left", "justify": "left", "distribute": "left", "start": "left", "end": "right"}


def _align(value: str) -> str:
    value = (value or "left").lower()
    return _ALIGN.get(value, value)


def _style_jc(styles: Any) -> dict[str, str]:
    """Paragraph alignment of each style, through its basedOn chain."""
    by_id = {st.get(f"{W}styleId"): st for st in styles.iter(f"{W}style")}

    def jc(style_id: str, depth: int = 0) -> str:
        st = by_id.get(style_id)
        if st is None or depth > 10:
            return "left"
        el = st.find(f"{W}pPr/{W}jc")
        if el is not None:
            return _align(el.get(f"{W}val"))
        based = st.find(f"{W}basedOn")
        return jc(based.get(f"{W}val"), depth + 1) if based is not None else "left"

    return {sid: jc(sid) for sid in by_id}


def _style_flags(styles: Any) -> dict[str, tuple[bool, bool]]:
    """(bold, italic) of each paragraph style, through its basedOn chain."""
    by_id = {st.get(f"{W}styleId"): st for st in styles.iter(f"{W}style")}

    def flag(style_id: str, tag: str, depth: int = 0) -> bool:
        st = by_id.get(style_id)
        if st is None or depth > 10:
            return False
        rpr = st.find(f"{W}rPr")
        el = rpr.find(f"{W}{tag}") if rpr is not None else None
        if el is not None:
            return _on(el)
        based = st.find(f"{W}basedOn")
        return flag(based.get(f"{W}val"), tag, depth + 1) if based is not None else False

    return {sid: (flag(sid, "b"), flag(sid, "i")) for sid in by_id}


class _DocxNumbering:
    """Markers as Word draws them: lvlText per level, counted per w:num instance."""

    def __init__(self, xml: bytes | None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract → level → (fmt, text, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstract, start overrides)
        self.count: dict[str, dict[int, int]] = {}
        if xml is None:
            return
        root = etree.fromstring(xml)
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt").get(f"{W}val")
                text = lvl.find(f"{W}lvlText").get(f"{W}val")
                start = int(lvl.find(f"{W}start").get(f"{W}val"))
                levels[int(lvl.get(f"{W}ilvl"))] = (fmt, text, start)
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            overrides = {
                int(o.get(f"{W}ilvl")): int(o.find(f"{W}startOverride").get(f"{W}val"))
                for o in num.iter(f"{W}lvlOverride")
                if o.find(f"{W}startOverride") is not None
            }
            self.nums[num.get(f"{W}numId")] = (num.find(f"{W}abstractNumId").get(f"{W}val"), overrides)

    def marker(self, num_id: str, level: int) -> str:
        abstract, overrides = self.nums[num_id]
        levels = self.levels[abstract]
        counts = self.count.setdefault(num_id, {})
        for deeper in [lv for lv in counts if lv > level]:
            del counts[deeper]
        fmt, text, start = levels[level]
        counts[level] = counts[level] + 1 if level in counts else overrides.get(level, start)
        if fmt == "bullet":
            return text
        return re.sub(r"%(\d)", lambda m: str(counts.get(int(m.group(1)) - 1, 1)), text)


_DOCX_KINDS = {
    "Title": "title",
    "Subtitle": "subtitle",
    "Heading1": "heading1",
    "Heading2": "heading2",
    "Heading3": "heading3",
    "Caption": "caption",
    "ListParagraph": "list",
    "Quote": "quote",
}


class _Docx:
    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            self.document = etree.fromstring(zf.read("word/document.xml"))
            self.numbering = _DocxNumbering(
                zf.read("word/numbering.xml") if "word/numbering.xml" in names else None
            )
            styles = etree.fromstring(zf.read("word/styles.xml"))
            self.style_bold = _style_flags(styles)
            self.style_jc = _style_jc(styles)
            rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"))
            self.links = {r.get("Id"): r.get("Target") for r in rels}
            footers = sorted(n for n in names if re.fullmatch(r"word/footer\d+\.xml", n))
            self.footers = [etree.fromstring(zf.read(n)) for n in footers]

    def chars(self, p: Any) -> list[tuple[str, bool, bool, bool, str]]:
        out: list[tuple[str, bool, bool, bool, str]] = []
        ppr = p.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        style_bold, style_italic = self.style_bold.get(
            style.get(f"{W}val") if style is not None else "Normal", (False, False)
        )
        for run in p.iter(f"{W}r"):
            parent = run.getparent()
            link = self.links.get(parent.get(f"{R}id"), "") if parent.tag == f"{W}hyperlink" else ""
            rpr = run.find(f"{W}rPr")
            b = rpr.find(f"{W}b") if rpr is not None else None
            i = rpr.find(f"{W}i") if rpr is not None else None
            bold = _on(b) if b is not None else style_bold  # the run's own, else its style's
            italic = _on(i) if i is not None else style_italic
            shd = rpr.find(f"{W}shd") if rpr is not None else None
            code = shd is not None and shd.get(f"{W}fill", "").upper() == "EDEFF2"
            for node in run:
                if node.tag == f"{W}t":
                    out.extend((ch, bold, italic, code, link) for ch in node.text or "")
                elif node.tag == f"{W}br":
                    out.append(("\n", bold, italic, code, link))
                elif node.tag == f"{W}tab":
                    out.append(("\t", bold, italic, code, link))
        return out

    def paragraph(self, p: Any) -> list[Item]:
        ppr = p.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        kind = _DOCX_KINDS.get(style.get(f"{W}val") if style is not None else "", "body")
        items: list[Item] = []
        for drawing in p.iter(f"{W}drawing"):
            extent = drawing.find(f".//{WP}extent")
            doc_pr = drawing.find(f".//{WP}docPr")
            items.append(
                Picture(
                    doc_pr.get("descr", ""),
                    int(extent.get("cx")) / EMU_PER_MM,
                    int(extent.get("cy")) / EMU_PER_MM,
                )
            )
        chars = self.chars(p)
        text = "".join(c[0] for c in chars)
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        if num is not None:
            marker = self.numbering.marker(
                num.find(f"{W}numId").get(f"{W}val"), int(num.find(f"{W}ilvl").get(f"{W}val"))
            )
            text = f"{marker} {text}"
            chars = [(ch, False, False, False, "") for ch in marker] + chars
        if text.strip():
            items.append(Para(kind, text, _runs(chars), self.align(p)))
        return items

    def align(self, p: Any) -> str:
        ppr = p.find(f"{W}pPr")
        jc = ppr.find(f"{W}jc") if ppr is not None else None
        if jc is not None:
            return _align(jc.get(f"{W}val"))
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        return self.style_jc.get(style.get(f"{W}val") if style is not None else "Normal", "left")

    def cell_text(self, tc: Any) -> tuple[str, Format]:
        paras = tc.findall(f"{W}p")
        chars = [c for p in paras for c in self.chars(p)]
        return "\n".join("".join(c[0] for c in self.chars(p)) for p in paras), _runs(chars)

    def table(self, tbl: Any) -> Table:
        grid_cols = [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid").iter(f"{W}gridCol")]
        rows: list[list[str]] = []
        fills: list[list[str]] = []
        formats: list[list[Format]] = []
        aligns: list[list[str]] = []
        header: set[int] = set()
        starts: dict[tuple[int, int], list[int]] = {}  # vMerge restart cell → [rows, cols]
        for r, tr in enumerate(tbl.findall(f"{W}tr")):
            trpr = tr.find(f"{W}trPr")
            if trpr is not None and _on(trpr.find(f"{W}tblHeader")):
                header.add(r)
            row, fill_row, format_row, align_row = [], [], [], []
            for c, tc in enumerate(tr.findall(f"{W}tc")):
                tcpr = tc.find(f"{W}tcPr")
                shd = tcpr.find(f"{W}shd") if tcpr is not None else None
                vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                text, fmt = self.cell_text(tc)
                fill = shd.get(f"{W}fill", "").upper() if shd is not None else ""
                if vmerge is not None and vmerge.get(f"{W}val") != "restart":
                    above = max(k for k in starts if k[1] == c and k[0] < r)
                    starts[above][0] += 1
                    text, fmt, fill = "", (), ""  # covered by the cell above
                elif vmerge is not None:
                    starts[(r, c)] = [1, 1]
                row.append(text)
                format_row.append(fmt)
                align_row.append(self.align(tc.find(f"{W}p")) if text else "")
                fill_row.append(fill)
            rows.append(row)
            fills.append(fill_row)
            formats.append(format_row)
            aligns.append(align_row)
        total = sum(grid_cols)
        return Table(
            grid=tuple(tuple(r) for r in rows),
            merges=frozenset((r, c, n, m) for (r, c), (n, m) in starts.items() if n > 1 or m > 1),
            header_rows=frozenset(header),
            shaded=tuple(tuple(r) for r in fills),
            widths=tuple(round(w / total, 2) for w in grid_cols),
            formats=tuple(tuple(r) for r in formats),
            aligns=tuple(tuple(r) for r in aligns),
        )

    def extract(self) -> Extracted:
        items: list[Item] = []
        for child in self.document.find(f"{W}body"):
            if child.tag == f"{W}p":
                items.extend(self.paragraph(child))
            elif child.tag == f"{W}tbl":
                items.append(self.table(child))
        footer: list[str] = []
        for root in self.footers:
            for p in root.iter(f"{W}p"):
                parts = []
                for node in p:
                    if node.tag == f"{W}fldSimple":
                        instr = node.get(f"{W}instr", "").strip()
                        parts.append({"PAGE": "{page}", "NUMPAGES": "{pages}"}[instr])
                    elif node.tag == f"{W}r":
                        parts.append("".join(t.text or "" for t in node.iter(f"{W}t")))
                if "".join(parts).strip():
                    footer.append("".join(parts))
        return Extracted(tuple(items), tuple(footer))


def extract_docx(data: bytes) -> Extracted:
    return _Docx(data).extract()


# --------------------------------------------------------------------------- HWPX


def _hwpx_kind(name: str) -> str:
    if name in ("제목", "부제목"):
        return {"제목": "title", "부제목": "subtitle"}[name]
    m = re.fullmatch(r"제목 (\d)", name)
    if m:
        return f"heading{m.group(1)}"
    return {"캡션": "caption", "목록": "list", "인용": "quote"}.get(name, "body")


class _Hwpx:
    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            header = etree.fromstring(zf.read("Contents/header.xml"))
            self.section = etree.fromstring(zf.read("Contents/section0.xml"))
        self.styles = {s.get("id"): s.get("name") for s in header.iter(f"{HH}style")}
        self.bold: set[str] = set()
        self.italic: set[str] = set()
        self.code: set[str] = set()
        for pr in header.iter(f"{HH}charPr"):
            cid = pr.get("id")
            if pr.find(f"{HH}bold") is not None:
                self.bold.add(cid)
            if pr.find(f"{HH}italic") is not None:
                self.italic.add(cid)
            if pr.get("shadeColor", "").upper() == "#EDEFF2":
                self.code.add(cid)
        self.aligns = {}
        for pr in header.iter(f"{HH}paraPr"):
            el = pr.find(f"{HH}align")
            self.aligns[pr.get("id")] = _align(el.get("horizontal") if el is not None else "")
        self.fills = {}
        for bf in header.iter(f"{HH}borderFill"):
            brush = bf.find(f".//{HC}winBrush")
            face = brush.get("faceColor", "") if brush is not None else ""
            self.fills[bf.get("id")] = "" if face in ("", "none") else face.lstrip("#").upper()

    def chars(self, p: Any) -> list[tuple[str, bool, bool, bool, str]]:
        out: list[tuple[str, bool, bool, bool, str]] = []
        link = ""
        for run in p.findall(f"{HP}run"):
            cid = run.get("charPrIDRef")
            flags = (cid in self.bold, cid in self.italic, cid in self.code)
            for node in run:
                if node.tag == f"{HP}ctrl":
                    begin = node.find(f"{HP}fieldBegin")
                    if begin is not None and begin.get("type") == "HYPERLINK":
                        params = {s.get("name"): s.text or "" for s in begin.iter(f"{HP}stringParam")}
                        link = params.get("Path", "")
                    if node.find(f"{HP}fieldEnd") is not None:
                        link = ""
                elif node.tag == f"{HP}t":
                    out.extend((ch, *flags, link) for ch in node.text or "")
                    for child in node:
                        if child.tag == f"{HP}lineBreak":
                            out.append(("\n", *flags, link))
                        elif child.tag == f"{HP}tab":
                            out.append(("\t", *flags, link))
                        out.extend((ch, *flags, link) for ch in child.tail or "")
        return out

    def paragraph(self, p: Any) -> list[Item]:
        items: list[Item] = []
        for run in p.findall(f"{HP}run"):
            for tbl in run.findall(f"{HP}tbl"):
                items.append(self.table(tbl))
            for pic in run.findall(f"{HP}pic"):
                size = pic.find(f"{HP}curSz")
                items.append(
                    Picture(
                        pic.findtext(f"{HP}shapeComment") or "",
                        int(size.get("width")) / HWPUNIT_PER_MM,
                        int(size.get("height")) / HWPUNIT_PER_MM,
                    )
                )
        chars = self.chars(p)
        text = "".join(c[0] for c in chars)
        if text.strip():
            kind = _hwpx_kind(self.styles.get(p.get("styleIDRef"), ""))
            items.append(Para(kind, text, _runs(chars), self.aligns.get(p.get("paraPrIDRef"), "left")))
        return items

    def table(self, tbl: Any) -> Table:
        n_rows, n_cols = int(tbl.get("rowCnt")), int(tbl.get("colCnt"))
        grid = [[""] * n_cols for _ in range(n_rows)]
        fills = [[""] * n_cols for _ in range(n_rows)]
        formats: list[list[Format]] = [[()] * n_cols for _ in range(n_rows)]
        aligns = [[""] * n_cols for _ in range(n_rows)]
        widths = [0] * n_cols
        merges = set()
        header = set()
        for tc in tbl.iter(f"{HP}tc"):
            if tc.getparent().getparent() is not tbl:
                continue
            addr, span, size = tc.find(f"{HP}cellAddr"), tc.find(f"{HP}cellSpan"), tc.find(f"{HP}cellSz")
            r, c = int(addr.get("rowAddr")), int(addr.get("colAddr"))
            rs, cs = int(span.get("rowSpan")), int(span.get("colSpan"))
            if rs > 1 or cs > 1:
                merges.add((r, c, rs, cs))
            if cs == 1:
                widths[c] = int(size.get("width"))
            if tc.get("header") == "1" and tbl.get("repeatHeader") == "1":
                header.add(r)
            paras = tc.find(f"{HP}subList").findall(f"{HP}p")
            grid[r][c] = "\n".join("".join(ch[0] for ch in self.chars(p)) for p in paras)
            formats[r][c] = _runs([ch for p in paras for ch in self.chars(p)])
            aligns[r][c] = self.aligns.get(paras[0].get("paraPrIDRef"), "left") if grid[r][c] else ""
            fills[r][c] = self.fills.get(tc.get("borderFillIDRef"), "")
        total = sum(widths)
        return Table(
            grid=tuple(tuple(r) for r in grid),
            merges=frozenset(merges),
            header_rows=frozenset(header),
            shaded=tuple(tuple(r) for r in fills),
            widths=tuple(round(w / total, 2) for w in widths),
            formats=tuple(tuple(r) for r in formats),
            aligns=tuple(tuple(r) for r in aligns),
        )

    def extract(self) -> Extracted:
        items: list[Item] = []
        for p in self.section.findall(f"{HP}p"):
            items.extend(self.paragraph(p))
        footer: list[str] = []
        for foot in self.section.iter(f"{HP}footer"):
            for p in foot.find(f"{HP}subList").findall(f"{HP}p"):
                parts = []
                for run in p.findall(f"{HP}run"):
                    for node in run:
                        num = node.find(f"{HP}autoNum") if node.tag == f"{HP}ctrl" else None
                        if num is not None:
                            parts.append({"PAGE": "{page}", "TOTAL_PAGE": "{pages}"}[num.get("numType")])
                        elif node.tag == f"{HP}t":
                            parts.append(node.text or "")
                if "".join(parts).strip():
                    footer.append("".join(parts))
        return Extracted(tuple(items), tuple(footer))


def extract_hwpx(data: bytes) -> Extracted:
    return _Hwpx(data).extract()
