"""Hancom HWPX releases (OWPML, KS X 6101): the format Korean public bodies write in.

An HWPX file is a zip of XML parts. The reader walks every section's
paragraphs in document order (``hp:p > hp:run > hp:t``), tables (cells
placed by their address, merged cells as empty grid positions), pictures
with their captions, text boxes, notes, and the page header/footer controls.
Tracked changes are read as accepted: inserted text is kept, deleted text
is dropped. Headings, titles, lists and quotes come from the paragraph
style and its numbering/bullet shape; bold/italic from the character shape,
links from HYPERLINK fields, all written as canonical inline Markdown.

A document in the 보도자료 layout (press-release-conventions.md) gives its
metadata through its tables: the cover row (보도자료 | issuer), the
보도시점/배포 row (release_time, distribution, the date, an embargo when the
보도시점 has a time), the title box (title, ``- … -`` subtitles) and the
contact table (department and the structured contact keys, or free-text
``contact`` lines); those tables become metadata, not body text. A file
presspack wrote reads back as its release: its list paragraphs (style 목록,
the marker as text), caption templates, column alignment, code shading and
newswire frame are undone, and its release date is the package's. Other documents give the title
from the title-styled or first heading paragraph (or a 공문 "제목" line),
the date from a dated line, the issuer from a sender line (서 울 특 별 시 장).
``<stem>.yaml`` or ``release.yaml`` beside the file gives or overrides any
key; what is still missing takes the house default with a warning (so any
real document builds; ``--strict`` fails on the warnings).

Reading is bounded: the zip directory is checked before anything is
extracted (member count, sizes, compression ratio), XML is parsed without
entities, DTDs or network and with libxml2's depth limit. An HWP 5 binary
file gets a clear error that says to save it as HWPX.

"Lines" in messages are paragraph numbers (1-based, document order).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.core.document import Align, Block
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.inline import Span, escape, plain, to_inline
from toolkit.core.limits import XML_DEPTH, ZIP_MEMBER_BYTES, ZIP_MEMBERS, ZIP_TOTAL_BYTES, LimitExceeded
from toolkit.core.normalize import nfc
from toolkit.core.safezip import ArchiveError, SafeZip
from toolkit.sources.release import (
    _EMAIL_RE,
    _END_MARK_RE,
    CONTACT_KEYS,
    LoadedRelease,
    _finish,
    _meta_from_values,
    about_start,
)
from toolkit.sources.release import _PHONE_RE as _RELEASE_PHONE_RE

__all__ = [
    "HWPX_MIMETYPE",
    "PackageLimits",
    "embedded_image",
    "open_package",
    "read_hwpx",
]

HWPX_MIMETYPE = "application/hwp+zip"
HWPUNIT_PER_MM = 7200 / 25.4
OWN_APPLICATION = "presspack"  # content.hpf lastsaveby of a file render/hwpx.py wrote
LIST_STEP_MM = 6.0  # one list level's indent in presspack's HWPX (render/docx.py's LIST_INDENT_MM)
CODE_FILL = "#EDEFF2"  # the shade render/hwpx.py gives code spans (render/docx.py's CODE_FILL)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
HH = "http://www.hancom.co.kr/hwpml/2011/head"
HC = "http://www.hancom.co.kr/hwpml/2011/core"
OPF = "http://www.idpf.org/2007/opf/"

# --------------------------------------------------------------------------- bounded package


@dataclass(frozen=True)
class PackageLimits:
    """Caps checked on the zip directory before anything is extracted.

    Generous for real documents (the largest shared form has a 1.4 MB section
    and a 3.3 MB bitmap), far below what a zip bomb declares.
    """

    max_file_bytes: int = 256 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, for members over 1 MiB

    # member count and sizes: the project-wide caps of core.limits (PRESSPACK_LIMIT_* to raise)
    @property
    def max_members(self) -> int:
        return ZIP_MEMBERS.value

    @property
    def max_member_bytes(self) -> int:
        return ZIP_MEMBER_BYTES.value

    @property
    def max_total_bytes(self) -> int:
        return ZIP_TOTAL_BYTES.value


LIMITS = PackageLimits()


class Package:
    """An opened, checked HWPX zip; members are read with their declared size as cap."""

    def __init__(self, path: Path, archive: SafeZip) -> None:
        self.path = path
        self.zip = archive
        self.names = archive.names()

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except LimitExceeded as exc:  # the directory lied about the size
            raise SourceError(problem(self.path, None, exc.what, exc.limit.fix)) from None
        except (ArchiveError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC error
            raise SourceError(
                problem(
                    self.path,
                    None,
                    f"HWPX part {name} is damaged ({exc})",
                    "open the file in Hancom Office and save it again",
                )
            ) from exc

    def close(self) -> None:
        self.zip.close()


def open_package(path: Path, limits: PackageLimits = LIMITS) -> Package:
    """Open an HWPX file after checking its signature and zip directory.

    The one place bounds are enforced (to be swapped for ``core.limits``'s
    safe-zip helper when it lands): everything else reads through it.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise SourceError(
            problem(path, None, f"cannot read file: {exc.strerror or exc}", "check the path")
        ) from None
    if head.startswith(OLE_MAGIC):
        raise SourceError(
            problem(
                path,
                None,
                "this is an HWP 5 binary document (.hwp), not HWPX",
                "open it in Hancom Office and save it as HWPX (파일 > 다른 이름으로 저장 > .hwpx)",
            )
        )
    if size > limits.max_file_bytes:
        raise SourceError(
            problem(
                path,
                None,
                f"file is too large ({size // (1024 * 1024)} MiB; the limit is "
                f"{limits.max_file_bytes // (1024 * 1024)} MiB)",
                "remove large pictures or split the document",
            )
        )
    if not head.startswith(ZIP_MAGIC):
        raise SourceError(
            problem(
                path,
                None,
                "not an HWPX file (no zip signature)",
                "open it in Hancom Office and save it as HWPX",
            )
        )
    try:
        archive = SafeZip(path)
    except LimitExceeded as exc:
        raise SourceError(problem(path, None, exc.what, exc.limit.fix)) from None
    except (ArchiveError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise SourceError(
            problem(
                path,
                None,
                f"not a readable HWPX file: the zip is damaged ({exc})",
                "open it in Hancom Office and save it again",
            )
        ) from exc
    infos = archive.infolist()
    problems: list[Problem] = []
    if len(infos) > limits.max_members:
        problems.append(
            problem(
                path, None, f"HWPX holds {len(infos)} parts (limit {limits.max_members})", "save it again"
            )
        )
    total = 0
    for info in infos:
        total += info.file_size
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in PurePosixPath(name).parts or "\\" in name:
            problems.append(problem(path, None, f"HWPX part has an unsafe name {name!r}", "save it again"))
        if info.flag_bits & 0x1:
            problems.append(
                problem(path, None, "HWPX is encrypted (password-protected)", "save it without a password")
            )
            break
        if info.file_size > limits.max_member_bytes:
            problems.append(
                problem(
                    path,
                    None,
                    f"HWPX part {name} unpacks to {info.file_size} bytes "
                    f"(limit {limits.max_member_bytes}): possibly a zip bomb",
                    "save the document again in Hancom Office",
                )
            )
        elif info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            problems.append(
                problem(
                    path,
                    None,
                    f"HWPX part {name} is compressed {info.file_size // max(info.compress_size, 1)}:1: "
                    "possibly a zip bomb",
                    "save the document again in Hancom Office",
                )
            )
    if total > limits.max_total_bytes:
        problems.append(
            problem(
                path,
                None,
                f"HWPX unpacks to {total} bytes (limit {limits.max_total_bytes}): possibly a zip bomb",
                "save the document again in Hancom Office",
            )
        )
    if problems:
        archive.close()
        raise SourceError(problems)
    package = Package(path, archive)
    _check_kind(package)
    return package


def _check_kind(package: Package) -> None:
    """A zip that is not HWPX (a renamed DOCX, an ODT…) gets a pointed message."""
    path = package.path
    if package.has("mimetype"):
        kind = package.read("mimetype").decode("ascii", "replace").strip()
        if kind == HWPX_MIMETYPE:
            return
        package.close()
        raise SourceError(
            problem(path, None, f"not an HWPX file (its mimetype is {kind!r})", "save it as HWPX (.hwpx)")
        )
    if package.has("[Content_Types].xml"):
        package.close()
        raise SourceError(
            problem(path, None, "this is a Word/Office Open XML file, not HWPX", "rename it to .docx")
        )
    if not any(n.startswith("Contents/section") for n in package.names):
        package.close()
        raise SourceError(
            problem(path, None, "not an HWPX file (no Contents/section*.xml)", "save it as HWPX (.hwpx)")
        )


def parse_xml(package: Package, name: str) -> Any:
    """Parse one part without entities, DTDs or network, within libxml2's depth limit."""
    from lxml import etree

    data = package.read(name)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise SourceError(
            problem(
                package.path,
                None,
                f"HWPX part {name} declares a DTD/entities (Hancom never writes them)",
                "save the document again in Hancom Office",
            )
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(
            problem(
                package.path,
                None,
                f"HWPX part {name} is not well-formed XML ({exc})",
                "open the file in Hancom Office and save it again",
            )
        ) from exc
    depth = max_depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        max_depth = max(max_depth, depth)
    if max_depth > XML_DEPTH.value:
        raise SourceError(problem(package.path, None, XML_DEPTH.message(f"HWPX part {name}"), XML_DEPTH.fix))
    return root


def embedded_image(folder: Path, src: str) -> bytes | None:
    """The bytes of an image block's ``src`` that points into an HWPX file.

    HWPX sources keep their pictures inside the zip; their image blocks say
    ``<file>.hwpx#BinData/image1.png`` (relative to the release folder).
    Returns None for any other src (a plain file beside the release).
    """
    file_part, sep, member = src.partition("#")
    if not sep or not file_part.lower().endswith(".hwpx") or "/" in file_part or "\\" in file_part:
        return None
    path = folder / file_part
    if not path.is_file():
        return None
    package = open_package(path)
    try:
        return package.read(member) if package.has(member) else None
    finally:
        package.close()


# --------------------------------------------------------------------------- header.xml


@dataclass(frozen=True)
class _Style:
    name: str
    eng: str
    para_pr: str
    char_pr: str


@dataclass(frozen=True)
class _ParaShape:
    heading: str = "NONE"  # NONE | OUTLINE | NUMBER | BULLET
    level: int = 0
    align: str = ""
    left: int = 0  # HWPUNIT (the margin Hancom uses: hp:case's, hp:default doubles it)
    indent: int = 0  # first line from ``left``; negative = hanging


@dataclass
class _Header:
    styles: dict[str, _Style] = field(default_factory=dict)
    bold: set[str] = field(default_factory=set)
    italic: set[str] = field(default_factory=set)
    size: dict[str, int] = field(default_factory=dict)  # charPr id -> height (1/100 pt)
    code: set[str] = field(default_factory=set)  # shaded as presspack shades code spans
    paras: dict[str, _ParaShape] = field(default_factory=dict)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read_header(package: Package) -> _Header:
    header = _Header()
    name = "Contents/header.xml"
    if not package.has(name):
        return header
    root = parse_xml(package, name)
    for el in root.iter(f"{{{HH}}}style"):
        header.styles[el.get("id", "")] = _Style(
            el.get("name", ""), el.get("engName", ""), el.get("paraPrIDRef", ""), el.get("charPrIDRef", "")
        )
    for el in root.iter(f"{{{HH}}}charPr"):
        cid = el.get("id", "")
        header.size[cid] = int(el.get("height", "1000") or 1000)
        if (el.get("shadeColor") or "").upper() == CODE_FILL:
            header.code.add(cid)
        for child in el:
            tag = _local(child.tag)
            if tag == "bold":
                header.bold.add(cid)
            elif tag == "italic":
                header.italic.add(cid)
    for el in root.iter(f"{{{HH}}}paraPr"):
        heading = el.find(f"{{{HH}}}heading")
        if heading is None:  # inside hp:switch/hp:case (newer levels) or default
            heading = next(el.iter(f"{{{HH}}}heading"), None)
        align = el.find(f"{{{HH}}}align")
        margin = next(el.iter(f"{{{HH}}}margin"), None)  # hp:case comes first

        def value(name: str, margin: Any = margin) -> int:
            found = margin.find(f"{{{HC}}}{name}") if margin is not None else None
            try:
                return int(found.get("value", "0")) if found is not None else 0
            except ValueError:
                return 0

        header.paras[el.get("id", "")] = _ParaShape(
            heading=(heading.get("type", "NONE") if heading is not None else "NONE").upper(),
            level=int(heading.get("level", "0") or 0) if heading is not None else 0,
            align=(align.get("horizontal", "") if align is not None else "").upper(),
            left=value("left"),
            indent=value("intent"),
        )
    return header


def _section_names(package: Package) -> list[str]:
    """Sections in spine order (content.hpf), else by number."""
    names: list[str] = []
    if package.has("Contents/content.hpf"):
        root = parse_xml(package, "Contents/content.hpf")
        hrefs = {
            item.get("id", ""): item.get("href", "") for item in root.iter() if _local(item.tag) == "item"
        }
        for ref in root.iter():
            if _local(ref.tag) == "itemref":
                href = hrefs.get(ref.get("idref", ""), "")
                if re.search(r"section\d+\.xml$", href) and package.has(href):
                    names.append(href)
    if not names:
        found = [n for n in package.names if re.fullmatch(r"Contents/section\d+\.xml", n)]
        names = sorted(found, key=lambda n: int(re.findall(r"\d+", n)[-1]))
    return list(dict.fromkeys(names))


def _own_date(package: Package) -> dt.date | None:
    """The release date of a file presspack wrote and nobody saved since.

    presspack stores ``meta.date`` as the package's CreatedDate and itself as
    ``lastsaveby``; Hancom Office writes the user there on every save, and its
    CreatedDate is when the file was first made — no release date at all. So
    only an unsaved presspack file is trusted (its 보도자료 cells may show
    other days: the 배포 day, or none).
    """
    if not package.has("Contents/content.hpf"):
        return None
    root = parse_xml(package, "Contents/content.hpf")
    meta = {el.get("name", ""): (el.text or "").strip() for el in root.iter() if _local(el.tag) == "meta"}
    if meta.get("lastsaveby") != OWN_APPLICATION:
        return None
    try:
        return dt.date.fromisoformat(meta.get("CreatedDate", "")[:10])
    except ValueError:
        return None


def _image_hrefs(package: Package) -> dict[str, str]:
    """binaryItemIDRef → zip member (content.hpf manifest, else BinData/<id>.*)."""
    hrefs: dict[str, str] = {}
    if package.has("Contents/content.hpf"):
        root = parse_xml(package, "Contents/content.hpf")
        for item in root.iter():
            if _local(item.tag) == "item" and item.get("href", "").startswith("BinData/"):
                hrefs[item.get("id", "")] = item.get("href", "")
    for name in package.names:
        if name.startswith("BinData/"):
            hrefs.setdefault(PurePosixPath(name).stem, name)
    return hrefs


# --------------------------------------------------------------------------- walking sections

# Controls that carry no text of their own (page layout, numbering, anchors).
_SILENT_CTRLS = {
    "colPr",
    "pageNum",
    "autoNum",
    "newNum",
    "pageNumCtrl",
    "pageHiding",
    "bookmark",
    "indexmark",
    "fieldEnd",
}
_SILENT_RUN_CHILDREN = {"secPr", "linesegarray", "markpenBegin", "markpenEnd", "titleMark"}
_SHAPES_WITH_TEXT = {"rect", "ellipse", "arc", "polygon", "curve", "connectLine", "line", "textart"}
_FORM_CONTROLS = {"checkBtn", "radioBtn", "btn", "comboBox", "listBox", "edit", "scrollBar"}


@dataclass
class _Para:
    """One paragraph as read: its runs and what its style/shape say it is."""

    spans: list[Span]
    style: str
    shape: _ParaShape
    size: int  # dominant character height (1/100 pt)
    index: int  # 1-based paragraph number, for messages
    page_number: bool = False  # holds an automatic page number (footer decoration)
    style_shape: _ParaShape = _ParaShape()  # the paragraph style's own shape

    @property
    def indent_steps(self) -> int:
        """How many times the style's own left indent this paragraph is indented, less
        one: a nested quote's level (presspack indents each level by the style's step)."""
        step = self.style_shape.left
        return max(round(self.shape.left / step) - 1, 0) if step > 0 else 0

    @property
    def text(self) -> str:
        return to_inline(_trim(self.spans))

    @property
    def plain(self) -> str:
        return plain(self.text)

    @property
    def text_unbold(self) -> str:
        """The text without bold: a heading's bold is its style's look, not emphasis."""
        return to_inline(_trim([replace(s, bold=False) for s in self.spans]))


@dataclass
class _Table:
    rows: list[list[str]]
    index: int
    caption: str = ""
    aligns: list[list[str]] = field(default_factory=list)  # each cell's first paragraph's

    def column_align(self) -> tuple[Align, ...]:
        """GFM column alignment as presspack writes it: the header row is centred
        unless the column says otherwise; a column whose cells disagree has none."""
        if len(self.aligns) < 2:
            return ()
        out: list[Align] = []
        for c in range(len(self.aligns[0])):
            head = self.aligns[0][c]
            body = {row[c] for row in self.aligns[1:] if c < len(row) and row[c]}
            value: Align = ""
            if body == {"CENTER"} and head in ("CENTER", ""):
                value = "center"
            elif body == {"RIGHT"} and head in ("RIGHT", ""):
                value = "right"
            elif body == {"LEFT"} and head == "LEFT":
                value = "left"
            out.append(value)
        return tuple(out) if any(out) else ()


@dataclass
class _Image:
    src: str
    caption: str
    index: int


Piece = _Para | _Table | _Image


def _piece_texts(pieces: list[Piece]) -> list[str]:
    """The visible text of pieces (header/footer content), table cells included."""
    texts: list[str] = []
    for piece in pieces:
        if isinstance(piece, _Para):
            texts.append(" ".join(piece.plain.split()))
        elif isinstance(piece, _Table):
            texts.extend(" ".join(plain(c).split()) for row in piece.rows for c in row if plain(c).strip())
            if piece.caption:
                texts.append(plain(piece.caption))
        elif piece.caption:
            texts.append(plain(piece.caption))
    return texts


def _trim(spans: list[Span]) -> list[Span]:
    """Strip whitespace and line breaks at both ends of a paragraph."""
    out = list(spans)
    while out and (out[0].line_break or not out[0].text.strip()):
        out.pop(0)
    while out and (out[-1].line_break or not out[-1].text.strip()):
        out.pop()
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return out


def _nearest_p(p: Any, stop: Any) -> Any:
    """The closest ``hp:p`` above ``p`` and below ``stop`` (None: ``p`` is stop's own)."""
    node = p.getparent()
    while node is not None and node is not stop:
        if _local(node.tag) == "p":
            return node
        node = node.getparent()
    return None


class _Walker:
    """Document-order walk of the sections, with the state tracked changes need."""

    def __init__(self, package: Package, header: _Header) -> None:
        self.package = package
        self.header = header
        self.images = _image_hrefs(package)
        self.deleting: set[str] = set()  # open tracked deletions (deleteBegin Id)
        self.counter = 0
        self.header_texts: list[str] = []
        self.footer_texts: list[str] = []
        self.skipped: dict[str, int] = {}  # unknown objects without text
        self.kept: dict[str, int] = {}  # unknown objects whose paragraphs were read
        self.href = ""
        self.page_number = False
        self.header_cell = False  # inside a table header cell: bold is the cell's, not the text's
        self.code = False  # the current run is shaded as a code span

    # -- text runs -----------------------------------------------------------

    def _char(self, run: Any) -> tuple[bool, bool, int]:
        cid = run.get("charPrIDRef", "")
        bold = cid in self.header.bold and not self.header_cell
        self.code = cid in self.header.code
        return bold, cid in self.header.italic, self.header.size.get(cid, 1000)

    def _text(self, t: Any, bold: bool, italic: bool, spans: list[Span]) -> None:
        code = self.code

        def add(text: str | None) -> None:
            if text and not self.deleting:
                spans.append(Span(nfc(text), bold=bold, italic=italic, code=code, href=self.href))

        add(t.text)
        for child in t:
            tag = _local(child.tag)
            if tag == "lineBreak":
                if not self.deleting:
                    spans.append(Span("", line_break=True))
            elif tag == "tab":
                add("\t")
            elif tag == "nbSpace":
                add("\u00a0")
            elif tag == "fwSpace":
                add("\u3000")
            elif tag == "hyphen":
                add("\u00ad")
            elif tag == "deleteBegin":
                self.deleting.add(child.get("Id", "") or child.get("TcId", "") or "?")
            elif tag == "deleteEnd":
                self.deleting.discard(child.get("Id", "") or child.get("TcId", "") or "?")
            elif tag in ("insertBegin", "insertEnd", "markpenBegin", "markpenEnd", "titleMark"):
                pass
            elif len(child):
                self._text(child, bold, italic, spans)
            else:
                add(child.text)
            add(child.tail)

    # -- paragraphs ----------------------------------------------------------

    def paragraph(self, p: Any, out: list[Piece]) -> None:
        """Append ``p`` (and the tables/pictures anchored in it) to ``out``."""
        self.counter += 1
        index = self.counter
        style = self.header.styles.get(p.get("styleIDRef", ""))
        shape = self.header.paras.get(p.get("paraPrIDRef", ""), _ParaShape())
        names = (style.name + "|" + style.eng) if style else ""
        style_shape = self.header.paras.get(style.para_pr, _ParaShape()) if style else _ParaShape()
        spans: list[Span] = []
        sizes: dict[int, int] = {}
        self.page_number = False

        def flush() -> None:
            if any(s.text.strip() for s in spans):
                size = max(sizes, key=lambda k: sizes[k]) if sizes else 1000
                out.append(_Para(list(spans), names, shape, size, index, self.page_number, style_shape))
            spans.clear()
            sizes.clear()

        for run in p:
            tag = _local(run.tag)
            if tag != "run":
                if tag not in _SILENT_RUN_CHILDREN:
                    self._unknown(run, out)
                continue
            bold, italic, size = self._char(run)
            for child in run:
                ctag = _local(child.tag)
                if ctag == "t":
                    before = sum(len(s.text) for s in spans)
                    self._text(child, bold, italic, spans)
                    sizes[size] = sizes.get(size, 0) + sum(len(s.text) for s in spans) - before
                elif ctag == "ctrl":
                    self._ctrl(child, spans, out)
                elif ctag in ("footNote", "endNote"):
                    self._note(child, out)
                elif ctag == "tbl":
                    flush()
                    self.table(child, out)
                elif ctag == "pic":
                    flush()
                    self.picture(child, out)
                elif ctag == "container":
                    flush()
                    for inner in child:
                        self._object(inner, out)
                elif ctag in _SHAPES_WITH_TEXT:
                    flush()
                    self._object(child, out)
                elif ctag in _FORM_CONTROLS:
                    caption = (child.get("caption") or "").strip()
                    if caption:
                        # □/▣ as Korean forms print them: in the house fonts (KS X 1001), unlike ☐/☑
                        mark = {"CHECKED": "▣ ", "UNCHECKED": "□ "}.get(child.get("value", ""), "")
                        spans.append(Span(mark + caption + " ", bold=bold, italic=italic))
                elif ctag in _SILENT_RUN_CHILDREN:
                    continue
                else:
                    self._unknown(child, out)
        flush()

    def _ctrl(self, ctrl: Any, spans: list[Span], out: list[Piece]) -> None:
        for child in ctrl:
            tag = _local(child.tag)
            if tag in ("header", "footer"):
                pieces = [
                    piece
                    for piece in self._sublist_pieces(child)
                    if not (isinstance(piece, _Para) and piece.page_number)
                ]
                texts = _piece_texts(pieces)
                text = " ".join(t for t in texts if t.strip())
                if text:
                    (self.header_texts if tag == "header" else self.footer_texts).append(text)
            elif tag == "fieldBegin":
                if child.get("type", "").upper() == "HYPERLINK":
                    self.href = _hyperlink_target(child)
            elif tag == "fieldEnd":
                self.href = ""
            elif tag in ("footNote", "endNote"):
                self._note(child, out)
            elif tag in ("autoNum", "pageNum") and child.get("numType", "PAGE") in ("PAGE", "TOTAL_PAGE"):
                self.page_number = True
            elif tag in _SILENT_CTRLS:
                continue
            else:
                self._unknown(child, out)

    def _note(self, note: Any, out: list[Piece]) -> None:
        """Foot/endnote text follows the paragraph that refers to it (nothing is lost)."""
        out.extend(self._sublist_pieces(note))

    def _sublist_pieces(self, element: Any) -> list[Piece]:
        pieces: list[Piece] = []
        saved_href = self.href
        for sub in element:
            if _local(sub.tag) == "subList":
                for p in sub:
                    if _local(p.tag) == "p":
                        self.paragraph(p, pieces)
        self.href = saved_href
        return pieces

    def _object(self, element: Any, out: list[Piece]) -> None:
        tag = _local(element.tag)
        if tag == "pic":
            self.picture(element, out)
        elif tag == "tbl":
            self.table(element, out)
        elif tag == "container":
            for inner in element:
                self._object(inner, out)
        else:
            found = False
            for draw in element.iter(f"{{{HP}}}drawText"):
                found = True
                out.extend(self._sublist_pieces(draw))
            if (
                not found
                and tag not in _SHAPES_WITH_TEXT
                and tag
                not in (
                    "offset",
                    "orgSz",
                    "curSz",
                    "flip",
                    "rotationInfo",
                    "renderingInfo",
                    "sz",
                    "pos",
                    "outMargin",
                    "shapeComment",
                )
            ):
                self._unknown(element, out)

    def _unknown(self, element: Any, out: list[Piece]) -> None:
        """An element this reader does not know: keep any paragraphs inside, and say so."""
        tag = _local(element.tag)
        inner = [p for p in element.iter(f"{{{HP}}}p") if _nearest_p(p, element) is None]
        for p in inner:
            self.paragraph(p, out)
        target = self.kept if inner else self.skipped
        target[tag] = target.get(tag, 0) + 1

    # -- tables and pictures -------------------------------------------------

    def table(self, tbl: Any, out: list[Piece]) -> None:
        self.counter += 1
        index = self.counter
        cells: dict[tuple[int, int], str] = {}
        aligns: dict[tuple[int, int], str] = {}
        extra: list[Piece] = []  # pictures and nested content that cannot live in a cell
        n_rows = int(tbl.get("rowCnt", "0") or 0)
        n_cols = int(tbl.get("colCnt", "0") or 0)
        for r_index, tr in enumerate(c for c in tbl if _local(c.tag) == "tr"):
            c_index = 0
            for tc in (c for c in tr if _local(c.tag) == "tc"):
                addr = tc.find(f"{{{HP}}}cellAddr")
                row = int(addr.get("rowAddr", r_index)) if addr is not None else r_index
                col = int(addr.get("colAddr", c_index)) if addr is not None else c_index
                span = tc.find(f"{{{HP}}}cellSpan")
                col_span = int(span.get("colSpan", "1") or 1) if span is not None else 1
                c_index = col + col_span
                pieces: list[Piece] = []
                saved = self.header_cell
                self.header_cell = tc.get("header") == "1"
                for sub in tc:
                    if _local(sub.tag) == "subList":
                        for p in sub:
                            if _local(p.tag) == "p":
                                self.paragraph(p, pieces)
                self.header_cell = saved
                lines: list[str] = []
                for piece in pieces:
                    if isinstance(piece, _Para):
                        lines.append(piece.text)
                    elif isinstance(piece, _Table):
                        lines.extend(cell for row_cells in piece.rows for cell in row_cells if cell)
                        if piece.caption:
                            lines.append(piece.caption)
                    else:
                        extra.append(piece)
                cells[(row, col)] = "\\\n".join(line for line in lines if line)
                aligns[(row, col)] = next((p.shape.align for p in pieces if isinstance(p, _Para)), "")
                n_rows = max(n_rows, row + 1)
                n_cols = max(n_cols, col + col_span)
        rows = [[cells.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]
        grid = [[aligns.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]
        caption = self._caption(tbl)
        if any(cell for row in rows for cell in row) or caption:
            out.append(_Table(rows, index, caption, grid))
        out.extend(extra)

    def _caption(self, obj: Any) -> str:
        cap = obj.find(f"{{{HP}}}caption")
        if cap is None:
            return ""
        texts = [piece.text for piece in self._sublist_pieces(cap) if isinstance(piece, _Para)]
        return "\\\n".join(t for t in texts if t)

    def picture(self, pic: Any, out: list[Piece]) -> None:
        self.counter += 1
        img = pic.find(f"{{{HC}}}img")
        ref = img.get("binaryItemIDRef", "") if img is not None else ""
        member = self.images.get(ref, "")
        caption = self._caption(pic)
        if member:
            out.append(_Image(f"{self.package.path.name}#{member}", caption, self.counter))
        elif caption:
            out.append(_Para([Span(caption)], "", _ParaShape(), 1000, self.counter))

    def sections(self) -> Iterator[Piece]:
        for name in _section_names(self.package):
            root = parse_xml(self.package, name)
            pieces: list[Piece] = []
            for p in root:
                if _local(p.tag) == "p":
                    self.paragraph(p, pieces)
            yield from pieces


_COMMAND_TAIL = re.compile(r";\d+;\d+;\d+;?$")


def _hyperlink_target(field_begin: Any) -> str:
    command = ""
    for el in field_begin.iter():
        if _local(el.tag) == "stringParam":
            if el.get("name") == "Path" and (el.text or "").strip():
                return (el.text or "").strip()
            if el.get("name") == "Command" and el.text:
                command = el.text
    head = _COMMAND_TAIL.sub("", command).split("|", 1)[0].replace("\\:", ":").replace("\\;", ";")
    return head if re.match(r"^(https?|mailto|ftp):", head) else ""


# --------------------------------------------------------------------------- 보도자료 layout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", plain(text))


_DATE_RE = re.compile(r"(20\d\d|19\d\d)\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*[.일]?")
_PHONE_RE = re.compile(r"(\(?\+?\d[\d\-\s().]{6,}\d\)?)\s*$")
_CONTACT_LABELS = ("책임자", "담당자")
_SENDER_RE = re.compile(
    r"^(.{2,20}?(?:특별시|광역시|특례시|특별자치시|특별자치도|도|시|군|구|부|처|청|원|위원회|공사|공단))"
    r"(장|장관|청장|처장|원장|위원장|사장|이사장)$"
)


def ko_date(day: dt.date) -> str:
    """``2026. 11. 5.(목)`` (as render.layout writes it)."""
    return f"{day.year}. {day.month}. {day.day}.({'월화수목금토일'[day.weekday()]})"


def _parse_date(text: str) -> dt.date | None:
    m = _DATE_RE.search(plain(text))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass
class _Layout:
    """What the 보도자료 tables and lines gave."""

    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    date: dt.date | None = None
    press: bool = False  # a 보도자료 cover or release-time row was seen
    cover: bool = False  # the cover row was seen: a later 보도자료-only box is a title

    def scan(self, text: str, line: int) -> None:
        """Facts a line of a non-layout paragraph or cell shows (공문 and plain layouts)."""
        for part in text.split("\n"):
            squashed = re.sub(r"\s+", "", part)
            if not squashed:
                continue
            labelled = re.match(r"^\s*(시행|배포|보도|일시|일자|날짜|작성일|date)", part, re.IGNORECASE)
            if (
                self.date is None
                and len(part) < 80
                and _DATE_RE.search(part)
                and (labelled or len(part) < 40)
            ):
                self.date = _parse_date(part)
            sender = _SENDER_RE.match(squashed)
            if sender and len(squashed) <= 24:
                self.give("organization", sender.group(1), line)

    def give(self, key: str, value: str, line: int) -> None:
        value = value.strip()
        if value and key not in self.values:
            self.values[key] = (value, line)


def _cell_after(rows: list[list[str]], label: str) -> tuple[str, int, int] | None:
    """The first non-empty cell after the cell reading ``label`` (spaces ignored)."""
    want = re.sub(r"\s+", "", label)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if _squash(cell) == want:
                for value in row[c + 1 :]:
                    if _squash(value) and _squash(value) != want:
                        return value, r, c
                return "", r, c
    return None


def _layout_table(table: _Table, layout: _Layout, seen_title: bool) -> str:
    """Classify a table of the 보도자료 layout: "cover", "time", "title", "contact" or ""."""
    rows = table.rows
    flat = [_squash(c) for row in rows for c in row]
    if "보도자료" in flat and len(flat) <= 8 and not layout.cover:
        others = [plain(c).strip() for row in rows for c in row if _squash(c) and _squash(c) != "보도자료"]
        layout.press = True
        if len(others) <= 1:  # more would be lost as metadata: then it stays a table
            layout.cover = True
            if others:
                layout.give("organization", " ".join(others[0].split()), table.index)
            return "cover"
        return ""
    time_labels = ("보도시점", "보도일시", "보도일자", "보도")
    if any(label in flat for label in time_labels) and any(f.startswith("배포") for f in flat):
        at = next((v for v in (_cell_after(rows, lb) for lb in time_labels) if v), None)
        labels = ("배포", "배포일시", "배포일자")
        given = next((v for v in (_cell_after(rows, lb) for lb in labels) if v), None)
        _release_times(
            " ".join(plain(at[0]).split()) if at else "",
            " ".join(plain(given[0]).split()) if given else "",
            layout,
            table.index,
        )
        layout.press = True
        return "time"
    if (
        layout.press
        and any(f in ("담당부서", "담당부처") for f in flat)
        and any(f in _CONTACT_LABELS for f in flat)
    ):
        _contact_table(rows, layout, table.index)
        return "contact"
    cells = [c for row in rows for c in row if _squash(c)]
    if layout.press and not seen_title and len(cells) == 1 and len(rows) <= 2:
        parts = [p for p in cells[0].split("\\\n") if _squash(p)]
        if parts:
            layout.give("title", " ".join(plain(parts[0]).split()), table.index)
            subs = [_undash(" ".join(plain(p).split())) for p in parts[1:]]
            if subs:
                layout.give("subtitle", " ".join(subs), table.index)
            return "title"
    return ""


_EMBARGO_RE = re.compile(r"(?P<h>[01]?\d|2[0-3])\s*:\s*(?P<m>[0-5]\d)")


def _release_times(at: str, given: str, layout: _Layout, line: int) -> None:
    """The 보도시점 | … | 배포 | … row → release_time, distribution, date, embargo.

    The date is the 보도시점's (the day the news may run), else the 배포 date. A
    cell that only repeats the date stays empty (the layout prints the date
    there by default). A 보도시점 with a time (``2026. 10. 8.(목) 06:00 이후
    보도``) is an embargo, at Korean time, so the English release says
    EMBARGOED UNTIL; the cell is kept as written unless it is exactly the
    wording presspack prints for that embargo.
    """
    date = _parse_date(at) or _parse_date(given)
    if date is not None and layout.date is None:
        layout.date = date
    day = layout.date
    at_date = _parse_date(at)
    found = _DATE_RE.search(plain(at))
    moment = _EMBARGO_RE.search(plain(at)[found.end() :]) if found and at_date else None
    if at_date is not None and moment is not None:
        hour, minute = int(moment.group("h")), int(moment.group("m"))
        layout.give("embargo", f"{at_date.isoformat()}T{hour:02d}:{minute:02d}+09:00", line)
        if _squash(at) == _squash(f"{ko_date(at_date)} {hour:02d}:{minute:02d} 이후 보도"):
            at = ""
    if at and not (day is not None and _squash(at) == _squash(ko_date(day))):
        layout.give("release_time", at, line)
    if given and not (day is not None and _squash(given) == _squash(ko_date(day))):
        layout.give("distribution", given, line)


def _contact_table(rows: list[list[str]], layout: _Layout, line: int) -> None:
    """The contact table → department and the structured contact keys (manager,
    manager_phone, contact_person, contact_phone, contact_email) when it has the
    shape presspack writes (a 책임자 row, a 담당자 row, valid phones and e-mail);
    any other shape → the free-text ``contact`` lines, every cell's text kept."""
    dept = _cell_after(rows, "담당 부서") or _cell_after(rows, "담당부처")
    if dept and _squash(dept[0]) in _CONTACT_LABELS:
        dept = None  # the department cell is empty: the next label is no department
    if dept and dept[0]:
        layout.give("department", " ".join(plain(dept[0]).split()), line)
    dept_cell = _squash(dept[0]) if dept else ""
    skip = {"담당부서", "담당부처", "전화", *_CONTACT_LABELS}
    people: list[tuple[str, list[str], list[str]]] = []  # (label, cells after it, non-empty ones)
    for row in rows:
        squashed = [_squash(c) for c in row]
        label = next((lb for lb in _CONTACT_LABELS if lb in squashed), "")
        start = squashed.index(label) + 1 if label else 0
        cells = [
            "\n".join(" ".join(p.split()) for p in plain(c).split("\n") if p.strip()) for c in row[start:]
        ]
        rest = [
            cell
            for cell, q in zip(cells, squashed[start:], strict=True)
            if q and q not in skip and not (q == dept_cell and not label)
        ]
        if label or rest:
            people.append((label, cells, rest))
    structured = _structured_contact([(label, cells) for label, cells, rest in people if rest])
    if structured is not None:
        for key, value in structured.items():
            layout.give(key, value, line)
        return
    lines = [" ".join([label, *(" ".join(c.split()) for c in rest)]).strip() for label, _, rest in people]
    if lines:
        layout.give("contact", "\n".join(lines), line)


def _structured_contact(people: list[tuple[str, list[str]]]) -> dict[str, str] | None:
    """(책임자, [person, phone]) then (담당자, [person, phone\ne-mail]) → keys; None if
    the rows are not that shape (then nothing may be lost: free text it is)."""
    labels = [label for label, _ in people]
    if labels not in ([], ["책임자"], ["담당자"], ["책임자", "담당자"]):
        return None
    keys: dict[str, str] = {}
    for index, (label, cells) in enumerate(people):
        person, phone_cell, *more = [*cells, "", ""]
        phones = phone_cell.split("\n") if phone_cell else []
        if not person or "\n" in person or any(more):
            return None
        email = [p for p in phones if _EMAIL_RE.match(p)]
        numbers = [p for p in phones if _RELEASE_PHONE_RE.match(p)]
        last = index == len(people) - 1
        if len(email) + len(numbers) != len(phones) or len(numbers) > 1 or len(email) > int(last):
            return None
        if numbers and phones[0] != numbers[0]:
            return None  # the layout writes the phone first, then the e-mail
        prefix = "manager" if label == "책임자" else "contact"
        keys["manager" if prefix == "manager" else "contact_person"] = person
        if numbers:
            keys[f"{prefix}_phone"] = numbers[0]
        if email:
            keys["contact_email"] = email[0]
    return keys


def _style_kind(para: _Para) -> tuple[str, int]:
    """(kind, level) from the paragraph's style names and numbering shape."""
    names = [n.strip().lower() for n in para.style.split("|") if n.strip()]
    for name in names:
        if name in ("제목", "title", "문서 제목"):
            return "title", 0
        if name in ("부제목", "subtitle", "부제"):
            return "subtitle", 0
        m = re.fullmatch(r"(?:제목|heading|개요|outline)\s*(\d+)", name)
        if m:
            return "heading", min(max(int(m.group(1)), 1), 6)
        if name in ("캡션", "caption", "그림캡션", "표캡션"):
            return "caption", 0
        if name in ("인용", "인용문", "quote"):
            return "quote", 0
        if name in ("목록", "list"):  # presspack's list style: the marker is the text's start
            return "listed", 0
    shape = para.shape
    if shape.heading == "OUTLINE":
        return "heading", min(shape.level + 1, 6)
    if shape.heading == "NUMBER":
        return "ordered", shape.level
    if shape.heading == "BULLET":
        return "bullet", shape.level
    return "paragraph", 0


def _blocks(
    pieces: list[Piece], layout: _Layout, warnings: list[Problem], path: Path
) -> tuple[list[Block], list[Block], str]:
    """Pieces → body blocks (and 붙임 attachments), feeding layout facts to ``layout``."""
    body: list[Block] = []
    attachments: list[Block] = []
    attachments_title = ""
    target = body
    seen_title = False
    numbers: dict[int, int] = {}
    last_image: int | None = None
    contact: list[str] = []  # the newswire "Media contact" lines, once its label was seen
    pending_caption = ""
    following = {id(a): b for a, b in itertools.pairwise(pieces)}

    def next_is_table(piece: Piece) -> bool:
        return isinstance(following.get(id(piece)), _Table)

    for piece in pieces:
        if isinstance(piece, _Image):
            target.append(Block(kind="image", src=piece.src, text=piece.caption, line=piece.index))
            last_image = len(target) - 1
            continue
        if isinstance(piece, _Table):
            kind = _layout_table(piece, layout, seen_title)
            last_image = None
            if kind == "title":
                seen_title = True
            if kind:
                continue
            rows = tuple(tuple(row) for row in piece.rows)
            if pending_caption and not piece.caption:
                piece.caption = pending_caption
            pending_caption = ""
            for row in rows:
                cells = [c for c in row if _squash(c)]
                if len(cells) >= 2 and _squash(cells[0]) == "제목" and "title" not in layout.values:
                    layout.give("title", " ".join(plain(cells[1]).split()), piece.index)  # a 공문
                for cell in cells:
                    layout.scan(plain(cell), piece.index)
            target.append(
                Block(
                    kind="table", rows=rows, text=piece.caption, align=piece.column_align(), line=piece.index
                )
            )
            continue
        kind, level = _style_kind(piece)
        text = piece.text
        squashed = _squash(text)
        if kind == "paragraph" and _newswire(piece, text, body, layout, contact):
            continue
        if kind == "caption" and last_image is not None and not target[last_image].text:
            target[last_image] = replace(target[last_image], text=text)
            last_image = None
            continue
        if kind == "caption" and next_is_table(piece):
            pending_caption = _unwrap_caption(text)  # a table's caption is written above it
            continue
        if kind == "listed":
            item = _listed(piece)
            if item is not None:
                target.append(item)
                numbers = {}
                last_image = None
                continue
            kind = "paragraph"  # no marker: the style alone makes no list
        last_image = None
        if kind == "title" and "title" not in layout.values:
            layout.give("title", piece.plain, piece.index)
            seen_title = True
            continue
        if kind == "subtitle" and "subtitle" not in layout.values:
            layout.give("subtitle", piece.plain, piece.index)
            continue
        attachments_heading = kind == "heading" and _ATTACHMENTS_RE.match(piece.plain.strip())
        if (
            attachments_heading or re.fullmatch(r"[<\[(]?붙임\d*[>\])]?", squashed)
        ) and not attachments_title:
            attachments_title = piece.plain.strip()
            target = attachments
            continue
        m = re.match(r"^\s*제\s*목\s+(.+)$", piece.plain)
        if m and "title" not in layout.values and len(m.group(1)) < 200:
            layout.give("title", m.group(1).strip(), piece.index)  # a 공문's 제목 line
        if kind == "heading":
            target.append(Block(kind="heading", text=piece.text_unbold, level=level, line=piece.index))
        elif kind in ("ordered", "bullet"):
            if kind == "ordered":
                numbers = {k: v for k, v in numbers.items() if k <= level}
                numbers[level] = numbers.get(level, 0) + 1
            target.append(
                Block(
                    kind="list_item",
                    text=text,
                    level=level,
                    ordered=kind == "ordered",
                    number=numbers.get(level, 0) if kind == "ordered" else 0,
                    line=piece.index,
                )
            )
        elif kind == "quote":
            target.append(Block(kind="quote", text=text, level=piece.indent_steps, line=piece.index))
        else:
            target.append(Block(kind="paragraph", text=text, line=piece.index))
            layout.scan(piece.plain, piece.index)
        if kind not in ("ordered",):
            numbers = {} if kind != "bullet" else numbers
    if len(contact) > 1:
        _newswire_contact(contact[1:], layout)
    _ = (warnings, path)
    return body, attachments, attachments_title


_ATTACHMENTS_RE = re.compile(r"^(?:붙임|첨부|Attachments?|Annex(?:es)?|Enclosures?)\s*\d*\s*$")
_LIST_MARKER_RE = re.compile(r"^\s*(?:(?P<number>\d{1,9})[.)]|(?P<bullet>[^\w\s]{1,2}))\s+")
_CAPTION_WRAP_RE = re.compile(r"^\s*<\s*(.*?)\s*>\s*$", re.S)


def _unwrap_caption(text: str) -> str:
    """A table caption without the ``< … >`` the Korean house style prints around it."""
    m = _CAPTION_WRAP_RE.match(text)
    return m.group(1) if m and m.group(1) else text


def _listed(piece: _Para) -> Block | None:
    """A list item written by presspack: the marker (``3.``, ``□``) hangs before
    the text; the level is the first line's indent in list steps."""
    spans = _trim(piece.spans)
    lead = "".join(s.text for s in itertools.takewhile(lambda s: not s.line_break, spans))
    m = _LIST_MARKER_RE.match(lead)
    if not m or m.end() >= len(lead.rstrip()):
        return None
    rest = _drop_chars(spans, m.end())
    step = round(LIST_STEP_MM * HWPUNIT_PER_MM)
    level = max(round((piece.shape.left + piece.shape.indent) / step), 0)
    number = m.group("number")
    return Block(
        kind="list_item",
        text=to_inline(rest),
        level=level,
        ordered=number is not None,
        number=int(number) if number is not None else 0,
        line=piece.index,
    )


def _drop_chars(spans: list[Span], count: int) -> list[Span]:
    """``spans`` without their first ``count`` characters."""
    out: list[Span] = []
    for span in spans:
        if count <= 0 or span.line_break:
            out.append(span)
            continue
        if len(span.text) <= count:
            count -= len(span.text)
            continue
        out.append(replace(span, text=span.text[count:]))
        count = 0
    return out


_AP_DATE_RE = re.compile(
    r"(Jan\.|Feb\.|March|April|May|June|July|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)\s+(\d{1,2}),\s+(\d{4})$"
)
_AP_MONTHS = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
_DATELINE_RE = re.compile(r"^\*\*([A-Z][A-Z .'\-]+),\s*(.*?)\s*—\*\*\s*")
_CONTACT_LABEL_RE = re.compile(r"^(Media )?contacts?:?$", re.IGNORECASE)


_SUBTITLE_DASHES_RE = re.compile(r"^[-–—]\s*(.*?)(?:\s*[-–—])?$")
_AP_MOMENT_RE = re.compile(
    r"^(?P<month>[A-Z][a-z]+\.?) (?P<day>\d{1,2}), (?P<year>\d{4})"
    r"(?:, (?P<h>\d{2}):(?P<m>\d{2})(?: (?P<tz>KST|UTC|\(UTC[+-]\d{2}:\d{2}\)))?)?$"
)


def _undash(text: str) -> str:
    """A 보도자료 subtitle line without its ``- … -`` dashes (the layout prints them)."""
    m = _SUBTITLE_DASHES_RE.match(text.strip())
    return m.group(1) if m and m.group(1) else text.strip()


def _ap_moment(text: str) -> str:
    """``Nov. 5, 2026, 06:00 KST`` (as the layout prints an embargo) → ISO
    ``2026-11-05T06:00:00+09:00``; any other wording is kept as written."""
    m = _AP_MOMENT_RE.match(text.strip())
    if not m or m.group("month") not in _AP_MONTHS:
        return text.strip()
    try:
        day = dt.date(int(m.group("year")), _AP_MONTHS.index(m.group("month")) + 1, int(m.group("day")))
    except ValueError:
        return text.strip()
    if m.group("h") is None:
        return day.isoformat()
    offset = {"KST": "+09:00", "UTC": "+00:00", None: ""}.get(m.group("tz"))
    if offset is None:
        offset = m.group("tz")[4:-1]
    return f"{day.isoformat()}T{m.group('h')}:{m.group('m')}{offset}"


def _newswire_contact(lines: list[str], layout: _Layout) -> None:
    """The media contact lines → the structured keys when they have the shape the
    layout prints (person; "department, organization"; phone; e-mail — phone or
    e-mail present), else the free-text ``contact`` as written, line by line."""
    rest = list(lines)
    person = rest.pop(0) if rest and not _is_phone_or_email(rest[0]) else ""
    division = rest.pop(0) if rest and ", " in rest[0] and not _is_phone_or_email(rest[0]) else ""
    phone = rest.pop(0) if rest and _RELEASE_PHONE_RE.match(rest[0]) else ""
    email = rest.pop(0) if rest and _EMAIL_RE.match(rest[0]) else ""
    if not person or rest or not (phone or email):
        layout.give("contact", "\n".join(lines), 0)
        return
    layout.give("contact_person", person, 0)
    if division:
        known = layout.values.get("organization", ("", 0))[0]
        if known and division.endswith(", " + known):
            department, org = division[: -len(known) - 2], known
        else:
            department, _, org = division.rpartition(", ")
        layout.give("department", department, 0)
        layout.give("organization", org, 0)
    if phone:
        layout.give("contact_phone", phone, 0)
    if email:
        layout.give("contact_email", email, 0)


def _is_phone_or_email(text: str) -> bool:
    return bool(_RELEASE_PHONE_RE.match(text) or _EMAIL_RE.match(text))


def _newswire(piece: _Para, text: str, body: list[Block], layout: _Layout, contact: list[str]) -> bool:
    """English newswire lines that are metadata, not body text (True: consumed)."""
    line = " ".join(piece.plain.split())
    if contact:
        if not _END_MARK_RE.match(line):
            contact.extend(" ".join(part.split()) for part in piece.plain.split("\n") if part.strip())
        return True
    if _END_MARK_RE.match(line):
        return True
    if not body and line.upper() == "FOR IMMEDIATE RELEASE":
        return True
    m = re.match(r"^EMBARGOED UNTIL (.+)$", line)
    if m and not body:
        layout.give("embargo", _ap_moment(m.group(1)), piece.index)
        return True
    if _CONTACT_LABEL_RE.match(line):
        contact.append(line)
        return True
    m = _DATELINE_RE.match(text)
    if m and not any(b.kind == "paragraph" for b in body):
        city, rest = m.group(1).strip(), m.group(2).strip().rstrip(",")
        dm = _AP_DATE_RE.search(rest)
        if dm:
            rest = rest[: dm.start()].strip().rstrip(",")
            if layout.date is None:
                layout.date = dt.date(int(dm.group(3)), _AP_MONTHS.index(dm.group(1)) + 1, int(dm.group(2)))
        layout.give("dateline", city if rest in ("", "South Korea") else f"{city}, {rest}", piece.index)
        remainder = text[m.end() :]
        if remainder.strip():
            body.append(Block(kind="paragraph", text=remainder, line=piece.index))
        return True
    return False


# --------------------------------------------------------------------------- release


@dataclass(frozen=True)
class HwpxContent:
    """Everything read from an HWPX file, before it becomes a release."""

    blocks: tuple[Block, ...]
    attachments: tuple[Block, ...]
    attachments_title: str
    values: dict[str, tuple[str, int]]
    date: dt.date | None
    header_texts: tuple[str, ...]
    footer_texts: tuple[str, ...]
    skipped: dict[str, int]
    kept: dict[str, int] = field(default_factory=dict)


def read_hwpx(path: Path) -> HwpxContent:
    """Read an HWPX file into blocks and the metadata its layout shows."""
    package = open_package(path)
    try:
        header = _read_header(package)
        walker = _Walker(package, header)
        pieces = list(walker.sections())
        own_date = _own_date(package)
    finally:
        package.close()
    layout = _Layout(date=own_date)
    warnings: list[Problem] = []
    blocks, attachments, attachments_title = _blocks(pieces, layout, warnings, path)
    start = about_start(blocks)
    if start is not None:  # the newswire boilerplate is titled with its issuer's name
        about = re.match(r"^About\s+(.+)$", " ".join(plain(blocks[start].text).split()))
        generic = ("us", "the company", "the organization", "the organisation")
        if about and about.group(1).lower() not in generic:
            layout.give("organization", about.group(1), blocks[start].line)
    if "title" not in layout.values:
        heading = next((b for b in blocks if b.kind == "heading"), None)
        first = heading or next((b for b in blocks if b.kind == "paragraph"), None)
        if first is not None:
            layout.give("title", " ".join(plain(first.text).split()), first.line)
            if len(blocks) > 1:  # the headline is not body text too, unless it is all there is
                blocks.remove(first)
    return HwpxContent(
        blocks=tuple(blocks),
        attachments=tuple(attachments),
        attachments_title=attachments_title,
        values=dict(layout.values),
        date=layout.date,
        header_texts=tuple(walker.header_texts),
        footer_texts=tuple(walker.footer_texts),
        skipped=dict(walker.skipped),
        kept=dict(walker.kept),
    )


def _sidecar(path: Path) -> Path | None:
    """``<stem>.yaml`` beside the file, else ``release.yaml`` in its folder."""
    stem = path.name[: -len(path.suffix)]
    base = re.sub(r"\.(ko|en)$", "", stem)
    for name in (f"{stem}.yaml", f"{base}.yaml", "release.yaml"):
        candidate = path.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def _load_hwpx(path: Path, expected_lang: str | None) -> LoadedRelease:
    """An HWPX release: its layout's metadata, overridden by a release.yaml beside it."""
    from toolkit.sources.frontmatter import _parse_front_matter

    content = read_hwpx(path)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for tag, count in sorted(content.kept.items()):
        warnings.append(
            Problem(
                str(path),
                None,
                f"read the text of {count} '{tag}' object(s) this reader does not know",
                "check its place in the output against the document",
                "warning",
            )
        )
    for tag, count in sorted(content.skipped.items()):
        if count:
            warnings.append(
                Problem(
                    str(path),
                    None,
                    f"skipped {count} '{tag}' object(s) this reader does not know"
                    " (their text, if any, was kept)",
                    "check the output against the document",
                    "warning",
                )
            )
    values = dict(content.values)
    date = content.date
    if content.footer_texts:
        values.setdefault("copyright", (" ".join(content.footer_texts), 0))
    sidecar = _sidecar(path)
    if sidecar is not None:
        from toolkit.sources.decode import decode_source

        src = decode_source(sidecar)
        side_values, side_problems = _parse_front_matter(sidecar, src.text, 1)
        problems.extend(side_problems)
        if any(key in side_values for key in ("contact", *CONTACT_KEYS)):
            # the sidecar's contact replaces the document's whole (one contact style per release)
            values = {k: v for k, v in values.items() if k not in ("contact", *CONTACT_KEYS)}
        values.update(side_values)
        if "date" in side_values:
            date = None
    if date is not None and "date" not in values:
        values["date"] = (date.isoformat(), 0)
    blocks = list(content.blocks)
    if content.header_texts:
        # a page header has no place in a pack's layout: keep its text, first in the body
        blocks[:0] = [Block(kind="paragraph", text=escape(t)) for t in content.header_texts]
    if "title" not in values:
        values["title"] = (path.stem, 0)
        warnings.append(_missing(path, "title", "title", f"using the file name '{path.stem}'"))
    for key, what, fallback in (
        ("date", "date", "the pack shows none"),
        ("organization", "issuer", "using the house organization"),
        ("copyright", "copyright footer", "using the house footer"),
    ):
        if key not in values:
            warnings.append(_missing(path, key, what, fallback))
    text_for_detection = (
        "\n".join(v for v, _ in values.values())
        + "\n"
        + "\n".join(plain(t) for b in blocks for t in b.texts())
    )
    meta, translation_of = _meta_from_values(
        path, values, text_for_detection, expected_lang, problems, warnings
    )
    loaded = _finish(path, meta, blocks, translation_of, problems, warnings)
    if not content.attachments_title:
        return loaded
    release = replace(
        loaded.release,
        attachments=content.attachments,
        attachments_title=content.attachments_title,
    )
    return replace(loaded, release=release)


def _missing(path: Path, key: str, what: str, fallback: str) -> Problem:
    return Problem(
        str(path),
        None,
        f"the document shows no {what}; {fallback}",
        f"add '{key}: …' to {_sidecar_name(path)} beside it",
        "warning",
    )


def _sidecar_name(path: Path) -> str:
    return "release.yaml" if re.match(r"^release\.(ko|en)\.hwpx$", path.name, re.I) else path.stem + ".yaml"
