"""Reading release Markdown: one CommonMark parse (markdown-it-py) → blocks and the lines they own.

The same parse serves the reader and the patcher (:mod:`toolkit.sources.markdown_patch`):
what a block is, and which lines of the file it occupies, are decided once.

Conventions on top of CommonMark + GFM tables (documented in ``releases/README.md``):

* A paragraph holding only ``![caption](photo.jpg "title")`` is a photo (the
  file is checked by :mod:`toolkit.sources.images`: inside the release folder,
  a readable PNG, JPEG or WebP).
* A paragraph ``Table: …`` / ``표: …`` or a Korean ``< 제목 >`` line right before a
  table (or ``Table: …`` right after it), with only blank lines between, is the
  table's caption; one between two tables names the table after it.
* The first heading ``About …`` / ``… 소개`` / ``… 개요`` starts the About
  section, the first ``붙임`` / ``첨부`` / ``Attachments`` heading the
  attachments section (written as plain heading text).
* End marks (``###``, ``-끝-``, ``<끝>``, ``- 30 -``) on a line of their own,
  thematic breaks and reference definitions are not text.
* Code blocks are read as ordinary paragraphs, one line per line.
* A list item is one block: its paragraphs are joined by line breaks; nested
  lists follow it with a higher ``level``. Inside a block quote, paragraphs
  are quotes (``level`` = nesting depth) and other blocks keep their kind;
  other blocks inside a list item (a quote, a table) follow the item at the
  top level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from toolkit.core.document import Align, Block
from toolkit.core.errors import Problem
from toolkit.core.inline import (
    BREAK,
    Span,
    markdown_parser,
    normalize,
    parse_inline,
    slice_spans,
    spans_of_tokens,
    to_inline,
)
from toolkit.sources.release import _END_MARK_RE, _is_about_heading, _is_attachments_heading

if TYPE_CHECKING:
    from markdown_it.token import Token

SectionName = Literal["body", "about", "attachments"]
SECTIONS: tuple[SectionName, ...] = ("body", "about", "attachments")
Form = Literal["paragraph", "item", "quote", "atx", "setext", "code", "image", "table"]


@dataclass(frozen=True)
class Located:
    """A block and the lines of the file it occupies (0-based, end exclusive)."""

    block: Block
    form: Form
    own: tuple[int, int]  # the lines that go when the block is deleted (not its nested items)
    text: tuple[tuple[int, int], ...]  # the lines holding its text, one range per paragraph
    prefix: str  # what precedes the text on its first line: indentation, '>' and list markers
    top: bool  # not inside a list or quote
    raw: str = ""  # the inline source of the first paragraph (heading/caption conventions)
    caption: tuple[int, int] | None = None  # tables: the caption paragraph
    caption_after: bool = False
    caption_form: str = ""  # "Table:", "표:" or "<>"
    in_item: bool = False  # inside a list item (a quote or table in a bullet)


@dataclass(frozen=True)
class Body:
    """The parsed body of a release file."""

    sections: dict[SectionName, tuple[Located, ...]]
    heads: dict[SectionName, Located]  # the About / attachments headings
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


def read_body(lines: list[str], first: int, path: Path | str) -> Body:
    """Parse ``lines[first:]`` (the text after the front matter) into sections of blocks.

    Photos are checked (inside the release folder, readable) by the shared
    :func:`toolkit.sources.images.check_images` when the release is finished.
    """
    md = markdown_parser()
    tokens = md.parse("\n".join(lines[first:]))
    walker = _Walker(lines, first, str(path))
    walker.walk(tokens)
    located = _flat_levels(_captions(walker.out, lines))
    sections: dict[SectionName, list[Located]] = {name: [] for name in SECTIONS}
    heads: dict[SectionName, Located] = {}
    current: SectionName = "body"
    for loc in located:
        if loc.block.kind == "heading" and loc.top:
            name: SectionName | None = None
            if "about" not in heads and _is_about_heading(loc.raw):
                name = "about"
            elif "attachments" not in heads and _is_attachments_heading(loc.raw):
                name = "attachments"
            if name is not None:
                heads[name] = loc
                current = name
                continue
        sections[current].append(loc)
    return Body(
        sections={name: tuple(items) for name, items in sections.items()},
        heads=heads,
        problems=tuple(walker.problems),
        warnings=tuple(walker.warnings),
    )


# --------------------------------------------------------------------------- the token walk


@dataclass
class _Container:
    kind: Literal["quote", "list", "item"]
    ordered: bool = False
    start: int = 1
    count: int = 0
    index: int = -1  # items: position of their block in the output
    spans: list[Span] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)
    prefix: str = ""
    raw: str = ""
    child: int | None = None  # first line of a nested block (ends the item's own lines)
    end: int = 0


class _Walker:
    def __init__(self, lines: list[str], first: int, path: str) -> None:
        self.lines = lines
        self.first = first
        self.path = path
        self.out: list[Located] = []
        self.stack: list[_Container] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    # -- helpers

    def span(self, token: Token) -> tuple[int, int]:
        start, end = token.map or (0, 0)
        return self.first + start, self.first + end

    def host(self) -> _Container | None:
        """The innermost quote or list item around the current token."""
        for container in reversed(self.stack):
            if container.kind in ("quote", "item"):
                return container
        return None

    def depth(self, kind: str) -> int:
        return sum(1 for c in self.stack if c.kind == kind)

    def nested(self, line: int) -> None:
        """A block starts inside the innermost item: the item's own lines end here."""
        for container in reversed(self.stack):
            if container.kind == "item":
                if container.child is None:
                    container.child = line
                return
            if container.kind == "quote":
                return

    def prefix_of(self, line: int, content: str) -> str:
        """What precedes ``content`` (the first line of a block's text) on ``line``."""
        text = self.lines[line] if line < len(self.lines) else ""
        first = content.split("\n", 1)[0]
        if first and text.endswith(first):
            return text[: len(text) - len(first)]
        stripped = text.rstrip()
        if first.rstrip() and stripped.endswith(first.rstrip()):
            return stripped[: len(stripped) - len(first.rstrip())]
        return container_prefix(text)

    def table_prefix(self, line: str) -> str:
        """What precedes a table's first row: only the markers of the containers it is in
        (a row may itself start like a list item: '1. | a |' is a table at the top)."""
        host = self.host()
        if host is None:
            return re.match(r"[ ]{0,3}", line).group()  # type: ignore[union-attr]
        if host.kind == "quote":
            return re.match(r"(?:[ ]{0,3}>[ ]?)+", line).group() if ">" in line else ""  # type: ignore[union-attr]
        return host.prefix or container_prefix(line)

    def add(self, loc: Located) -> None:
        self.out.append(replace(loc, in_item=any(c.kind == "item" for c in self.stack)))

    def warn(self, line: int, what: str, fix: str) -> None:
        self.warnings.append(Problem(self.path, line, what, fix, severity="warning"))

    # -- the walk

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if not self.stack and token.nesting >= 0 and token.map and self.end_mark(token):
                i = self.skip(tokens, i)
                continue
            if kind == "blockquote_open":
                self.nested(self.span(token)[0])
                self.stack.append(_Container("quote"))
            elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
                self.stack.pop()
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.nested(self.span(token)[0])
                start = int(str(token.attrGet("start") or 1)) if kind == "ordered_list_open" else 1
                self.stack.append(_Container("list", ordered=kind == "ordered_list_open", start=start))
            elif kind == "list_item_open":
                self.item_open(token)
            elif kind == "list_item_close":
                self.item_close()
            elif kind == "paragraph_open":
                self.paragraph(token, tokens[i + 1])
                i += 2
            elif kind == "heading_open":
                self.heading(token, tokens[i + 1])
                i += 2
            elif kind in ("fence", "code_block"):
                self.code(token)
            elif kind == "table_open":
                i = self.table(tokens, i)
            # hr, html and the closing tags carry no text
            i += 1

    def end_mark(self, token: Token) -> bool:
        start, end = self.span(token)
        return end - start == 1 and bool(_END_MARK_RE.match(self.lines[start]))

    @staticmethod
    def skip(tokens: list[Token], i: int) -> int:
        """Index after the token at ``i`` and everything inside it."""
        if tokens[i].nesting == 0:
            return i + 1
        depth = 0
        while i < len(tokens):
            depth += tokens[i].nesting
            i += 1
            if depth == 0:
                break
        return i

    def item_open(self, token: Token) -> None:
        lst = self.stack[-1]
        number = lst.start + lst.count if lst.ordered else 0
        lst.count += 1
        start, end = self.span(token)
        self.nested(start)
        level = self.depth("list") - 1
        block = Block(kind="list_item", level=level, line=start + 1, ordered=lst.ordered, number=number)
        self.add(Located(block, "item", (start, end), (), "", top=False))
        self.stack.append(_Container("item", index=len(self.out) - 1, end=end))

    def item_close(self) -> None:
        item = self.stack.pop()
        loc = self.out[item.index]
        start = loc.own[0]
        own_end = item.child if item.child is not None else item.end
        # the marker's prefix; where a nested block starts on the marker line ("- > q"), the
        # item's text (after that block) is indented, and the marker is still what it is
        prefix = item.prefix if item.prefix and own_end > start else item_prefix(self.lines[start])
        self.out[item.index] = replace(
            loc,
            block=replace(loc.block, text=to_inline(item.spans)),
            own=(start, own_end),  # empty when a nested block starts on the marker line
            text=tuple(item.regions),
            prefix=prefix,
            raw=item.raw,
        )

    def text_spans(self, inline: Token, line: int) -> tuple[Span, ...]:
        children = inline.children or []
        spans = spans_of_tokens(children)
        if any(c.type == "image" for c in children):
            alts = ", ".join(f"'{c.attrGet('src')}'" for c in children if c.type == "image")
            self.warn(
                line + 1,
                f"photo {alts} inside text is printed as its caption only",
                "put each photo in a paragraph of its own (blank lines around it)",
            )
        if any("**" in s.text for s in spans if not s.code) and re.search(r"(?<!\\)\*\*", inline.content):
            self.warn(
                line + 1,
                "'**' is printed as is: CommonMark did not read it as bold",
                "keep punctuation inside the bold (“**창원**”은, not **“창원”**은) "
                "or write \\*\\* for asterisks",
            )
        return spans

    def paragraph(self, token: Token, inline: Token) -> None:
        start, end = self.span(token)
        host = self.host()
        if host is not None and host.kind == "item":
            self.item_text(host, self.text_spans(inline, start), (start, end), inline.content)
            return
        prefix = self.prefix_of(start, inline.content)
        if host is not None:  # a paragraph in a block quote
            text = to_inline(self.text_spans(inline, start))
            level = self.depth("quote") - 1
            block = Block(kind="quote", text=text, level=level, line=start + 1)
            self.add(Located(block, "quote", (start, end), ((start, end),), prefix, top=False))
            return
        children = [c for c in inline.children or [] if not (c.type == "softbreak" or _blank_text(c))]
        if len(children) == 1 and children[0].type == "image":
            self.image(children[0], start, end, prefix)
            return
        text = to_inline(self.text_spans(inline, start))
        block = Block(kind="paragraph", text=text, line=start + 1)
        loc = Located(block, "paragraph", (start, end), ((start, end),), prefix, top=True, raw=inline.content)
        self.add(loc)

    def item_text(self, item: _Container, spans: tuple[Span, ...], region: tuple[int, int], raw: str) -> None:
        if not item.regions:
            item.prefix = self.prefix_of(region[0], raw.split("\n", 1)[0])
            item.raw = raw
        elif spans:
            item.spans.append(BREAK)
        item.spans.extend(spans)
        item.regions.append(region)

    def image(self, token: Token, start: int, end: int, prefix: str) -> None:
        src = str(token.attrGet("src") or "")
        title = " ".join(str(token.attrGet("title") or "").split())
        caption = to_inline(spans_of_tokens(token.children or []))
        block = Block(kind="image", text=caption, line=start + 1, src=src, title=title)
        self.add(Located(block, "image", (start, end), ((start, end),), prefix, top=True))

    def heading(self, token: Token, inline: Token) -> None:
        start, end = self.span(token)
        self.nested(start)
        text = to_inline(self.text_spans(inline, start))
        if not text:
            return  # an empty heading ("###" is an end mark)
        setext = token.markup in ("=", "-")
        level = int(token.tag[1:])
        line = self.lines[start]
        prefix = self.prefix_of(start, inline.content) if setext else line[: line.index("#")]
        text_region = self.span(inline) if setext else (start, end)
        block = Block(kind="heading", text=text, level=level, line=start + 1)
        form: Form = "setext" if setext else "atx"
        top = not self.stack
        self.add(Located(block, form, (start, end), (text_region,), prefix, top=top, raw=inline.content))

    def code(self, token: Token) -> None:
        """A code block is read as text, one line per line (see the module docstring)."""
        start, end = self.span(token)
        spans: list[Span] = []
        for raw_line in token.content.split("\n"):
            if raw_line.strip():
                if spans:
                    spans.append(BREAK)
                spans.append(Span(raw_line.strip()))
        host = self.host()
        line = self.lines[start]
        if token.type == "fence":
            prefix = line[: line.index(token.markup)]
        else:
            prefix = self.prefix_of(start, token.content)
            prefix = prefix[:-4] if prefix.endswith("    ") else prefix
        if host is not None and host.kind == "item":
            if not host.regions:
                host.prefix = prefix
            elif spans:
                host.spans.append(BREAK)
            host.spans.extend(spans)
            host.regions.append((start, end))
            return
        if not spans:
            return
        text = to_inline(spans)
        if host is not None:
            block = Block(kind="quote", text=text, level=self.depth("quote") - 1, line=start + 1)
        else:
            block = Block(kind="paragraph", text=text, line=start + 1)
        self.add(Located(block, "code", (start, end), ((start, end),), prefix, top=host is None))

    def table(self, tokens: list[Token], i: int) -> int:
        start, end = self.span(tokens[i])
        self.nested(start)
        rows: list[list[str]] = []
        align: list[Align] = []
        in_head = False
        j = i + 1
        while j < len(tokens) and tokens[j].type != "table_close":
            tok = tokens[j]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                rows.append([])
            elif tok.type in ("th_open", "td_open"):
                if in_head:
                    style = str(tok.attrGet("style") or "")
                    found = re.search(r"text-align:(left|center|right)", style)
                    align.append(found.group(1) if found else "")  # type: ignore[arg-type]
            elif tok.type == "inline":
                rows[-1].append(to_inline(self.text_spans(tok, self.span(tok)[0])))
            j += 1
        width = len(align)
        cells = tuple(tuple((row + [""] * width)[:width]) for row in rows)
        prefix = self.table_prefix(self.lines[start])
        block = Block(kind="table", rows=cells, align=tuple(align), line=start + 1)
        self.add(Located(block, "table", (start, end), (), prefix, top=not self.stack))
        return j


