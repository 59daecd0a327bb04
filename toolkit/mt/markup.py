"""Inline markup through machine translation: tags the engine can copy, and back.

Segments are inline Markdown (core/document.py). An engine must not see
``**`` or ``[…](https://…)`` — it would translate or drop them, and it must
never translate a URL or a code span. So a segment is *encoded* as its
visible text with the formatting carried as short tags that NMT models copy
well, and everything that must come back verbatim as an empty placeholder:

* bold ``<b>…</b>``, italic ``<i>…</i>``, a link ``<a1>…</a1>`` (its URL kept
  aside, never sent);
* ``<c1/>``, ``<c2/>`` … for code spans, hard line breaks, bare URLs and
  e-mail addresses in the text, links whose text is their URL, and literal
  text that would read as one of our tags (raw ``<b>`` in the source);

After translation the tags become inline Markdown again (:func:`decode`). A
hypothesis that loses, duplicates, misnests or invents tags is rejected, so
:func:`toolkit.mt.enforce.enforce` picks another n-best hypothesis; when none
keeps the markup, :func:`strip` keeps the translated words with the
formatting dropped — placeholders are restored in place, or appended when the
engine lost them, so no word, URL or code is ever lost — and the caller
reports ``markup-lost``.

Glossary enforcement works on the encoded text: tags are ASCII delimiters
next to terms, so terms match and are counted as in plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.core.inline import BREAK, Span, parse_inline, to_inline

__all__ = ["Slot", "Tagged", "decode", "encode", "strip"]

# what the engine sees of our markup
TAG_RE = re.compile(r"</?(?:b|i|a\d{1,3})>|<c\d{1,3}/>")
# text that must reach the output verbatim (never translated)
_VERBATIM_RE = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]"  # URLs
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"  # e-mail addresses
)


@dataclass(frozen=True)
class Slot:
    """A placeholder's content: a run of the source kept as it is."""

    span: Span  # the run (code, a URL text, a line break, or literal tag-like text)
    note: str = ""  # what it is, for messages


@dataclass(frozen=True)
class Tagged:
    """A segment as the engine sees it."""

    source: str  # the inline Markdown
    text: str  # visible text with tags
    links: tuple[str, ...]  # href of <a1>, <a2>, …
    slots: tuple[Slot, ...]  # content of <c1/>, <c2/>, …

    @property
    def has_markup(self) -> bool:
        return self.text != _plain_tags(self.text) or bool(self.slots)


def _plain_tags(text: str) -> str:
    return TAG_RE.sub("", text)


