"""Release Markdown: reading it into blocks, writing it back, patching only changed lines.

Translations are files people edit, so the writer produces what the reader reads
back to the same Release, and a patch rewrites only the lines of changed blocks.
"""

from __future__ import annotations

import json
import re

from toolkit.core.document import Block, BlockKind, Release
from toolkit.core.errors import Problem
from toolkit.sources.decode import SourceFile
from toolkit.sources.frontmatter import _parse_front_matter, _split_front_matter
from toolkit.sources.release import _END_MARK_RE, LoadedRelease, _finish, _meta_from_values

_PLAIN_RE = re.compile(r"^[^\s\"'#&*!|>%@`{}\[\],?:\-][^\n]*$")
_NEEDS_ESCAPE_RE = re.compile(r"^(#|[-*+]\s|>|###\s*$|\\)")


def _yaml_value(value: str) -> str:
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


def _block_md(block: Block) -> str:
    text = block.text
    if block.kind == "heading":
        return "#" * max(1, min(block.level or 2, 3)) + " " + text
    if block.kind == "list_item":
        return "- " + text
    if block.kind == "quote":
        return "> " + text
    if _NEEDS_ESCAPE_RE.match(text):
        return "\\" + text
    return text


def dump_markdown(release: Release, *, translation_of: str | None = None) -> str:
    meta = release.meta
    fields: list[tuple[str, str]] = [("title", meta.title)]
    if meta.subtitle:
        fields.append(("subtitle", meta.subtitle))
    if meta.date:
        fields.append(("date", meta.date.isoformat()))
    if meta.dateline:
        fields.append(("dateline", meta.dateline))
    fields.append(("lang", meta.lang))
    if translation_of:
        fields.append(("translation_of", translation_of))
    for key in (
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
    ):
        value = str(getattr(meta, key))
        if value:
            fields.append((key, value))
    out = ["---"]
    out.extend(f"{k}: {_yaml_value(v)}" for k, v in fields)
    out.append("---")
    out.append("")
    for block in release.body:
        out.append(_block_md(block))
        out.append("")
    if release.about_title or release.about:
        out.append("## " + (release.about_title or ("About" if meta.lang == "en" else "소개")))
        out.append("")
        for block in release.about:
            out.append(_block_md(block))
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_META_KEYS = (
    "title",
    "subtitle",
    "dateline",
    "organization",
    "department",
    "contact",
    "manager",
    "contact_person",
)
_BLOCK_START_RE = re.compile(r"^(#{1,6}\s|\s*[-*+]\s|\s*>)")


