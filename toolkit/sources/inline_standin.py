"""Stand-in for ``toolkit.core.inline`` (being written on branch ``grammar``).

Same names and meaning as the planned API, so the HWPX reader and writer switch
to the real module by changing one import line: ``Span`` runs with
bold/italic/code/href/line-break flags, ``to_inline(spans)`` (canonical inline
Markdown), ``parse_inline(text)`` (its inverse), ``escape(plain_text)`` and
``plain(text)`` (the visible text). Only what HWPX needs is covered: no nesting
beyond bold+italic, links with plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_LINE_BREAK = "\\\n"  # a backslash at the end of a line: a hard line break


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""
    line_break: bool = False


def escape(text: str) -> str:
    """Plain text → inline Markdown that shows exactly ``text``."""
    out = _SPECIAL.sub(r"\\\1", text)
    return out.replace("\n", _LINE_BREAK)


def to_inline(spans: list[Span] | tuple[Span, ...]) -> str:
    """Runs → canonical inline Markdown (adjacent runs of one format merged)."""
    merged: list[Span] = []
    for span in spans:
        if span.line_break:
            merged.append(span)
            continue
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if (
            last is not None
            and not last.line_break
            and (last.bold, last.italic, last.code, last.href)
            == (span.bold, span.italic, span.code, span.href)
        ):
            merged[-1] = Span(last.text + span.text, last.bold, last.italic, last.code, last.href)
        else:
            merged.append(span)
    parts: list[str] = []
    for span in merged:
        if span.line_break:
            parts.append(_LINE_BREAK)
            continue
        text = span.text
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        if not core:
            parts.append(escape(text))
            continue
        if span.code:
            body = "`" + core.replace("`", "") + "`"
        else:
            body = escape(core)
            if span.bold and span.italic:
                body = f"***{body}***"
            elif span.bold:
                body = f"**{body}**"
            elif span.italic:
                body = f"*{body}*"
        if span.href:
            body = f"[{body}]({span.href})"
        parts.append(escape(lead) + body + escape(trail))
    return "".join(parts)


_TOKEN = re.compile(r"\\\n|\\(.)|\*\*\*|\*\*|\*|`[^`]*`|\[|\]\(([^)\s]*)\)|\n", re.DOTALL)


def parse_inline(text: str) -> tuple[Span, ...]:
    """Canonical inline Markdown → flat runs (the inverse of :func:`to_inline`)."""
    spans: list[Span] = []
    bold = italic = False
    href_start: int | None = None
    buf: list[str] = []

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold=bold, italic=italic))
            buf.clear()

    pos = 0
    for m in _TOKEN.finditer(text):
        buf.append(text[pos : m.start()])
        token = m.group(0)
        pos = m.end()
        if token in ("\\\n", "\n"):
            flush()
            spans.append(Span("", line_break=True))
        elif m.group(1) is not None:
            buf.append(m.group(1))
        elif token == "***":
            flush()
            bold, italic = not bold, not italic
        elif token == "**":
            flush()
            bold = not bold
        elif token == "*":
            flush()
            italic = not italic
        elif token.startswith("`"):
            flush()
            spans.append(Span(token[1:-1], code=True))
        elif token == "[":
            flush()
            href_start = len(spans)
        else:  # "](url)"
            flush()
            url = m.group(2) or ""
            if href_start is not None:
                spans[href_start:] = [
                    Span(s.text, s.bold, s.italic, s.code, url, s.line_break) for s in spans[href_start:]
                ]
            href_start = None
    buf.append(text[pos:])
    flush()
    return tuple(spans)


def plain(text: str) -> str:
    """The visible text of inline Markdown (what QA and the glossary see)."""
    return "".join("\n" if s.line_break else s.text for s in parse_inline(text))
