"""Inline formatting of a segment as tags: the part XLIFF, TMX and the review DOCX share.

A segment is canonical inline Markdown (:mod:`toolkit.core.inline`). A CAT
tool must not show ``**`` or ``](https://…)`` as text to translate, so a
segment travels as text and *tags*: paired tags for bold, italic and links,
point tags for code spans, hard line breaks and the paragraph break inside a
segment whose text continues into the next paragraph (``"\\n\\n"`` in the
memory). Each format writes them its own way (XLIFF 1.2 ``<g>``/``<bpt>``/``<x>``,
XLIFF 2.1 ``<pc>``/``<ph>``, TMX ``<bpt>``/``<ph>``); this module is the one
conversion between Markdown and tags, so the formats cannot disagree.

Paired tags are always well nested (link outermost, then bold, then
italic): overlapping runs are closed and reopened, which reads back as the
same runs. Tag ids are numbers from 1 in order of appearance; a target's tags
take the id of the matching source tag (same kind and data first, then same
kind), as CAT tools expect.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from toolkit.core.inline import BREAK, Span, parse_inline, to_inline
from toolkit.core.normalize import nfc

__all__ = [
    "PARAGRAPH",
    "Close",
    "Event",
    "NativeChange",
    "Open",
    "Point",
    "Tag",
    "TagKind",
    "dropped_tags",
    "events_of",
    "matched_ids",
    "native_only",
    "resolve",
    "tags_of",
    "text_of",
]

TagKind = Literal["bold", "italic", "link", "code", "break", "para", "unknown"]  # unknown: see resolve
PAIRED: tuple[TagKind, ...] = ("link", "bold", "italic")  # nesting order, outermost first
PARAGRAPH = "\n\n"  # where a segment's text continues into the next paragraph


@dataclass(frozen=True)
class Tag:
    id: int
    kind: TagKind
    data: str = ""  # link: its URL; code: the code text


@dataclass(frozen=True)
class Open:
    tag: Tag


@dataclass(frozen=True)
class Close:
    tag: Tag


@dataclass(frozen=True)
class Point:
    tag: Tag


Event = str | Open | Close | Point


def events_of(text: str, *, markup: bool = True) -> list[Event]:
    """Canonical inline Markdown → text and well-nested tags (ids from 1).

    ``markup=False``: the text is plain (a meta field), one text event.
    """
    if not markup:
        return [text] if text else []
    events: list[Event] = []
    counter = [0]

    def new(kind: TagKind, data: str = "") -> Tag:
        counter[0] += 1
        return Tag(counter[0], kind, data)

    for index, piece in enumerate(text.split(PARAGRAPH)):
        if index:
            events.append(Point(new("para")))
        stack: list[Tag] = []
        for span in parse_inline(piece):
            if span.line_break:
                events.append(Point(new("break")))
                continue
            wanted: list[tuple[TagKind, str]] = []
            if span.href:
                wanted.append(("link", span.href))
            if span.bold:
                wanted.append(("bold", ""))
            if span.italic:
                wanted.append(("italic", ""))
            keep = 0
            while (
                keep < len(stack)
                and keep < len(wanted)
                and (stack[keep].kind, stack[keep].data) == wanted[keep]
            ):
                keep += 1
            while len(stack) > keep:
                events.append(Close(stack.pop()))
            for kind, data in wanted[keep:]:
                tag = new(kind, data)
                stack.append(tag)
                events.append(Open(tag))
            if span.code:
                events.append(Point(new("code", span.text)))
            elif span.text:
                events.append(span.text)
        while stack:
            events.append(Close(stack.pop()))
    return events


def tags_of(events: Iterable[Event]) -> list[Tag]:
    """The tags in order of appearance (opening and point tags)."""
    return [e.tag for e in events if isinstance(e, Open | Point)]


def matched_ids(target: Sequence[Event], source: Sequence[Event]) -> list[Event]:
    """``target`` with each tag renumbered to the id of its source counterpart."""
    free = tags_of(source)
    top = max((t.id for t in free), default=0)
    mapping: dict[int, int] = {}
    for tag in tags_of(target):
        match = next((s for s in free if (s.kind, s.data) == (tag.kind, tag.data)), None)
        if match is None:
            match = next((s for s in free if s.kind == tag.kind), None)
        if match is not None:
            free.remove(match)
            mapping[tag.id] = match.id
        else:
            top += 1
            mapping[tag.id] = top

    def renumbered(tag: Tag) -> Tag:
        return Tag(mapping.get(tag.id, tag.id), tag.kind, tag.data)

    out: list[Event] = []
    for e in target:
        if isinstance(e, Open):
            out.append(Open(renumbered(e.tag)))
        elif isinstance(e, Close):
            out.append(Close(renumbered(e.tag)))
        elif isinstance(e, Point):
            out.append(Point(renumbered(e.tag)))
        else:
            out.append(e)
    return out


def resolve(events: Sequence[Event], known: Sequence[Tag]) -> list[Event]:
    """Tags a tool kept only by id (no type, no URL, no code text) completed from ``known``,
    the tags the exported segment had with the same ids."""
    by_id: dict[int, Tag] = {}
    for tag in known:
        by_id.setdefault(tag.id, tag)

    def done(tag: Tag) -> Tag:
        ref = by_id.get(tag.id)
        if ref is None:
            return tag
        if tag.kind == "unknown" or (tag.kind == ref.kind and not tag.data and ref.data):
            return ref
        return tag

    out: list[Event] = []
    for e in events:
        if isinstance(e, Open):
            out.append(Open(done(e.tag)))
        elif isinstance(e, Close):
            out.append(Close(done(e.tag)))
        elif isinstance(e, Point):
            out.append(Point(done(e.tag)))
        else:
            out.append(e)
    return out


@dataclass(frozen=True)
class NativeChange:
    """A tag whose native code (a link's URL, a code span) was not the exported segment's."""

    kind: TagKind  # "link" or "code"
    given: str  # what the file said
    kept: str  # what the release keeps ("": the tag was left out)


def native_only(
    events: Sequence[Event], known: Sequence[Tag], *, code: bool = True
) -> tuple[list[Event], list[NativeChange]]:
    """``events`` with every link URL (and, with ``code``, every code span) one of ``known``'s.

    The native code of a tag is presspack's, not the translator's: a URL that is not one
    of the exported segment's own is put back to the URL of the exported tag with the same
    id, or, when there is none, the link is left out (its text stays). Nothing in an
    exchange file can give the release a URL it did not have. ``code=False`` where code
    is visible text the reviewer may edit (the review DOCX).
    """
    urls = {t.data for t in known if t.kind == "link" and t.data}
    codes = {t.data for t in known if t.kind == "code" and t.data}
    by_id: dict[int, Tag] = {}
    for tag in known:
        by_id.setdefault(tag.id, tag)
    changes: list[NativeChange] = []
    dropped: Counter[int] = Counter()
    out: list[Event] = []
    for e in events:
        if isinstance(e, Open) and e.tag.kind == "link" and e.tag.data and e.tag.data not in urls:
            ref = by_id.get(e.tag.id)
            if ref is not None and ref.kind == "link" and ref.data:
                changes.append(NativeChange("link", e.tag.data, ref.data))
                out.append(Open(ref))
            else:
                changes.append(NativeChange("link", e.tag.data, ""))
                dropped[e.tag.id] += 1
            continue
        if isinstance(e, Close) and dropped[e.tag.id]:
            dropped[e.tag.id] -= 1
            continue
        if code and isinstance(e, Point) and e.tag.kind == "code" and e.tag.data and e.tag.data not in codes:
            ref = by_id.get(e.tag.id)
            if ref is not None and ref.kind == "code" and ref.data:
                changes.append(NativeChange("code", e.tag.data, ref.data))
                out.append(Point(ref))
            else:
                changes.append(NativeChange("code", e.tag.data, ""))
            continue
        out.append(e)
    return out, changes


_WRAP = re.compile(r"[ \t]*[\r\n]+[ \t]*")  # a line end a tool or translator typed: a space


def text_of(events: Iterable[Event], *, markup: bool = True) -> str:
    """Text and tags (as read from an exchange file) → canonical inline Markdown.

    Tolerant of what tools do to tags: a closing tag that does not match the
    innermost open one closes its own tag wherever it is, unclosed tags end
    with the text, a line end typed in the text is a space (as in Markdown),
    the ends of each paragraph are stripped and the text is NFC. ``markup=False``
    gives plain text (tags add nothing).
    """
    pieces: list[list[Span]] = [[]]
    stack: list[Tag] = []
    for e in events:
        if isinstance(e, Open):
            stack.append(e.tag)
        elif isinstance(e, Close):
            for i in range(len(stack) - 1, -1, -1):
                if stack[i].id == e.tag.id or (e.tag.id == 0 and stack[i].kind == e.tag.kind):
                    del stack[i]
                    break
        elif isinstance(e, Point):
            kind = e.tag.kind
            if kind == "para":
                pieces.append([])
            elif kind == "break":
                pieces[-1].append(BREAK)
            elif kind == "code" and e.tag.data:
                pieces[-1].append(_span(e.tag.data, stack, code=True))
        elif e:
            pieces[-1].append(_span(_WRAP.sub(" ", e), stack))
    if not markup:
        return " ".join(
            " ".join("".join(" " if s.line_break else s.text for s in piece).split()) for piece in pieces
        ).strip()
    texts = [_inline(piece) for piece in pieces]
    return nfc(PARAGRAPH.join(t for t in texts if t))


def _inline(piece: list[Span]) -> str:
    """One paragraph's Markdown, every code span of it one of its own.

    Two code tags side by side (a tool's, or with a link between them left out) cannot
    always be written touching: in one look Markdown merges them, and an italic one after a
    letter cannot be written at all, so its italic goes and the two merge. Merged, they
    would be a code the segment never had: a space keeps them two.
    """
    text = to_inline(_trimmed(piece))
    codes = {s.text for s in piece if s.code}
    if all(s.text in codes for s in parse_inline(text) if s.code):
        return text
    spaced: list[Span] = []
    for span in piece:
        if span.code and spaced and spaced[-1].code:
            spaced.append(Span(" "))
        spaced.append(span)
    return to_inline(_trimmed(spaced))


def _span(text: str, stack: Sequence[Tag], *, code: bool = False) -> Span:
    links = [t.data for t in stack if t.kind == "link" and t.data]
    return Span(
        nfc(text),
        bold=any(t.kind == "bold" for t in stack),
        italic=any(t.kind == "italic" for t in stack),
        code=code,
        href=links[-1] if links else "",
    )


def _trimmed(spans: list[Span]) -> list[Span]:
    """No whitespace at the start or end of a piece (segments are stripped; tools pad)."""
    out = list(spans)
    while out and not out[0].line_break and not out[0].code and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].line_break and not out[-1].code and not out[-1].text.strip():
        out.pop()
    if out and not out[0].line_break and not out[0].code:
        out[0] = _with_text(out[0], out[0].text.lstrip())
    if out and not out[-1].line_break and not out[-1].code:
        out[-1] = _with_text(out[-1], out[-1].text.rstrip())
    return out


def _with_text(span: Span, text: str) -> Span:
    return Span(text, bold=span.bold, italic=span.italic, code=span.code, href=span.href)


def dropped_tags(before: str, after: str) -> list[Tag]:
    """Formatting ``before`` had that ``after`` lost: a link URL, a code span, or every bold,
    italic or line break (a translator may merge two bold runs, not drop bold altogether)."""
    old = [t for t in tags_of(events_of(before)) if t.kind != "para"]
    new = tags_of(events_of(after))
    lost: list[Tag] = []
    for tag in old:
        if tag.kind in ("link", "code"):
            same = [t for t in [*new, *lost] if t.kind == tag.kind and t.data == tag.data]
            if not same:
                lost.append(tag)
        elif not any(t.kind == tag.kind for t in new) and not any(t.kind == tag.kind for t in lost):
            lost.append(tag)
    return lost
