"""Rule-based sentence segmentation for Korean and English, lossless by construction.

argostranslate's splitters need stanza/spacy models fetched at run time (fails
offline, costs seconds); press releases need only a handful of rules. Every
function here returns pieces whose concatenation is exactly the input, so
translation can re-assemble text without losing characters or whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["split_inline_sentences", "split_overlong", "split_sentences"]

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


def _next_word(text: str, pos: int) -> str:
    match = re.match(r"\s*[\"“‘'(\[]*([^\s]*)", text[pos:])
    return match.group(1) if match else ""


def _is_break_after_period(text: str, dot: int, after: int, start: int) -> bool:
    word = _word_before(text, dot)
    stem = word[:-1].lower()
    if not stem:
        return True
    if stem in _ABBREV_NEVER:
        return False
    if stem.isdigit() and not text[start : dot - len(stem)].strip():
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


_MAY_BE_MARKUP = re.compile(r"[\\`*_\[\]<>&!|\n]")


def split_inline_sentences(text: str, lang: str) -> list[str]:
    """Sentences of canonical inline Markdown, never cutting through markup.

    A sentence boundary inside bold, a link or code (``**A. B**``), or at a
    hard line break, would leave pieces that no longer read as the same
    Markdown; such pieces are joined with the next one. Prose without markup
    splits exactly as :func:`split_sentences`.
    """
    pieces = split_sentences(text, lang)
    if len(pieces) < 2 or not _MAY_BE_MARKUP.search(text):
        return pieces
    from toolkit.core.inline import canonical

    out: list[str] = []
    for piece in pieces:
        if out and canonical(out[-1].strip()) != out[-1].strip():
            out[-1] += piece
        else:
            out.append(piece)
    return out


# --------------------------------------------------------------------------- overlong

_CLAUSE_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"[;；] +"),
    re.compile(
        r"(?:[,，、] +"
        r"|(?<=[\uac00-\ud7a3])(?:고|며|면서|지만|는데|은데|으며|으나|니까|어서|아서|여서) +)"
    ),
)


def _hard_split(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> int:
    """Index after the last space such that the prefix fits; char-level if no space fits."""
    spaces = [m.end() for m in re.finditer(r"\s+", text) if 0 < m.end() < len(text)]
    fitting = [pos for pos in spaces if count_tokens(text[:pos]) <= max_tokens]
    if fitting:
        return fitting[-1]
    lo, hi = 1, len(text) - 1  # largest prefix (by characters) that fits, at least 1 char
    best = 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if count_tokens(text[:mid]) <= max_tokens:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def split_overlong(sentence: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Split a sentence longer than ``max_tokens`` at clause boundaries, losslessly.

    Prefers ``; `` over commas/Korean connective endings, picks the boundary nearest
    the middle and recurses; falls back to the last space before the limit. Pieces
    keep their trailing delimiter and space, so ``"".join(result) == sentence``.
    """
    if len(sentence) <= 1 or count_tokens(sentence) <= max_tokens:
        return [sentence]
    for pattern in _CLAUSE_LEVELS:
        cuts = [m.end() for m in pattern.finditer(sentence) if 0 < m.end() < len(sentence)]
        cuts = [c for c in cuts if sentence[:c].strip() and sentence[c:].strip()]
        if cuts:
            cut = min(cuts, key=lambda c: (abs(2 * c - len(sentence)), c))
            break
    else:
        cut = _hard_split(sentence, count_tokens, max_tokens)
    return split_overlong(sentence[:cut], count_tokens, max_tokens) + split_overlong(
        sentence[cut:], count_tokens, max_tokens
    )
