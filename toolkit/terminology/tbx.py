"""TBX-Basic export, TBX/CSV import and a merge that never overwrites silently.

Translators keep their termbases in CAT tools (Trados, memoQ, OmegaT); those
exchange TBX. This module turns ``glossary.csv`` into TBX-Basic (ISO 30042,
v2 ``<martif>`` layout, which every tool imports), reads TBX v2 or v3 (or
another CSV) back into :class:`~toolkit.glossary.Entry` rows, and merges them
into the approved glossary with a report of what was added and what conflicts.

Mapping (CSV ↔ TBX):

* rows sharing ``en`` and ``category`` → one ``termEntry``; the ko terms keep
  file order, the first is ``preferredTerm-admn-sts``, the rest
  ``admittedTerm-admn-sts`` (the glossary rule "first ko row is preferred");
* ``category`` → ``<descrip type="subjectField">``; ``note`` → ``<note>`` in
  the ko ``<tig>`` (per row, so synonyms keep their own notes);
* ``abbr`` → a second English term with ``termType`` ``abbreviation``
  (admitted); ``en_variants`` → further admitted English terms; import reads
  them back the same way (an English term typed ``abbreviation`` or
  ``acronym`` becomes ``abbr``, other admitted ones ``en_variants``);
* ``case``, the context rules (``not_near``/``only_near``) and each row's own
  ``en_variants`` have no TBX-Basic data category: they travel as notes of the
  row's ko ``<tig>`` (``presspack not_near: 세계 ~; 2차 ~``), which CAT tools show
  and keep, and import reads them back, so a glossary rebuilt from its TBX keeps
  the rules that stop 2차 세계 대전 from reading as Daejeon; extra CSV columns are
  not exported.

XML is parsed with expat directly: DOCTYPEs are tolerated but never fetched,
any ``<!ENTITY>`` declaration or unresolvable entity reference is refused, so
a hostile file cannot read local files, reach the network or expand entities;
file size and element depth are capped (``glossary_bytes``, ``xml_depth``).

Cells that a spreadsheet would run as formulas (CSV injection, see
:mod:`toolkit.terminology.csvsafe`) are neutralised with a leading ``'`` on
import (with a warning in the merge report) and whenever glossary.csv or a
TBX file is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.parsers import expat

from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.errors import GlossaryError, Problem, problem
from toolkit.core.limits import GLOSSARY_BYTES, XML_DEPTH, XML_ELEMENTS, LimitExceeded, read_bounded
from toolkit.terminology.csvsafe import formula_like, neutralise
from toolkit.terminology.glossary import CATEGORIES, Entry, Glossary

__all__ = [
    "Conflict",
    "MergeReport",
    "detect_csv_style",
    "export_tbx",
    "merge",
    "read_terms",
    "write_glossary_csv",
]

PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
_DEMOTED = frozenset({"deprecatedTerm-admn-sts", "supersededTerm-admn-sts"})
DEFAULT_CATEGORY = "term"  # for foreign TBX concepts without a subjectField
_ABBREVIATION_TYPES = frozenset({"abbreviation", "acronym", "shortForm", "initialism"})
BASE_COLUMNS: tuple[str, ...] = ("ko", "en", "category", "note")
_UTF8_BOM = b"\xef\xbb\xbf"


# --------------------------------------------------------------------------- export


def _check_xml_chars(glossary: Glossary) -> None:
    """XML 1.0 cannot carry most C0 controls; fail with the row instead of bad XML."""
    problems: list[Problem] = []
    for e in glossary.entries:
        for name, value in (("ko", e.ko), ("en", e.en), ("category", e.category), ("note", e.note)):
            bad = sorted({c for c in value if ord(c) < 0x20 and c not in "\t\n\r"})
            bad += sorted({c for c in value if c in "\ufffe\uffff"})
            if bad:
                codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
                problems.append(
                    problem(
                        glossary.path or "glossary",
                        e.line or None,
                        f"column {name} contains control character(s) {codes}",
                        "delete the invisible character(s) in the cell",
                    )
                )
    if problems:
        raise GlossaryError(problems)


def _esc(text: str) -> str:
    """Escape for element text *and* double-quoted attributes; CR kept as a reference."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
    )