def _split_verbatim(span: Span) -> list[tuple[str, bool]]:
    """(text, verbatim) pieces of a text run: URLs, e-mails and tag-like text are verbatim."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    pattern = re.compile(f"(?:{_VERBATIM_RE.pattern})|(?:{TAG_RE.pattern})")
    for m in pattern.finditer(span.text):
        if m.start() > pos:
            pieces.append((span.text[pos : m.start()], False))
        pieces.append((m.group(0), True))
        pos = m.end()
    if pos < len(span.text):
        pieces.append((span.text[pos:], False))
    return pieces


def encode(segment: str) -> Tagged:
    """Inline Markdown → the engine's text with tags and placeholders."""
    spans = parse_inline(segment)
    out: list[str] = []
    links: list[str] = []
    slots: list[Slot] = []
    stack: list[str] = []  # open tags, outermost first: a<n>, b, i
    current_href = ""

    def want(span: Span) -> list[str]:
        tags = []
        if span.href:
            tags.append(f"a{len(links)}")
        if span.bold:
            tags.append("b")
        if span.italic:
            tags.append("i")
        return tags

    def move_to(target: list[str]) -> None:
        common = 0
        while common < min(len(stack), len(target)) and stack[common] == target[common]:
            common += 1
        while len(stack) > common:
            out.append(f"</{stack.pop()}>")
        for tag in target[common:]:
            out.append(f"<{tag}>")
            stack.append(tag)

    def slot(span: Span, note: str) -> None:
        slots.append(Slot(span, note))
        out.append(f"<c{len(slots)}/>")

    for span in spans:
        if span.href and span.href != current_href:
            links.append(span.href)
        current_href = span.href
        if span.line_break:
            move_to([t for t in stack if t.startswith("a")])  # a break keeps the link open
            slot(BREAK, "line break")
            continue
        if span.href and span.text.strip() == span.href:
            # a link that shows its URL (an autolink): the whole link is kept verbatim
            move_to([t for t in want(span) if not t.startswith("a")])
            slot(span, f"link {span.href}")
            continue
        move_to(want(span))
        if span.code:
            slot(Span(span.text, code=True), "code")
            continue
        for text, verbatim in _split_verbatim(span):
            if verbatim:
                slot(Span(text), "URL" if not TAG_RE.fullmatch(text) else "text")
            else:
                out.append(text)
    move_to([])
    # links that turned into placeholders entirely get no <aN> tag: renumber the rest
    text = "".join(out)
    used = [n for n in range(1, len(links) + 1) if f"<a{n}>" in text]
    renumber = {old: new for new, old in enumerate(used, 1)}
    text = re.sub(r"(</?)a(\d+)>", lambda m: f"{m.group(1)}a{renumber[int(m.group(2))]}>", text)
    return Tagged(segment, text, tuple(links[n - 1] for n in used), tuple(slots))


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value): ("text", …), ("open", tag), ("close", tag), ("slot", n)."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    for m in TAG_RE.finditer(text):
        if m.start() > pos:
            tokens.append(("text", text[pos : m.start()]))
        tag = m.group(0)
        if tag.startswith("<c"):
            tokens.append(("slot", tag[2:-2]))
        elif tag.startswith("</"):
            tokens.append(("close", tag[2:-1]))
        else:
            tokens.append(("open", tag[1:-1]))
        pos = m.end()
    if pos < len(text):
        tokens.append(("text", text[pos:]))
    return tokens


def _expected(tagged: Tagged) -> list[str]:
    return sorted(TAG_RE.findall(tagged.text))


# how engines bend tags they copy: spaces inside, full-width brackets, upper case, "<c1 />"
_BENT_TAG_RE = re.compile(r"[<＜]\s*(/?)\s*([biBI]|[aAcC]\s*\d{1,3})\s*(/?)\s*[>＞]")


def untwist(hypothesis: str) -> str:
    """Tags as the engine bent them → as we wrote them (``< /b >`` → ``</b>``)."""

    def fix(m: re.Match[str]) -> str:
        name = re.sub(r"\s+", "", m.group(2)).lower()
        if name.startswith("c"):
            return f"<{name}/>"
        return f"<{m.group(1)}{name}>" if not m.group(3) else m.group(0)

    return _BENT_TAG_RE.sub(fix, hypothesis)


def decode(hypothesis: str, tagged: Tagged) -> str | None:
    """The hypothesis as inline Markdown, or None when it broke the markup
    (a tag or placeholder lost, repeated, invented or misnested)."""
    hypothesis = untwist(hypothesis)
    if sorted(TAG_RE.findall(hypothesis)) != _expected(tagged):
        return None
    spans: list[Span] = []
    stack: list[str] = []
    for kind, value in _tokens(hypothesis):
        if kind == "open":
            if value in stack:
                return None
            stack.append(value)
            continue
        if kind == "close":
            if not stack or stack[-1] != value:
                return None
            stack.pop()
            continue
        bold, italic = "b" in stack, "i" in stack
        link = next((t for t in stack if t.startswith("a")), "")
        href = tagged.links[int(link[1:]) - 1] if link else ""
        if kind == "text":
            spans.append(Span(value, bold=bold, italic=italic, href=href))
            continue
        run = tagged.slots[int(value) - 1].span
        if run.line_break:
            spans.append(run)
        else:
            spans.append(
                Span(
                    run.text,
                    bold=bold or run.bold,
                    italic=italic or run.italic,
                    code=run.code,
                    href=href or run.href,
                )
            )
    if stack:
        return None
    return to_inline(spans)


