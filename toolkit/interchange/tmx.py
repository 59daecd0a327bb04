"""TMX 1.4b: the translation memory of one or more releases, for any CAT tool's TM.

One ``<tu>`` per memory segment that has a source and a target (a
translator's own additions and removed sentences are not translation
pairs). ``tuid`` is ``<release folder>/<segment id>``; properties carry what
import needs and what a TM manager filters on:

* on the ``<tu>``: ``x-presspack-release`` (the source file), ``x-presspack-name``
  (the release folder), ``x-presspack-segment`` (the stable id),
  ``x-presspack-unit`` (``body:paragraph:0``…), ``x-presspack-state``,
  ``x-presspack-src-sha`` / ``x-presspack-tgt-sha``;
* on the target ``<tuv>``: ``x-presspack-origin`` — ``machine`` (engine output
  nobody touched) or ``human`` (a person's post-edit).

``creationdate`` is the release date (never the clock), so the same memory
gives the same bytes. Inline formatting is ``<bpt>``/``<ept>`` with the
Markdown as native code (``**``, ``*``, ``[`` … ``](URL)``) and ``<ph>`` for code,
line breaks and paragraph breaks.

Reading groups the units by release and target language. A TMX that another
tool wrote (no presspack properties) can be imported into a release named on
the command line: its units are matched by source text, and never replace a
person's text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.core.errors import problem
from toolkit.interchange.segments import Exchange, Incoming, IncomingUnit
from toolkit.interchange.tags import Close, Event, Open, Point, Tag, TagKind, events_of, matched_ids
from toolkit.interchange.xmlio import XML_NS, ExchangeError, element, local, serialize

__all__ = ["read_tmx", "write_tmx"]

_MIXED = frozenset({"seg", "prop", "note"})
_NATIVE = {"bold": ("**", "**"), "italic": ("*", "*")}
_LINK_DATA = re.compile(r"^\]\((.*)\)$", re.DOTALL)


def _stamp(day: dt.date | None) -> str:
    return f"{day:%Y%m%d}T000000Z" if day is not None else ""


def write_tmx(exchanges: Sequence[Exchange]) -> bytes:
    """A TMX 1.4b memory of every translation in ``exchanges`` (deterministic bytes)."""
    langs = sorted({ex.source_lang for ex in exchanges})
    days = [ex.date for ex in exchanges if ex.date is not None]
    root = element("tmx", {"version": "1.4"})
    root.append(
        element(
            "header",
            {
                "adminlang": "en",
                "creationdate": _stamp(max(days)) if days else "",
                "creationtool": "presspack",
                "creationtoolversion": __version__,
                "datatype": "plaintext",
                "o-tmf": "presspack",
                "segtype": "sentence",
                "srclang": langs[0] if len(langs) == 1 else "*all*",
            },
        )
    )
    body = element("body")
    root.append(body)
    lang = f"{{{XML_NS}}}lang"
    for ex in exchanges:
        for seg in ex.segments:
            if not seg.target:
                continue
            tu = element(
                "tu",
                {
                    "creationdate": _stamp(ex.date),
                    "creationid": "presspack",
                    "srclang": ex.source_lang,
                    "tuid": f"{ex.name}/{seg.id}",
                },
            )
            props = {
                "x-presspack-name": ex.name,
                "x-presspack-release": ex.release,
                "x-presspack-segment": seg.id,
                "x-presspack-src-sha": seg.src_sha,
                "x-presspack-state": seg.state,
                "x-presspack-tgt-sha": seg.tgt_sha,
                "x-presspack-unit": seg.unit,
            }
            for key, value in props.items():
                tu.append(element("prop", {"type": key}, value))
            source_events = events_of(seg.source, markup=seg.markup)
            source = element("tuv", {lang: ex.source_lang})
            source.append(_seg(source_events))
            tu.append(source)
            target = element("tuv", {lang: ex.target_lang})
            target.append(element("prop", {"type": "x-presspack-origin"}, seg.origin))
            target.append(_seg(matched_ids(events_of(seg.target, markup=seg.markup), source_events)))
            tu.append(target)
            body.append(tu)
    return serialize(root, mixed=_MIXED)


def _seg(events: Sequence[Event]) -> Any:
    seg = element("seg")
    last: Any = None

    def text(value: str) -> None:
        if last is None:
            seg.text = (seg.text or "") + value
        else:
            last.tail = (last.tail or "") + value

    for e in events:
        if isinstance(e, str):
            text(e)
            continue
        tag = e.tag
        if isinstance(e, Open):
            native = "[" if tag.kind == "link" else _NATIVE.get(tag.kind, ("", ""))[0]
            last = element("bpt", {"i": str(tag.id), "type": tag.kind, "x": str(tag.id)}, native)
        elif isinstance(e, Close):
            native = f"]({tag.data})" if tag.kind == "link" else _NATIVE.get(tag.kind, ("", ""))[1]
            last = element("ept", {"i": str(tag.id)}, native)
        elif tag.kind == "code":
            last = element("ph", {"type": "x-code", "x": str(tag.id)}, tag.data)
        elif tag.kind == "break":
            last = element("ph", {"type": "lb", "x": str(tag.id)})
        else:
            last = element("ph", {"type": "x-paragraph", "x": str(tag.id)})
        seg.append(last)
    return seg


# --------------------------------------------------------------------------- reading


def read_tmx(root: Any, path: Path) -> list[Incoming]:
    """The units of a TMX file, one :class:`Incoming` per release and target language."""
    header = next((c for c in root if local(c) == "header"), None)
    body = next((c for c in root if local(c) == "body"), None)
    if body is None:
        raise ExchangeError(problem(path, None, "the TMX file has no <body>", "export it again"))
    header_src = header.get("srclang", "") if header is not None else ""
    groups: dict[tuple[str, str, str, str], list[IncomingUnit]] = {}
    for tu in body:
        if local(tu) != "tu":
            continue
        props = {c.get("type", ""): "".join(c.itertext()).strip() for c in tu if local(c) == "prop"}
        src_lang = tu.get("srclang") or header_src
        tuvs = [c for c in tu if local(c) == "tuv"]
        langs = [_tuv_lang(t) for t in tuvs]
        source = next((t for t, lang in zip(tuvs, langs, strict=True) if _same(lang, src_lang)), None)
        targets = [(t, lang) for t, lang in zip(tuvs, langs, strict=True) if t is not source]
        if source is None or not targets:
            continue
        release = props.get("x-presspack-release", "")
        name = props.get("x-presspack-name", "")
        seg_id = props.get("x-presspack-segment", "")
        if not seg_id and "/" in (tu.get("tuid") or "") and release:
            seg_id = (tu.get("tuid") or "").rsplit("/", 1)[1]
        for target, lang in targets:
            extra: list[str] = []
            seg_el = next((c for c in target if local(c) == "seg"), None)
            events = tuple(_events(seg_el, extra)) if seg_el is not None else None
            src_seg = next((c for c in source if local(c) == "seg"), None)
            key = (release, name, _short(src_lang), _short(lang))
            groups.setdefault(key, []).append(
                IncomingUnit(
                    id=seg_id,
                    events=events,
                    state=None,
                    src_sha=props.get("x-presspack-src-sha", ""),
                    tgt_sha=props.get("x-presspack-tgt-sha", ""),
                    source=" ".join("".join(_text_only(src_seg)).split()) if src_seg is not None else "",
                    line=tu.sourceline or 0,
                    extra=tuple(extra),
                )
            )
    if not groups:
        raise ExchangeError(problem(path, None, "the TMX file holds no translation units", "export it again"))
    return [
        Incoming(
            path=path,
            format="TMX 1.4b",
            release=release,
            name=name,
            source_lang=src,
            target_lang=tgt,
            units=tuple(units),
        )
        for (release, name, src, tgt), units in sorted(groups.items())
    ]


def _tuv_lang(tuv: Any) -> str:
    return str(tuv.get(f"{{{XML_NS}}}lang") or tuv.get("lang") or "")


def _short(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and _short(a) == _short(b)


def _text_only(seg: Any) -> list[str]:
    """The text of a ``<seg>`` without the native code inside its tags."""
    out = [seg.text or ""]
    for child in seg:
        if local(child) in ("hi",):
            out.extend(_text_only(child))
        out.append(child.tail or "")
    return out


_KINDS: dict[str, TagKind] = {"bold": "bold", "italic": "italic", "link": "link"}


def _events(seg: Any, extra: list[str]) -> list[Event]:
    out: list[Event] = []
    open_kinds: dict[str, Tag] = {}

    def walk(node: Any) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            name = local(child)
            native = "".join(child.itertext())
            i = child.get("i", "")
            x = child.get("x") or i
            ident = int(x) if x.isdigit() else 100_000 + len(open_kinds)
            if name == "bpt":
                kind = _KINDS.get(child.get("type", ""), "unknown")
                url = ""
                if kind == "link":
                    url = _link_url(seg, i)
                tag = Tag(ident, kind, url)
                open_kinds[i] = tag
                out.append(Open(tag))
            elif name == "ept":
                tag = open_kinds.get(i, Tag(ident, "unknown"))
                out.append(Close(tag))
            elif name == "ph":
                kind_name = child.get("type", "")
                if kind_name == "x-code":
                    out.append(Point(Tag(ident, "code", native)))
                elif kind_name == "lb":
                    out.append(Point(Tag(ident, "break")))
                elif kind_name == "x-paragraph":
                    out.append(Point(Tag(ident, "para")))
                else:
                    out.append(Point(Tag(ident, "unknown", native)))
            elif name == "hi":
                walk(child)
            elif name != "it":
                extra.append(f"an unknown element <{name}> in the target was ignored")
            if child.tail:
                out.append(child.tail)

    walk(seg)
    return out


def _link_url(seg: Any, i: str) -> str:
    for el in seg.iter():
        if local(el) == "ept" and el.get("i") == i:
            m = _LINK_DATA.match("".join(el.itertext()))
            return m.group(1) if m else ""
    return ""
