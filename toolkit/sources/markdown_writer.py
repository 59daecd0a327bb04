"""Writing release Markdown: every block kind, so that reading it back gives the same release.

Block texts are canonical inline Markdown already; what is left to the writer is
what depends on the line a text starts: a paragraph ``1. …`` must not turn into
a list, a heading ``C #`` must keep its ``#``, a body heading must not look like
the About heading. The patcher (:mod:`toolkit.sources.markdown_patch`) renders
changed blocks with these same functions, with the file's own indentation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.core.document import Block, Release
from toolkit.core.inline import Span, link_destination, parse_inline, to_inline
from toolkit.sources.release import _END_MARK_RE, _is_about_heading, _is_attachments_heading

_PLAIN_RE = re.compile(r"^[^\s\"'#&*!|>%@`{}\[\],?:\-][^\n]*$")

# Front matter keys in the order the writer puts them.
FRONT_MATTER_ORDER = (
    "title",
    "subtitle",
    "date",
    "dateline",
    "lang",
    "translation_of",
    "organization",
    "department",
    "contact",
    "manager",
    "manager_phone",
    "contact_person",
    "contact_phone",
    "contact_email",
    "embargo",
    "release_time",
    "distribution",
    "copyright",
)


def yaml_value(value: str) -> str:
    """A front matter value as YAML that reads back as exactly ``value``."""
    if "\n" in value:
        lines = value.split("\n")
        return "|\n" + "\n".join(("  " + ln) if ln else "" for ln in lines)
    if (
        _PLAIN_RE.match(value)
        and ": " not in value
        and not value.endswith(":")
        and " #" not in value
        and value == value.strip()
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def meta_fields(release: Release, translation_of: str | None = None) -> list[tuple[str, str]]:
    """(key, value) of every non-empty front matter field, in the writer's order."""
    meta = release.meta
    values = {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "date": meta.date.isoformat() if meta.date else "",
        "dateline": meta.dateline,
        "lang": meta.lang,
        "translation_of": translation_of or "",
        "organization": meta.organization,
        "department": meta.department,
        "contact": meta.contact,
        "manager": meta.manager,
        "manager_phone": meta.manager_phone,
        "contact_person": meta.contact_person,
        "contact_phone": meta.contact_phone,
        "contact_email": meta.contact_email,
        "embargo": meta.embargo,
        "release_time": meta.release_time,
        "distribution": meta.distribution,
        "copyright": meta.copyright,
    }
    return [(key, values[key]) for key in FRONT_MATTER_ORDER if values[key] or key == "title"]


# --------------------------------------------------------------------------- lines of text

_LINE_START_RULES = (
    re.compile(r"#{1,6}(?=[ \t]|$)"),  # ATX heading
    re.compile(r">"),  # block quote
    re.compile(r"[-+](?=[ \t]|$)"),  # bullet item
    re.compile(r"[-=]+[ \t]*$"),  # setext underline, thematic break
    re.compile(r":?-+:?[ \t]*$"),  # table delimiter row
    re.compile(r"~~~"),  # fence
)
_ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")
_CAPTION_LIKE = re.compile(r"^(?:Table|표)\s*([:：])|^<.*\S.*>\s*$")


def line_start_escape(line: str) -> str:
    """Escape what would make a line of inline text start a block (``1. ``, ``- ``, ``#`` …)."""
    if not line:
        return line
    match = _ORDERED_START.match(line)
    if match:
        return match.group(1) + "\\" + line[len(match.group(1)) :]
    if any(rule.match(line) for rule in _LINE_START_RULES) or _END_MARK_RE.match(line):
        return "\\" + line
    return line


def _not_a_caption(line: str) -> str:
    """``Table: …`` / ``< … >`` as a paragraph of its own is a table caption: escape it."""
    match = _CAPTION_LIKE.match(line)
    if match is None:
        return line
    if match.group(1) is None:
        return "\\" + line
    colon = match.start(1)
    return line[:colon] + ("\\:" if match.group(1) == ":" else "&#65306;") + line[colon + 1 :]


