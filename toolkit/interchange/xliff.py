"""XLIFF 1.2 and 2.1: what CAT tools (Trados, memoQ, Phrase, OmegaT) exchange.

**1.2** (every big tool's own format is a 1.2 dialect): one ``<file>`` per
translation, one ``<group>`` per paragraph or field (``resname`` = the memory
unit, such as ``body:paragraph:0``), one ``<trans-unit>`` per memory segment:

* ``id``: the stable segment id; ``resname``: where it is ("body 3.2 (paragraph)");
* ``pp:src-sha`` / ``pp:tgt-sha`` / ``pp:origin`` (namespace
  ``urn:presspack:interchange:1``): the source and exported target hashes that
  import checks, and whether the target is machine output or a person's;
* ``<target state=…>``: ``needs-review-translation`` +
  ``state-qualifier="leveraged-mt"`` for machine output nobody has touched,
  ``translated`` for a person's text, ``final`` (+ ``approved="yes"``) for
  approved text, ``needs-review-translation`` for a person's text whose source
  changed (the machine suggestion in ``<alt-trans>``), ``new`` (and
  ``translate="no"``) for text a translator removed;
* ``<note>``: approved glossary terms, QA findings, review hints;
  ``<context-group>``: the translation file and line.

Inline formatting: ``<g ctype="bold|italic">``, links as ``<bpt ctype="link">[</bpt>``…
``<ept>](URL)</ept>`` (the URL is native code, never translatable text),
code spans as ``<ph ctype="x-code">``, hard line breaks ``<x ctype="lb"/>``, a
paragraph break inside a segment ``<x ctype="x-paragraph"/>``.

**2.1**: the same content in 2.x terms — ``<group>``/``<unit id>`` with one
``<segment state="initial|translated|final" subState="pp:…">``, hashes and origin
in the metadata module (``mda:metaGroup category="presspack"``), terms in the
glossary module (``gls:glossEntry``), the review suggestion in the translation
candidates module (``mtc:match``), inline ``<pc>`` / ``<ph>`` with native code
in ``<originalData>``.

Reading accepts what tools do to these files: other namespaces and
attributes, ``<mrk>`` segmentation markup, tags reduced to their ids,
``<bx>``/``<ex>``, ``<sc>``/``<ec>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from toolkit import __version__
from toolkit.core.errors import problem
from toolkit.core.inline import plain
from toolkit.interchange.notes import notes_of
from toolkit.interchange.segments import (
    Exchange,
    ExchangeSegment,
    Incoming,
    IncomingState,
    IncomingUnit,
)
from toolkit.interchange.tags import Close, Event, Open, Point, Tag, TagKind, events_of, matched_ids
from toolkit.interchange.xmlio import XML_NS, ExchangeError, element, local, serialize

__all__ = ["NS12", "NS20", "PP", "read_xliff", "write_xliff"]

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
PP = "urn:presspack:interchange:1"

XliffVersion = Literal["1.2", "2.1"]

_MIXED = frozenset({"source", "target", "note", "seg", "data", "context", "meta", "term", "translation"})
_LINK_DATA = re.compile(r"^\]\((.*)\)$", re.DOTALL)


def _lang_attr() -> str:
    return f"{{{XML_NS}}}lang"


# --------------------------------------------------------------------------- writing 1.2


_STATE12 = {
    "new": "new",
    "machine": "needs-review-translation",
    "needs-review": "needs-review-translation",
    "translated": "translated",
    "final": "final",
}


def write_xliff(ex: Exchange, version: XliffVersion = "1.2") -> bytes:
    """The XLIFF file of one translation (deterministic bytes)."""
    return _write12(ex) if version == "1.2" else _write21(ex)


def _write12(ex: Exchange) -> bytes:
    q = _q(NS12)
    root = element(q("xliff"), {"version": "1.2"}, nsmap={None: NS12, "pp": PP})
    file = element(
        q("file"),
        {
            "datatype": "x-markdown",
            "original": ex.release,
            "source-language": ex.source_lang,
            "target-language": ex.target_lang,
            "tool-id": "presspack",
            f"{{{PP}}}release": ex.name,
            f"{{{PP}}}target": ex.target_file,
        },
    )
    root.append(file)
    header = element(q("header"))
    header.append(
        element(q("tool"), {"tool-id": "presspack", "tool-name": "presspack", "tool-version": __version__})
    )
    header.append(element(q("note"), {"from": "presspack"}, _instructions(ex)))
    file.append(header)
    body = element(q("body"))
    file.append(body)
    group: Any = None
    group_index = -1
    for seg in ex.segments:
        if seg.group != group_index:
            group_index = seg.group
            group = element(q("group"), {"id": f"u{seg.group + 1}", "resname": seg.unit})
            body.append(group)
        group.append(_unit12(ex, seg, q))
    return serialize(root, mixed=_MIXED)


def _unit12(ex: Exchange, seg: ExchangeSegment, q: Any) -> Any:
    attrs = {
        "id": seg.id,
        "resname": seg.where,
        f"{{{PP}}}src-sha": seg.src_sha,
        f"{{{PP}}}tgt-sha": seg.tgt_sha,
        f"{{{PP}}}origin": seg.origin,
    }
    if seg.state == "final":
        attrs["approved"] = "yes"
    if seg.state == "new":
        attrs["translate"] = "no"
    unit = element(q("trans-unit"), attrs)
    source_events = events_of(seg.source, markup=seg.markup)
    source = element(q("source"), {_lang_attr(): ex.source_lang})
    _inline12(source, source_events, q)
    unit.append(source)
    target_attrs = {_lang_attr(): ex.target_lang, "state": _STATE12[seg.state]}
    if seg.state == "machine":
        target_attrs["state-qualifier"] = "leveraged-mt"
    target = element(q("target"), target_attrs)
    _inline12(target, matched_ids(events_of(seg.target, markup=seg.markup), source_events), q)
    unit.append(target)
    if seg.suggestion:
        alt = element(q("alt-trans"), {"origin": "presspack-mt"})
        suggestion = element(q("target"), {_lang_attr(): ex.target_lang, "state-qualifier": "mt-suggestion"})
        _inline12(suggestion, matched_ids(events_of(seg.suggestion, markup=seg.markup), source_events), q)
        alt.append(suggestion)
        unit.append(alt)
    for note in notes_of(seg, ex.target_file):
        unit.append(
            element(
                q("note"),
                {
                    "annotates": note.about,
                    "from": f"presspack-{note.category}",
                    "priority": str(note.priority),
                },
                note.text,
            )
        )
    if seg.line:
        context = element(q("context-group"), {"name": "location", "purpose": "location"})
        context.append(element(q("context"), {"context-type": "sourcefile"}, ex.target_file))
        context.append(element(q("context"), {"context-type": "linenumber"}, str(seg.line)))
        unit.append(context)
    return unit


def _instructions(ex: Exchange) -> str:
    return (
        f"presspack export of {ex.release} ({ex.source_lang} → {ex.target_lang}). Translate or edit the "
        "targets and keep the tags; set a segment to final to approve it. Import with: "
        f"presspack import FILE (the edits go into {ex.target_file} as a person's post-edits)."
    )


def _q(ns: str) -> Any:
    return lambda name: f"{{{ns}}}{name}"


class _Writer:
    """Appends text and elements to mixed content."""

    def __init__(self, root: Any) -> None:
        self.stack = [root]

    def text(self, text: str) -> None:
        el = self.stack[-1]
        if len(el):
            last = el[len(el) - 1]
            last.tail = (last.tail or "") + text
        else:
            el.text = (el.text or "") + text

    def add(self, child: Any, *, enter: bool = False) -> None:
        self.stack[-1].append(child)
        if enter:
            self.stack.append(child)

    def leave(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()


def _inline12(parent: Any, events: Sequence[Event], q: Any) -> None:
    w = _Writer(parent)
    for e in events:
        if isinstance(e, str):
            w.text(e)
        elif isinstance(e, Open):
            tag = e.tag
            if tag.kind == "link":
                w.add(element(q("bpt"), {"ctype": "link", "id": str(tag.id)}, "["))
            else:
                w.add(element(q("g"), {"ctype": tag.kind, "id": str(tag.id)}), enter=True)
        elif isinstance(e, Close):
            if e.tag.kind == "link":
                w.add(element(q("ept"), {"id": str(e.tag.id)}, f"]({e.tag.data})"))
            else:
                w.leave()
        else:
            tag = e.tag
            if tag.kind == "code":
                w.add(element(q("ph"), {"ctype": "x-code", "id": str(tag.id)}, tag.data))
            elif tag.kind == "break":
                w.add(element(q("x"), {"ctype": "lb", "id": str(tag.id)}))
            elif tag.kind == "para":
                w.add(element(q("x"), {"ctype": "x-paragraph", "id": str(tag.id)}))


# --------------------------------------------------------------------------- writing 2.1

_STATE21: dict[str, tuple[str, str]] = {
    "new": ("initial", "pp:removed"),
    "machine": ("initial", "pp:machine"),
    "needs-review": ("initial", "pp:needs-review"),
    "translated": ("translated", ""),
    "final": ("final", ""),
}


def _write21(ex: Exchange) -> bytes:
    q = _q(NS20)
    root = element(
        q("xliff"),
        {"srcLang": ex.source_lang, "trgLang": ex.target_lang, "version": "2.1"},
        nsmap={None: NS20, "gls": GLS, "mda": MDA, "mtc": MTC},
    )
    file = element(q("file"), {"id": "f1", "original": ex.release})
    root.append(file)
    file.append(
        _metadata({"release": ex.name, "target-file": ex.target_file, "tool": f"presspack {__version__}"})
    )
    notes = element(q("notes"))
    notes.append(element(q("note"), {"category": "instructions", "id": "n1"}, _instructions(ex)))
    file.append(notes)
    group: Any = None
    group_index = -1
    for seg in ex.segments:
        if seg.group != group_index:
            group_index = seg.group
            group = element(q("group"), {"id": f"u{seg.group + 1}", "name": seg.unit})
            file.append(group)
        group.append(_unit21(ex, seg, q))
    return serialize(root, mixed=_MIXED)


def _metadata(values: dict[str, str]) -> Any:
    meta = element(f"{{{MDA}}}metadata")
    group = element(f"{{{MDA}}}metaGroup", {"category": "presspack"})
    for key, value in values.items():
        group.append(element(f"{{{MDA}}}meta", {"type": key}, value))
    meta.append(group)
    return meta


def _unit21(ex: Exchange, seg: ExchangeSegment, q: Any) -> Any:
    unit = element(q("unit"), {"id": seg.id, "name": seg.where})
    if seg.suggestion:
        matches = element(f"{{{MTC}}}matches")
        match = element(f"{{{MTC}}}match", {"origin": "presspack", "ref": "#s1", "type": "mt"})
        match.append(element(q("source"), None, plain(seg.source) if seg.markup else seg.source))
        match.append(element(q("target"), None, plain(seg.suggestion) if seg.markup else seg.suggestion))
        matches.append(match)
        unit.append(matches)
    if seg.terms:
        glossary = element(f"{{{GLS}}}glossary")
        for src, tgt in seg.terms:
            entry = element(f"{{{GLS}}}glossEntry")
            entry.append(element(f"{{{GLS}}}term", {"source": "glossary.csv"}, src))
            entry.append(element(f"{{{GLS}}}translation", {"source": "glossary.csv"}, tgt))
            glossary.append(entry)
        unit.append(glossary)
    meta = {"src-sha": seg.src_sha, "tgt-sha": seg.tgt_sha, "origin": seg.origin, "state": seg.state}
    if seg.line:
        meta["location"] = f"{ex.target_file}:{seg.line}"
    unit.append(_metadata(meta))
    notes = notes_of(seg, ex.target_file)
    if notes:
        holder = element(q("notes"))
        for n, note in enumerate(notes, 1):
            holder.append(
                element(
                    q("note"),
                    {
                        "appliesTo": note.about if note.about != "general" else "",
                        "category": note.category,
                        "id": f"n{n}",
                        "priority": str(note.priority),
                    },
                    note.text,
                )
            )
        unit.append(holder)
    source_events = events_of(seg.source, markup=seg.markup)
    target_events = matched_ids(events_of(seg.target, markup=seg.markup), source_events)
    data: dict[str, str] = {}  # native code -> data id
    source = element(q("source"))
    _inline21(source, source_events, q, data)
    target = element(q("target"))
    _inline21(target, target_events, q, data)
    if data:
        original = element(q("originalData"))
        for code, ident in sorted(data.items(), key=lambda item: int(item[1][1:])):
            original.append(element(q("data"), {"id": ident}, code))
        unit.append(original)
    state, sub = _STATE21[seg.state]
    segment = element(q("segment"), {"id": "s1", "state": state, "subState": sub})
    segment.append(source)
    if seg.target:
        segment.append(target)
    unit.append(segment)
    return unit


def _data_ref(data: dict[str, str], code: str) -> str:
    if code not in data:
        data[code] = f"d{len(data) + 1}"
    return data[code]


def _inline21(parent: Any, events: Sequence[Event], q: Any, data: dict[str, str]) -> None:
    w = _Writer(parent)
    for e in events:
        if isinstance(e, str):
            w.text(e)
        elif isinstance(e, Open):
            tag = e.tag
            if tag.kind == "link":
                attrs = {
                    "dataRefEnd": _data_ref(data, f"]({tag.data})"),
                    "dataRefStart": _data_ref(data, "["),
                    "id": str(tag.id),
                    "type": "link",
                }
            else:
                attrs = {
                    "id": str(tag.id),
                    "subType": "xlf:b" if tag.kind == "bold" else "xlf:i",
                    "type": "fmt",
                }
            w.add(element(q("pc"), attrs), enter=True)
        elif isinstance(e, Close):
            w.leave()
        else:
            tag = e.tag
            if tag.kind == "code":
                w.add(
                    element(
                        q("ph"),
                        {
                            "dataRef": _data_ref(data, tag.data),
                            "id": str(tag.id),
                            "subType": "pp:code",
                            "type": "other",
                        },
                    )
                )
            elif tag.kind == "break":
                w.add(element(q("ph"), {"id": str(tag.id), "subType": "xlf:lb", "type": "fmt"}))
            elif tag.kind == "para":
                w.add(element(q("ph"), {"id": str(tag.id), "subType": "pp:paragraph", "type": "other"}))


# --------------------------------------------------------------------------- reading


def read_xliff(root: Any, path: Path) -> list[Incoming]:
    """Every ``<file>`` of an XLIFF 1.2 or 2.x document (``root`` parsed by xmlio)."""
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if ns == NS12 or (not ns and root.get("version") == "1.2"):
        return _read12(root, path, ns)
    if ns == NS20:
        version = root.get("version", "")
        if not version.startswith("2."):
            raise ExchangeError(
                problem(path, None, f"XLIFF version {version!r} is not 2.x", "export XLIFF 1.2 or 2.1 again")
            )
        return _read20(root, path, version)
    version = root.get("version", "?")
    raise ExchangeError(
        problem(path, None, f"XLIFF {version} is not supported", "export XLIFF 1.2 or 2.1 from your CAT tool")
    )


def _int_id(value: str | None, fallback: dict[str, int]) -> int:
    if value and value.isdigit():
        return int(value)
    key = value or ""
    if key not in fallback:
        fallback[key] = 100_000 + len(fallback)
    return fallback[key]


_STATES12_IN: dict[str, IncomingState] = {"final": "final", "signed-off": "final", "translated": "translated"}


def _read12(root: Any, path: Path, ns: str) -> list[Incoming]:
    q = _q(ns) if ns else (lambda name: name)
    files = [el for el in root if local(el) == "file"]
    if not files:
        raise ExchangeError(problem(path, None, "the XLIFF file has no <file> element", "export it again"))
    out: list[Incoming] = []
    for file in files:
        units: list[IncomingUnit] = []
        for tu in file.iter(q("trans-unit")):
            source = tu.find(q("source"))
            target = tu.find(q("target"))
            events: tuple[Event, ...] | None = None
            state: IncomingState | None = None
            extra: list[str] = []
            if target is not None:
                events = tuple(_events12(target, extra))
                value = target.get("state")
                if value:
                    state = _STATES12_IN.get(value, "open")
            if state is None and tu.get("approved") == "yes":
                state = "final"
            units.append(
                IncomingUnit(
                    id=tu.get("id", ""),
                    events=events,
                    state=state,
                    src_sha=tu.get(f"{{{PP}}}src-sha", ""),
                    tgt_sha=tu.get(f"{{{PP}}}tgt-sha", ""),
                    source=_plain_text(source),
                    line=tu.sourceline or 0,
                    extra=tuple(extra),
                )
            )
        out.append(
            Incoming(
                path=path,
                format="XLIFF 1.2",
                release=file.get("original", ""),
                name=file.get(f"{{{PP}}}release", ""),
                source_lang=file.get("source-language", ""),
                target_lang=file.get("target-language", ""),
                units=tuple(units),
            )
        )
    return out


def _plain_text(el: Any) -> str:
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())


_KIND12: dict[str, TagKind] = {"bold": "bold", "italic": "italic", "link": "link", "x-code": "code"}


def _events12(el: Any, extra: list[str]) -> list[Event]:
    out: list[Event] = []
    fallback: dict[str, int] = {}

    def walk(node: Any) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            name = local(child)
            ctype = child.get("ctype", "")
            ident = _int_id(child.get("id"), fallback)
            if name == "g":
                tag = Tag(ident, _KIND12.get(ctype, "unknown"))
                out.append(Open(tag))
                walk(child)
                out.append(Close(tag))
            elif name == "x":
                kind: TagKind = {"lb": "break", "x-paragraph": "para"}.get(ctype, "unknown")  # type: ignore[assignment]
                out.append(Point(Tag(ident, kind)))
            elif name in ("bpt", "bx"):
                ident = _int_id(child.get("rid") or child.get("id"), fallback)
                url = _link_url(el, ident, fallback)
                kind = "link" if ctype == "link" or url else "unknown"
                out.append(Open(Tag(ident, kind, url)))
            elif name in ("ept", "ex"):
                ident = _int_id(child.get("rid") or child.get("id"), fallback)
                out.append(Close(Tag(ident, "unknown")))
            elif name == "ph":
                text = "".join(child.itertext())
                if ctype == "x-code":
                    out.append(Point(Tag(ident, "code", text)))
                elif ctype == "lb":
                    out.append(Point(Tag(ident, "break")))
                else:
                    out.append(Point(Tag(ident, "unknown", text)))
            elif name == "mrk":
                walk(child)
            elif name not in ("it", "sub"):
                extra.append(f"an unknown element <{name}> in the target was ignored")
            if child.tail:
                out.append(child.tail)

    walk(el)
    return out


def _link_url(root: Any, ident: int, fallback: dict[str, int]) -> str:
    """The URL in the native code of the ``<ept>`` with id ``ident`` (``](https://…)``)."""
    for other in root.iter():
        if local(other) == "ept" and _int_id(other.get("rid") or other.get("id"), fallback) == ident:
            m = _LINK_DATA.match("".join(other.itertext()))
            return m.group(1) if m else ""
    return ""


_STATES20_IN: dict[str, IncomingState] = {
    "final": "final",
    "reviewed": "translated",
    "translated": "translated",
    "initial": "open",
}


def _read20(root: Any, path: Path, version: str) -> list[Incoming]:
    q = _q(NS20)
    out: list[Incoming] = []
    for file in root.findall(q("file")):
        name = _meta_value(file, "release", direct=True)
        units: list[IncomingUnit] = []
        for unit in file.iter(q("unit")):
            data = {d.get("id", ""): "".join(d.itertext()) for d in unit.iter(q("data"))}
            segments = unit.findall(q("segment"))
            events: list[Event] | None = None
            states: list[IncomingState] = []
            sources: list[str] = []
            extra: list[str] = []
            for segment in segments:
                sources.append(_plain_text(segment.find(q("source"))))
                target = segment.find(q("target"))
                if target is not None:
                    if events is None:
                        events = []
                    elif events:
                        events.append(" ")
                    events.extend(_events20(target, data, extra))
                value = segment.get("state")
                states.append(_STATES20_IN.get(value or "", "open") if value else "open")
            state: IncomingState | None = None
            if states:
                state = "open" if "open" in states else ("translated" if "translated" in states else "final")
                if all(segment.get("state") is None for segment in segments):
                    state = None
            units.append(
                IncomingUnit(
                    id=unit.get("id", ""),
                    events=tuple(events) if events is not None else None,
                    state=state,
                    src_sha=_meta_value(unit, "src-sha"),
                    tgt_sha=_meta_value(unit, "tgt-sha"),
                    source=" ".join(sources),
                    line=unit.sourceline or 0,
                    extra=tuple(extra),
                )
            )
        out.append(
            Incoming(
                path=path,
                format=f"XLIFF {version}",
                release=file.get("original", ""),
                name=name,
                source_lang=root.get("srcLang", ""),
                target_lang=root.get("trgLang", ""),
                units=tuple(units),
            )
        )
    if not out:
        raise ExchangeError(problem(path, None, "the XLIFF file has no <file> element", "export it again"))
    return out


def _meta_value(el: Any, key: str, *, direct: bool = False) -> str:
    holders = [c for c in el if c.tag == f"{{{MDA}}}metadata"] if direct else el.findall(f"{{{MDA}}}metadata")
    for meta in holders:
        for group in meta.iter(f"{{{MDA}}}metaGroup"):
            if group.get("category") != "presspack":
                continue
            for item in group.iter(f"{{{MDA}}}meta"):
                if item.get("type") == key:
                    return "".join(item.itertext()).strip()
    return ""


def _events20(el: Any, data: dict[str, str], extra: list[str]) -> list[Event]:
    out: list[Event] = []
    fallback: dict[str, int] = {}

    def walk(node: Any) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            name = local(child)
            ident = _int_id(child.get("id"), fallback)
            kind: TagKind
            if name == "pc":
                sub = child.get("subType", "")
                url = ""
                if child.get("type") == "link":
                    m = _LINK_DATA.match(data.get(child.get("dataRefEnd", ""), ""))
                    url = m.group(1) if m else ""
                    kind = "link"
                else:
                    kind = {"xlf:b": "bold", "xlf:i": "italic"}.get(sub, "unknown")  # type: ignore[assignment]
                tag = Tag(ident, kind, url)
                out.append(Open(tag))
                walk(child)
                out.append(Close(tag))
            elif name == "sc":
                url = ""
                kind = "unknown"
                if child.get("type") == "link":
                    kind = "link"
                elif child.get("subType") in ("xlf:b", "xlf:i"):
                    kind = "bold" if child.get("subType") == "xlf:b" else "italic"
                out.append(Open(Tag(ident, kind, url)))
            elif name == "ec":
                out.append(Close(Tag(_int_id(child.get("startRef") or child.get("id"), fallback), "unknown")))
            elif name == "ph":
                sub = child.get("subType", "")
                if sub == "xlf:lb":
                    out.append(Point(Tag(ident, "break")))
                elif sub == "pp:paragraph":
                    out.append(Point(Tag(ident, "para")))
                elif sub == "pp:code":
                    out.append(Point(Tag(ident, "code", data.get(child.get("dataRef", ""), ""))))
                else:
                    out.append(Point(Tag(ident, "unknown", data.get(child.get("dataRef", ""), ""))))
            elif name == "cp":
                try:
                    out.append(chr(int(child.get("hex", ""), 16)))
                except ValueError:
                    extra.append("a <cp> element with a bad code point was ignored")
            elif name == "mrk":
                walk(child)
            elif name not in ("sm", "em"):
                extra.append(f"an unknown element <{name}> in the target was ignored")
            if child.tail:
                out.append(child.tail)

    walk(el)
    return out
