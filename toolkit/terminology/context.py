"""Context rules: where a glossary term is *not* the term (homographs).

Korean writes different words the same way: 서구 is Busan's Seo-gu or "the
West" (서구 문화), 대전 is Daejeon or "great war" (2차 세계 대전), 해군 is the
ROK Navy — unless it is 미 해군, the U.S. Navy. A glossary row says which
reading it approves with two optional columns of phrases separated by ``;``:

* ``not_near`` — the term is not the term in any of these contexts;
* ``only_near`` — the term is the term only in one of these contexts.

A phrase writes ``~`` where the term stands:

========================  ==========================================================
``세계 ~``                 the word(s) right before the term are 세계 (a particle on
                           them is ignored: 세계의 ~)
``~ 문화``                 the word(s) right after the term (and its particle)
``@foreign ~``             a word from a named set (:data:`SETS`) before the term
``~도`` / ``제주도``        the text at the term reads exactly so: the term glued to
                           도, or (no ``~``) a spelling that starts with the term
                           (``창원 시장``, a market, for the row 창원시장, the mayor)
========================  ==========================================================

Comparisons of neighbouring words ignore spacing in Korean (세계대전 = 세계 대전)
and case in English. Phrases with Hangul apply to the Korean term (ko→en
matching), phrases in Latin script to the English term (en→ko).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from toolkit.core.errors import Problem

# Named sets of neighbouring words. Why in code: they are closed lists that
# many rows share (every national institution needs "not after a foreign
# country"), and a typo in one row's copy would silently weaken a rule.
SETS: dict[str, tuple[str, ...]] = {
    # Countries (and their one-syllable press abbreviations) whose own forces
    # and institutions are not the ROK's: 미 해군, 일본 국회, 북한 국방위원회.
    "foreign": (
        *("미", "미국", "美", "중국", "일본", "러", "러시아", "영국", "북", "북한", "북측"),
        *("프랑스", "독일", "대만", "타이완", "호주", "캐나다", "인도", "이스라엘", "이란", "이라크"),
        *("우크라이나", "튀르키예", "터키", "필리핀", "베트남", "태국", "인도네시아", "말레이시아"),
        *("싱가포르", "사우디", "사우디아라비아", "아랍에미리트", "UAE", "폴란드", "노르웨이", "스웨덴"),
        *("핀란드", "루마니아", "이집트", "브라질", "멕시코", "뉴질랜드", "이탈리아", "스페인", "네덜란드"),
        *("유럽", "EU", "나토", "NATO", "유엔", "UN", "주한미", "주일미", "다국적군", "적군"),
        *("파키스탄", "아프가니스탄", "쿠바", "시리아", "리비아", "몽골", "카자흐스탄", "칠레", "페루"),
    ),
    # The cities whose autonomous gu share one-syllable names (중구, 동구, 서구,
    # 남구, 북구, 강서구): those names are districts only after their city.
    "metro": (
        *("서울", "서울시", "서울특별시", "부산", "부산시", "부산광역시", "대구", "대구시", "대구광역시"),
        *("인천", "인천시", "인천광역시", "광주", "광주시", "광주광역시", "대전", "대전시", "대전광역시"),
        *("울산", "울산시", "울산광역시", "포항", "포항시"),
    ),
}

_SET_REF = re.compile(r"@([A-Za-z_]+)")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Phrase:
    """One parsed context phrase, expanded: ``before`` word alternatives, the glued
    text, the ``after`` words. ``surface`` is a spelling the text must start with."""

    text: str  # as written, for messages
    lang: str  # "ko" or "en"
    before: frozenset[str] = frozenset()  # alternatives for the words before, compact (see _compact)
    before_words: int = 0  # how many words ``before`` spans
    after: tuple[str, ...] = ()  # words after the term (and its particle)
    glued: str = ""  # text right after the term, in the same word
    surface: str = ""  # the whole spelling at the term (no ~): spacing-exact prefix


def phrase_lang(phrase: str) -> str:
    """Hangul anywhere (or a Korean set) → the Korean term; else the English term."""
    if _HANGUL.search(phrase) or any(name in ("foreign", "metro") for name in _SET_REF.findall(phrase)):
        return "ko"
    return "en"


def parse_phrases(cell: str, term_ko: str, term_en: str) -> tuple[list[Phrase], list[tuple[str, str]]]:
    """Phrases of one cell and the (what, fix) problems found in it."""
    phrases: list[Phrase] = []
    problems: list[tuple[str, str]] = []
    pieces = cell.split(";")
    for index, raw in enumerate(pieces):
        text = " ".join(raw.split())
        if not text:
            if index < len(pieces) - 1:
                problems.append((f"empty phrase in '{cell.strip()}'", "remove the extra ';'"))
            continue
        parsed, problem = _parse_one(text, term_ko, term_en)
        if problem:
            problems.append(problem)
        elif parsed is not None:
            phrases.append(parsed)
    return phrases, problems


def _parse_one(text: str, term_ko: str, term_en: str) -> tuple[Phrase | None, tuple[str, str] | None]:
    lang = phrase_lang(text)
    term = term_ko if lang == "ko" else term_en
    for name in _SET_REF.findall(text):
        if name not in SETS:
            known = ", ".join(f"@{n}" for n in sorted(SETS))
            return None, (f"unknown word set '@{name}' in phrase '{text}'", f"use one of {known}")
    if text.count("~") > 1:
        return None, (f"phrase '{text}' has more than one '~'", "write '~' once, where the term stands")
    if "~" not in text:
        if not _compact(text, lang).startswith(_compact(term, lang)):
            return None, (
                f"phrase '{text}' has no '~' and does not start with the term '{term}'",
                "write '~' where the term stands (e.g. '세계 ~'), or spell the whole word",
            )
        if _compact(text, lang) == _compact(term, lang) and text == term:
            return None, (f"phrase '{text}' is the term itself", "add the neighbouring words")
        return Phrase(text, lang, surface=text), None
    left, right = text.split("~")
    before_words = left.split()
    glued = ""
    if right and not right[0].isspace():
        glued, _, right = right.partition(" ")
    after = tuple(right.split())
    if not before_words and not after and not glued:
        return None, (f"phrase '{text}' has no words besides '~'", "add the neighbouring words")
    if any(_SET_REF.fullmatch(w) is None and "@" in w for w in (*before_words, *after)):
        return None, (f"phrase '{text}': a word set must be a whole word (@name)", "separate it by spaces")
    if any(_SET_REF.fullmatch(w) for w in after):
        return None, (f"phrase '{text}': word sets are only supported before the term", "list the words")
    before = frozenset(_compact(" ".join(words), lang) for words in _expand(before_words))
    return Phrase(text, lang, before=before, before_words=len(before_words), after=after, glued=glued), None


def _expand(words: list[str]) -> tuple[tuple[str, ...], ...]:
    if not words:
        return ()
    options: list[tuple[str, ...]] = [()]
    for word in words:
        ref = _SET_REF.fullmatch(word)
        choices = SETS[ref.group(1)] if ref else (word,)
        options = [(*o, c) for o in options for c in choices]
    return tuple(options)


def _compact(text: str, lang: str) -> str:
    return text.replace(" ", "") if lang == "ko" else " ".join(text.casefold().split())


# --------------------------------------------------------------------------- evaluation


def _word_start(text: str, index: int) -> int:
    while index > 0 and not text[index - 1].isspace():
        index -= 1
    return index


def _before_ok(text: str, start: int, phrase: Phrase, strip: frozenset[str]) -> bool:
    """Do the words right before ``start`` read one of the phrase's alternatives?

    The last word may carry a particle (미국의 해군); in Korean the spacing may
    differ (제2차세계 대전 for '2차 세계 ~'). One look at the text whatever the
    number of alternatives (@foreign has eighty).
    """
    lang, wants = phrase.lang, phrase.before
    end = start
    while end > 0 and text[end - 1] == " ":
        end -= 1
    if end == start and start > 0 and not _is_boundary(text[start - 1]):
        return False  # the term is inside a word; rules talk about neighbouring words
    pieces: list[str] = []
    for _ in range(phrase.before_words):
        if end <= 0:
            break
        word_start = _word_start(text, end)
        pieces.insert(0, text[word_start:end])
        end = word_start
        while end > 0 and text[end - 1] == " ":
            end -= 1
    if pieces:
        got = _compact(" ".join(pieces), lang).rstrip(_CLOSING)
        if got in wants or (lang == "ko" and _strip_particle(got, strip) in wants):
            return True
    if lang != "ko":
        return False
    # Korean spacing differs: the compact text before the term ends with an
    # alternative of two characters or more (not 일 'Japan' at the end of 1일).
    longest = _longest(wants)
    tail = _compact(text[max(0, start - longest - 8) : start], lang).rstrip(_CLOSING)
    return any(tail[-size:] in wants for size in range(2, min(longest, len(tail)) + 1))


@lru_cache(maxsize=4096)
def _longest(words: frozenset[str]) -> int:
    """Length of the longest alternative, once per phrase (@foreign has eighty; this runs per match)."""
    return max(map(len, words), default=0)


_CLOSING = ")]}'\"’”»〉》」』】"


def _is_boundary(char: str) -> bool:
    return not char.isalnum()


def _strip_particle(word: str, strip: frozenset[str]) -> str:
    for cut in range(min(len(word) - 1, 6), 0, -1):
        if word[-cut:] in strip:
            return word[:-cut]
    return word


def _after_ok(text: str, end: int, words: tuple[str, ...], lang: str, strip: frozenset[str]) -> bool:
    """Do the words after the term's word read ``words`` (a particle may follow the last)?"""
    index = end
    while index < len(text) and not text[index].isspace():
        index += 1  # skip the particle attached to the term
    rest = text[index:].lstrip(" ")
    want = _compact(" ".join(words), lang)
    if lang == "ko":
        compact = rest.replace(" ", "")
        if not compact.startswith(want):
            return False
        # the phrase must end at a word end, or where a particle begins
        consumed, position = 0, 0
        while position < len(rest) and consumed < len(want):
            if rest[position] != " ":
                consumed += 1
            position += 1
        tail_end = position
        while tail_end < len(rest) and rest[tail_end].isalnum():
            tail_end += 1
        tail = rest[position:tail_end]
        return not tail or tail in strip
    got = rest.split()[: len(words)]
    cleaned = [w.strip(".,;:!?\"'’”)") for w in got]
    return _compact(" ".join(cleaned), lang) == want


