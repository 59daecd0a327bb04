"""Unicode normalization at the edges: NFC text, a matching view, and suspicious-text checks.

Why here (core): every reader (Markdown, plain text, DOCX, HWPX, stdin) and the
glossary must agree on one form of the same text, or an approved name silently
fails to match. Three tools, for three jobs:

* :func:`nfc` — the form text is *stored* in. NFC is lossless (canonically
  equivalent), so readers apply it unconditionally: Korean typed on macOS
  arrives decomposed (NFD: 창 = ᄎ + ᅡ + ᆼ) and would otherwise match no term
  and print as scattered jamo.
* :func:`for_matching` — the view text is *compared* in, never stored: NFC,
  every Unicode space (NBSP, U+3000, thin spaces, tabs) becomes ``" "`` and a
  run of them one space, every line break ``"\\n"`` (no term spans two lines),
  zero-width characters (ZWSP, ZWJ, word
  joiner, BOM, soft hyphen) vanish, full-width ASCII (``ＫＦ－２１``) becomes
  ASCII, hyphen look-alikes (‐ ‑ ‒ – −) become ``-`` and middle-dot look-alikes
  (ㆍ ・ ‧ ∙) become ``·``. Its :class:`OffsetMap` turns a span found in the
  view back into the span of the original text, so callers can report and
  replace in what the user wrote.
* :func:`suspicious` — text that decoded "fine" but is wrong: mojibake (UTF-8
  or EUC-KR bytes read as Latin-1/CP1252: ``Ã©``, ``â€™``, ``ì°½``, ``¡°``),
  HTML entities left in plain text (``&#8212;``, ``&amp;``) and decomposed
  Hangul jamo, each with its 1-based line so the reader can say file:line.

Cost: text that needs nothing (the common case) is detected with two C-level
scans and returned as is with an identity map.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

__all__ = ["OffsetMap", "for_matching", "is_clean", "nfc", "suspicious"]


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (a no-op, and fast, when it already is)."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- matching view

# Zero-width and invisible formatting characters: removed in the matching view.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
# Line breaks stay line breaks ("\n"): no term spans two lines. "\r" is a space
# (so a stray CRLF is one line end).
_LINE_BREAKS = "\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in _LINE_BREAKS and c != " ")
# One-to-one replacements (length-preserving, so they need no offset bookkeeping).
_HYPHENS = "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"
_DOTS = "\u318d\u30fb\uff65\u2027\u2219"
_ONE_TO_ONE: dict[int, str] = {0xFF01 + i: chr(0x21 + i) for i in range(0x5E)}  # full-width ASCII
_ONE_TO_ONE.update({ord(c): " " for c in _SPACES})
_ONE_TO_ONE.update({ord(c): "\n" for c in _LINE_BREAKS if c != "\n"})
_ONE_TO_ONE.update({ord(c): "-" for c in _HYPHENS})
_ONE_TO_ONE.update({ord(c): "·" for c in _DOTS})
_TRANSLATE = str.maketrans(_ONE_TO_ONE)
_SPECIAL = re.compile("[" + "".join(re.escape(chr(c)) for c in _ONE_TO_ONE if chr(c) not in "\t\r") + "]")
_ONE_TO_ONE_CLASS = "\uff01-\uff5e" + _HYPHENS + _DOTS
# What needs a change besides that: a run of spaces within a line that holds an
# invisible character or is two characters and more (it becomes one space).
_HORIZONTAL = f"[^\\S{_LINE_BREAKS}]"
_GAP = re.compile(rf"(?:{_HORIZONTAL}|[{ZERO_WIDTH}]){{2,}}|[{ZERO_WIDTH}]")
_OTHER_BREAKS = _LINE_BREAKS.replace("\n", "")
# Everything for_matching would change but a double space (tested apart, with ``in``):
# one character class, so the scan runs at C speed.
_DIRTY = re.compile("[" + re.escape(_SPACES + _OTHER_BREAKS) + f"{ZERO_WIDTH}{_ONE_TO_ONE_CLASS}]")


@dataclass(frozen=True)
class OffsetMap:
    """Maps spans of the matching view back to the original text.

    Only pieces whose length changed are recorded (a collapsed space run, a
    removed zero-width character, an NFC-composed cluster); between them the
    view and the original advance together. ``inner`` chains a second stage
    (NFC first, then spaces), so each stage stays simple.
    """

    _view_starts: tuple[int, ...] = ()
    _view_ends: tuple[int, ...] = ()
    _orig_starts: tuple[int, ...] = ()
    _orig_ends: tuple[int, ...] = ()
    inner: OffsetMap | None = field(default=None, repr=False)

    @property
    def identity(self) -> bool:
        return not self._view_starts and (self.inner is None or self.inner.identity)

    def _local(self, index: int, k: int | None = None) -> tuple[int, int]:
        """This stage only: original ``(start, end)`` behind view character ``index``.

        At a removed piece (zero-width characters) the start is the character after it.
        ``k`` is the last piece starting at or before ``index``, when the caller knows it.
        """
        if k is None:
            k = bisect_right(self._view_starts, index) - 1
        if k >= 0 and index < self._view_ends[k]:
            return self._orig_starts[k], self._orig_ends[k]
        start = index if k < 0 else self._orig_ends[k] + (index - self._view_ends[k])
        return start, start + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of view span ``[start, end)``; an empty span maps to a point."""
        if start >= end:
            point = self.position(start)
            return point, point
        first, last = self._local(start)[0], self._local(end - 1)[1]
        if self.inner is None:
            return first, last
        return self.inner.span(first, last)

    def spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """:meth:`span` for many non-empty spans sorted by start: one walk over the pieces."""
        if self.inner is not None:
            return [self.span(a, b) for a, b in spans]
        starts = self._view_starts
        count = len(starts)
        result: list[tuple[int, int]] = []
        k = -1
        for start, end in spans:
            while k + 1 < count and starts[k + 1] <= start:
                k += 1
            last = k
            while last + 1 < count and starts[last + 1] <= end - 1:
                last += 1
            result.append((self._local(start, k)[0], self._local(end - 1, last)[1]))
        return result

    def position(self, index: int) -> int:
        """Original offset of view offset ``index`` (also valid at the end of the text)."""
        result = self._local(index)[0]
        return result if self.inner is None else self.inner.position(result)