def _front_matter_spans(lines: list[str]) -> dict[str, tuple[int, int]] | None:
    """Key → (first, last) 0-based line index of each front matter entry."""
    import yaml

    if not lines or lines[0].strip() != "---":
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return None
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    spans: dict[str, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        first = 1 + key_node.start_mark.line
        last = 1 + value_node.end_mark.line
        if value_node.end_mark.column == 0 and last > first:
            last -= 1  # a block scalar ends at the start of the next line
        spans[str(key_node.value)] = (first, min(last, end - 1))
    return spans


def _block_span(lines: list[str], block: Block) -> tuple[int, int] | None:
    start = block.line - 1
    if not 0 <= start < len(lines) or not lines[start].strip():
        return None
    if block.kind in ("heading", "list_item"):
        return start, start
    end = start
    while end + 1 < len(lines) and lines[end + 1].strip():
        nxt = lines[end + 1]
        if block.kind == "quote" and not nxt.lstrip().startswith(">"):
            break
        if block.kind == "paragraph" and _BLOCK_START_RE.match(nxt):
            break
        end += 1
    return start, end


def patch_markdown(old_text: str, old: Release, new: Release) -> str | None:
    """Change only the lines of fields and blocks whose text changed.

    A translator's file keeps its own formatting (quoting, wrapping, blank
    lines) and the diff shows exactly the sentences presspack touched.
    Returns None when the structure differs and a full rewrite is needed.
    """
    if [(b.kind, b.level) for b in old.body] != [(b.kind, b.level) for b in new.body]:
        return None
    if [(b.kind, b.level) for b in old.about] != [(b.kind, b.level) for b in new.about]:
        return None
    lines = old_text.split("\n")
    spans = _front_matter_spans(lines)
    if spans is None:
        return None
    edits: list[tuple[int, int, list[str]]] = []
    for key in _META_KEYS:
        old_value, new_value = str(getattr(old.meta, key)), str(getattr(new.meta, key))
        if old_value == new_value:
            continue
        if key not in spans:
            return None
        first, last = spans[key]
        edits.append((first, last, f"{key}: {_yaml_value(new_value)}".split("\n")))
    pairs = list(zip(old.body, new.body, strict=True)) + list(zip(old.about, new.about, strict=True))
    for ob, nb in pairs:
        if ob.text == nb.text:
            continue
        span = _block_span(lines, ob)
        if span is None:
            return None
        edits.append((span[0], span[1], [_block_md(nb)]))
    if old.about_title != new.about_title:
        heading = next(
            (
                i
                for i, ln in enumerate(lines)
                if re.match(r"^#{1,6}\s+" + re.escape(old.about_title) + r"\s*#*\s*$", ln)
            ),
            None,
        )
        if heading is None:
            return None
        edits.append((heading, heading, [lines[heading].split(" ", 1)[0] + " " + new.about_title]))
    for first, last, replacement in sorted(edits, reverse=True):
        lines[first : last + 1] = replacement
    return "\n".join(lines)


def encode_like(text: str, old: bytes | None) -> bytes:
    """Encode ``text`` keeping the BOM and CRLF line endings of the file it replaces
    (a Windows editor's file must not turn into an all-lines-changed diff)."""
    bom = b"\xef\xbb\xbf" if old is not None and old.startswith(b"\xef\xbb\xbf") else b""
    if old is not None and b"\r\n" in old:
        text = text.replace("\n", "\r\n")
    return bom + text.encode("utf-8")


# --------------------------------------------------------------------------- reading

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


_BULLET_RE = re.compile(r"^\s*[-*+]\s+(.*)$")


_QUOTE_RE = re.compile(r"^\s*>\s?(.*)$")


def parse_markdown_body(body: str, first_line: int) -> list[Block]:
    """Turn Markdown-ish body text into blocks.

    Inline markup is deliberately *not* interpreted: releases are printed
    exactly as written (an asterisk in a quote must survive).
    """
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0
    kind: BlockKind = "paragraph"

    def flush() -> None:
        nonlocal para, kind
        if para:
            joined = " ".join(s.strip() for s in para if s.strip())
            if joined:
                blocks.append(Block(kind=kind, text=joined, line=para_line))
        para = []
        kind = "paragraph"

    for offset, raw in enumerate(body.split("\n")):
        lineno = first_line + offset
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if _END_MARK_RE.match(line):
            flush()
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            flush()
            text = heading.group(2).strip()
            if text:
                blocks.append(
                    Block(kind="heading", text=text, level=min(len(heading.group(1)), 3), line=lineno)
                )
            continue
        bullet = _BULLET_RE.match(line)
        if bullet and not (para and kind == "paragraph"):
            flush()
            blocks.append(Block(kind="list_item", text=bullet.group(1).strip(), line=lineno))
            continue
        quote = _QUOTE_RE.match(line)
        if quote:
            if kind != "quote":
                flush()
                kind = "quote"
                para_line = lineno
            para.append(quote.group(1))
            continue
        if kind == "quote":
            flush()
        if not para:
            para_line = lineno
            if line.startswith("\\") and len(line) > 1 and line[1] in "#-*+>\\":
                line = line[1:]  # an escaped leading marker is literal text
        para.append(line)
    flush()
    return blocks


def _load_markdown(src: SourceFile, expected_lang: str | None) -> LoadedRelease:
    problems: list[Problem] = []
    warnings: list[Problem] = list(src.warnings)
    yaml_text, yaml_line, body_text, body_line = _split_front_matter(src)
    values: dict[str, tuple[str, int]] = {}
    if yaml_text is not None:
        values, fm_problems = _parse_front_matter(src.path, yaml_text, yaml_line)
        problems.extend(fm_problems)
    blocks = parse_markdown_body(body_text, body_line)
    # A Markdown file without a title key may carry its headline as "# H1".
    if (
        not values.get("title", ("", 0))[0].strip()
        and blocks
        and blocks[0].kind == "heading"
        and blocks[0].level == 1
    ):
        values["title"] = (blocks[0].text, blocks[0].line)
        blocks = blocks[1:]
    meta, translation_of = _meta_from_values(
        src.path,
        values,
        values.get("title", ("", 0))[0] + "\n" + body_text,
        expected_lang,
        problems,
        warnings,
    )
    return _finish(src.path, meta, blocks, translation_of, problems, warnings)
