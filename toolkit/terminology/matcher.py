"""Find glossary terms in running text: exact, leftmost-longest, word-aware.

Why Aho-Corasick: one automaton over all source terms scans the text once, so
the time grows with the text and the number of raw hits, not with the size of
the glossary (20,000 entries cost about the same as 200).

Korean rules. Particles attach to nouns, so a term matches only

* at the start of a word (eojeol): after the start of the text, whitespace or
  a delimiter (any Unicode punctuation, symbol, separator or control
  character: quotes ‘’“”「」, brackets ()〈〉《》, middle dots ·ㆍ, slashes, commas …);
* when the rest of the word, up to the next whitespace/delimiter, is empty or
  a particle from a CLOSED list (:data:`PARTICLES`), stacked ones included
  (에서는, 과의, 에게도, 까지만 …), built compositionally below.

So 창원시장 ("mayor") is not 창원시+장, 신창원 is not 창원, and 창원시청 is not
창원시 unless 창원시청 is its own entry. Both allomorphs of a particle are
accepted in the source (은 or 는) — matching should not depend on the writer's
grammar. Known limit: a term plus a one-syllable particle can spell another
word (제주+도 = 제주도, 창원+고 = 창원고); give such words their own entry and
longest-match makes them win.

English rules. A term matches only between word boundaries (no letter or digit
on either side: "Korea" does not match "Korean"; plurals are not matches
unless listed). A possessive ``'s``/``’s`` after the term is accepted and
reported as the particle (as written). A hyphen compound with a word
("Changwon-based", "Korea-US") is a match of the term, the suffix stays in the
text; a hyphen next to a digit or a token containing a digit ("K9-A1",
"KF-21" for "KF") is a model designation, not the term. Matching is
case-sensitive unless the entry says ``case=insensitive`` (ASCII case folding).

:meth:`Matcher.near_misses` reports the rejected places (창원시장, 신창원, a case
variant of a case-sensitive English term, K9-A1) for QA.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import ahocorasick

from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.josa import fix_particle

# --------------------------------------------------------------------------- particles

_SINGLE: tuple[str, ...] = (
    # case particles (격조사)
    *("이", "가", "을", "를", "의", "에", "에서", "에게", "에게서", "께", "께서"),
    *("한테", "한테서", "으로", "로", "으로서", "로서", "으로써", "로써", "으로부터"),
    *("로부터", "에서부터", "과", "와", "이랑", "랑", "보다", "처럼", "만큼", "같이"),
    *("까지", "부터", "마다", "에로"),
    # auxiliary particles (보조사)
    *("은", "는", "도", "만", "조차", "마저", "이나", "나", "이나마", "나마"),
    *("이라도", "라도", "밖에", "뿐", "이야", "야", "이든지", "든지", "이든", "든"),
    # copula forms (서술격 조사 이다)
    *("이다", "다", "이고", "고", "이며", "며", "이라는", "라는", "이란", "란", "이라", "라"),
    *("이라고", "라고", "이었다", "였다", "이었던", "였던", "이었으며", "였으며"),
    *("입니다", "이었습니다", "였습니다", "이지만", "지만", "이므로", "므로"),
    *("이면", "면", "이라면", "라면", "이라서", "라서"),
)
# Particles that can be followed by another particle (에+서+는, 과+의, 에게+도).
_FIRST: tuple[str, ...] = (
    *("에", "에서", "에게", "에게서", "께", "께서", "한테", "한테서", "으로", "로"),
    *("으로서", "로서", "으로써", "로써", "으로부터", "로부터", "에서부터", "과", "와"),
    *("이랑", "랑", "보다", "처럼", "만큼", "같이", "까지", "부터", "마다", "만"),
)
_SECOND: tuple[str, ...] = (
    *("은", "도", "만", "의", "까지", "부터", "조차", "마저", "이나", "이라도", "이야"),
    *("이다", "이며", "이고", "이었다", "입니다"),
)
_LINK: tuple[str, ...] = ("만", "까지", "부터", "조차", "마저", "마다")  # 에서+만+은
_THIRD: tuple[str, ...] = ("은", "도", "의", "이라도", "이다")


def _build_particles() -> frozenset[str]:
    """Closed particle list; stacks get the allomorph their first part needs."""
    result = set(_SINGLE)
    for first in _FIRST:
        for second in _SECOND:
            result.add(first + fix_particle(first, second))
        for link in _LINK:
            if link == first:
                continue
            stem = first + link
            for third in _THIRD:
                result.add(stem + fix_particle(stem, third))
    return frozenset(result)


PARTICLES: frozenset[str] = _build_particles()

_WORD_REST = re.compile(r"[^\W_]*")  # the rest of a word: letters and digits
_INSIDE_WORD = "inside a word"  # English: too common (Korea/Korean) to report as a near miss
_HYPHENS = frozenset("-\u2010\u2011")
_POSSESSIVES = ("'s", "’s")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def is_delimiter(char: str) -> bool:
    """Anything but a letter or digit ends a word: whitespace, punctuation, symbols.

    Same definition as the regex class ``[^\\W_]`` used to find word starts fast.
    """
    return not char.isalnum()


def fold(text: str) -> str:
    """ASCII-only lower-casing: length-preserving, so offsets stay valid."""
    return text.translate(_ASCII_LOWER)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TermMatch:
    """One accepted occurrence of a glossary term in a text."""

    start: int
    end: int  # end of the term itself
    entry: Entry
    source_term: str
    target_term: str
    particle: str  # Korean particle(s) or English possessive attached; '' if none
    particle_end: int  # end of term + particle


@dataclass(frozen=True)
class NearMiss:
    """A place where a term appears but was rejected, with the reason (for QA)."""

    start: int
    end: int
    entry: Entry
    source_term: str
    target_term: str
    word: str  # the whole word the term was found in
    reason: str


# --------------------------------------------------------------------------- rules


def _word_around(text: str, start: int, end: int) -> str:
    def inside(char: str) -> bool:
        return char in _HYPHENS or not is_delimiter(char)

    left = start
    while left > 0 and inside(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and inside(text[right]):
        right += 1
    return text[left:right]


def check_korean(text: str, start: int, end: int) -> tuple[str, int] | str:
    """``(particle, particle_end)`` if ``text[start:end]`` is a Korean match, else a reason."""
    if start > 0 and text[start - 1].isalnum():
        return "not at the start of the word"
    stop = _WORD_REST.match(text, end).end()  # type: ignore[union-attr]  # `*` always matches
    if stop == end:
        return "", end
    tail = text[end:stop]
    if tail in PARTICLES:
        return tail, stop
    return f"followed by '{tail[:12]}', which is not a particle"


def _token_has_digit(text: str, index: int, step: int) -> bool:
    while 0 <= index < len(text) and text[index].isalnum():
        if text[index].isdigit():
            return True
        index += step
    return False


def check_english(text: str, start: int, end: int) -> tuple[str, int] | str:
    """``(particle, particle_end)`` if ``text[start:end]`` is an English match, else a reason."""
    term = text[start:end]
    if start > 0:
        before = text[start - 1]
        if term[0].isalnum() and before.isalnum():
            return _INSIDE_WORD
        if before in _HYPHENS and (term[0].isdigit() or _token_has_digit(text, start - 2, -1)):
            return "part of a hyphenated designation"
    if end < len(text):
        after = text[end]
        for possessive in _POSSESSIVES:
            if text.startswith(possessive, end):
                stop = end + len(possessive)
                if stop == len(text) or not text[stop].isalnum():
                    return possessive, stop
        if term[-1].isalnum() and after.isalnum():
            return _INSIDE_WORD
        if after in _HYPHENS and (term[-1].isdigit() or _token_has_digit(text, end + 1, 1)):
            return "part of a hyphenated designation"
    return "", end


def check_at(text: str, start: int, end: int, lang: str) -> tuple[str, int] | str:
    """Word rules of ``lang`` for a candidate span: accepted (particle, end) or a reason."""
    if lang == "ko":
        return check_korean(text, start, end)
    return check_english(text, start, end)


# --------------------------------------------------------------------------- matcher

_Item = tuple[str, str, Entry, bool]  # source term, target term, entry, case-insensitive


class Matcher:
    """All source terms of one direction, compiled once; ``find`` is linear in the text.

    ``find`` visits only word starts (found by one C-level regex scan) and, at
    each, looks up the first three (and two) characters in a hash table that
    lists the term lengths beginning with them, then tries those lengths
    longest first.
    The cost per word is constant, whatever the glossary size. (A pure
    Aho-Corasick scan with pyahocorasick slowed down 5x from 200 to 20,000
    entries: its trie nodes with thousands of Hangul children are searched
    linearly.) The Aho-Corasick automaton is still used for near misses, which
    need infix hits (신창원) and run per segment in QA only.
    """

    def __init__(self, glossary: Glossary, src_lang: str) -> None:
        if src_lang not in ("ko", "en"):
            raise ValueError(f"unsupported source language {src_lang!r}")
        self.src_lang = src_lang
        self.tgt_lang = "en" if src_lang == "ko" else "ko"
        self.glossary = glossary
        self.terms = glossary.for_direction(src_lang, self.tgt_lang)
        self._fold = src_lang == "en"
        self._check = check_korean if src_lang == "ko" else check_english
        keys: dict[str, list[_Item]] = {}
        for source, target, entry in self.terms:
            key = fold(source) if self._fold else source
            if key:
                keys.setdefault(key, []).append((source, target, entry, entry.case_insensitive))
        self._items: dict[str, tuple[_Item, ...]] = {k: tuple(v) for k, v in keys.items()}
        # Term lengths by their first three characters (shorter terms: by the whole
        # term): a two-character table would put thousands of terms of a dozen
        # lengths under 창원 or 국방 in a large public-body glossary.
        lengths: dict[str, set[int]] = {}
        odd_firsts: set[str] = set()
        for key in self._items:
            lengths.setdefault(key[:3], set()).add(len(key))
            if not key[0].isalnum():
                odd_firsts.add(key[0])
        self._lengths = {p: tuple(sorted(ls, reverse=True)) for p, ls in lengths.items()}
        self._has_single = any(len(k) == 1 for k in self._items)
        # Word starts, plus any place where a term beginning with punctuation starts.
        pattern = r"(?<![^\W_])[^\W_]"
        if odd_firsts:
            pattern += "|[" + "".join(re.escape(c) for c in sorted(odd_firsts)) + "]"
        self._starts = re.compile(pattern)
        self._automaton: ahocorasick.Automaton | None = None

    def find(self, text: str) -> list[TermMatch]:
        """Accepted matches, non-overlapping, leftmost-longest."""
        if not self._items or not text:
            return []
        haystack = fold(text) if self._fold else text
        items, lengths, check = self._items, self._lengths, self._check
        single = self._has_single
        result: list[TermMatch] = []
        position = 0
        for hit in self._starts.finditer(haystack):
            start = hit.start()
            if start < position:
                continue
            head = haystack[start : start + 3]
            options = lengths.get(head, ()) if len(head) == 3 else ()
            options = options + lengths.get(haystack[start : start + 2], ())
            if single:
                options = options + lengths.get(haystack[start], ())
            for length in options:
                candidates = items.get(haystack[start : start + length])
                if candidates is None:
                    continue
                match = _accept(text, start, start + length, candidates, check)
                if match is not None:
                    result.append(match)
                    position = match.particle_end
                    break
        return result

    def near_misses(self, text: str) -> list[NearMiss]:
        """Rejected occurrences not covered by an accepted match (longest per place)."""
        if not self._items or not text:
            return []
        automaton = self._build_automaton()
        haystack = fold(text) if self._fold else text
        chosen = self.find(text)
        rejected: list[tuple[int, int, _Item, str]] = []
        for last, (length, candidates) in automaton.iter(haystack):
            end = last + 1
            start = end - length
            verdict = self._check(text, start, end)
            for item in candidates:
                if isinstance(verdict, str):
                    if verdict is not _INSIDE_WORD:
                        rejected.append((start, end, item, verdict))
                    break
                if item[3] or text[start:end] == item[0]:
                    break  # accepted here (or shadowed by a longer accepted match)
                rejected.append((start, end, item, f"case differs from '{item[0]}'"))
        return _misses(text, chosen, rejected)

    def _build_automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key, candidates in self._items.items():
                automaton.add_word(key, (len(key), candidates))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton


def _accept(
    text: str,
    start: int,
    end: int,
    candidates: tuple[_Item, ...],
    check: Callable[[str, int, int], tuple[str, int] | str],
) -> TermMatch | None:
    verdict = check(text, start, end)
    if isinstance(verdict, str):
        return None
    for source, target, entry, insensitive in candidates:
        if insensitive or text[start:end] == source:
            return TermMatch(start, end, entry, source, target, verdict[0], verdict[1])
    return None


def _misses(
    text: str, chosen: list[TermMatch], rejected: list[tuple[int, int, _Item, str]]
) -> list[NearMiss]:
    covered = [(m.start, m.particle_end) for m in chosen]
    best: dict[int, tuple[int, int, _Item, str]] = {}
    for start, end, item, reason in rejected:
        if any(s < end and start < e for s, e in covered):
            continue
        kept = best.get(start)
        if kept is None or end > kept[1]:
            best[start] = (start, end, item, reason)
    misses: list[NearMiss] = []
    for start in sorted(best):
        _, end, (source, target, entry, _), reason = best[start]
        if any(m.start < start < m.end for m in misses):
            continue  # an infix of a longer rejected term at an earlier place
        word = _word_around(text, start, end)
        misses.append(NearMiss(start, end, entry, source, target, word, reason))
    return misses