_IDENTITY = OffsetMap()


def is_clean(text: str) -> bool:
    """True when :func:`for_matching` would return ``text`` unchanged."""
    return "  " not in text and _DIRTY.search(text) is None and unicodedata.is_normalized("NFC", text)


def for_matching(text: str) -> tuple[str, OffsetMap]:
    """The matching view of ``text`` and the map from view spans back to ``text``."""
    if is_clean(text):
        return text, _IDENTITY
    inner: OffsetMap | None = None
    if not unicodedata.is_normalized("NFC", text):
        text, inner = _nfc_with_map(text)
    gaps = [(gap.start(), gap.end(), gap.group()) for gap in _GAP.finditer(text)]
    # str.translate works per character: use it only when there is more than tabs and CRs
    text = text.translate(_TRANSLATE) if _SPECIAL.search(text) else text.replace("\t", " ").replace("\r", " ")
    pieces: list[str] = []
    view_starts: list[int] = []
    view_ends: list[int] = []
    orig_starts: list[int] = []
    orig_ends: list[int] = []
    position = 0
    view_length = 0
    for start, end, run in gaps:
        replacement = " " if any(c not in ZERO_WIDTH for c in run) else ""
        if run == replacement:
            continue
        pieces.append(text[position:start])
        view_length += start - position
        view_starts.append(view_length)
        view_length += len(replacement)
        view_ends.append(view_length)
        orig_starts.append(start)
        orig_ends.append(end)
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    mapping = OffsetMap(tuple(view_starts), tuple(view_ends), tuple(orig_starts), tuple(orig_ends), inner)
    view = "".join(pieces)
    if gaps and not unicodedata.is_normalized("NFC", view):
        # a removed zero-width character let two pieces compose (가 + U+200B + ᆨ → 각): NFC again,
        # chaining this stage's map behind the new one
        view, outer = _nfc_with_map(view)
        mapping = dataclasses.replace(outer, inner=mapping)
    return view, mapping


