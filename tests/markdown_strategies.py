"""Hypothesis strategies for release Markdown files and for changes to the releases they hold.

Files are generated as text, the way people type them (wrapped paragraphs,
lazy continuation lines, odd spacing, every block kind, sections, end marks),
not through the writer under test.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import assume
from hypothesis import strategies as st

from toolkit.core.document import Block, Release
from toolkit.core.errors import SourceError
from toolkit.core.inline import canonical
from toolkit.sources.markdown import read_markdown_text


def read(text: str) -> Release:
    """The release a generated file holds (a file that is no release, e.g. one whose only
    block is an end mark, is not an example)."""
    try:
        return read_markdown_text(text, "r.md").release
    except SourceError:
        assume(False)
        raise

LETTERS = st.sampled_from([*list("abcxyz가나다창원"), "K9", "2026", "Łódź"])
PUNCT = st.sampled_from([*list(".,:;!?'\"()-+=#>|*_`[]<>&\\~/"), "“", "”", "—", "1.", "&amp;", "&#8212;"])


@st.composite
def word(draw: st.DrawFn) -> str:
    core = draw(st.lists(LETTERS, min_size=1, max_size=3).map("".join))
    if draw(st.integers(0, 4)) == 0:
        core = draw(PUNCT) + core
    if draw(st.integers(0, 4)) == 0:
        core = core + draw(PUNCT)
    kind = draw(st.integers(0, 12))
    if kind == 0:
        return f"**{core}**"
    if kind == 1:
        return f"*{core}*"
    if kind == 2:
        return f"`{core}`"
    if kind == 3:
        return f"[{core}](https://x.kr/{draw(LETTERS)})"
    return core


def words(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[str]:
    return st.lists(word(), min_size=min_size, max_size=max_size).map(" ".join)


PLAIN_WORDS = st.lists(LETTERS, min_size=1, max_size=4).map(" ".join)


@st.composite
def wrapped(draw: st.DrawFn, indent: str = "", cont: str = "") -> list[str]:
    """A paragraph's lines: soft wraps, a hard break now and then."""
    lines = [indent + draw(words())]
    for _ in range(draw(st.integers(0, 2))):
        brk = draw(st.sampled_from(["", "", "\\", "  "]))
        lines[-1] += brk
        lines.append(cont + draw(words()))
    return lines


@st.composite
def paragraph(draw: st.DrawFn) -> list[str]:
    indent = draw(st.sampled_from(["", "", "", " ", "   "]))
    return draw(wrapped(indent))


@st.composite
def heading(draw: st.DrawFn) -> list[str]:
    if draw(st.booleans()):
        level = draw(st.integers(1, 6))
        closing = draw(st.sampled_from(["", "", " #", " ###"]))
        return ["#" * level + " " + draw(words()) + closing]
    return [draw(PLAIN_WORDS), draw(st.sampled_from(["===", "---", "=", "------"]))]


@st.composite
def bullet_list(draw: st.DrawFn, depth: int = 0, indent: str = "") -> list[str]:
    ordered = draw(st.booleans())
    start = draw(st.integers(0, 12))
    delimiter = draw(st.sampled_from([".", ")"]))
    bullet = draw(st.sampled_from(["-", "*", "+"]))
    loose = draw(st.integers(0, 3)) == 0
    out: list[str] = []
    for k in range(draw(st.integers(1, 4))):
        marker = f"{start + k}{delimiter}" if ordered else bullet
        pad = indent + " " * (len(marker) + 1)
        if draw(st.integers(0, 8)) == 0:
            item = [indent + marker]  # an empty item
        else:
            lazy = draw(st.booleans())
            item = draw(wrapped(indent + marker + " ", "" if lazy else pad))
        if draw(st.integers(0, 6)) == 0:
            item += ["", *draw(wrapped(pad, pad))]  # a second paragraph in the item
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            item += draw(bullet_list(depth + 1, pad))
        if loose and out:
            out.append("")
        out.extend(item)
    return out


@st.composite
def quote(draw: st.DrawFn) -> list[str]:
    lines = draw(wrapped("> ", draw(st.sampled_from(["> ", ">", ""]))))
    if draw(st.booleans()):
        lines += [">", *draw(wrapped("> > ", "> > "))]
    return lines


CELL = st.one_of(st.just(""), words(1, 3))


@st.composite
def table(draw: st.DrawFn) -> list[str]:
    width = draw(st.integers(1, 3))
    aligns = draw(
        st.lists(st.sampled_from(["---", ":--", ":-:", "--:", "-"]), min_size=width, max_size=width)
    )
    outer = draw(st.booleans())

    def row(cells: list[str]) -> str:
        body = " | ".join(cells)
        return f"| {body} |" if outer or width == 1 else body

    header = draw(st.lists(words(1, 2), min_size=width, max_size=width))
    rows = [row(header), row(aligns)]
    for _ in range(draw(st.integers(0, 3))):
        rows.append(row(draw(st.lists(CELL, min_size=width, max_size=width))))
    caption = draw(st.integers(0, 4))
    if caption == 0:
        return ["Table: " + draw(words(1, 3)), "", *rows]
    if caption == 1:
        return ["< " + draw(PLAIN_WORDS) + " >", *rows]
    if caption == 2:
        return [*rows, "", "Table: " + draw(words(1, 3))]
    return rows


