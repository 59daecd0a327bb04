"""Patching a translation file: only the lines of changed blocks and front matter keys change.

A translator's file keeps its own formatting (wrapping, markers, blank lines,
quoting style) and the diff shows exactly what presspack touched:

* a block whose text changed is rewritten in its own lines, with the file's
  indentation and list marker;
* blocks added or removed in the source are inserted or deleted where the
  aligned block sequences (old file ↔ new release) put them;
* front matter keys are patched, added or removed using their YAML node spans.

The result is read back before it is returned. Where a deletion let a neighbour
change its meaning (the list above takes in an indented paragraph, a numbered
list continues the numbering, a caption moves to the next table), a
:data:`SEPARATOR` line goes there, only where needed. If it still does not read
as the new release (a structure no local edit can express, e.g. an item that
gets its first text while the indented lines under it belong to its parent), the
body is written afresh below the patched front matter — the front matter and the
text stay right, the diff is larger.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from toolkit.core.document import Block, Meta, Release
from toolkit.core.errors import PresspackError
from toolkit.core.inline import escape
from toolkit.sources.markdown_document import Document, read_document, read_markdown_text
from toolkit.sources.markdown_reader import SECTIONS, Located, SectionName, item_prefix
from toolkit.sources.markdown_writer import (
    FRONT_MATTER_ORDER,
    BlockWriter,
    _interrupts,
    caption_lines,
    continuation,
    dump_markdown,
    heading_lines,
    heading_text,
    image_lines,
    meta_fields,
    section_heading,
    setext_lines,
    table_lines,
    text_lines,
    yaml_value,
)

if TYPE_CHECKING:
    from toolkit.sources.release import LoadedRelease

# every key the reader turns into a Meta field (translation_of is kept as written)
PATCHED_KEYS = tuple(key for key in FRONT_MATTER_ORDER if key != "translation_of")


def patch_markdown(old_text: str, old: Release, new: Release) -> str:
    """``old_text`` (read as ``old``) changed so that it reads as ``new``, touching only what changed.

    ``old_text`` has LF line endings and no BOM (see :func:`encode_like` for
    writing it back). Unknown front matter keys and ``translation_of`` are kept
    as they are.
    """
    text, _ = patch_markdown_verbose(old_text, old, new)
    return text


def patch_markdown_verbose(old_text: str, old: Release, new: Release) -> tuple[str, bool]:
    """:func:`patch_markdown`, and whether the minimal patch was used (False: body rewritten)."""
    if same_release(old, new):
        return old_text, True  # nothing to change (every no-op rebuild); unknown keys are kept anyway
    doc = read_document(old_text, old.source_path or "<markdown>")
    patch = _Patch(doc, old, new)
    text = patch.minimal()
    if text is not None and reads_as(text, new):
        return text, True
    text = patch.with_separators() if text is not None else None
    if text is not None:
        return text, True
    return patch.rewrite_body(), False


# A line that prints nothing (a link reference definition, the usual Markdown comment) and keeps
# two blocks apart: where a deleted block was all that kept the next block out of the list above
# it (an indented paragraph would continue the last item, a numbered list the numbering), or a
# table caption from the table after it.
SEPARATOR = '[//]: # "presspack: keeps the blocks above and below apart"'


# --------------------------------------------------------------------------- checking


_ONE_LINE = frozenset({"title", "subtitle", "manager", "contact_person", "release_time", "distribution"})


def _meta_key(meta: Meta) -> tuple[str, ...]:
    """Meta as the reader normalizes it (one-line fields' spaces collapsed, all stripped)."""
    return tuple(
        " ".join(_value(meta, key).split()) if key in _ONE_LINE else _value(meta, key).strip()
        for key in PATCHED_KEYS
    )


def _sections_key(release: Release) -> tuple[object, ...]:
    return (
        tuple(replace(b, line=0) for b in release.body),
        release.about_title,
        tuple(replace(b, line=0) for b in release.about),
        release.attachments_title,
        tuple(replace(b, line=0) for b in release.attachments),
    )


def same_release(a: Release, b: Release) -> bool:
    """Equal as a file says it: meta as the reader normalizes it, blocks regardless of line numbers."""
    return _meta_key(a.meta) == _meta_key(b.meta) and _sections_key(a) == _sections_key(b)


def reads_as(text: str, release: Release) -> bool:
    """Does Markdown ``text`` read back as ``release``?"""
    try:
        loaded: LoadedRelease = read_markdown_text(text, release.source_path or "<markdown>")
    except PresspackError:
        return False
    return same_release(loaded.release, release)


# --------------------------------------------------------------------------- the patch


def _value(meta: Meta, key: str) -> str:
    if key == "date":
        return meta.date.isoformat() if meta.date else ""
    return str(getattr(meta, key))


def _blocks(release: Release, section: SectionName) -> tuple[Block, ...]:
    return {"body": release.body, "about": release.about, "attachments": release.attachments}[section]


def _title(release: Release, section: SectionName) -> str:
    return {"body": "", "about": release.about_title, "attachments": release.attachments_title}[section]


@dataclass(frozen=True)
class _Piece:
    """Lines to insert; blank lines are added around them where the neighbours need one."""

    lines: list[str]
    blank_before: bool
    blank_after: bool


@dataclass
class _Entry:
    """A block of the new release as placed in the file (kept, rewritten or inserted)."""

    section: SectionName
    block: Block
    prefix: str  # list items: their marker prefix as written
    loc: Located | None = None  # where it is in the old file (None: inserted)


class _Conflict(Exception):
    """Two edits touch the same lines: the minimal patch cannot be made."""


class _Patch:
    def __init__(self, doc: Document, old: Release, new: Release) -> None:
        self.doc = doc
        self.old = old
        self.new = new
        self.lines = doc.lines
        self.replaces: dict[int, tuple[int, list[str]]] = {}
        self.inserts: dict[int, list[_Piece]] = {}
        self.new_heads: dict[SectionName, str] = {}  # headings of sections the file lacks
        # an item whose marker line holds a nested block ("- > q"): lines that go before that
        # line, and the marker prefix on it that becomes indentation (or a new number)
        self.splits: dict[int, tuple[list[str], str, str]] = {}
        self.seams: list[int] = []  # kept blocks a list above may take in (see :meth:`seam`)
        # inserted tables a caption above may take for its own (see :meth:`with_separators`)
        self.table_seams: list[int] = []  # ids of their _Piece
        self.above: dict[int, list[str]] = {}  # a new table caption: right above its table's line

    # -- collecting edits

    def replace_lines(self, start: int, end: int, lines: list[str]) -> None:
        if start in self.replaces or any(s < end and start < e for s, (e, _) in self.replaces.items()):
            raise _Conflict
        self.replaces[start] = (end, lines)

    def delete(self, start: int, end: int) -> None:
        """Delete lines; one blank line goes with them when blank lines surround them."""
        if start == end:
            return
        blank_before = start <= self.doc.body_start or not self.lines[start - 1].strip()
        if blank_before and end < len(self.lines) - 1 and not self.lines[end].strip():
            end += 1
        self.replace_lines(start, end, [])

    def insert(
        self, at: int, lines: list[str], *, blank_before: bool = False, blank_after: bool = False
    ) -> _Piece:
        piece = _Piece(lines, blank_before, blank_after)
        self.inserts.setdefault(at, []).append(piece)
        return piece

    def apply(
        self, *, front_only: bool = False, separators: Sequence[int] = (), before: Sequence[int] = ()
    ) -> str:
        """The file with the edits made (``front_only``: only those in the front matter;
        ``separators``: lines to put :data:`SEPARATOR` before; ``before``: ids of inserted
        pieces to put it before)."""
        out: list[str] = []
        i = 0
        n = len(self.lines)
        inserts = {k: list(v) for k, v in self.inserts.items()}
        for at in separators:
            inserts.setdefault(at, []).append(_Piece([SEPARATOR], True, True))
        for start, (end, lines) in sorted(self.replaces.items()):
            if any(start < at < end for at in (*self.splits, *self.above)):
                raise _Conflict  # the line a nested block or table starts on went with another edit
            for at in sorted(a for a in inserts if start < a < end):
                if lines:
                    raise _Conflict
                # inside deleted lines (a blank line that went with a block): insert after them
                inserts[end] = inserts.pop(at) + inserts.get(end, [])
        while i <= n:
            active = not front_only or i < self.doc.body_start
            pieces = inserts.get(i, []) if active else []
            for piece in pieces:
                if id(piece) in before:
                    if out and out[-1].strip():
                        out.append("")
                    out.extend([SEPARATOR, ""])
                if piece.blank_before and out and out[-1].strip():
                    out.append("")
                out.extend(piece.lines)
            replacing = i in self.replaces and active
            current = self.replaces[i][1] if replacing else self.lines[i : i + 1]
            split = self.splits.get(i) if active and i < n else None
            if split is not None:
                above, old_prefix, new_prefix = split
                if current:
                    if not current[0].startswith(old_prefix):
                        raise _Conflict
                    current = [new_prefix + current[0][len(old_prefix) :], *current[1:]]
                current = [*above, *current]
            caption = self.above.get(i) if active and i < n else None
            if caption:  # after any block inserted here: the caption stays next to its table
                if not pieces and out and out[-1].strip():
                    out.append("")
                current = [*caption, *current]
            text_follows = bool(current) and bool(current[0].strip())
            if pieces and pieces[-1].blank_after and out and out[-1].strip() and text_follows:
                out.append("")
            if i == n:
                break
            out.extend(current)
            i = self.replaces[i][0] if replacing else i + 1
        return "\n".join(out)

    def with_separators(self) -> str | None:
        """The minimal patch with :data:`SEPARATOR` lines at the deletions that need one, and
        before the inserted tables that need one (a caption written under the table above
        would read as the new table's), or None."""
        if not self.seams and not self.table_seams:
            return None
        try:
            self.seams.sort()
            text = self.apply(separators=self.seams, before=self.table_seams)
            if not reads_as(text, self.new):
                return None
            lines, pieces = list(self.seams), list(self.table_seams)
            for seam in self.seams:  # only where the file reads wrong without it
                fewer = [at for at in lines if at != seam]
                trial = self.apply(separators=fewer, before=pieces)
                if reads_as(trial, self.new):
                    lines, text = fewer, trial
            for piece in self.table_seams:
                others = [p for p in pieces if p != piece]
                trial = self.apply(separators=lines, before=others)
                if reads_as(trial, self.new):
                    pieces, text = others, trial
        except _Conflict:
            return None
        return text

    def rewrite_body(self) -> str:
        """The safety net: the patched front matter, then the body written afresh."""
        self.replaces = {k: v for k, v in self.replaces.items() if k < self.doc.body_start}
        self.inserts = {k: v for k, v in self.inserts.items() if k < self.doc.body_start}
        try:
            head = self.apply(front_only=True).split("\n")
        except _Conflict:
            head = list(self.lines)
        head = head[: len(head) - (len(self.lines) - self.doc.body_start)]
        dumped = dump_markdown(self.new).split("\n")
        close = dumped.index("---", 1)
        body = dumped[close + 1 :]
        if self.doc.title is not None:
            body = ["", "# " + escape(self.new.meta.title), *body]
        if self.doc.front is None:
            return "\n".join(dumped[: close + 1] + body)
        return "\n".join(head + body)

    # -- front matter and title

    def front_matter(self) -> None:
        doc, old, new = self.doc, self.old.meta, self.new.meta
        title_in_h1 = doc.title is not None
        if title_in_h1 and doc.title is not None and old.title != new.title:
            loc = doc.title
            block = replace(loc.block, text=escape(new.title))
            self.rewrite_heading(loc, block, "body")
        if doc.front is None:
            fields = [(k, v) for k, v in meta_fields(self.new) if not (k == "title" and title_in_h1)]
            lines = ["---", *(ln for k, v in fields for ln in f"{k}: {yaml_value(v)}".split("\n")), "---"]
            self.insert(0, lines, blank_after=True)
            return
        keys = doc.front.keys
        for key in PATCHED_KEYS:
            if key == "title" and title_in_h1:
                continue
            before, after = _value(old, key), _value(new, key)
            if before == after:
                continue
            lines = f"{key}: {yaml_value(after)}".split("\n") if after else []
            if key in keys:
                first, last = keys[key]
                self.replace_lines(first, last + 1, lines)
            elif lines:
                self.insert(self.key_position(key), lines)

    def key_position(self, key: str) -> int:
        """Where a missing key goes: after the nearest key that precedes it in the writer's order."""
        assert self.doc.front is not None
        keys = self.doc.front.keys
        order = FRONT_MATTER_ORDER
        for earlier in reversed(order[: order.index(key)]):
            if earlier in keys:
                return keys[earlier][1] + 1
        return 1

    # -- blocks

    def minimal(self) -> str | None:
        try:
            self.front_matter()
            self.body()
            return self.apply()
        except _Conflict:
            return None

    def body(self) -> None:
        doc = self.doc
        old_items = [(sec, loc) for sec in SECTIONS for loc in doc.body.sections[sec]]
        new_items = [(sec, b) for sec in SECTIONS for b in _blocks(self.new, sec)]
        ops = _align(
            [(sec, replace(loc.block, line=0)) for sec, loc in old_items],
            [(sec, replace(b, line=0)) for sec, b in new_items],
        )
        self.heads()
        following: list[int | None] = [None] * len(ops)  # the next old block kept after each op
        upcoming: int | None = None
        for index in range(len(ops) - 1, -1, -1):
            following[index] = upcoming
            if ops[index][0] != "delete" and ops[index][0] != "insert":
                upcoming = ops[index][1]
        placed: list[_Entry] = []
        inserted: list[tuple[int, int, list[str]]] = []  # (anchor, index in placed, lines)
        last_old: dict[SectionName, Located] = {}
        for index, (op, i, j) in enumerate(ops):
            if op == "delete":
                assert i is not None
                loc = old_items[i][1]
                self.delete(*loc.own)
                if loc.caption is not None:
                    self.delete(*loc.caption)
                self.seam(old_items, following[index])
                continue
            assert j is not None
            section, block = new_items[j]
            if op == "insert":
                entry, lines = self.render(block, section, placed)
                nxt = following[index]
                anchor = self.anchor(
                    section, last_old.get(section), old_items[nxt] if nxt is not None else None
                )
                inserted.append((anchor, len(placed), lines))
                placed.append(entry)
                continue
            assert i is not None
            loc = old_items[i][1]
            before = placed[-1] if placed else None
            prefix = self.rewrite(loc, block, section, before) if op == "edit" else loc.prefix
            if op == "edit" and block.kind == "list_item":
                self.seam(old_items, following[index])
            placed.append(_Entry(section, block, prefix, loc))
            last_old[section] = loc
        for anchor, at, lines in inserted:
            self.add_heads(placed[at].section)
            before = placed[at - 1] if at > 0 else None
            after = placed[at + 1] if at + 1 < len(placed) else None
            entry = placed[at]
            piece = self.insert(
                anchor,
                lines,
                blank_before=not _tight(before, entry),
                blank_after=after is None or not _tight(entry, after),
            )
            if entry.block.kind == "table":
                self.table_seams.append(id(piece))
        self.add_heads("attachments")

    def seam(self, old_items: Sequence[tuple[SectionName, Located]], following: int | None) -> None:
        """Note the kept block after a deletion or an edited item: if the list above now
        takes it in (an indented block continues an item that got text or lost its
        neighbour), :meth:`with_separators` puts :data:`SEPARATOR` before it."""
        if following is None:
            return
        loc = old_items[following][1]
        if not loc.in_item:
            start = min(loc.own[0], loc.caption[0]) if loc.caption is not None else loc.own[0]
            if start not in self.seams:
                self.seams.append(start)

    def anchor(
        self, section: SectionName, previous: Located | None, following: tuple[SectionName, Located] | None
    ) -> int:
        """The line an inserted block goes before."""
        if previous is not None:
            if previous.own[0] == previous.own[1] and not previous.text:
                raise _Conflict  # an empty item whose marker line holds a nested block: no line between
            if previous.in_item and previous.block.kind != "list_item":
                raise _Conflict  # after a quote or table inside a list item: still inside that item
            return _end(previous)
        if following is not None and following[0] == section:
            loc = following[1]
            return min(loc.own[0], loc.caption[0]) if loc.caption is not None else loc.own[0]
        return self.section_end(section)

    def section_end(self, section: SectionName) -> int:
        """Where blocks go in a section that has none in the file."""
        heads = self.doc.body.heads
        if section in heads:
            return heads[section].own[1]
        if section == "body":
            return self.doc.title.own[1] if self.doc.title is not None else self.doc.body_start
        return self.new_section_position(section)

    def new_section_position(self, section: SectionName) -> int:
        doc = self.doc
        if section == "about" and "attachments" in doc.body.heads:
            return doc.body.heads["attachments"].own[0]
        ends = [_end(loc) for sec in SECTIONS for loc in doc.body.sections[sec]]
        ends += [loc.own[1] for loc in doc.body.heads.values()]
        if section == "about":
            ends = [_end(loc) for loc in doc.body.sections["body"]]
        if doc.title is not None:
            ends.append(doc.title.own[1])
        return max(ends, default=doc.body_start)

    def heads(self) -> None:
        """Section headings: rewrite a changed title, add a new section's, drop a removed one's."""
        for section in ("about", "attachments"):
            assert section in ("about", "attachments")
            title = _title(self.new, section)
            wanted = bool(title or _blocks(self.new, section))
            loc = self.doc.body.heads.get(section)
            if loc is not None and not wanted:
                self.delete(*loc.own)
            elif loc is not None and title != loc.block.text:
                self.rewrite_heading(loc, replace(loc.block, text=title), section, as_section=True)
            elif loc is None and wanted:
                self.new_heads[section] = section_heading(title, self.new.lang, section)

    def add_heads(self, upto: SectionName) -> None:
        """Insert the headings of new sections up to ``upto``, before their first block."""
        for section in SECTIONS[: SECTIONS.index(upto) + 1]:
            heading = self.new_heads.pop(section, None)
            if heading is not None:
                at = self.new_section_position(section)
                self.insert(at, [heading], blank_before=True, blank_after=True)

    def rewrite_heading(self, loc: Located, block: Block, section: str, *, as_section: bool = False) -> None:
        if loc.form == "setext":
            start, end = loc.text[0]
            self.replace_lines(start, end, setext_lines(block.text, loc.prefix))
            return
        if as_section:
            line = section_heading(block.text, self.new.lang, section)
            hashes = "#" * min(max(block.level, 1), 6)
            self.replace_lines(loc.own[0], loc.own[1], [loc.prefix + hashes + line[2:]])
            return
        if "\n" in block.text:
            self.replace_lines(loc.own[0], loc.own[1], heading_lines(block, loc.prefix, section))
            return
        text = heading_text(block.text, section)
        self.replace_lines(loc.own[0], loc.own[1], [loc.prefix + "#" * block.level + " " + text])

    def rewrite(self, loc: Located, block: Block, section: SectionName, before: _Entry | None = None) -> str:
        """Rewrite a block in its own lines; returns its (possibly renumbered) prefix.

        ``before``: the block placed above it (an item that can no longer follow
        its parent's text directly gets a blank line).
        """
        old = loc.block
        if block.kind == "heading":
            if block.text != old.text:
                self.rewrite_heading(loc, block, section)
            return loc.prefix
        if block.kind == "table":
            if (block.rows, block.align) != (old.rows, old.align):
                self.replace_lines(loc.own[0], loc.own[1], table_lines(block, loc.prefix))
            self.caption(loc, block)
            return loc.prefix
        if block.kind == "image":
            self.replace_lines(loc.own[0], loc.own[1], image_lines(block, loc.prefix))
            return loc.prefix
        prefix = loc.prefix
        if block.kind == "list_item" and block.number != old.number:
            prefix = re.sub(r"\d{1,9}(?=[.)][ \t]*$)", str(block.number), prefix)
        if block.text == old.text and prefix == loc.prefix:
            return prefix
        gap: list[str] = []
        start = loc.own[0]
        if block.kind == "list_item" and before is not None and start > 0 and self.lines[start - 1].strip():
            # right below other text: an item that cannot interrupt it would continue it
            owner = self.text_owner(start - 1)
            if before.block.kind == "list_item" and (owner is None or owner is before.loc):
                separate = not _tight(before, _Entry(section, block, prefix))
            else:
                separate = not _interrupts(block)
            if separate:
                gap = [continuation(prefix[: len(prefix) - len(prefix.lstrip(" >"))]).rstrip()]
        if loc.own[0] == loc.own[1]:
            self.split(loc, block, prefix, gap)
            for start, end in loc.text:  # its text after the nested block goes above it
                self.delete(start, end)
            return prefix
        if block.kind == "list_item" and not block.text:
            # an empty item: its marker alone, nested items right below (a blank line would end it)
            self.replace_lines(loc.own[0], loc.own[1], [*gap, prefix.rstrip()])
            for start, end in loc.text:
                if start >= loc.own[1]:  # text after a nested block
                    self.delete(start, end)
            return prefix
        regions = loc.text or ((loc.own[0], loc.own[0] + 1),)
        lines = text_lines(block.text, prefix, continuation(prefix))
        if loc.form == "code":
            # a code block becomes a paragraph: text right above or below it would join it
            # (a fence may follow a line of text; nothing continues a code block lazily)
            blank = continuation(prefix).rstrip()
            first, last = regions[0]
            if first > self.doc.body_start and self.lines[first - 1].strip(" >"):
                gap = [*gap, blank]
            if last < len(self.lines) and self.lines[last].strip(" >"):
                lines = [*lines, blank]
        if not loc.text and block.kind == "list_item" and self.joins_text(loc, loc.own[0] + 1):
            lines = [*lines, continuation(prefix).rstrip()]
        self.replace_lines(regions[0][0], regions[0][1], [*gap, *lines])
        for start, end in regions[1:]:
            self.delete(start, end)
        return prefix

    def text_owner(self, line: int) -> Located | None:
        """The block whose text is on ``line`` (an item's text after its nested list is the
        item's, not the nested item's right above)."""
        for section in SECTIONS:
            for loc in self.doc.body.sections[section]:
                if any(start <= line < end for start, end in loc.text):
                    return loc
        return None

    def joins_text(self, loc: Located, at: int) -> bool:
        """Would line ``at``, right under an empty item, continue the text the item gets?

        Under a marker alone a nested ``3)`` list, an indented code block or a line of
        text is its own block; under a line of text it continues that text. A sibling
        item (same marker column) is left alone.
        """
        if at >= len(self.lines) or not self.lines[at].strip(" >"):
            return False
        nxt = self.lines[at]
        marker = item_prefix(nxt)
        column = len(loc.prefix) - len(loc.prefix.lstrip(" >"))
        sibling = bool(re.match(r"[ >]*(?:[-+*]|\d{1,9}[.)])[ \t]", marker))
        return not (sibling and len(marker) - len(marker.lstrip(" >")) == column)

    def split(self, loc: Located, block: Block, prefix: str, gap: list[str]) -> None:
        """An item whose marker line holds a nested block (``- > q``, ``3. - x``): renumber the
        marker, or write the item's text on lines of their own above the nested block, which
        keeps its lines with the marker turned into indentation."""
        start = loc.own[0]
        line = self.lines[start]
        spaces = len(loc.prefix) - len(loc.prefix.rstrip(" "))
        if not line.startswith(loc.prefix) or "\t" in loc.prefix or spaces > 4 or start in self.splits:
            raise _Conflict  # tabs, or a nested code block whose column is not the marker's
        if not block.text:
            if gap:
                raise _Conflict
            self.splits[start] = ([], loc.prefix, prefix)
            return
        cont = continuation(prefix)
        above = [*gap, *text_lines(block.text, prefix, cont), cont.rstrip()]
        self.splits[start] = (above, loc.prefix, continuation(loc.prefix))

    def caption(self, loc: Located, block: Block) -> None:
        if loc.caption is not None:
            if not block.text:
                self.delete(*loc.caption)
                if not loc.caption_after and loc.own[0] not in self.seams:
                    self.seams.append(loc.own[0])  # a caption after the table above may be next to it now
            elif block.text != loc.block.text:
                self.replace_lines(*loc.caption, caption_lines(block.text, loc.caption_form))
        elif block.text:
            form = "<>" if self.new.lang == "ko" else "Table:"
            lines = caption_lines(block.text, form, loc.prefix)
            self.above[loc.own[0]] = [*lines, continuation(loc.prefix).rstrip()]

    def render(
        self, block: Block, section: SectionName, placed: Sequence[_Entry]
    ) -> tuple[_Entry, list[str]]:
        """An inserted block's lines; list items take their indentation from the items around."""
        writer = BlockWriter(self.new.lang)
        if block.kind != "list_item":
            return _Entry(section, block, ""), writer.block(block, section)
        prefix = _item_prefix(block, placed, section)
        lines = text_lines(block.text, prefix, continuation(prefix)) if block.text else [prefix.rstrip()]
        return _Entry(section, block, prefix), lines


def _end(loc: Located) -> int:
    if loc.caption is not None and loc.caption_after:
        return max(loc.own[1], loc.caption[1])
    return loc.own[1]


_MARKER_RE = re.compile(r"^(?P<base>.*?)(?P<marker>[-+*]|\d{1,9}[.)])(?P<space>[ \t]*)$")


def _continues(before: Block, block: Block) -> bool:
    return before.ordered == block.ordered and (not block.ordered or block.number == before.number + 1)


def _item_prefix(block: Block, placed: Sequence[_Entry], section: SectionName) -> str:
    """The marker prefix of an inserted list item, from its sibling or parent above."""
    for entry in reversed(placed):
        if entry.section != section or entry.block.kind != "list_item" or entry.block.level < block.level - 1:
            break
        match = _MARKER_RE.match(entry.prefix)
        if match is None:
            break
        if entry.block.level == block.level:
            marker = match.group("marker")
            if block.ordered:
                delimiter = marker[-1] if marker[-1] in ".)" else "."
                if entry.block.ordered and not _continues(entry.block, block):
                    delimiter = ")" if delimiter == "." else "."
                marker = f"{block.number}{delimiter}"
            elif entry.block.ordered:
                marker = "-"
            return match.group("base") + marker + " "
        if entry.block.level == block.level - 1:
            marker = f"{block.number}." if block.ordered else "-"
            return continuation(entry.prefix) + marker + " "
    return (f"{block.number}." if block.ordered else "-") + " "


def _tight(before: _Entry | None, entry: _Entry) -> bool:
    """Can ``entry`` follow ``before`` without a blank line (items of one list, or nested)?"""
    if before is None or before.section != entry.section:
        return False
    a, b = before.block, entry.block
    if a.kind != "list_item" or b.kind != "list_item":
        return False
    if a.level < b.level:
        return not a.text or _interrupts(b)
    if a.level > b.level:
        return True
    return _continues(a, b)


def _align(
    old: Sequence[tuple[SectionName, Block]], new: Sequence[tuple[SectionName, Block]]
) -> list[tuple[str, int | None, int | None]]:
    """Edit operations turning the old block sequence into the new one, in order:
    ("keep", i, j), ("edit", i, j) for a block of the same kind whose content
    changed, ("delete", i, None), ("insert", None, j).

    Blocks kept are a longest common subsequence (the fewest blocks touched);
    between them, blocks of the same kind, level and section pair up as edits.
    """

    def shape(item: tuple[SectionName, Block]) -> tuple[object, ...]:
        section, block = item
        return (section, block.kind, block.level, block.ordered)

    common = _common(list(old), list(new))
    if [shape(x) for x in old] == [shape(x) for x in new]:
        # same structure: block k is block k, unless matching contents keeps more blocks
        # (an insertion and a deletion of the same kind); texts repeat, so on a tie
        # matching them could pair wrongly, and blocks without text (an empty list item)
        # match by chance: they do not count
        same: list[tuple[str, int | None, int | None]] = [
            ("keep" if a == b else "edit", k, k) for k, (a, b) in enumerate(zip(old, new, strict=True))
        ]
        kept = sum(_has_text(old[k][1]) for op, k, _ in same if op == "keep" and k is not None)
        if kept >= sum(_has_text(old[k][1]) for k, _ in common):
            return same
    ops: list[tuple[str, int | None, int | None]] = []
    i = j = 0
    for a, b in [*common, (len(old), len(new))]:
        # between two kept blocks: pair blocks of the same shape as edits
        gap = (a - i, b - j)
        di = dj = 0
        for x, y in [*_common([shape(o) for o in old[i:a]], [shape(n) for n in new[j:b]]), gap]:
            ops.extend(("delete", i + k, None) for k in range(di, x))
            ops.extend(("insert", None, j + k) for k in range(dj, y))
            if (x, y) != gap:
                ops.append(("edit", i + x, j + y))
            di, dj = x + 1, y + 1
        if a < len(old):
            ops.append(("keep", a, b))
        i, j = a + 1, b + 1
    return ops


def _has_text(block: Block) -> bool:
    return any(block.texts()) or bool(block.src)


def _common(a: Sequence[object], b: Sequence[object]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of ``a`` and ``b`` (earliest on ties)."""
    n, m = len(a), len(b)
    if not n or not m:
        return []
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        row, below = table[x], table[x + 1]
        for y in range(m - 1, -1, -1):
            row[y] = below[y + 1] + 1 if a[x] == b[y] else max(below[y], row[y + 1])
    pairs: list[tuple[int, int]] = []
    x = y = 0
    while x < n and y < m:
        if a[x] == b[y]:
            pairs.append((x, y))
            x, y = x + 1, y + 1
        elif table[x + 1][y] >= table[x][y + 1]:
            x += 1
        else:
            y += 1
    return pairs