def _is_continuation(char: str) -> bool:
    """A character NFC may fold into the one before it (combining mark or Hangul V/T jamo)."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or 0x1160 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
        or unicodedata.category(char) == "Mc"
    )


def _nfc_with_map(text: str) -> tuple[str, OffsetMap]:
    """NFC, cluster by cluster, remembering where each composed cluster came from."""
    clusters: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not _is_continuation(text[index]):
            clusters.append((start, index))
            start = index
    pieces: list[str] = []
    view_starts: list[int] = []
    view_ends: list[int] = []
    orig_starts: list[int] = []
    orig_ends: list[int] = []
    view_length = 0
    for start, end in clusters:
        piece = unicodedata.normalize("NFC", text[start:end])
        if end - start != 1 or len(piece) != 1:
            view_starts.append(view_length)
            view_ends.append(view_length + len(piece))
            orig_starts.append(start)
            orig_ends.append(end)
        pieces.append(piece)
        view_length += len(piece)
    result = "".join(pieces)
    if result != unicodedata.normalize("NFC", text):  # pragma: no cover - exotic compositions
        whole = unicodedata.normalize("NFC", text)
        return whole, OffsetMap((0,), (len(whole),), (0,), (len(text),))
    return result, OffsetMap(tuple(view_starts), tuple(view_ends), tuple(orig_starts), tuple(orig_ends))


# --------------------------------------------------------------------------- suspicious text

# CP1252 renderings of the bytes 0x80-0x9F, plus Latin-1 0xA0-0xBF: UTF-8 continuation bytes.
_CONT = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = re.compile(
    "|".join(
        (
            rf"[ÃÂ][{_CONT}]",  # UTF-8 Latin-1 letters read as Latin-1/CP1252: Ã© Â©
            rf"â€[{_CONT}]?",  # UTF-8 punctuation (’ “ — …) read as CP1252: â€™
            rf"[ê-í][{_CONT}]{{2}}",  # UTF-8 Hangul read as Latin-1: ì°½
            r"¡[°±®¯¦¤¢£¨ª«¬¸¹º»¼½¾¿]",  # EUC-KR punctuation read as Latin-1: ¡° ¡± (“ ”)
            r"¢[¿Ã¾Ý]",  # EUC-KR symbols read as Latin-1
            r"´´",  # EUC-KR double prime read as Latin-1
            "\ufffd",  # the replacement character: bytes were lost before we got the text
        )
    )
)
_ENTITY = re.compile(
    r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|amp|lt|gt|quot|apos|nbsp|middot|hellip|mdash|ndash"
    r"|lsquo|rsquo|ldquo|rdquo|laquo|raquo|copy|reg|trade|bull|times|deg|para|sect);"
)
_JAMO = re.compile("[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")


def suspicious(text: str, *, entities: bool = True) -> list[tuple[int, str]]:
    """``(line, what)`` for each line with mojibake, HTML entities or decomposed Hangul.

    ``entities=False`` for formats where an entity is legitimate markup
    (Markdown decodes ``&amp;``). One report per kind per line, in line order.
    """
    found: list[tuple[int, str]] = []
    if not (_MOJIBAKE.search(text) or (entities and _ENTITY.search(text)) or _JAMO.search(text)):
        return found
    for number, line in enumerate(text.split("\n"), 1):
        hit = _MOJIBAKE.search(line)
        if hit:
            what = (
                "contains U+FFFD replacement characters (text was lost in a conversion)"
                if hit.group() == "\ufffd"
                else f"looks like mojibake ('{hit.group()}')"
            )
            found.append((number, what))
        if entities:
            entity = _ENTITY.search(line)
            if entity:
                shown = f"'{entity.group()}'"
                found.append((number, f"contains the HTML entity {shown}, which prints literally"))
        if _JAMO.search(line):
            composed = unicodedata.normalize("NFC", line)
            if _JAMO.search(composed):
                found.append((number, "contains Hangul jamo that do not form syllables"))
            else:
                found.append((number, "Hangul is decomposed (NFD, as macOS writes it); read as NFC"))
    return found
