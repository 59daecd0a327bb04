"""Rule-based sentence segmentation for Korean and English, lossless by construction.

argostranslate's splitters need stanza/spacy models fetched at run time (fails
offline, costs seconds); press releases need only a handful of rules. Every
function here returns pieces whose concatenation is exactly the input, so
translation can re-assemble text without losing characters or whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = ["split_overlong", "split_sentences"]

_TERMINATORS = frozenset(".?!…。？！")
# Opening -> closing quote/bracket pairs whose matched spans suppress sentence breaks.
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "«": "»", "《": "》", "(": ")", "（": "）"}
_CLOSERS = frozenset("”’」』»》)）]}〉】\"'")
_OPENERS = frozenset(_PAIRS) | {'"', "'", "[", "〈", "【"}


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Never end a sentence: titles and abbreviations that need a following word.
_ABBREV_NEVER = _words(
    """mr mrs ms dr prof st no nos vs gen lt col capt cmdr sgt adm gov rep sen pres hon rev
    fig figs vol vols pp p approx dept est ed eds e.g i.e cf al jan feb mar apr jun jul aug
    sep sept oct nov dec mt ft rd ave blvd"""
)
# May end a sentence: only a break when the next word clearly starts a new one.
_ABBREV_MAYBE = _words("co corp inc ltd llc plc jr sr etc a.m p.m")
_STARTERS = _words(
    """the a an this that these those it its he she we they i you our their his her there
    in on at for as but and or so if when while after before during however meanwhile also
    according yet still then other some many most all each both such"""
)
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+$")
_KO_ENDING_BEFORE_ELLIPSIS = frozenset("다요까죠네오라")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _quote_spans(text: str) -> list[bool]:
    """inside[i] is True when i lies strictly inside a matched quote/bracket pair."""
    depth = [0] * (len(text) + 1)
    stacks: dict[str, list[int]] = {}
    straight_open: int | None = None
    spans: list[tuple[int, int]] = []
    closing_to_opening = {v: k for k, v in _PAIRS.items()}
    for i, ch in enumerate(text):
        if ch == "\n":  # quotes never span line breaks (newline is a hard break anyway)
            stacks.clear()
            straight_open = None
        elif ch in _PAIRS:
            stacks.setdefault(ch, []).append(i)
        elif ch in closing_to_opening:
            stack = stacks.get(closing_to_opening[ch])
            if stack:
                spans.append((stack.pop(), i))
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                spans.append((straight_open, i))
                straight_open = None
    for start, end in spans:
        depth[start + 1] += 1
        depth[end] -= 1
    inside: list[bool] = []
    level = 0
    for i in range(len(text)):
        level += depth[i]
        inside.append(level > 0)
    return inside


def _word_before(text: str, dot: int) -> str:
    """The word ending at ``text[dot]`` ('.'), without leading quotes/brackets."""
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start : dot + 1]
    return word.lstrip("".join(_OPENERS))


_NEXT_WORD = re.compile(r"\s*[\"“‘'(\[]*([^\s]*)")
_NON_SPACE = re.compile(r"\S")


def _next_word(text: str, pos: int) -> str:
    match = _NEXT_WORD.match(text, pos)  # no text[pos:] copy: linear over a long paragraph
    return match.group(1) if match else ""


def _is_break_after_period(text: str, dot: int, after: int, start: int) -> bool:
    word = _word_before(text, dot)
    stem = word[:-1].lower()
    if not stem:
        return True
    if stem in _ABBREV_NEVER:
        return False
    if stem.isdigit() and not _NON_SPACE.search(text, start, dot - len(stem)):
        return False  # "1. " list marker opening a sentence
    nxt = _next_word(text, after)
    nxt_alpha = nxt.lstrip("\"“‘'([")
    if stem in _ABBREV_MAYBE or _ACRONYM.match(word):
        if len(word) == 2 and word[0].isupper():  # initial: "John F. Kennedy"
            return False
        starter = nxt_alpha[:1].isupper() and nxt_alpha.lower().strip(",.") in _STARTERS
        return starter or bool(_HANGUL.match(nxt_alpha))
    return True


def _is_break_after_ellipsis(text: str, start: int, after: int, lang: str) -> bool:
    nxt = _next_word(text, after)
    if not nxt:
        return True
    if nxt[0].isupper() or nxt[0] in '“"‘「':
        return True
    if lang == "ko" or _HANGUL.match(nxt[0]):
        return start > 0 and text[start - 1] in _KO_ENDING_BEFORE_ELLIPSIS
    return False


def split_sentences(text: str, lang: str) -> list[str]:
    """Split ``text`` into sentences; ``"".join(result) == text`` always holds.

    Whitespace after a sentence stays attached to it; a line break always ends a
    sentence (it would be lost inside a translated segment).
    """
    if not text:
        return []
    inside = _quote_spans(text)
    pieces: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            end = i + 1
            while end < n and text[end].isspace():
                end += 1
            pieces.append(text[start:end])
            start = i = end
            continue
        if ch not in _TERMINATORS:
            i += 1
            continue
        run_start = i
        while i < n and (text[i] in _TERMINATORS):
            i += 1
        run = text[run_start:i]
        while i < n and text[i] in _CLOSERS:
            i += 1
        if i < n and not text[i].isspace():
            continue  # "3.5%", "U.S.A", '다."라고' — no break without following space
        if inside[i - 1]:
            continue  # inside a quotation or brackets: the quote is one unit
        after = i
        if "…" in run or ".." in run:
            ok = _is_break_after_ellipsis(text, run_start, after, lang)
        elif run == ".":
            ok = _is_break_after_period(text, run_start, after, start)
        elif i > run_start + len(run):  # '"Why?" she asked.': closer, then lowercase
            ok = not _next_word(text, after)[:1].islower()
        else:
            ok = True
        if not ok:
            continue
        while i < n and text[i].isspace() and text[i] != "\n":
            i += 1
        if i < n and text[i] == "\n":
            continue  # the newline branch attaches the line break and ends the sentence
        pieces.append(text[start:i])
        start = i
    if start < n:
        pieces.append(text[start:])
    return pieces


# --------------------------------------------------------------------------- overlong

_CLAUSE_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"[;；] +"),
    re.compile(
        r"(?:[,，、] +"
        r"|(?<=[\uac00-\ud7a3])(?:고|며|면서|지만|는데|은데|으며|으나|니까|어서|아서|여서) +)"
    ),
)


def split_overlong(sentence: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Split a sentence longer than ``max_tokens`` at clause boundaries, losslessly, in linear time.

    Prefers ``; `` over commas/Korean connective endings, packing consecutive
    clauses into balanced pieces that fit; a clause that is itself too long
    goes down to the next level, and finally to the last space (or character)
    before the limit. Pieces keep their trailing delimiter and space, so
    ``"".join(result) == sentence``.

    Cost: every character is tokenized a bounded number of times (once per
    level, once to verify its piece, a logarithmic number of times inside a
    piece-sized window when hard-splitting), never once per earlier prefix:
    an unpunctuated 100,000-character paragraph costs about what a hundred
    1,000-character sentences do.
    """
    if len(sentence) <= 1 or count_tokens(sentence) <= max_tokens:
        return [sentence]
    return _split(sentence, count_tokens, max(1, max_tokens), 0)


