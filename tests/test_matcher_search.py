"""The Korean matcher's fast search finds exactly what an exhaustive search finds.

``Matcher.find`` only visits word starts whose first two characters may begin a
term, merges the length tables per head and reads a spaced window space-free
once for every length. None of that may change a result: the reference below
tries every key at every word start, longest first, under the same word,
spacing and context rules, with none of those shortcuts.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.core.normalize import for_matching
from toolkit.terminology.context import compile_rules
from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.matcher import PARTICLES, Matcher, _spacing_ok, check_korean

ROWS = [
    Entry("창원", "Changwon", "place"),
    Entry("창원시", "Changwon Special City", "place"),
    Entry("창원특례시", "Changwon Special City", "place"),
    Entry("창원특례시의회", "Changwon City Council", "org"),
    Entry("창원국가산업단지", "Changwon National Industrial Complex", "place"),
    Entry("국방부", "Ministry of National Defense", "org", not_near=("@foreign ~",)),
    Entry("국방부 장관", "Minister of National Defense", "title"),
    Entry("국방과학연구소", "Agency for Defense Development", "org"),
    Entry("탄도미사일", "ballistic missile", "term"),
    Entry("탄도", "trajectory", "term"),
    Entry("미 해군", "U.S. Navy", "org"),
    Entry("해군", "Republic of Korea Navy", "org", not_near=("@foreign ~",)),
    Entry("서구", "Seo-gu", "place", only_near=("@metro ~",)),
    Entry("대전", "Daejeon", "place"),
    Entry("대전차", "anti-tank", "term"),
    Entry("손원일 함", "ROKS Son Won-il", "ship"),
    Entry("K9 자주포", "K9 Thunder", "weapon"),
    Entry("(주)한화", "Hanwha Corp.", "org"),
    Entry("도", "province", "term"),
    Entry("군", "county", "term"),
]
GLOSSARY = Glossary(tuple(Entry(**{**e.__dict__, "line": i + 2}) for i, e in enumerate(ROWS)))
KO = Matcher(GLOSSARY, "ko")

_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")


def _reference_keys() -> list[tuple[str, list[tuple[frozenset[int], Entry, str]]]]:
    """Every row's space-free key (first row wins), longest first, with its row spaces."""
    keys: dict[str, list[tuple[frozenset[int], Entry, str]]] = {}
    for source, _target, entry in KO.terms:
        view = for_matching(source)[0].strip()
        key = view.replace(" ", "")
        spaces = frozenset(i - n for n, i in enumerate(j for j, c in enumerate(view) if c == " "))
        if key not in keys:
            keys[key] = [(spaces, entry, source)]
    return sorted(keys.items(), key=lambda kv: -len(kv[0]))


KEYS = _reference_keys()


def _span_of(view: str, start: int, length: int) -> int:
    """End of the span from ``start`` that holds ``length`` non-space characters."""
    end, count = start, 0
    while end < len(view) and count < length:
        count += view[end] != " "
        end += 1
    return end


def exhaustive(text: str) -> list[tuple[int, int, str, str, int]]:
    view, mapping = for_matching(text)
    assert mapping.identity
    found: list[tuple[int, int, str, str, int]] = []
    position = 0
    starts = sorted(
        {m.start() for m in _WORD_START.finditer(view)} | {i for i, c in enumerate(view) if c == "("}
    )
    for start in starts:
        if start < position:
            continue
        for key, rows in KEYS:
            if start + len(key) > len(view):
                continue
            raw = view[start : start + len(key)]
            spaced = " " in raw
            if view[start : start + 2 * len(key)].replace(" ", "")[: len(key)] != key:
                continue
            end = _span_of(view, start, len(key)) if spaced else start + len(key)
            verdict = check_korean(view, start, end)
            if isinstance(verdict, str):
                continue
            accepted = [
                (entry, source)
                for spaces, entry, source in rows
                if not (spaced and not _spacing_ok(view, start, end, spaces))
                and not (
                    (
                        rules := compile_rules(entry.not_near, entry.only_near, entry.ko, entry.en).for_lang(
                            "ko"
                        )
                    )
                    and not rules.allows(view, start, end, PARTICLES)
                )
            ]
            if accepted:
                found.append((start, end, accepted[0][1], verdict[0], verdict[1]))
                position = verdict[1]
                break
    return found


def fast(text: str) -> list[tuple[int, int, str, str, int]]:
    return [(m.start, m.end, m.source_term, m.particle, m.particle_end) for m in KO.find(text)]


PIECES = [e.ko for e in ROWS] + ["창원특", "국방과학", "탄도 미사", "미국", "미", "세계", "부산", "북한"]
NOISE = [
    " ",
    " ",
    " ",
    "\n",
    "·",
    "-",
    "(",
    ")",
    "“",
    "”",
    ",",
    ".",
    "1",
    "K",
    "가",
    "장",
    "청",
    "미국 ",
    "부산 ",
]


def _spaced(word: str, rng: random.Random) -> str:
    if len(word) < 2:
        return word
    cut = rng.randint(1, len(word) - 1)
    return word[:cut] + " " + word[cut:]


def _text(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 16)):
        roll = rng.random()
        if roll < 0.55:
            word = rng.choice(PIECES)
            word = _spaced(word, rng) if rng.random() < 0.35 else word
            parts.append(word + rng.choice(["", "", "는", "의", "에서는", "들은", "장", "시장", "과의"]))
        else:
            parts.append(rng.choice(NOISE))
        parts.append(rng.choice(["", " ", " "]))
    return for_matching("".join(parts))[0]


def test_fast_search_equals_exhaustive_search_on_random_texts() -> None:
    rng = random.Random(20261205)
    seen = {"matches": 0, "spaced": 0, "single": 0, "punctuation first": 0, "ruled out": 0}
    for _ in range(1500):
        text = _text(rng)
        expected = exhaustive(text)
        assert fast(text) == expected, text
        seen["matches"] += len(expected)
        seen["spaced"] += sum(" " in text[s:e] for s, e, *_ in expected)
        seen["single"] += sum(len(src) == 1 for _, _, src, _, _ in expected)
        seen["punctuation first"] += sum(src.startswith("(") for _, _, src, _, _ in expected)
        seen["ruled out"] += any(w in text for w in ("미국 국방부", "미국 해군", "미 해군"))
    # the texts really go through every path of the fast search
    assert min(seen.values()) >= 20, seen


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + NOISE + list(PARTICLES)[:30]), max_size=20))
def test_fast_search_equals_exhaustive_search(parts: list[str]) -> None:
    text = for_matching("".join(parts))[0]
    assert fast(text) == exhaustive(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the window for 탄도미사일 fits, but its space-free reading is one short
        ("탄도 미사", [(0, 2, "탄도", "", 2)]),
        ("탄도 미사일", [(0, 6, "탄도미사일", "", 6)]),
        # one space-free reading across two spaces
        ("국방 과학 연구소는", [(0, 9, "국방과학연구소", "는", 10)]),
        # a one-character term before a character no key has second
        ("도, 군·도", [(0, 1, "도", "", 1), (3, 4, "군", "", 4), (5, 6, "도", "", 6)]),
        # a term starting with punctuation: not glued to a word before it
        ("가(주)한화", []),
        (" (주)한화는", [(1, 6, "(주)한화", "는", 7)]),
        # the row spaced after its first character, and the context rule on 해군
        ("미 해군과 미국 해군", [(0, 4, "미 해군", "과", 5)]),
    ],
)
def test_fast_search_edges(text: str, expected: list[tuple[int, int, str, str, int]]) -> None:
    assert fast(text) == expected
    assert exhaustive(text) == expected
