"""Whole-word search for names in Latin text, by ``str.find`` instead of a pattern per name.

QA and the abbreviation rules look for every approved English name of a release as a whole
word. A regular expression per name costs ``re`` about 0.3 ms to compile (its compiler is
Python) and the first build of a process compiles a hundred of them: a tenth of a build.
:func:`word_spans` finds the same spans — the regexes of :func:`word_pattern` are its
specification, and tests/test_terms_words.py holds the two to each other on generated text
— with a search and a look at the character on each side.

Edges of a Latin word: an ASCII letter, digit or underscore, or a letter of U+00C0–U+024F
(Hangul may touch a name: "DAPA은"); on the left a hyphen too ("K-Bangsan" is not "Bangsan").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Right = Literal["word", "word_or_hyphen", "number", "none"]

NOT_AFTER_WORD = r"(?<![0-9A-Za-z_\-])(?<![\u00c0-\u024f])"  # nor after a hyphen
NOT_BEFORE_WORD = r"(?![0-9A-Za-z_])(?![\u00c0-\u024f])"
NOT_BEFORE_WORD_OR_HYPHEN = r"(?![0-9A-Za-z_\-])(?![\u00c0-\u024f])"
_NOT_BEFORE_NUMBER = r"(?![\-]?\d)(?![A-Za-z])"
_RIGHT = {
    "word": NOT_BEFORE_WORD,
    "word_or_hyphen": NOT_BEFORE_WORD_OR_HYPHEN,
    "number": _NOT_BEFORE_NUMBER,
    "none": "",
}

_ASCII_WORD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_ASCII_LETTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _latin(ch: str) -> bool:
    return ch in _ASCII_WORD or "\u00c0" <= ch <= "\u024f"


@lru_cache(maxsize=8192)
def word_pattern(
    form: str, *, spaced: bool, suffixes: tuple[str, ...], right: Right, insensitive: bool
) -> re.Pattern[str]:
    """The regular expression :func:`word_spans` answers for (and falls back on)."""
    body = r"\s+".join(re.escape(word) for word in form.split()) if spaced else re.escape(form)
    if suffixes:
        body += "(?:" + "|".join(map(re.escape, suffixes)) + ")?"
    if insensitive:
        body = f"(?i:{body})"
    left = NOT_AFTER_WORD if form[:1].isalnum() else ""
    return re.compile(left + body + _RIGHT[right])


def word_spans(
    text: str,
    form: str,
    *,
    spaced: bool = False,
    suffixes: tuple[str, ...] = (),
    right: Right = "word",
    insensitive: bool = False,
) -> list[tuple[int, int]]:
    """Spans of ``form`` in ``text`` as a whole word, left to right, not overlapping.

    ``spaced``: any run of white space stands for each space of the form. ``suffixes``:
    endings allowed after it, the first that ends a word is taken ("Korea" in "Koreans").
    ``right``: what may not follow — a word character, also a hyphen, (after a number)
    another digit, a hyphen and a digit, or a letter; or anything. ``insensitive``: the form's letters and
    suffixes in either case (the edges never depend on case).
    """
    words = form.split() if spaced else [form]
    needle = " ".join(words)
    if not needle or not _plain(text, needle, insensitive):
        pattern = word_pattern(form, spaced=spaced, suffixes=suffixes, right=right, insensitive=insensitive)
        return [m.span() for m in pattern.finditer(text)]
    view, where = _view(text, spaced, insensitive)
    if insensitive:
        needle = needle.lower()
        suffixes = tuple(s.lower() for s in suffixes)
    check_left = form[:1].isalnum()
    spans: list[tuple[int, int]] = []
    size = len(view)
    pos = view.find(needle)
    while pos >= 0:
        end = pos + len(needle)
        if not (check_left and pos and (view[pos - 1] == "-" or _latin(view[pos - 1]))):
            for suffix in (*suffixes, ""):
                stop = end + len(suffix)
                if view.startswith(suffix, end) and _right_ok(view, stop, size, right):
                    spans.append((where[pos], where[stop - 1] + 1))
                    break
            else:
                stop = 0
            if stop:
                pos = view.find(needle, stop)
                continue
        pos = view.find(needle, pos + 1)
    return spans


def _right_ok(view: str, at: int, size: int, right: Right) -> bool:
    if at >= size or right == "none":
        return True
    ch = view[at]
    if right == "number":
        if ch.isdecimal() or ch in _ASCII_LETTER:
            return False
        return not (ch == "-" and at + 1 < size and view[at + 1].isdecimal())
    return not (_latin(ch) or (right == "word_or_hyphen" and ch == "-"))


def _plain(text: str, needle: str, insensitive: bool) -> bool:
    """Whether the search by ``str.find`` is exactly the regex's: always when case matters;
    ignoring case, when the form is ASCII and no letter of the text beyond ASCII has a case
    (``re`` folds 'ſ' to 's' and the Kelvin sign to 'k', ``str.lower`` does not)."""
    if not insensitive:
        return True
    return needle.isascii() and _caseless_beyond_ascii(text)


# A segment is looked up for every name of a release: what is derived from it is kept for
# the last few hundred segments of ordinary length (a huge one is derived each time).
_CACHED_CHARS = 4096


def _caseless_beyond_ascii(text: str) -> bool:
    return _caseless(text) if len(text) <= _CACHED_CHARS else _caseless.__wrapped__(text)


@lru_cache(maxsize=512)
def _caseless(text: str) -> bool:
    return text.isascii() or all(c.lower() == c == c.upper() for c in set(text) if c > "\x7f")


def _view(text: str, spaced: bool, lower: bool) -> tuple[str, tuple[int, ...]]:
    if len(text) <= _CACHED_CHARS:
        return _cached_view(text, spaced, lower)
    return _cached_view.__wrapped__(text, spaced, lower)


@lru_cache(maxsize=512)
def _cached_view(text: str, spaced: bool, lower: bool) -> tuple[str, tuple[int, ...]]:
    """The text with each run of white space as one space (when ``spaced``), lowered when
    asked, and where each of its characters is in the text."""
    text_view = text.lower() if lower else text  # same length: see _plain
    if not spaced or not any(c.isspace() for c in text):
        return text_view, tuple(range(len(text) + 1))
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text_view):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                where.append(i)
            in_space = True
        else:
            out.append(ch)
            where.append(i)
            in_space = False
    where.append(len(text))
    return "".join(out), tuple(where)