@st.composite
def image(draw: st.DrawFn) -> list[str]:
    title = draw(st.sampled_from(["", ' "The mayor"', " 'Photo: city'"]))
    src = draw(st.sampled_from(["photo.jpg", "img/a b.png", "<my photo.jpg>"]))
    return [f"![{draw(words(0, 3))}]({src}{title})"]


@st.composite
def code(draw: st.DrawFn) -> list[str]:
    body = draw(st.lists(PLAIN_WORDS, min_size=1, max_size=3))
    if draw(st.booleans()):
        fence = draw(st.sampled_from(["```", "~~~"]))
        return [fence, *body, fence]
    return ["    " + line for line in body]


OTHER = st.sampled_from([["***"], ["___"], ["###"], ["-끝-"], ["[r]: https://x.kr"]])


def block() -> st.SearchStrategy[list[str]]:
    return st.one_of(
        paragraph(),
        paragraph(),
        paragraph(),
        heading(),
        bullet_list(),
        quote(),
        table(),
        image(),
        code(),
        OTHER,
    )


@st.composite
def release_file(draw: st.DrawFn) -> str:
    """A release Markdown file (LF line endings)."""
    lang = draw(st.sampled_from(["en", "ko"]))
    front = ["---", "title: " + draw(PLAIN_WORDS), f"lang: {lang}"]
    if draw(st.booleans()):
        front.append("subtitle: " + draw(PLAIN_WORDS))
    if draw(st.booleans()):
        front.append("contact: |\n  " + draw(PLAIN_WORDS) + "\n  055-225-0000")
    if draw(st.booleans()):
        front.append("date: 2026-11-05")
    front.append("---")
    lines = [*front, ""]
    blocks = draw(st.lists(block(), min_size=1, max_size=7))
    sections = {"about": "## About " + draw(PLAIN_WORDS), "attachments": "## 붙임"}
    for index, lines_of_block in enumerate(blocks):
        if index and sections and draw(st.integers(0, 6)) == 0:
            name = draw(st.sampled_from(sorted(sections)))
            lines += [sections.pop(name), ""]
        lines += lines_of_block
        lines += [""] * draw(st.sampled_from([1, 1, 1, 2]))
    if draw(st.booleans()):
        lines.append("###")
    return "\n".join(lines)


# --------------------------------------------------------------------------- changes


def new_text(kind: str, level: int = 0) -> st.SearchStrategy[str]:
    """A canonical text for a block of ``kind`` (single line where the kind needs one)."""
    if kind in ("cell", "caption") or (kind == "heading" and level > 2):
        return words(1, 4).map(canonical)
    lines = st.lists(words(1, 4), min_size=1, max_size=3 if kind != "heading" else 2)
    return lines.map(lambda ls: canonical("\\\n".join(ls)))


@st.composite
def changed_block(draw: st.DrawFn, block: Block) -> Block:
    if block.kind == "table":
        rows = tuple(
            tuple(draw(new_text("cell")) if draw(st.integers(0, 3)) == 0 else c for c in row)
            for row in block.rows
        )
        caption = block.text
        if draw(st.integers(0, 3)) == 0:
            caption = draw(st.one_of(st.just(""), new_text("caption")))
        return replace(block, rows=rows, text=caption)
    if block.kind == "image":
        return replace(block, text=draw(st.one_of(st.just(""), new_text("caption"))))
    if block.kind == "list_item" and draw(st.integers(0, 5)) == 0:
        return replace(block, text="")
    return replace(block, text=draw(new_text(block.kind, block.level)))


@st.composite
def changed_texts(draw: st.DrawFn, release: Release) -> Release:
    """``release`` with some block, section title and meta texts changed (same structure)."""

    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(draw(changed_block(b)) if draw(st.integers(0, 3)) == 0 else b for b in items)

    meta = release.meta
    if draw(st.integers(0, 3)) == 0:
        meta = replace(meta, title=draw(PLAIN_WORDS))
    if draw(st.integers(0, 3)) == 0:
        meta = replace(meta, subtitle=draw(st.one_of(st.just(""), PLAIN_WORDS)))
    if draw(st.integers(0, 4)) == 0:
        meta = replace(meta, organization=draw(PLAIN_WORDS), department=draw(PLAIN_WORDS))
    if draw(st.integers(0, 4)) == 0:
        meta = replace(meta, contact=draw(st.lists(PLAIN_WORDS, max_size=3).map("\n".join)))
    about_title = release.about_title
    if about_title and draw(st.integers(0, 3)) == 0:
        about_title = "About " + draw(PLAIN_WORDS)
    return replace(
        release,
        meta=meta,
        body=blocks(release.body),
        about=blocks(release.about),
        about_title=about_title,
        attachments=blocks(release.attachments),
    )