def _concept_groups(entries: Sequence[Entry]) -> list[list[Entry]]:
    """Group rows by (en, category), groups ordered by first appearance."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        groups.setdefault((e.en, e.category), []).append(e)
    return list(groups.values())


def _concept_ids(groups: list[list[Entry]]) -> list[str]:
    """Ids derived from content, so re-exporting an edited glossary keeps them stable."""
    seen: set[str] = set()
    ids: list[str] = []
    for g in groups:
        digest = hashlib.sha1(f"{g[0].en}\0{g[0].category}".encode()).hexdigest()[:12]
        cid, n = f"c-{digest}", 1
        while cid in seen:  # a 48-bit collision: still unique and deterministic
            n += 1
            cid = f"c-{digest}-{n}"
        seen.add(cid)
        ids.append(cid)
    return ids


_FIELD_NOTE = "presspack "  # a note carrying a glossary column TBX-Basic has no place for


def _field_notes(entry: Entry) -> list[str]:
    """The row's columns without a TBX-Basic data category, as notes (see the module doc)."""
    notes = []
    if entry.case_insensitive:
        notes.append(f"{_FIELD_NOTE}case: insensitive")
    for column in ("en_variants", "not_near", "only_near"):
        values: tuple[str, ...] = getattr(entry, column)
        if values:
            notes.append(f"{_FIELD_NOTE}{column}: {'; '.join(values)}")
    return notes


def _read_field_notes(notes: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, str]]:
    """(the plain notes, the column values of presspack's field notes)."""
    plain: list[str] = []
    fields: dict[str, str] = {}
    for note in notes:
        key, sep, value = note.removeprefix(_FIELD_NOTE).partition(": ")
        if note.startswith(_FIELD_NOTE) and sep and key in ("case", "en_variants", "not_near", "only_near"):
            fields[key] = value.strip()
        else:
            plain.append(note)
    return tuple(plain), fields


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def export_tbx(glossary: Glossary) -> bytes:
    """Serialise the glossary as TBX-Basic v2 (UTF-8, LF, deterministic bytes)."""
    _check_xml_chars(glossary)
    source = Path(glossary.path).name if glossary.path else "glossary.csv"
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<martif type="TBX-Basic" xml:lang="en">',
        "  <martifHeader>",
        "    <fileDesc>",
        "      <sourceDesc>",
        f"        <p>presspack glossary export of {_esc(source)}</p>",
        "      </sourceDesc>",
        "    </fileDesc>",
        "    <encodingDesc>",
        '      <p type="XCSURI">TBXBasicXCSV02.xcs</p>',
        "    </encodingDesc>",
        "  </martifHeader>",
        "  <text>",
        "    <body>",
    ]
    groups = _concept_groups(glossary.entries)
    for cid, group in zip(_concept_ids(groups), groups, strict=True):
        first = group[0]
        out.append(f'      <termEntry id="{cid}">')
        out.append(f'        <descrip type="subjectField">{_esc(first.category)}</descrip>')
        out.append('        <langSet xml:lang="ko">')
        for i, e in enumerate(group):
            status = PREFERRED if i == 0 else ADMITTED
            out.append("          <tig>")
            out.append(f"            <term>{_esc(neutralise(e.ko))}</term>")
            out.append('            <termNote type="partOfSpeech">noun</termNote>')
            out.append(f'            <termNote type="administrativeStatus">{status}</termNote>')
            if e.note:
                out.append(f"            <note>{_esc(neutralise(e.note))}</note>")
            for field_note in _field_notes(e):
                out.append(f"            <note>{_esc(field_note)}</note>")
            out.append("          </tig>")
        out.append("        </langSet>")
        out.append('        <langSet xml:lang="en">')
        out.append("          <tig>")
        out.append(f"            <term>{_esc(neutralise(first.en))}</term>")
        out.append('            <termNote type="partOfSpeech">noun</termNote>')
        out.append(f'            <termNote type="administrativeStatus">{PREFERRED}</termNote>')
        out.append("          </tig>")
        abbr = next((e.abbr for e in group if e.abbr), "")
        if abbr:
            out.append("          <tig>")
            out.append(f"            <term>{_esc(abbr)}</term>")
            out.append('            <termNote type="termType">abbreviation</termNote>')
            out.append(f'            <termNote type="administrativeStatus">{ADMITTED}</termNote>')
            out.append("          </tig>")
        for variant in dict.fromkeys(v for e in group for v in e.en_variants):
            out.append("          <tig>")
            out.append(f"            <term>{_esc(variant)}</term>")
            out.append(f'            <termNote type="administrativeStatus">{ADMITTED}</termNote>')
            out.append("          </tig>")
        out.append("        </langSet>")
        out.append("      </termEntry>")
    out += ["    </body>", "  </text>", "</martif>", ""]
    return "\n".join(out).encode("utf-8")


