"""Canonical inline Markdown ↔ flat runs of formatted text.

Every translatable text of a :class:`~toolkit.core.document.Block` is inline
Markdown in one canonical form, so the translation memory, the glossary
matcher, QA and every renderer work on a single representation, and two texts
that display the same compare equal:

* ``**bold**``, ``*italic*``, ```code``` (backticks sized to the code),
  ``[text](url)`` (``<url>`` when it holds spaces), hard line breaks as a
  backslash at the end of the line;
* every other character is literal: markup characters are backslash-escaped
  where they could be read as markup, raw HTML is text (``<img src=x>``
  displays as typed), entities such as ``&#8212;`` are decoded to their
  character;
* soft line breaks (a newline inside a paragraph) are single spaces;
  whitespace at the very start or end of a text (or of a line after a hard
  break), which Markdown would drop, is written as a numeric entity.

Decisions, where CommonMark leaves a choice:

* An image inside running text keeps its alt text as ordinary text (a photo
  is a paragraph holding only ``![caption](file)``, read by the block reader).
* Link titles (``[a](url "title")``) are not kept: nothing prints them.
* Links to ``javascript:``, ``vbscript:``, ``file:`` or ``data:`` URLs are
  read as text (markdown-it's ``validateLink``); such hrefs are dropped from
  runs given to :func:`to_inline`.
* Formatting of whitespace is invisible, so a bold or italic run never starts
  or ends with whitespace (``** a **`` cannot be written in CommonMark).
* Overlapping bold and italic that ``**``/``*`` cannot keep apart are written
  with ``__``/``_`` (``__a*b*__*c*``). Runs CommonMark cannot express at all,
  such as bold ending in punctuation right before a letter (``**“창원”**은``
  is literal text in CommonMark), are written with the formatting moved off
  the edge punctuation (``“**창원**”은``), else without that formatting. The
  text itself, links and code are never lost.

Escaping depends only on a character and the word it is in, never on
where the text sits in a block, so a sentence of a paragraph has the same
canonical form on its own as inside the paragraph. Escaping needed at the
start of a *block* line (``1. ``, ``- ``, ``#``, ``>``) is the block writer's
job (:mod:`toolkit.sources.markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "Span",
    "canonical",
    "escape",
    "link_destination",
    "markdown_parser",
    "normalize",
    "parse_inline",
    "plain",
    "slice_spans",
    "spans_of_tokens",
    "to_inline",
]


@dataclass(frozen=True)
class Span:
    """A run of text with one formatting; a line break is ``Span("", line_break=True)``."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""  # link target as written ("" = not a link)
    line_break: bool = False


BREAK = Span("", line_break=True)


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The one parser of release Markdown: CommonMark + GFM tables, raw HTML off.

    Link targets are kept as written (no percent-encoding): they are file
    names and addresses people typed, not HTML attributes.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.normalizeLink = _as_written  # type: ignore[method-assign,assignment]
    md.normalizeLinkText = _as_written  # type: ignore[method-assign,assignment]
    return md


def _as_written(text: str, /) -> str:
    return text


# --------------------------------------------------------------------------- reading


def parse_inline(text: str) -> tuple[Span, ...]:
    """Inline Markdown → normalized runs (adjacent runs of equal formatting merged).

    Each renderer, the checks and the memory read the same texts again: a text
    of up to 4,096 characters is parsed once per process (4,096 of them kept).
    """
    if not text:
        return ()
    if len(text) <= _MEMO_CHARS:
        return _parse_inline_memo(text)
    return _parse_inline(text)


_MEMO_CHARS = 4096


@lru_cache(maxsize=4096)
def _parse_inline_memo(text: str) -> tuple[Span, ...]:
    return _parse_inline(text)


def _parse_inline(text: str) -> tuple[Span, ...]:
    tokens = markdown_parser().parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    return spans_of_tokens(children)


def spans_of_tokens(tokens: Sequence[Token]) -> tuple[Span, ...]:
    """Runs of markdown-it inline tokens (the children of an ``inline`` token)."""
    out: list[Span] = []
    _walk(tokens, 0, 0, [""], out)
    return normalize(out)