@st.composite
def inserted_block(draw: st.DrawFn) -> Block:
    kind = draw(
        st.sampled_from(["paragraph", "paragraph", "list_item", "quote", "heading", "table", "image"])
    )
    if kind == "table":
        width = draw(st.integers(1, 3))
        rows = tuple(
            tuple(draw(new_text("cell")) for _ in range(width)) for _ in range(draw(st.integers(1, 3)))
        )
        align = tuple(
            draw(st.lists(st.sampled_from(["", "left", "center", "right"]), min_size=width, max_size=width))
        )
        return Block("table", text=draw(st.one_of(st.just(""), new_text("caption"))), rows=rows, align=align)
    if kind == "image":
        return Block(
            "image",
            text=draw(new_text("caption")),
            src="new photo.jpg",
            title=draw(st.sampled_from(["", "T"])),
        )
    if kind == "list_item":
        ordered = draw(st.booleans())
        return Block(
            "list_item",
            text=draw(new_text(kind)),
            ordered=ordered,
            number=draw(st.integers(1, 3)) if ordered else 0,
        )
    level = (
        draw(st.integers(1, 3)) if kind == "heading" else draw(st.integers(0, 1)) if kind == "quote" else 0
    )
    return Block(kind, text=draw(new_text(kind, level)), level=level)  # type: ignore[arg-type]


def valid(blocks: list[Block]) -> tuple[Block, ...]:
    """List nesting the Markdown can express: an item is at most one level below the one above."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "list_item":
            above = out[-1] if out and out[-1].kind == "list_item" else None
            top = above.level + 1 if above is not None else 0
            block = replace(block, level=min(block.level, top))
        out.append(block)
    return tuple(out)


@st.composite
def changed_structure(draw: st.DrawFn, release: Release) -> Release:
    """``release`` with blocks inserted, deleted and moved (and some texts changed)."""
    release = draw(changed_texts(release))

    def edit(items: tuple[Block, ...]) -> tuple[Block, ...]:
        blocks = list(items)
        for _ in range(draw(st.integers(0, 3))):
            action = draw(st.sampled_from(["insert", "insert", "delete", "move"]))
            if action == "insert" or not blocks:
                at = draw(st.integers(0, len(blocks)))
                new = draw(inserted_block())
                if new.kind == "list_item" and at and blocks[at - 1].kind == "list_item":
                    new = replace(new, level=draw(st.integers(0, blocks[at - 1].level + 1)))
                blocks.insert(at, new)
            elif action == "delete":
                del blocks[draw(st.integers(0, len(blocks) - 1))]
            else:
                moved = blocks.pop(draw(st.integers(0, len(blocks) - 1)))
                blocks.insert(draw(st.integers(0, len(blocks))), moved)
        return valid(blocks)

    about, attachments = release.about, release.attachments
    about_title, attachments_title = release.about_title, release.attachments_title
    if not about_title and draw(st.integers(0, 4)) == 0:
        about_title, about = (
            "About " + draw(PLAIN_WORDS),
            (Block("paragraph", text=draw(new_text("paragraph"))),),
        )
    elif about_title and draw(st.integers(0, 6)) == 0:
        about_title, about = "", ()
    if not attachments_title and draw(st.integers(0, 5)) == 0:
        attachments_title, attachments = "붙임", (Block("list_item", text=draw(new_text("list_item"))),)
    body = edit(release.body)
    if not body and not about and not attachments:
        body = (Block("paragraph", text="Body."),)
    return replace(
        release,
        body=body,
        about=edit(about) if about_title else (),
        about_title=about_title,
        attachments=edit(attachments) if attachments_title else (),
        attachments_title=attachments_title,
    )


@st.composite
def top_level_changes(draw: st.DrawFn, release: Release) -> tuple[Release, list[int]]:
    """Blocks inserted and deleted between top-level blocks (never inside or between
    list items): what a paragraph added to or dropped from the source does.
    Returns the new release and the indices of the body blocks kept."""
    blocks: list[tuple[int | None, Block]] = list(enumerate(release.body))

    def is_item(k: int) -> bool:
        return 0 <= k < len(blocks) and blocks[k][1].kind == "list_item"

    for _ in range(draw(st.integers(1, 3))):
        if blocks and draw(st.booleans()):
            k = draw(st.integers(0, len(blocks) - 1))
            if not is_item(k) and not (is_item(k - 1) and is_item(k + 1)) and len(blocks) > 1:
                del blocks[k]
                continue
        at = draw(st.integers(0, len(blocks)))
        if is_item(at - 1) and is_item(at):
            continue
        new = draw(inserted_block())
        if new.kind == "list_item":
            new = replace(new, kind="paragraph", ordered=False, number=0)
        blocks.insert(at, (None, new))
    kept = [k for k, _ in blocks if k is not None]
    return replace(release, body=tuple(b for _, b in blocks)), kept