_CONTAINER_RE = re.compile(r"^(?:[ \t>]|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")
_ITEM_RE = re.compile(r"^((?:[ \t]*>[ \t]?)*[ \t]*(?:[-+*]|\d{1,9}[.)]))(?:[ \t]+|$)")


def container_prefix(line: str) -> str:
    """The indentation, quote and list markers at the start of ``line``."""
    match = _CONTAINER_RE.match(line)
    return match.group() if match else ""


def item_prefix(line: str) -> str:
    """The marker part of a list item's first line (``"  - "``, ``"> 1. "``), with one space."""
    match = _ITEM_RE.match(line)
    if match is None:
        return container_prefix(line)
    whole = match.group()
    return whole if whole.endswith((" ", "\t")) else whole + " "


def _blank_text(token: Token) -> bool:
    return token.type == "text" and not token.content.strip()


def _flat_levels(located: list[Located]) -> list[Located]:
    """A list item is at most one level below the item right above it.

    Blocks other than paragraphs and lists inside an item (a quote, a table)
    are separate blocks in the model, so a list nested after them starts at
    the top again — as it would print without the container.
    """
    out: list[Located] = []
    for loc in located:
        if loc.block.kind == "list_item":
            above = out[-1].block if out and out[-1].block.kind == "list_item" else None
            top = above.level + 1 if above is not None else 0
            if loc.block.level > top:
                loc = replace(loc, block=replace(loc.block, level=top))
        out.append(loc)
    return out


