"""Find glossary terms in running text: exact, leftmost-longest, word-aware.

Why Aho-Corasick: one automaton over all source terms scans the text once, so
the time grows with the text and the number of raw hits, not with the size of
the glossary (20,000 entries cost about the same as 200).

Normalization. Matching runs on :func:`toolkit.core.normalize.for_matching`
of the text (NFC, every Unicode space as one space, zero-width characters
gone, full-width ASCII as ASCII); spans are mapped back, so a match's offsets
always point into the text as given (NBSP, NFD and all).

Korean rules. Particles attach to nouns, so a term matches only

* at the start of a word (eojeol): after the start of the text, whitespace or
  a delimiter (any Unicode punctuation, symbol, separator or control
  character: quotes ‘’“”「」, brackets ()〈〉《》, middle dots ·ㆍ, slashes, commas …);
* when the rest of the word, up to the next whitespace/delimiter, is empty or
  a particle from a CLOSED list (:data:`PARTICLES`), stacked ones included
  (에서는, 과의, 에게도, 까지만 …), built compositionally below; the plural 들
  may stand first in the chain (장병들에, 미군들은).

So 창원시장 ("mayor") is not 창원시+장, 신창원 is not 창원, and 창원시청 is not
창원시 unless 창원시청 is its own entry. Both allomorphs of a particle are
accepted in the source (은 or 는) — matching should not depend on the writer's
grammar. Spacing inside a term is free, as Korean writers space compounds
freely: 탄도 미사일 matches the row 탄도미사일, K9자주포 the row K9 자주포, and
잠수함 사령부 is the longest match 잠수함사령부, not 잠수함 + 사령부. A space the
row does not have must sit between parts of at least two characters (대전 차로,
"to Daejeon by car", is not 대전차 "anti-tank" + 로). A term plus a
one-syllable particle can still spell another word (제주+도 = 제주도, the
island); the row's context rules (:mod:`toolkit.terminology.context`) say so.

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
from dataclasses import dataclass

import ahocorasick

from toolkit.core.normalize import for_matching
from toolkit.terminology.context import Rules, compile_rules
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
    # The allomorph depends only on the last syllable before it (every part here ends in
    # one): 1,300 stacks, 60 distinct questions, asked once each.
    memo: dict[tuple[str, str], str] = {}

    def fixed(word: str, particle: str) -> str:
        key = (word[-1], particle)
        if key not in memo:
            memo[key] = fix_particle(word[-1], particle)
        return memo[key]

    result = set(_SINGLE)
    for first in _FIRST:
        for second in _SECOND:
            result.add(first + fixed(first, second))
        for link in _LINK:
            if link == first:
                continue
            stem = first + link
            for third in _THIRD:
                result.add(stem + fixed(stem, third))
    return frozenset(result)


PARTICLES: frozenset[str] = _build_particles()
PLURAL = "들"  # may precede the particle chain: 장병들에게, 미군들은


def is_particle_tail(tail: str) -> bool:
    """Is the rest of a word after a Korean term nothing but particles (들 first allowed)?"""
    if not tail or tail in PARTICLES:
        return True
    return tail.startswith(PLURAL) and (len(tail) == 1 or tail[1:] in PARTICLES)


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
    """One accepted occurrence of a glossary term in a text (offsets into that text)."""

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
    if tail in PARTICLES or (tail[0] == PLURAL and (len(tail) == 1 or tail[1:] in PARTICLES)):
        return tail, stop  # (is_particle_tail, inlined: this runs for every candidate)
    return f"followed by '{tail[:12]}', which is not a particle"


def _token_has_digit(text: str, index: int, step: int) -> bool:
    while 0 <= index < len(text) and text[index].isalnum():
        if text[index].isdigit():
            return True
        index += step
    return False


def _latin_word_char(char: str) -> bool:
    """A letter or digit that continues an English word (Hangul does not: a Korean
    particle glued to a name in mixed text leaves the name a word of its own)."""
    return char.isalnum() and not ("\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff")


def check_english(text: str, start: int, end: int) -> tuple[str, int] | str:
    """``(particle, particle_end)`` if ``text[start:end]`` is an English match, else a reason."""
    term = text[start:end]
    if start > 0:
        before = text[start - 1]
        if term[0].isalnum() and _latin_word_char(before):
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
        if term[-1].isalnum() and _latin_word_char(after):
            return _INSIDE_WORD
        if after in _HYPHENS and (term[-1].isdigit() or _token_has_digit(text, end + 1, 1)):
            return "part of a hyphenated designation"
    return "", end


def check_at(text: str, start: int, end: int, lang: str) -> tuple[str, int] | str:
    """Word rules of ``lang`` for a candidate span: accepted (particle, end) or a reason."""
    if lang == "ko":
        return check_korean(text, start, end)
    return check_english(text, start, end)


def _spacing_ok(view: str, start: int, end: int, key_spaces: frozenset[int]) -> bool:
    """Spaces the row does not have must sit between parts of >= 2 characters.

    The last part may be one character when the term has four or more
    (손원일 함, a ship: 손원일함), never a shorter one (대전 차로 is not 대전차).
    Never across a line break.
    """
    span = view[start:end]
    if " " not in span:
        return True
    if "  " in span or "\n" in span:
        return False
    parts: list[int] = []  # lengths of the text's space-separated parts
    extra: list[int] = []  # indexes (into parts) of spaces the key lacks
    compact_index = 0
    length = 0
    for char in span:
        if char == " ":
            if compact_index not in key_spaces:
                extra.append(len(parts))
            parts.append(length)
            length = 0
            continue
        length += 1
        compact_index += 1
    parts.append(length)
    last = len(parts) - 1
    short_last_ok = sum(parts) >= 4 and parts[last] > 0
    return all(parts[i] >= 2 and (parts[i + 1] >= 2 or (short_last_ok and i + 1 == last)) for i in extra)


# --------------------------------------------------------------------------- matcher


@dataclass(frozen=True)
class _Item:
    source: str  # the glossary term as written
    target: str
    entry: Entry
    insensitive: bool
    spaces: frozenset[int]  # compact positions where the row itself has a space (Korean)
    rules: Rules | None


class Matcher:
    """All source terms of one direction, compiled once; ``find`` is linear in the text.

    ``find`` visits only word starts (found by one C-level regex scan; in Korean
    only those whose first two characters may begin a term) and, at each, looks
    up the first three (and two) characters in a hash table that lists the term
    lengths beginning with them, then tries those lengths longest first. (Three
    characters, because a realistic public-body glossary puts thousands of terms
    of a dozen lengths under two-character heads such as 창원 or 국방.)
    The cost per word is constant, whatever the glossary size. (A pure
    Aho-Corasick scan with pyahocorasick slowed down 5x from 200 to 20,000
    entries: its trie nodes with thousands of Hangul children are searched
    linearly.) The Aho-Corasick automaton is still used for near misses, which
    need infix hits (신창원) and run per segment in QA only.

    Korean keys are stored without spaces; at a word start the text is read
    space-free for as many characters as the longest key needs, so spacing
    variants cost one ``str.replace`` on a short slice, only where the text has
    a space there and a key that may be split there exists.
    """

    def __init__(self, glossary: Glossary, src_lang: str) -> None:
        if src_lang not in ("ko", "en"):
            raise ValueError(f"unsupported source language {src_lang!r}")
        self.src_lang = src_lang
        self.tgt_lang = "en" if src_lang == "ko" else "ko"
        self.glossary = glossary
        self.terms = glossary.for_direction(src_lang, self.tgt_lang)
        self._korean = src_lang == "ko"
        self._check = check_korean if self._korean else check_english
        keys: dict[str, list[_Item]] = {}
        spaced: dict[str, list[_Item]] = {}  # as written (spaces kept), for near misses
        for source, target, entry in self.terms:
            view = for_matching(source)[0].strip()
            if not view:
                continue
            rules = compile_rules(entry.not_near, entry.only_near, entry.ko, entry.en).for_lang(src_lang)
            if self._korean:
                key = view.replace(" ", "")
                spaces = frozenset(i - n for n, i in enumerate(j for j, c in enumerate(view) if c == " "))
            else:
                key = fold(view)
                spaces = frozenset()
            item = _Item(source, target, entry, entry.case_insensitive, spaces, rules or None)
            if self._korean and key in keys:
                continue  # a spacing variant of an earlier row: the first row wins
            keys.setdefault(key, []).append(item)
            spaced.setdefault(fold(view) if not self._korean else view, []).append(item)
        self._items: dict[str, tuple[_Item, ...]] = {k: tuple(v) for k, v in keys.items()}
        self._spaced: dict[str, tuple[_Item, ...]] = {k: tuple(v) for k, v in spaced.items()}
        # Term lengths by their first three characters (shorter terms: by the whole
        # term); a row spaced after its first character (미 해군) also under "미 해".
        # Korean terms of four characters and more the text may space after two
        # (탄도 미사일) are in a second table, by their first three characters too.
        lengths: dict[str, set[int]] = {}
        after_two: dict[str, set[int]] = {}
        odd_firsts: set[str] = set()
        for key, items in self._items.items():
            lengths.setdefault(key[:3], set()).add(len(key))
            if self._korean:
                spaces = items[0].spaces
                if len(key) >= 4 or spaces:
                    after_two.setdefault(key[:3], set()).add(len(key))
                if 1 in spaces:
                    lengths.setdefault(key[0] + " " + key[1], set()).add(len(key))
            if not key[0].isalnum():
                odd_firsts.add(key[0])
        self._lengths = {p: tuple(sorted(ls, reverse=True)) for p, ls in lengths.items()}
        self._after_two = {p: tuple(sorted(ls, reverse=True)) for p, ls in after_two.items()}
        self._has_single = any(len(k) == 1 for k in self._items)
        # Word starts, plus any place where a term beginning with punctuation starts.
        odd = "".join(re.escape(c) for c in sorted(odd_firsts))
        pattern = r"(?<![^\W_])[^\W_]"
        if odd:
            pattern += f"|[{odd}]"
        self._starts = re.compile(pattern)
        self._odd_firsts = bool(odd_firsts)
        # Korean: the same places, but only where a key can begin (one C-level scan
        # skips the words no term can start with), and the length lists merged per
        # head, so a word start costs one or two dict looks.
        singles = {k: self._lengths[k] for k in self._items if len(k) == 1}

        def then(head: str) -> tuple[int, ...]:  # what follows the head's own lengths
            return self._lengths.get(head[:2], ()) + singles.get(head[0], ())

        self._opts3 = {h: ls + then(h) for h, ls in self._lengths.items() if len(h) == 3}
        self._opts_after = {h: ls + then(h) for h, ls in self._after_two.items()}
        self._opts2 = {h: ls + singles.get(h[0], ()) for h, ls in self._lengths.items() if len(h) == 2}
        self._opts1 = singles
        self._twos = frozenset(h[:2] for h in [*self._opts3, *self._opts_after, *self._opts2])
        self._heads = re.compile(
            _heads_pattern(self._items, odd, [*self._opts3, *self._opts_after, *self._opts2])
        )
        self._automaton: ahocorasick.Automaton | None = None

    # ----------------------------------------------------------------- find

    def find(self, text: str) -> list[TermMatch]:
        """Accepted matches, non-overlapping, leftmost-longest; offsets into ``text``."""
        if not self._items or not text:
            return []
        view, mapping = for_matching(text)
        found = self._find_view(view)
        if mapping.identity or not found:
            return found
        terms = mapping.spans([(m.start, m.end) for m in found])
        tails = mapping.spans([(m.start, m.particle_end) for m in found])
        return [
            TermMatch(start, end, m.entry, m.source_term, m.target_term, text[end:stop], stop)
            for m, (start, end), (_, stop) in zip(found, terms, tails, strict=True)
        ]

    def _find_view(self, view: str) -> list[TermMatch]:
        if not self._korean:
            return self._find_english(view)
        items, opts3, opts_after = self._items, self._opts3, self._opts_after
        opts2, opts1, twos = self._opts2, self._opts1, self._twos
        single, odd = self._has_single, self._odd_firsts
        word_rest = _WORD_REST.match
        size = len(view)
        result: list[TermMatch] = []
        position = 0
        for hit in self._heads.finditer(view):
            start = hit.start()
            if start < position:
                continue
            if odd and start and view[start - 1].isalnum():
                continue  # a term starting with punctuation, inside a word
            head = view[start : start + 3]
            two = head[:2]
            if two in twos:
                options = opts3.get(head)  # its heads have three characters, none a space at 2
                if options is None and len(head) == 3 and head[2] == " ":
                    # a two-character word: a longer term may go on after the space
                    options = opts_after.get(two + view[start + 3 : start + 4])
                if options is None:
                    options = opts2.get(two)
            else:  # the scan's test of the second character is per class, not per pair
                options = None
            if options is None:
                if not single:
                    continue
                options = opts1.get(head[0])
                if options is None:
                    continue
            # Windows up to the first space are looked up as they are; a window
            # with a space is read space-free (탄도 미사일 for 탄도미사일). The view
            # never holds two spaces in a row, so 2n characters hold n non-spaces
            # (or reach the end): one space-free reading serves every length.
            space = view.find(" ", start, start + options[0])
            compact = ""
            for length in options:
                end = start + length
                if end > size:
                    continue  # the text ends sooner (a cut window could spell a shorter key)
                if space < 0 or end <= space:  # keys hold no spaces: the text has none here either
                    candidates = items.get(view[start:end])
                    spaced = False
                else:
                    if not compact:
                        compact = view[start : start + 2 * options[0]].replace(" ", "")
                    candidates = items.get(compact[:length])
                    spaced = True
                    if candidates is not None:
                        end = _compact_end(view, start, length)
                if candidates is None:
                    continue
                # check_korean, inlined (this runs for every candidate): the rest of
                # the word must be nothing or particles
                stop = word_rest(view, end).end()  # type: ignore[union-attr]  # `*` always matches
                tail = view[end:stop]
                if tail and tail not in PARTICLES and not is_particle_tail(tail):
                    continue
                for item in candidates:
                    if spaced and not _spacing_ok(view, start, end, item.spaces):
                        continue
                    if item.rules is not None and not item.rules.allows(view, start, end, PARTICLES):
                        continue
                    result.append(TermMatch(start, end, item.entry, item.source, item.target, tail, stop))
                    break
                else:
                    continue
                position = stop
                break
        return result

    def _find_english(self, view: str) -> list[TermMatch]:
        haystack = fold(view)
        items, lengths = self._items, self._lengths
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
                if start + length > len(haystack):
                    continue  # the text ends sooner (a cut window could spell a shorter key)
                candidates = items.get(haystack[start : start + length])
                if candidates is None:
                    continue
                match = _accept_english(view, start, start + length, candidates)
                if match is not None:
                    result.append(match)
                    position = match.particle_end
                    break
        return result

    # ----------------------------------------------------------------- near misses

    def near_misses(self, text: str) -> list[NearMiss]:
        """Rejected occurrences not covered by an accepted match (longest per place).

        Not reported: English words that differ from a one-word term only in case
        when written all in lower case ("major customers" for the rank Major) —
        they are ordinary words — and places a context rule excludes on purpose.
        """
        if not self._items or not text:
            return []
        view, mapping = for_matching(text)
        automaton = self._build_automaton()
        haystack = fold(view) if not self._korean else view
        chosen = self._find_view(view)
        rejected: list[tuple[int, int, _Item, str]] = []
        for last, (length, candidates) in automaton.iter(haystack):
            end = last + 1
            start = end - length
            verdict = self._check(view, start, end)
            for item in candidates:
                if isinstance(verdict, str):
                    if verdict is not _INSIDE_WORD:
                        rejected.append((start, end, item, verdict))
                    break
                if item.rules is not None and not item.rules.allows(view, start, end, PARTICLES):
                    break  # excluded by the row's own context rule: intended
                if item.insensitive or self._korean or view[start:end] == item.source:
                    break  # accepted here (or shadowed by a longer accepted match)
                written = view[start:end]
                if " " not in item.source and written == written.lower():
                    break  # an ordinary lower-case word ("major customers")
                rejected.append((start, end, item, f"case differs from '{item.source}'"))
        misses = _misses(view, chosen, rejected)
        if mapping.identity:
            return misses
        result: list[NearMiss] = []
        for miss in misses:
            start, end = mapping.span(miss.start, miss.end)
            word = _word_around(text, start, end)
            result.append(
                NearMiss(start, end, miss.entry, miss.source_term, miss.target_term, word, miss.reason)
            )
        return result

    def _build_automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key, candidates in self._spaced.items():
                automaton.add_word(key, (len(key), candidates))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton


def _accept_english(view: str, start: int, end: int, candidates: tuple[_Item, ...]) -> TermMatch | None:
    verdict = check_english(view, start, end)
    if isinstance(verdict, str):
        return None
    for item in candidates:
        if not (item.insensitive or view[start:end] == item.source):
            continue
        if item.rules is not None and not item.rules.allows(view, start, end, PARTICLES):
            continue
        return TermMatch(start, end, item.entry, item.source, item.target, verdict[0], verdict[1])
    return None


def _heads_pattern(keys: dict[str, tuple[_Item, ...]], odd: str, heads: list[str]) -> str:
    """Where a Korean term can start, as one regex (a superset; the length tables decide).

    A word start whose first character begins a key and whose second begins the
    second of some table head, or a one-character key; or an odd first character
    anywhere. The second character is a look-ahead, so every match is one
    character long and none hides the next candidate.
    """
    firsts = sorted({k[0] for k in keys if k[0].isalnum()})
    ones = sorted({k for k in keys if len(k) == 1 and k.isalnum()})
    seconds = sorted({h[1] for h in heads if len(h) > 1})
    alternatives: list[str] = []
    if firsts and seconds:
        alternatives.append(f"[{_char_class(firsts)}](?=[{_char_class(seconds)}])")
    if ones:
        alternatives.append(f"[{_char_class(ones)}]")
    patterns = [r"(?<![^\W_])(?:" + "|".join(alternatives) + ")"] if alternatives else []
    if odd:
        patterns.append(f"[{odd}]")
    return "|".join(patterns) or "(?!)"


def _char_class(chars: list[str]) -> str:
    return "".join(re.escape(c) for c in chars)


def _compact_end(text: str, start: int, length: int) -> int:
    """End of the shortest span from ``start`` holding ``length`` non-space characters.

    Each space inside the span pushes its end one further (a matching view never
    holds two spaces in a row, so the character at the new end is not a space).
    """
    end = start + length
    space = text.find(" ", start, end)
    while space >= 0:
        end += 1
        space = text.find(" ", space + 1, end)
    return min(end, len(text))


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
        _, end, item, reason = best[start]
        if any(m.start < start < m.end for m in misses):
            continue  # an infix of a longer rejected term at an earlier place
        word = _word_around(text, start, end)
        misses.append(NearMiss(start, end, item.entry, item.source, item.target, word, reason))
    return misses