def text_lines(text: str, prefix: str, cont: str) -> list[str]:
    """A paragraph-like text (lines split at hard breaks), the first line after ``prefix``."""
    lines = text.split("\n")
    out = [prefix + line_start_escape(lines[0])]
    out.extend(cont + line_start_escape(line) for line in lines[1:])
    if len(lines) == 1:
        out[0] = prefix + _not_a_caption(line_start_escape(lines[0]))
    return out


def continuation(prefix: str) -> str:
    """The prefix of a block's later lines: list markers become spaces, '>' stay."""
    return "".join(ch if ch in " \t>" else " " for ch in prefix)


def _single_line(text: str) -> str:
    """A text without hard breaks (headings, cells): breaks become spaces."""
    if "\n" not in text:
        return text
    return to_inline(Span(" ") if s.line_break else s for s in parse_inline(text))


def heading_text(text: str, section: str) -> str:
    """ATX heading content: a closing ``#`` run escaped, no false section heading."""
    text = re.sub(r"(^|[ \t])(#+[ \t]*)$", lambda m: m.group(1) + "\\" + m.group(2), text)
    false_about = section in ("body", "attachments") and _is_about_heading(text)
    false_attachments = section in ("body", "about") and _is_attachments_heading(text)
    if (false_about and text.strip().startswith("About")) or false_attachments:
        return f"&#{ord(text[0])};{text[1:]}"  # "About …" in the body is not the About section
    if false_about:
        return f"{text[:-1]}&#{ord(text[-1])};"  # nor is "… 소개"
    return text


def setext_lines(text: str, prefix: str) -> list[str]:
    """The text lines of a setext heading ('|' as an entity: a line with a pipe above '---' is a table)."""
    return text_lines(text.replace("\\|", "&#124;"), prefix, continuation(prefix))


def heading_lines(block: Block, prefix: str, section: str) -> list[str]:
    level = min(max(block.level, 1), 6)
    if "\n" in block.text and level <= 2:  # setext keeps line breaks
        lines = setext_lines(block.text, prefix)
        width = max(3, len(block.text.rsplit("\n", 1)[-1]))
        return [*lines, continuation(prefix) + ("=" if level == 1 else "-") * min(width, 40)]
    return [prefix + "#" * level + " " + heading_text(_single_line(block.text), section)]


def _cell(text: str) -> str:
    md = to_inline((Span(" ") if s.line_break else s for s in parse_inline(text)), in_table=True)
    return md if md.strip() else ""


def table_lines(block: Block, prefix: str) -> list[str]:
    """A GFM pipe table; cells are single lines (line breaks become spaces)."""
    width = len(block.align) or max((len(r) for r in block.rows), default=0)
    if not block.rows or not width:
        return []
    delimiter = {"": "---", "left": ":--", "center": ":-:", "right": "--:"}
    rows = [[_cell(cell) for cell in (list(row) + [""] * width)[:width]] for row in block.rows]
    aligns = list(block.align) + [""] * (width - len(block.align))
    out = [prefix + "| " + " | ".join(rows[0]) + " |"] if rows else []
    out.append(continuation(prefix) + "| " + " | ".join(delimiter[a] for a in aligns[:width]) + " |")
    out.extend(continuation(prefix) + "| " + " | ".join(row) + " |" for row in rows[1:])
    return out


def caption_lines(caption: str, form: str, prefix: str = "") -> list[str]:
    """The caption paragraph of a table: ``Table: …``, ``표: …`` or ``< … >``."""
    body = _single_line(caption)
    if form == "<>":
        return [prefix + "< " + body + " >"]
    return [prefix + ("표: " if form == "표:" else "Table: ") + body]


def image_lines(block: Block, prefix: str) -> list[str]:
    caption = to_inline(parse_inline(block.text), brackets=True)
    title = ""
    if block.title:
        escaped = block.title.replace("\\", "\\\\").replace('"', '\\"')
        title = ' "' + re.sub(r"&(?=#?[A-Za-z0-9]+;)", "\\&", escaped) + '"'
    md = f"![{caption}]({link_destination(block.src) if block.src else ''}{title})"
    lines = md.split("\n")
    return [prefix + lines[0]] + [continuation(prefix) + line_start_escape(ln) for ln in lines[1:]]


# --------------------------------------------------------------------------- whole sections