def _units(text: str, level: int) -> list[str]:
    """``text`` cut after every boundary of one clause level (empty edges avoided)."""
    pattern = _CLAUSE_LEVELS[level]
    cuts = [m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text)]
    units: list[str] = []
    start = 0
    last = len(text.rstrip())  # text[cut:] holds a non-space iff cut < last
    for cut in cuts:
        if cut < last and text[start:cut].strip():
            units.append(text[start:cut])
            start = cut
    units.append(text[start:])
    return units


def _split(text: str, count_tokens: Callable[[str], int], max_tokens: int, level: int) -> list[str]:
    """Split ``text`` (known to be too long) starting at clause level ``level``."""
    for lvl in range(level, len(_CLAUSE_LEVELS)):
        units = _units(text, lvl)
        if len(units) < 2:
            continue
        counts = [count_tokens(u) for u in units]
        pieces: list[str] = []
        for group, estimate in _pack(units, counts, max_tokens):
            if len(group) == 1 and estimate > max_tokens:
                pieces.extend(_split(group[0], count_tokens, max_tokens, lvl + 1))
                continue
            joined = "".join(group)
            if len(group) == 1 or count_tokens(joined) <= max_tokens:
                pieces.append(joined)
            else:  # token counts are not exactly additive: fall back to the single clauses
                for unit in group:
                    pieces.extend(
                        [unit]
                        if count_tokens(unit) <= max_tokens
                        else _split(unit, count_tokens, max_tokens, lvl + 1)
                    )
        return pieces
    return _hard_split(text, count_tokens, max_tokens)


def _pack(units: list[str], counts: list[int], max_tokens: int) -> list[tuple[list[str], int]]:
    """Consecutive clauses grouped into about ``total / max_tokens`` balanced groups that fit.

    A clause over the limit is a group of its own (split further by the caller).
    """
    total = sum(counts)
    groups_wanted = max(1, -(-total // max_tokens))
    target = total / groups_wanted
    groups: list[tuple[list[str], int]] = []
    current: list[str] = []
    size = 0
    for unit, n in zip(units, counts, strict=True):
        if current and (size + n > max_tokens or size >= target):
            groups.append((current, size))
            current, size = [], 0
        current.append(unit)
        size += n
    if current:
        groups.append((current, size))
    return groups


_SPACE_RUN = re.compile(r"\s+")


def _hard_split(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Cut ``text`` left to right after the last space (else character) that keeps a piece within
    ``max_tokens``; each cut is found by exponential then binary search inside a window about
    the size of the piece, so the whole text is never re-tokenized per cut."""
    n = len(text)
    ends = [m.end() for m in _SPACE_RUN.finditer(text) if 0 < m.end() < n]
    ends.append(n)
    pieces: list[str] = []
    start = 0
    first = 0  # index into ends of the first end after start
    while start < n:
        while ends[first] <= start:
            first += 1
        cut = _largest_fitting(text, start, ends, first, count_tokens, max_tokens)
        if cut is None:  # not even the first word fits: cut inside it, by characters
            chars = range(start + 1, n + 1)
            cut = _largest_fitting(text, start, chars, 0, count_tokens, max_tokens) or start + 1
        pieces.append(text[start:cut])
        start = cut
    return pieces


def _largest_fitting(
    text: str,
    start: int,
    ends: Sequence[int],
    first: int,
    count_tokens: Callable[[str], int],
    max_tokens: int,
) -> int | None:
    """The largest of ``ends[first:]`` (ascending) with ``text[start:end]`` within ``max_tokens``.

    Exponential search finds a window around the answer, then binary search
    inside it: O(piece length · log) characters tokenized, whatever the length
    of the rest of the text.
    """
    if first >= len(ends) or count_tokens(text[start : ends[first]]) > max_tokens:
        return None
    lo, step = first, 1  # ends[lo] fits
    while lo + step < len(ends) and count_tokens(text[start : ends[lo + step]]) <= max_tokens:
        lo += step
        step *= 2
    hi = min(lo + step, len(ends))  # ends[hi] does not fit (or is past the end)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if count_tokens(text[start : ends[mid]]) <= max_tokens:
            lo = mid
        else:
            hi = mid
    return ends[lo]
