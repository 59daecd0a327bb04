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