def strip(hypothesis: str, tagged: Tagged) -> str:
    """The hypothesis with the formatting dropped, as inline Markdown; every
    placeholder comes back (in place, or appended when the engine lost it)."""
    spans: list[Span] = []
    seen: set[int] = set()
    for kind, value in _tokens(untwist(hypothesis)):
        if kind == "text":
            spans.append(Span(value))
        elif kind == "slot":
            number = int(value)
            if 1 <= number <= len(tagged.slots) and number not in seen:
                seen.add(number)
                spans.append(_bare(tagged.slots[number - 1].span))
    for number, slot in enumerate(tagged.slots, 1):
        if number not in seen:
            spans.append(Span(" "))
            spans.append(_bare(slot.span))
    return to_inline(spans)


def _bare(span: Span) -> Span:
    if span.line_break:
        return span
    return Span(span.text, code=span.code)  # code stays code; bold/italic/link dropped


def lost_markup(tagged: Tagged) -> str:
    """What :func:`strip` drops, for the ``markup-lost`` message."""
    parts = []
    if "<b>" in tagged.text:
        parts.append("bold")
    if "<i>" in tagged.text:
        parts.append("italics")
    parts += [f"link {href}" for href in tagged.links]
    return ", ".join(parts) or "formatting"


_STAND_IN = "\ue000"  # one visible character for a code span or a hard line break while splitting


def sentences(text: str, lang: str) -> list[str]:
    """Sentences of inline Markdown, each itself valid inline Markdown.

    Splitting the raw text would cut ``**two. sentences**`` into ``**two.`` and
    ``sentences**`` (literal asterisks once translated) and end a sentence at
    every hard line break. So the *visible* text is split — code spans and
    line breaks count as one opaque character and never end a sentence — and
    each sentence's runs are written back as inline Markdown, formatting
    closed at its end and reopened in the next one.
    """
    from toolkit.mt.segmentation import split_sentences

    spans = parse_inline(text)
    if not any(s.bold or s.italic or s.code or s.href or s.line_break for s in spans):
        return [s.strip() for s in split_sentences(text, lang) if s.strip()]
    owner: list[tuple[int, int]] = []  # per visible character: (span index, offset; -1 = whole span)
    visible: list[str] = []
    for index, span in enumerate(spans):
        if span.code or span.line_break:
            visible.append(_STAND_IN)
            owner.append((index, -1))
        else:
            visible.append(span.text)
            owner.extend((index, offset) for offset in range(len(span.text)))
    flat = "".join(visible)
    pieces = split_sentences(flat, lang)
    if "".join(pieces) != flat:  # cannot happen (split_sentences partitions); be safe
        return [to_inline(spans)]
    out: list[str] = []
    start = 0
    for piece in pieces:
        end = start + len(piece)
        a, b = start, end
        while a < b and flat[a].isspace():
            a += 1
        while b > a and flat[b - 1].isspace():
            b -= 1
        start = end
        if a == b:
            continue
        runs: list[Span] = []
        for index, offset in owner[a:b]:
            span = spans[index]
            if offset < 0:
                runs.append(span)
                continue
            ch = span.text[offset]
            last = runs[-1] if runs else None
            if last is not None and last is not span and not last.line_break and not last.code and (
                (last.bold, last.italic, last.href) == (span.bold, span.italic, span.href)
            ):
                runs[-1] = Span(last.text + ch, last.bold, last.italic, False, last.href)
            else:
                runs.append(Span(ch, span.bold, span.italic, False, span.href))
        out.append(to_inline(runs))
    return out