# --------------------------------------------------------------------------- captions

_CAPTION_BEFORE = re.compile(r"^(?:(Table|표)\s*[:：]\s*(?=\S)|(<)\s*(?=.*\S\s*>\s*$))")
_CAPTION_AFTER = re.compile(r"^(Table|표)\s*[:：]\s*(?=\S)")
_PLAIN_CAPTION = re.compile(r"^(?:(?:Table|표)\s*[:：]\s*(?P<a>.*\S)\s*|<\s*(?P<b>.*\S)\s*>\s*)$")


def _caption_of(loc: Located, *, after: bool) -> tuple[str, str] | None:
    """(caption text, form) when ``loc`` is a caption paragraph for a neighbouring table."""
    if loc.block.kind != "paragraph" or loc.form != "paragraph" or not loc.top or "\n" in loc.raw:
        return None
    match = (_CAPTION_AFTER if after else _CAPTION_BEFORE).match(loc.raw)
    if match is None:
        return None
    spans = parse_inline(loc.block.text)
    visible = "".join("\n" if s.line_break else s.text for s in spans)
    found = _PLAIN_CAPTION.match(visible)
    if found is None:
        return None
    group = "a" if found.group("a") is not None else "b"
    form = "<>" if group == "b" else ("표:" if match.group(1) == "표" else "Table:")
    return to_inline(normalize(slice_spans(spans, found.start(group), found.end(group)))), form