def excluded_by(
    text: str,
    start: int,
    end: int,
    phrase: Phrase,
    particles: frozenset[str],
) -> bool:
    """Does ``phrase`` describe the context of the term at ``text[start:end]``?

    ``text`` is the matching view (one space between words).
    """
    if phrase.surface:
        if phrase.lang == "ko":
            return text.startswith(phrase.surface, start)
        return text[start : start + len(phrase.surface)].casefold() == phrase.surface.casefold()
    if phrase.glued:
        following = text[end : end + len(phrase.glued)]
        if following != phrase.glued:
            return False
    if phrase.before and not _before_ok(text, start, phrase, particles):
        return False
    return not (
        phrase.after and not _after_ok(text, end + len(phrase.glued), phrase.after, phrase.lang, particles)
    )


@dataclass(frozen=True)
class Rules:
    """The compiled context rules of one entry, per language."""

    not_near: tuple[Phrase, ...] = ()
    only_near: tuple[Phrase, ...] = ()

    def for_lang(self, lang: str) -> Rules:
        return Rules(
            tuple(p for p in self.not_near if p.lang == lang),
            tuple(p for p in self.only_near if p.lang == lang),
        )

    def __bool__(self) -> bool:
        return bool(self.not_near or self.only_near)

    def allows(self, text: str, start: int, end: int, particles: frozenset[str]) -> bool:
        """True when the term at ``text[start:end]`` is the term in this context."""
        if any(excluded_by(text, start, end, p, particles) for p in self.not_near):
            return False
        return not self.only_near or any(excluded_by(text, start, end, p, particles) for p in self.only_near)


@lru_cache(maxsize=8192)  # each row's rules serve the matchers of both directions
def compile_rules(not_near: tuple[str, ...], only_near: tuple[str, ...], ko: str, en: str) -> Rules:
    """Rules from already-validated phrase strings (see :func:`parse_phrases`)."""
    nots = [p for text in not_near for p in parse_phrases(text, ko, en)[0]]
    onlys = [p for text in only_near for p in parse_phrases(text, ko, en)[0]]
    return Rules(tuple(nots), tuple(onlys))


def rule_problems(name: str, line: int, column: str, cell: str, ko: str, en: str) -> list[Problem]:
    """Lint problems of one rules cell (every phrase checked, all reported)."""
    _, problems = parse_phrases(cell, ko, en)
    return [Problem(name, line, f"{column}: {what}", fix) for what, fix in problems]