def _walk(tokens: Sequence[Token], bold: int, italic: int, hrefs: list[str], out: list[Span]) -> None:
    for tok in tokens:
        kind = tok.type
        href = hrefs[-1]
        if kind in ("text", "text_special", "html_inline"):
            out.append(Span(tok.content, bold > 0, italic > 0, False, href))
        elif kind == "softbreak":
            out.append(Span(" ", bold > 0, italic > 0, False, href))
        elif kind == "hardbreak":
            out.append(BREAK)
        elif kind == "code_inline":
            out.append(Span(tok.content, bold > 0, italic > 0, True, href))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            hrefs.append(str(tok.attrGet("href") or ""))
        elif kind == "link_close":
            if len(hrefs) > 1:
                hrefs.pop()
        elif kind == "image":
            # inside running text an image is its alt text (see the module docstring)
            _walk(tok.children or [], bold, italic, hrefs, out)


def plain(text: str) -> str:
    """The visible text of inline Markdown (line breaks as ``\\n``): what QA and the glossary see."""
    if not _MAY_BE_MARKUP.search(text):
        return text
    return "".join("\n" if s.line_break else s.text for s in parse_inline(text))


def slice_spans(spans: Sequence[Span], start: int, end: int | None = None) -> tuple[Span, ...]:
    """The runs covering visible characters ``start:end`` (a line break counts as one)."""
    out: list[Span] = []
    position = 0
    for span in spans:
        size = 1 if span.line_break else len(span.text)
        lo, hi = max(start - position, 0), size if end is None else min(end - position, size)
        if lo < hi:
            out.append(span if span.line_break else replace(span, text=span.text[lo:hi]))
        position += size
    return normalize(out)


# Texts without these characters read as themselves (fast path for plain prose).
_MAY_BE_MARKUP = re.compile(r"[\\`*_\[\]<>&!|\n\r]|^\s|\s$")


# --------------------------------------------------------------------------- normalizing


def _is_ws(ch: str) -> bool:
    from markdown_it.common.utils import isWhiteSpace

    return isWhiteSpace(ord(ch))


def _is_punct(ch: str) -> bool:
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar

    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def _valid_href(href: str) -> bool:
    return "\n" not in href and "\r" not in href and bool(markdown_parser().validateLink(href))