@dataclass
class _ListState:
    level: int
    indent: int  # column of the marker
    content: int  # column of the text
    ordered: bool
    delimiter: str
    last: int
    text: bool = True  # the item has text (a nested list under it must be able to interrupt it)


def _interrupts(block: Block) -> bool:
    """Can this item start a nested list right under its parent's text line?

    CommonMark: only a non-empty item, and for an ordered list only one
    starting at 1; otherwise the line would continue the parent's text.
    """
    return bool(block.text) and (not block.ordered or block.number == 1)


class BlockWriter:
    """Renders a run of blocks, keeping list nesting and list boundaries right."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lists: list[_ListState] = []

    def reset(self) -> None:
        self.lists = []

    def item(self, block: Block, base: str = "") -> tuple[list[str], bool]:
        """Lines of a list item and whether it continues the list above (no blank line)."""
        while self.lists and self.lists[-1].level > block.level:
            self.lists.pop()
        same = self.lists[-1] if self.lists and self.lists[-1].level == block.level else None
        parent_text = self.lists[-1].text if self.lists else False
        tight = bool(self.lists) and (same is not None or not parent_text or _interrupts(block))
        delimiter = "."
        if same is not None:
            continues = same.ordered == block.ordered and (not block.ordered or block.number == same.last + 1)
            if not continues:
                tight = False
                if same.ordered and block.ordered:
                    delimiter = ")" if same.delimiter == "." else "."
            else:
                delimiter = same.delimiter
            self.lists.pop()
            indent = same.indent
        else:
            parent = self.lists[-1] if self.lists else None
            indent = parent.content if parent is not None else 0
        marker = f"{block.number}{delimiter}" if block.ordered else "-"
        state = _ListState(
            block.level,
            indent,
            indent + len(marker) + 1,
            block.ordered,
            delimiter,
            block.number,
            bool(block.text),
        )
        self.lists.append(state)
        prefix = base + " " * indent + marker + " "
        if not block.text:
            return [prefix.rstrip()], tight
        return text_lines(block.text, prefix, continuation(base) + " " * state.content), tight

    def block(self, block: Block, section: str, base: str = "", caption_form: str = "") -> list[str]:
        """Lines of any block but a list item (``base``: the container prefix)."""
        if block.kind == "heading":
            return heading_lines(block, base, section)
        if block.kind == "quote":
            quote = base + "> " * (block.level + 1)
            return text_lines(block.text, quote, quote)
        if block.kind == "table":
            lines = table_lines(block, base)
            if block.text:
                form = caption_form or ("<>" if self.lang == "ko" else "Table:")
                return [*caption_lines(block.text, form, base), continuation(base), *lines]
            return lines
        if block.kind == "image":
            return image_lines(block, base)
        return text_lines(block.text, base, continuation(base))

    def section(self, blocks: Sequence[Block], section: str) -> list[str]:
        out: list[str] = []
        self.reset()
        for block in blocks:
            if block.kind == "list_item":
                lines, tight = self.item(block)
                if out and not tight:
                    out.append("")
            else:
                self.reset()
                lines = self.block(block, section)
                if out:
                    out.append("")
            out.extend(lines)
        return out


def section_heading(title: str, lang: str, kind: str) -> str:
    default = {"about": ("About", "소개"), "attachments": ("Attachments", "붙임")}[kind]
    text = title or (default[1] if lang == "ko" else default[0])
    return "## " + re.sub(
        r"(^|[ \t])(#+[ \t]*)$", lambda m: m.group(1) + "\\" + m.group(2), _single_line(text)
    )


def dump_markdown(release: Release, *, translation_of: str | None = None) -> str:
    """The whole release as Markdown that :func:`load_release` reads back to the same release."""
    out = ["---"]
    out.extend(f"{key}: {yaml_value(value)}" for key, value in meta_fields(release, translation_of))
    out.append("---")
    writer = BlockWriter(release.lang)
    body = writer.section(release.body, "body")
    if body:
        out.extend(["", *body])
    for kind, title, blocks in (
        ("about", release.about_title, release.about),
        ("attachments", release.attachments_title, release.attachments),
    ):
        if title or blocks:
            out.extend(["", section_heading(title, release.lang, kind)])
            lines = writer.section(blocks, kind)
            if lines:
                out.extend(["", *lines])
    return "\n".join(out) + "\n"
