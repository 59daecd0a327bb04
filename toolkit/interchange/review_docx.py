"""The bilingual review DOCX: a reviewer edits the translation in Word, presspack imports it back.

As in Trados' "Export for Bilingual Review": A4 landscape, one table of
**Segment ID | Status | Source | Target | Comments**, header row repeated on
every page, one row per memory segment. Source and target keep their
formatting (bold, italics, code in Consolas, clickable links, line breaks; a
text that continues into the next paragraph is two paragraphs in its cell),
approved glossary terms are highlighted in both, and Comments holds where
the text is, the terms, the QA findings and review hints.

The reviewer changes the **Target** column (Track Changes is fine: changes
are read as accepted, deletions out) and may set **Status** to ``final`` to
approve a segment (``translated`` confirms machine text as theirs). The
release, languages and per-segment source/target hashes live in the
document's custom properties (``docProps/custom.xml``), which Word and
LibreOffice keep when they save.

Reading uses presspack's safe DOCX reader (:func:`toolkit.sources.docx.read_docx_tables`):
the same caps, entity handling and formatting rules as a DOCX release source.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.core.errors import PresspackError, problem
from toolkit.core.inline import Span, parse_inline, to_inline
from toolkit.core.limits import LimitExceeded
from toolkit.interchange.notes import notes_of
from toolkit.interchange.segments import (
    STATE_LABELS,
    Exchange,
    ExchangeSegment,
    Incoming,
    IncomingState,
    IncomingUnit,
)
from toolkit.interchange.tags import PARAGRAPH, events_of
from toolkit.interchange.xmlio import ExchangeError, local, parse_exchange_xml

__all__ = ["COLUMNS", "read_review_docx", "write_review_docx"]

COLUMNS = ("Segment ID", "Status", "Source", "Target", "Comments")
WIDTHS_MM = (27.0, 22.0, 87.0, 87.0, 48.0)  # 271 mm: A4 landscape less 13 mm margins
HEADER_FILL = "DFE6F7"
LINK_COLOR = "0563C1"
FORMAT = "presspack-review-1"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_FIX = "export a review DOCX with 'presspack export review' and edit that file"


# --------------------------------------------------------------------------- writing


def write_review_docx(ex: Exchange, *, embed_fonts: bool = True) -> bytes:
    """The review document of one translation (deterministic bytes).

    ``embed_fonts=False`` leaves the fonts out (names only): smaller, for tests of content."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.shared import Mm, Pt

    from toolkit.render.docx import normalize_zip

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(13))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    _fonts(normal.element.get_or_add_rPr())

    heading = doc.add_paragraph()
    run = heading.add_run(f"Bilingual review: {ex.name} ({ex.source_lang} → {ex.target_lang})")
    run.bold = True
    run.font.size = Pt(14)
    doc.add_paragraph(
        f"Edit the Target column only (Track Changes is fine) and keep the Segment IDs. Set Status to "
        f"“final” to approve a segment. Highlighted words are approved glossary terms. Import with: "
        f"presspack import FILE.docx (the edits go into {ex.target_file} as post-edits)."
    )
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS_MM, strict=True):
        column.width = Mm(width)
    labels = dict(zip(COLUMNS, COLUMNS, strict=True))
    labels["Source"] = f"Source ({ex.source_lang})"
    labels["Target"] = f"Target ({ex.target_lang})"
    header = table.rows[0]
    _tr_flag(header, "tblHeader")
    for cell, name, width in zip(header.cells, COLUMNS, WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        _shade(cell, HEADER_FILL)
        cell.paragraphs[0].add_run(labels[name]).bold = True
    for seg in ex.segments:
        cells = table.add_row().cells
        for cell, width in zip(cells, WIDTHS_MM, strict=True):
            cell.width = Mm(width)
        cells[0].paragraphs[0].add_run(seg.id)
        cells[1].paragraphs[0].add_run(STATE_LABELS[seg.state])
        _rich(doc, cells[2], seg.source, [s for s, _ in seg.terms], markup=seg.markup)
        _rich(doc, cells[3], seg.target, [f for _, t in seg.terms for f in _forms(t)], markup=seg.markup)
        _comments(cells[4], seg, ex)
    props = doc.core_properties
    moment = dt.datetime.combine(ex.date or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
    props.created = props.modified = props.last_printed = moment
    props.last_modified_by = props.author = "presspack"
    props.title = f"Bilingual review: {ex.name}"[:255]
    props.revision = 1
    custom = Part(
        PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, _custom_properties(ex), doc.part.package
    )
    doc.part.package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    if embed_fonts:  # subset, as in the packs: Korean shows on a machine without Korean fonts
        from toolkit.render.docx_fonts import embed_fonts as embed

        data = embed(data, ("noto-sans", "noto-sans-kr"), "".join(doc.element.body.itertext()))
    return normalize_zip(data)


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _fonts(rpr: Any) -> None:
    """Noto Sans for Latin text, Noto Sans KR for Korean (both embedded), theme fonts off."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for attr, family in (
        ("ascii", "Noto Sans"),
        ("hAnsi", "Noto Sans"),
        ("eastAsia", "Noto Sans KR"),
        ("cs", "Noto Sans"),
    ):
        fonts.set(qn(f"w:{attr}"), family)


def _tr_flag(row: Any, flag: str) -> None:
    row._tr.get_or_add_trPr().append(_el(f"w:{flag}"))


def _shade(cell: Any, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_el("w:shd", val="clear", color="auto", fill=fill))


_ABBREVIATED = re.compile(r"^(?P<full>.+) \((?P<abbr>[^()]+)\)$")


def _forms(term: str) -> list[str]:
    """An approved target and the forms it takes in running text: "Defense Acquisition Program
    Administration (DAPA)" at the first mention, "DAPA" after it."""
    m = _ABBREVIATED.match(term)
    return [term, m.group("full"), m.group("abbr")] if m else [term]


def _marks(text: str, terms: Sequence[str]) -> list[bool]:
    """Which characters of ``text`` belong to an approved term."""
    marked = [False] * len(text)
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        before = r"(?<![A-Za-z0-9])" if term[0].isascii() and term[0].isalnum() else ""
        after = r"(?![A-Za-z0-9])" if term[-1].isascii() and term[-1].isalnum() else ""
        for m in re.finditer(before + re.escape(term) + after, text):
            for i in range(m.start(), m.end()):
                marked[i] = True
    return marked


def _rich(doc: Any, cell: Any, text: str, terms: Sequence[str], *, markup: bool) -> None:
    """Inline Markdown (or plain text) as formatted runs, terms highlighted; one paragraph per piece."""
    pieces = text.split(PARAGRAPH) if text else [""]
    for n, piece in enumerate(pieces):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        spans = list(parse_inline(piece)) if markup else [Span(piece)]
        flat = "".join("" if s.line_break else s.text for s in spans)
        marked = _marks(flat, terms)
        pos = 0
        link: Any = None
        href = ""
        for span in spans:
            if span.href != href:
                link = _hyperlink(doc, paragraph, span.href) if span.href else None
                href = span.href
            if span.line_break:
                run = paragraph.add_run()
                run._r.append(_el("w:br"))
                if link is not None:
                    link.append(run._r)
                continue
            start = pos
            pos += len(span.text)
            for chunk, highlight in _chunks(span.text, marked[start:pos]):
                run = paragraph.add_run(chunk)
                run.bold = span.bold or None
                run.italic = span.italic or None
                if span.code:
                    run.font.name = "Consolas"
                if span.href:
                    run.font.underline = True
                    from docx.shared import RGBColor

                    run.font.color.rgb = RGBColor.from_string(LINK_COLOR)
                if highlight:
                    from docx.enum.text import WD_COLOR_INDEX

                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                if link is not None:
                    link.append(run._r)


def _chunks(text: str, marked: Sequence[bool]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for ch, flag in zip(text, marked, strict=True):
        if out and out[-1][1] == flag:
            out[-1] = (out[-1][0] + ch, flag)
        else:
            out.append((ch, flag))
    return out


def _hyperlink(doc: Any, paragraph: Any, url: str) -> Any:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    link = _el("w:hyperlink")
    link.set(qn("r:id"), doc.part.relate_to(url, RT.HYPERLINK, is_external=True))
    paragraph._p.append(link)
    return link


def _comments(cell: Any, seg: ExchangeSegment, ex: Exchange) -> None:
    where = seg.where + (f", {ex.target_file}:{seg.line}" if seg.line else "")
    lines = [where] + [n.text for n in notes_of(seg, ex.target_file)]
    for n, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        if n == 0:
            run.italic = True


def _custom_properties(ex: Exchange) -> bytes:
    from lxml import etree

    values = {
        "presspack.format": FORMAT,
        "presspack.release": ex.release,
        "presspack.name": ex.name,
        "presspack.source-lang": ex.source_lang,
        "presspack.target-lang": ex.target_lang,
        "presspack.target-file": ex.target_file,
    }
    for seg in ex.segments:
        values[f"presspack.segment.{seg.id}"] = f"{seg.src_sha} {seg.tgt_sha}"
    root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    for pid, (name, value) in enumerate(values.items(), 2):
        prop = etree.SubElement(root, f"{{{_CUSTOM}}}property")
        prop.set("fmtid", _FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# --------------------------------------------------------------------------- reading

_STATUS_IN: dict[str, IncomingState] = {
    "final": "final",
    "approved": "final",
    "signed off": "final",
    "translated": "translated",
    "reviewed": "translated",
    "confirmed": "translated",
}


def _properties(path: Path) -> dict[str, str]:
    from toolkit.core.safezip import ArchiveError, SafeZip

    try:
        with SafeZip(path) as zf:
            if not zf.has("word/document.xml"):
                raise ExchangeError(problem(path, None, "a zip file, but not a Word document", _FIX))
            data = zf.read_optional("docProps/custom.xml")
    except ArchiveError as exc:
        raise ExchangeError(
            problem(path, None, f"not a readable Word .docx file ({exc.what})", _FIX)
        ) from None
    except LimitExceeded as exc:
        raise ExchangeError(problem(path, None, exc.what, exc.limit.fix)) from None
    if data is None:
        return {}
    root = parse_exchange_xml(data, path, "document properties (docProps/custom.xml)")
    found: dict[str, str] = {}
    for prop in root:
        if local(prop) == "property":
            found[prop.get("name", "")] = "".join(prop.itertext()).strip()
    return found


def read_review_docx(path: Path) -> Incoming:
    """The Target and Status columns of a review DOCX, with the hashes of its export."""
    from toolkit.sources.docx import read_docx_tables

    props = _properties(path)
    if props.get("presspack.format") != FORMAT:
        raise ExchangeError(
            problem(
                path,
                None,
                "a Word document, but not a presspack review export (no presspack properties)",
                _FIX,
            )
        )
    try:
        tables = read_docx_tables(path)
    except PresspackError as exc:
        raise ExchangeError(exc.problems) from None
    columns: dict[str, int] = {}
    rows: list[list[list[list[Span]]]] = []
    for table in tables:
        if not table:
            continue
        names = [_cell_text(c).lower() for c in table[0]]
        found = {
            key: next((i for i, n in enumerate(names) if n.startswith(key.lower())), -1)
            for key in ("Segment ID", "Status", "Source", "Target")
        }
        if found["Segment ID"] >= 0 and found["Target"] >= 0:
            columns, rows = found, table[1:]
            break
    if not columns:
        raise ExchangeError(
            problem(path, None, "its table of segments (Segment ID … Target) is missing", _FIX)
        )
    units: list[IncomingUnit] = []
    for number, row in enumerate(rows, 2):
        ident = _cell_text(row[columns["Segment ID"]]) if columns["Segment ID"] < len(row) else ""
        if not ident:
            continue
        target_cell = row[columns["Target"]] if columns["Target"] < len(row) else []
        pieces = [to_inline(p) for p in target_cell]
        target = PARAGRAPH.join(p for p in pieces if p)
        status = _cell_text(row[columns["Status"]]).lower() if 0 <= columns["Status"] < len(row) else ""
        hashes = props.get(f"presspack.segment.{ident}", "").split()
        source = _cell_text(row[columns["Source"]]) if 0 <= columns["Source"] < len(row) else ""
        units.append(
            IncomingUnit(
                id=ident,
                events=tuple(events_of(target)),
                state=_STATUS_IN.get(" ".join(status.split()), "open") if status else None,
                src_sha=hashes[0] if hashes else "",
                tgt_sha=hashes[1] if len(hashes) > 1 else "",
                source=source,
                line=number,
            )
        )
    return Incoming(
        path=path,
        format="review DOCX",
        release=props.get("presspack.release", ""),
        name=props.get("presspack.name", ""),
        source_lang=props.get("presspack.source-lang", ""),
        target_lang=props.get("presspack.target-lang", ""),
        units=tuple(units),
    )


def _cell_text(paragraphs: Sequence[Sequence[Span]]) -> str:
    return " ".join(" ".join("".join(s.text for s in p).split()) for p in paragraphs).strip()
