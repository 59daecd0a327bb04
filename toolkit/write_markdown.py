"""Write a Release back as a Markdown source (translations are files people edit).

The output is what :func:`toolkit.sources.load_release` reads back to the
same Release: plain front matter, one line per paragraph, so a translator's
diff shows exactly the sentences that changed.
"""

from __future__ import annotations

import json
import re

from toolkit.document import Block, Release

_PLAIN_RE = re.compile(r"^[^\s\"'#&*!|>%@`{}\[\],?:\-][^\n]*$")
_NEEDS_ESCAPE_RE = re.compile(r"^(#|[-*+]\s|>|###\s*$|\\)")


def _yaml_value(value: str) -> str:
    if "\n" in value:
        lines = value.split("\n")
        return "|\n" + "\n".join(("  " + ln) if ln else "" for ln in lines)
    if _PLAIN_RE.match(value) and ": " not in value and " #" not in value and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def _block_md(block: Block) -> str:
    text = block.text
    if block.kind == "heading":
        return "#" * max(1, min(block.level or 2, 3)) + " " + text
    if block.kind == "bullet":
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
    for key in ("organization", "department", "contact", "embargo", "copyright"):
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


_META_KEYS = ("title", "subtitle", "dateline", "organization", "department", "contact")
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
    if block.kind in ("heading", "bullet"):
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