def normalize(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The canonical runs of ``spans``: what :func:`parse_inline` of their Markdown gives.

    Newlines in text become line breaks; line breaks carry no formatting and
    none ends the text; empty runs go; unsafe hrefs are dropped; bold and
    italic runs do not start or end with whitespace; equal neighbours merge.
    """
    flat: list[Span] = []
    for span in spans:
        if span.line_break:
            flat.append(BREAK)
            continue
        href = span.href if span.href and _valid_href(span.href) else ""
        text = span.text.replace("\r\n", "\n").replace("\r", "\n")
        for index, part in enumerate(text.split("\n")):
            if index:
                flat.append(BREAK)
            if part:
                flat.append(Span(part, span.bold, span.italic, span.code, href))
    while flat and flat[-1].line_break:
        flat.pop()
    flat = _trim_runs(flat, "bold")
    flat = _trim_runs(flat, "italic")
    return _merge(flat)


def _merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for span in spans:
        if not span.line_break and not span.text:
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and not span.line_break
            and not prev.line_break
            and (prev.bold, prev.italic, prev.code, prev.href)
            == (span.bold, span.italic, span.code, span.href)
        ):
            out[-1] = replace(prev, text=prev.text + span.text)
        else:
            out.append(span)
    return tuple(out)


def _runs(spans: Sequence[Span], flag: str) -> list[tuple[int, int]]:
    """(start, end) of each maximal run with ``flag`` set, not crossing a link boundary."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        if spans[i].line_break or not getattr(spans[i], flag):
            i += 1
            continue
        j = i + 1
        while (
            j < len(spans)
            and not spans[j].line_break
            and getattr(spans[j], flag)
            and spans[j].href == spans[i].href
        ):
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _trim_runs(spans: list[Span], flag: str) -> list[Span]:
    out: list[Span] = []
    last = 0
    for start, end in _runs(spans, flag):
        out.extend(spans[last:start])
        out.extend(_trim_run(list(spans[start:end]), flag))
        last = end
    out.extend(spans[last:])
    return out


def _flagged(span: Span, flag: str, value: bool) -> Span:
    return replace(span, bold=value) if flag == "bold" else replace(span, italic=value)


def _trim_run(run: list[Span], flag: str) -> list[Span]:
    lead: list[Span] = []
    while run and not run[0].code:
        first = run[0]
        k = 0
        while k < len(first.text) and _is_ws(first.text[k]):
            k += 1
        if k == 0:
            break
        lead.append(_flagged(replace(first, text=first.text[:k]), flag, False))
        if k < len(first.text):
            run[0] = replace(first, text=first.text[k:])
            break
        run.pop(0)
    trail: list[Span] = []
    while run and not run[-1].code:
        last = run[-1]
        k = len(last.text)
        while k > 0 and _is_ws(last.text[k - 1]):
            k -= 1
        if k == len(last.text):
            break
        trail.insert(0, _flagged(replace(last, text=last.text[k:]), flag, False))
        if k > 0:
            run[-1] = replace(last, text=last.text[:k])
            break
        run.pop()
    return lead + run + trail


# --------------------------------------------------------------------------- writing


def to_inline(spans: Iterable[Span], *, in_table: bool = False, brackets: bool = False) -> str:
    """Runs → canonical inline Markdown (deterministic; see the module docstring).

    ``in_table``: for a GFM table cell, where ``|`` must be escaped inside code
    too. ``brackets``: for text between ``[`` and ``]`` (a photo caption), where
    ``]`` must be escaped.
    """
    mode = _Mode(in_table=in_table, brackets=brackets)
    runs = normalize(spans)
    lines: list[list[Span]] = [[]]
    for span in runs:
        if span.line_break:
            lines.append([])
        else:
            lines[-1].append(span)
    last = len(lines) - 1
    return "\\\n".join(_line_md(line, mode, at_end=index == last) for index, line in enumerate(lines))


def escape(plain_text: str) -> str:
    """Inline Markdown that displays exactly ``plain_text`` (``\\n`` = line break)."""
    if not _MAY_BE_MARKUP.search(plain_text):
        return plain_text
    return to_inline([Span(plain_text)])


def canonical(text: str) -> str:
    """The canonical form of inline Markdown: ``to_inline(parse_inline(text))``."""
    if not _MAY_BE_MARKUP.search(text):
        return text
    return to_inline(parse_inline(text))


@dataclass(frozen=True)
class _Mode:
    """Where the whole text goes (see :func:`to_inline`)."""

    in_table: bool = False
    brackets: bool = False

    def reads_as(self, text: str, spans: Sequence[Span]) -> bool:
        # a table cell's pipes are unescaped by the table before inline parsing
        return parse_inline(text.replace("\\|", "|") if self.in_table else text) == tuple(spans)


def _line_md(line: list[Span], mode: _Mode, *, at_end: bool) -> str:
    """One line (between hard breaks): link segments, each checked by re-reading it."""
    segments: list[list[Span]] = []
    for span in line:
        if segments and segments[-1][0].href == span.href:
            segments[-1].append(span)
        else:
            segments.append([span])
    pieces: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        pieces.append(
            _segment_md(
                segment,
                mode,
                _Edges(
                    line_start=index == 0,
                    line_end=last,
                    text_end=at_end and last,
                    before_link=not last and bool(segments[index + 1][0].href),
                ),
            )
        )
    return "".join(pieces)


@dataclass(frozen=True)
class _Edges:
    """Where a segment sits: what its first and last characters touch."""

    line_start: bool = False  # first on its line: leading whitespace would be dropped
    line_end: bool = False  # last on its line: nothing follows on this line
    text_end: bool = False  # last of the text: trailing whitespace would be dropped
    before_link: bool = False  # a link follows directly ('!' + '[' would make an image)


def _segment_md(segment: list[Span], mode: _Mode, edges: _Edges) -> str:
    """The segment's Markdown, checked by reading it back when it has bold or italic.

    CommonMark cannot write every formatting with ``**``/``*``: next try
    ``_``/``__`` (delimiters of another character do not merge with ``*``),
    then move formatting off edge punctuation, then give up italic or bold
    where they overlap, then one of them, then both. The text itself, links
    and code are always kept. The order is fixed, so the result is
    deterministic and reading it back and writing again gives the same text.
    """
    plain_runs = not any(s.bold or s.italic for s in segment)
    if plain_runs:
        return _render_segment(segment, mode, edges, _STARS)
    shrunk = _shrink(segment)
    variants = (
        segment,
        shrunk,
        _without(shrunk, "italic", where="bold"),
        _without(shrunk, "bold", where="italic"),
        _without(shrunk, "italic"),
        _without(shrunk, "bold"),
    )
    for variant in variants:
        for delimiters in (_STARS, _STAR_UNDERSCORE, _UNDERSCORE_STAR):
            text = _render_segment(variant, mode, edges, delimiters)
            if mode.reads_as(text, variant):
                return text
    return _render_segment(_without(segment, "bold", "italic"), mode, edges, _STARS)


_STARS = ("**", "*")
_STAR_UNDERSCORE = ("**", "_")
_UNDERSCORE_STAR = ("__", "*")


def _without(spans: Sequence[Span], *flags: str, where: str = "") -> list[Span]:
    """``spans`` with ``flags`` cleared (only on spans that also have ``where``, if given)."""
    out: list[Span] = []
    for span in spans:
        if not where or getattr(span, where):
            for flag in flags:
                span = _flagged(span, flag, False)
        out.append(span)
    return list(normalize(out))


def _shrink(spans: Sequence[Span]) -> list[Span]:
    """Move bold/italic off whitespace, punctuation and code at the edges of each run."""
    atoms: list[Span] = []
    for span in spans:
        if span.code:
            atoms.append(span)
        else:
            atoms.extend(replace(span, text=ch) for ch in span.text)

    def edge(atom: Span) -> bool:
        return atom.code or _is_ws(atom.text) or _is_punct(atom.text)

    for flag in ("bold", "italic"):
        for start, end in _runs(atoms, flag):
            i, j = start, end
            while i < j and edge(atoms[i]):
                atoms[i] = _flagged(atoms[i], flag, False)
                i += 1
            while j > i and edge(atoms[j - 1]):
                atoms[j - 1] = _flagged(atoms[j - 1], flag, False)
                j -= 1
    return list(normalize(atoms))


def _render_segment(spans: Sequence[Span], mode: _Mode, edges: _Edges, delimiters: tuple[str, str]) -> str:
    href = spans[0].href if spans else ""
    if href:  # link text sits between brackets: no edge of the line is touched
        inner = _emphasis_md(spans, _Edges(), delimiters, in_link=True, in_table=mode.in_table)
        return f"[{inner}]({link_destination(href)})"
    return _emphasis_md(spans, edges, delimiters, in_link=mode.brackets, in_table=mode.in_table)


def _emphasis_md(
    spans: Sequence[Span], edges: _Edges, delimiters: tuple[str, str], *, in_link: bool, in_table: bool
) -> str:
    """Delimiters around runs; the flag whose run lasts longer is opened first (outside)."""
    strong, em = delimiters
    out: list[str] = []
    stack: list[str] = []

    def reach(index: int, flag: str) -> int:
        j = index
        while j < len(spans) and getattr(spans[j], flag):
            j += 1
        return j

    for index, span in enumerate(spans):
        want = {strong: span.bold, em: span.italic}
        while stack and not all(want[d] for d in stack):
            out.append(stack.pop())
        opening = [d for d in (strong, em) if want[d] and d not in stack]
        opening.sort(key=lambda d: -reach(index, "bold" if d == strong else "italic"))
        for delimiter in opening:
            stack.append(delimiter)
            out.append(delimiter)
        if span.code:
            out.append(_code_md(span.text, in_table=in_table))
            continue
        bare = not (span.bold or span.italic)  # no delimiter between this text and the edge
        first, last = index == 0, index == len(spans) - 1
        out.append(
            _escape_text(
                span.text,
                _Edges(
                    line_start=edges.line_start and first and bare,
                    line_end=edges.line_end and last,
                    text_end=edges.text_end and last and bare,
                    before_link=edges.before_link and last and bare,
                ),
                in_link=in_link,
            )
        )
    while stack:
        out.append(stack.pop())
    return "".join(out)


def _code_md(text: str, *, in_table: bool = False) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = (
        text.startswith("`")
        or text.endswith("`")
        or (text.startswith(" ") and text.endswith(" ") and any(c != " " for c in text))
    )
    body = text.replace("|", "\\|") if in_table else text
    return f"{fence} {body} {fence}" if pad else f"{fence}{body}{fence}"


_AUTOLINK_RE = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^<>\x00-\x20]*>")
_EMAIL_RE = re.compile(
    r"<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>"
)
_ENTITY_RE = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6};|#[0-9]{1,7};|([A-Za-z][A-Za-z0-9]{1,31});)")