def _captions(located: list[Located], lines: list[str]) -> list[Located]:
    """Fold caption paragraphs into the tables they name (with only blank lines between them)."""

    def touching(above: Located, below: Located) -> bool:
        return not any(line.strip() for line in lines[above.own[1] : below.own[0]])

    out: list[Located] = []
    i = 0
    while i < len(located):
        loc = located[i]
        if loc.block.kind == "table":
            before = _caption_of(out[-1], after=False) if out and touching(out[-1], loc) else None
            # a caption between two tables names the one after it
            nxt = located[i + 1] if i + 1 < len(located) else None
            between = (
                nxt is not None
                and i + 2 < len(located)
                and located[i + 2].block.kind == "table"
                and touching(nxt, located[i + 2])
            )
            after = (
                _caption_of(nxt, after=True)
                if before is None and nxt is not None and not between and touching(loc, nxt)
                else None
            )
            if before is not None:
                cap = out.pop()
                text, form = before
                block = replace(loc.block, text=text, line=cap.block.line)
                loc = replace(loc, block=block, caption=cap.own, caption_form=form)
            elif after is not None:
                cap = located[i + 1]
                text, form = after
                loc = replace(
                    loc,
                    block=replace(loc.block, text=text),
                    caption=cap.own,
                    caption_after=True,
                    caption_form=form,
                )
                i += 1
        out.append(loc)
        i += 1
    return out