# --------------------------------------------------------------------------- safe XML


@dataclass
class _Node:
    """A minimal element: name without namespace prefix, attributes, source line."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str | _Node] = field(default_factory=list)  # text and children, in order

    def text(self) -> str:
        """All descendant text (terms may contain ``<hi>`` markup)."""
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    def find(self, *tags: str) -> Iterator[_Node]:
        return (c for c in self.children if c.tag in tags)

    def iter(self, *tags: str) -> Iterator[_Node]:
        for c in self.children:
            if c.tag in tags:
                yield c
            yield from c.iter(*tags)


class _Refused(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line = line
        self.what = what


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _TooMany(_TooDeep):
    pass


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _parse_xml(data: bytes, path: Path) -> _Node:
    """Parse with expat: no DTD loading, no entity declarations, no network."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.UseForeignDTD(False)
    stack: list[_Node] = []
    root: list[_Node] = []

    max_depth = XML_DEPTH.value
    max_elements = XML_ELEMENTS.value
    elements = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        if len(stack) >= max_depth:
            raise _TooDeep(parser.CurrentLineNumber)
        elements[0] += 1
        if elements[0] > max_elements:
            raise _TooMany(parser.CurrentLineNumber)
        node = _Node(_local(name), dict(attrs), parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
            stack[-1].parts.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def data_(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    def entity_decl(name: str, *_args: object) -> None:
        raise _Refused(parser.CurrentLineNumber, f"entity declaration <!ENTITY {name}> refused")

    def skipped(name: str, _is_param: int) -> None:
        raise _Refused(parser.CurrentLineNumber, f"undefined entity &{name}; refused")

    def external_ref(*_args: object) -> int:
        raise _Refused(parser.CurrentLineNumber, "external entity reference refused")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data_
    parser.EntityDeclHandler = entity_decl
    parser.UnparsedEntityDeclHandler = entity_decl
    parser.SkippedEntityHandler = skipped
    parser.ExternalEntityRefHandler = external_ref
    fix = "export the termbase again from the CAT tool as TBX without DTD entities"
    try:
        parser.Parse(data, True)
    except _TooMany as exc:
        what = XML_ELEMENTS.message(f"the TBX file (more than {max_elements:,} elements)")
        raise GlossaryError(problem(path, exc.line, what, XML_ELEMENTS.fix)) from None
    except _TooDeep as exc:
        raise GlossaryError(
            problem(path, exc.line, XML_DEPTH.message("the TBX file"), XML_DEPTH.fix)
        ) from None
    except _Refused as exc:
        raise GlossaryError(problem(path, exc.line, f"unsafe XML: {exc.what}", fix)) from None
    except expat.ExpatError as exc:
        what = f"invalid XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})"
        raise GlossaryError(
            problem(path, exc.lineno, what, "fix the XML or export the TBX file again")
        ) from None
    return root[0]


# --------------------------------------------------------------------------- import


def _lang(node: _Node) -> str:
    """Primary language subtag: ``ko-KR`` → ``ko``, ``EN-us`` → ``en``."""
    value = node.attrs.get("xml:lang") or node.attrs.get("lang") or ""
    return value.split("-")[0].split("_")[0].strip().lower()


@dataclass(frozen=True)
class _Term:
    text: str
    status: str
    notes: tuple[str, ...]
    line: int
    term_type: str = ""  # TBX termType: "abbreviation", "acronym", "fullForm" …


def _nfc(text: str) -> str:
    """Terms from macOS tools may be NFD Hangul; the glossary compares NFC text."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _terms(lang_node: _Node) -> list[_Term]:
    """Terms of one langSet/langSec, preferred first, deprecated last (stable)."""
    terms: list[_Term] = []
    for holder in lang_node.find("tig", "ntig", "termSec"):
        term = next(holder.iter("term"), None)
        if term is None or not _nfc(term.text()):
            continue
        status = ""
        term_type = ""
        for tn in holder.iter("termNote"):
            if tn.attrs.get("type") == "administrativeStatus":
                status = tn.text().strip()
            elif tn.attrs.get("type") == "termType":
                term_type = tn.text().strip()
        notes = tuple(n for n in (_nfc(x.text()) for x in holder.iter("note")) if n)
        terms.append(_Term(_nfc(term.text()), status, notes, term.line, term_type))

    def rank(t: _Term) -> int:
        return 0 if t.status == PREFERRED else 2 if t.status in _DEMOTED else 1

    return sorted(terms, key=rank)


def _direct_notes(node: _Node) -> tuple[str, ...]:
    return tuple(n for n in (_nfc(x.text()) for x in node.find("note")) if n)


def _entries_from_tbx(root: _Node, path: Path) -> list[Entry]:
    if root.tag not in ("martif", "tbx"):
        raise GlossaryError(
            problem(path, root.line, f"root element <{root.tag}> is not TBX", "export as TBX")
        )
    entries: list[Entry] = []
    problems: list[Problem] = []
    for concept in root.iter("termEntry", "conceptEntry"):
        category = DEFAULT_CATEGORY
        for d in concept.find("descrip"):
            if d.attrs.get("type") == "subjectField":
                category = _nfc(d.text()).lower()
        ko: list[_Term] = []
        en: list[_Term] = []
        ko_notes: tuple[str, ...] = ()
        for ls in concept.find("langSet", "langSec"):
            if _lang(ls) == "ko":
                ko += _terms(ls)
                ko_notes += _direct_notes(ls)
            elif _lang(ls) == "en":
                en += _terms(ls)
        if not ko or not en:  # concepts for other language pairs are not ours
            continue
        if category not in CATEGORIES:
            problems.append(
                problem(
                    path,
                    concept.line,
                    f'unknown subjectField "{category}"',
                    "use one of: " + ", ".join(sorted(CATEGORIES)),
                )
            )
            continue
        fallback = ko_notes or _direct_notes(concept)
        short = [t for t in en if t.term_type in _ABBREVIATION_TYPES and t.status not in _DEMOTED]
        full = [t for t in en if t not in short]
        english = (full or en)[0].text  # preferred (sorted first) or first listed
        abbr = short[0].text if short and full else ""
        variants = tuple(t.text for t in full[1:] if t.status not in _DEMOTED and t.text != english)
        read = [(t, *_read_field_notes(t.notes)) for t in ko]
        noted = any("en_variants" in fields for _, _, fields in read)
        for t, notes, fields in read:
            note = "; ".join(notes or fallback)
            entries.append(
                Entry(
                    ko=t.text,
                    en=english,
                    category=category,
                    note=note,
                    line=t.line,
                    case_insensitive=fields.get("case") == "insensitive",
                    abbr=abbr,
                    # presspack's own export says which row had which variants; another
                    # tool's admitted English terms belong to every row of the concept
                    en_variants=_split(fields.get("en_variants", "")) if noted else variants,
                    not_near=_split(fields.get("not_near", "")),
                    only_near=_split(fields.get("only_near", "")),
                )
            )
    if problems:
        raise GlossaryError(problems)
    if not entries:
        raise GlossaryError(
            problem(path, None, "no Korean–English term pairs found", "export ko and en terms")
        )
    return entries


def _load_csv(path: Path) -> list[Entry]:
    """Another glossary CSV; formula-like cells are let through for the merge to neutralise."""
    from toolkit.terminology.glossary import load_glossary

    return list(load_glossary(path, check_formulas=False).entries)


def _looks_like_xml(data: bytes) -> bool:
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) : len(bom) + 200].decode(codec, "ignore").lstrip().startswith("<")
    return data.removeprefix(_UTF8_BOM).lstrip().startswith(b"<")


def read_terms(path: Path) -> list[Entry]:
    """Read a TBX (v2 ``martif`` or v3 ``tbx``) or CSV file; the content decides."""
    try:
        data = read_bounded(path, GLOSSARY_BYTES, subject="the file")
    except LimitExceeded as exc:
        raise GlossaryError(problem(path, None, exc.what, exc.limit.fix)) from None
    except OSError as exc:
        raise GlossaryError(
            problem(path, None, f"cannot read file: {exc.strerror}", "check the path")
        ) from None
    if not _looks_like_xml(data):
        return _load_csv(path)
    return _entries_from_tbx(_parse_xml(data, path), path)


# --------------------------------------------------------------------------- merge


@dataclass(frozen=True)
class Conflict:
    """Same Korean term, different English: the translator must decide."""

    ko: str
    existing_en: str
    incoming_en: str
    existing_line: int
    incoming_line: int


@dataclass(frozen=True)
class MergeReport:
    """What a merge did. ``added`` holds the incoming rows (lines in the incoming file);
    ``warnings`` name incoming cells neutralised against CSV injection."""

    added: tuple[Entry, ...]
    unchanged: int
    conflicts: tuple[Conflict, ...]
    warnings: tuple[Problem, ...] = ()


def _neutralised(entry: Entry, source: str) -> tuple[Entry, list[Problem]]:
    """The entry with formula-like cells prefixed by ``'`` (OWASP), and a warning per cell."""
    warnings: list[Problem] = []

    def clean(column: str, cell: str) -> str:
        if not formula_like(cell):
            return cell
        safe = neutralise(cell)
        warnings.append(
            Problem(
                source,
                entry.line or None,
                f"{column} '{cell[:80]}' would run as a formula in Excel; imported as '{safe[:81]}'",
                "check the term in the file it came from",
                severity="warning",
            )
        )
        return safe

    fixed = replace(
        entry,
        ko=clean("ko", entry.ko),
        en=clean("en", entry.en),
        note=clean("note", entry.note),
        abbr=clean("abbr", entry.abbr),
        en_variants=tuple(clean("en_variants", v) for v in entry.en_variants),
        not_near=tuple(clean("not_near", v) for v in entry.not_near),
        only_near=tuple(clean("only_near", v) for v in entry.only_near),
        extra=tuple((k, clean(k, v)) for k, v in entry.extra),
    )
    return (fixed, warnings) if warnings else (entry, [])


def merge(existing: Glossary, incoming: Sequence[Entry], *, source: str = "") -> tuple[Glossary, MergeReport]:
    """Append new ko terms; never overwrite an existing row.

    Keyed on the (NFC) Korean term: same ko + same en is unchanged even if the
    category or note differ (the approved row wins); same ko + other en is a
    conflict and the existing row stays. A new ko for an existing en is simply
    appended, i.e. after the existing rows, so the existing preferred ko stays
    preferred. Added rows get line numbers after the last existing line, as
    they would have once written out.
    """
    by_ko: dict[str, Entry] = {}
    for e in existing.entries:
        by_ko.setdefault(_nfc(e.ko), e)
    next_line = max((e.line for e in existing.entries), default=1) + 1
    merged = list(existing.entries)
    added: list[Entry] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    warnings: list[Problem] = []
    for original in incoming:
        inc, found = _neutralised(original, source)
        warnings.extend(found)
        key = _nfc(inc.ko)
        have = by_ko.get(key)
        if have is None:
            row = replace(inc, line=next_line)
            next_line += 1
            by_ko[key] = row
            merged.append(row)
            added.append(inc)
        elif _nfc(have.en) == _nfc(inc.en):
            unchanged += 1
        else:
            conflicts.append(Conflict(inc.ko, have.en, inc.en, have.line, inc.line))
    report = MergeReport(tuple(added), unchanged, tuple(conflicts), tuple(warnings))
    return Glossary(entries=tuple(merged), path=existing.path), report


# --------------------------------------------------------------------------- CSV writer


def detect_csv_style(path: Path) -> tuple[bool, str]:
    """(bom, newline) of an existing CSV, so a rewrite keeps what Excel users saved."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return False, "\n"
    newline = "\r\n" if b"\r\n" in head else "\n"
    return head.startswith(_UTF8_BOM), newline


def _columns(entries: Sequence[Entry]) -> list[str]:
    columns = list(BASE_COLUMNS)
    if any(e.case_insensitive for e in entries):
        columns.append("case")
    for name, used in (
        ("abbr", any(e.abbr for e in entries)),
        ("en_variants", any(e.en_variants for e in entries)),
        ("not_near", any(e.not_near for e in entries)),
        ("only_near", any(e.only_near for e in entries)),
    ):
        if used:
            columns.append(name)
    for e in entries:
        for name, value in e.extra:
            if name not in columns and (name or value.strip()):  # not Excel's empty last column
                columns.append(name)
    return columns


def _header_of(path: Path) -> list[str]:
    """The column names of an existing glossary, as lint reads them ([] if none)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return [h.strip().lower() for h in header]


def _row(e: Entry, columns: list[str]) -> list[str]:
    values = {"ko": e.ko, "en": e.en, "category": e.category, "note": e.note}
    values["case"] = "insensitive" if e.case_insensitive else ""
    values["abbr"] = e.abbr
    values["en_variants"] = "; ".join(e.en_variants)
    values["not_near"] = "; ".join(e.not_near)
    values["only_near"] = "; ".join(e.only_near)
    values.update(e.extra)
    return [neutralise(values.get(c, "")) for c in columns]  # never write a formula (CSV injection)


def write_glossary_csv(
    glossary: Glossary, path: Path, *, bom: bool | None = None, newline: str | None = None
) -> None:
    """Write atomically (temp file in the same folder + ``os.replace``).

    ``bom``/``newline`` default to the convention of the file being replaced
    (UTF-8 BOM and CRLF when Excel saved it), else UTF-8 without BOM and LF.
    The replaced file's permission bits are kept.
    """
    found_bom, found_newline = detect_csv_style(path)
    bom = found_bom if bom is None else bom
    newline = found_newline if newline is None else newline
    if newline not in ("\n", "\r\n"):
        raise ValueError(f"newline must be LF or CRLF, not {newline!r}")
    # the file's own columns stay, in its order (an empty standard column is part of the
    # translators' template); columns the rows need and it lacks are added after them
    needed = _columns(glossary.entries)
    kept = [c for c in _header_of(path) if c]
    columns = kept + [c for c in needed if c not in kept] if set(BASE_COLUMNS) <= set(kept) else needed
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(columns)
    writer.writerows(_row(e, columns) for e in glossary.entries)
    payload = (_UTF8_BOM if bom else b"") + buf.getvalue().encode("utf-8")
    write_bytes_atomic(path, payload)