def _may_autolink(text: str, start: int, last_in_line: bool) -> bool:
    """Could ``<`` at ``start`` open an autolink (``<https://…>``, ``<a@b.kr>``)?"""
    for j in range(start + 1, len(text)):
        ch = text[j]
        if ch == ">":
            candidate = text[start : j + 1]
            return bool(_AUTOLINK_RE.fullmatch(candidate) or _EMAIL_RE.fullmatch(candidate))
        if ch == "<" or ord(ch) <= 0x20:
            return False
    return not last_in_line  # the next run might close it


def _is_entity(text: str, start: int) -> bool:
    from markdown_it.common.entities import entities

    match = _ENTITY_RE.match(text, start)
    return bool(match) and (match.group(1) is None or match.group(1) in entities)  # type: ignore[union-attr]


_NEEDS_ESCAPE = re.compile(r"[\\`*\[|_\]<&!]")


def _escape_text(text: str, edges: _Edges, *, in_link: bool) -> str:
    if not _NEEDS_ESCAPE.search(text) and not (
        text and ((edges.line_start and text[0].isspace()) or (edges.text_end and text[-1].isspace()))
    ):
        return text  # plain prose: nothing to escape
    lead = 0
    if edges.line_start:
        while lead < len(text) and text[lead].isspace():
            lead += 1
    trail = len(text)
    if edges.text_end:
        while trail > lead and text[trail - 1].isspace():
            trail -= 1

    def word(k: int) -> bool:  # a letter or digit (not whitespace, not punctuation) that is written as is
        return lead <= k < trail and not _is_ws(text[k]) and not _is_punct(text[k])

    out: list[str] = []
    for k, ch in enumerate(text):
        if k < lead or k >= trail:
            out.append(f"&#{ord(ch)};")
        elif ch in "\\`*[|":
            out.append("\\" + ch)
        elif ch == "_":
            out.append("_" if word(k - 1) and word(k + 1) else "\\_")
        elif ch == "]":
            out.append("\\]" if in_link else "]")
        elif ch == "<":
            out.append("\\<" if _may_autolink(text, k, edges.line_end) else "<")
        elif ch == "&":
            out.append("\\&" if _is_entity(text, k) else "&")
        elif ch == "!" and k == len(text) - 1 and edges.before_link:
            out.append("\\!")
        else:
            out.append(ch)
    return "".join(out)


def link_destination(href: str) -> str:
    """A link destination that reads back as ``href``: bare, or ``<…>`` when it holds spaces."""
    out: list[str] = []
    angle = href.startswith("<") or any(c.isspace() or ord(c) < 0x20 for c in href)
    specials = "\\<>|`" if angle else "\\()<>|`"
    for k, ch in enumerate(href):
        if ch in specials or (ch == "&" and _is_entity(href, k)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    body = "".join(out)
    return f"<{body}>" if angle else body
