"""Exact, word-aware, leftmost-longest term matching in Korean and English."""

from __future__ import annotations

import pytest

from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.matcher import PARTICLES, Matcher

ROWS = [
    ("창원시", "Changwon Special City", False),
    ("창원특례시", "Changwon Special City", False),
    ("방위사업청", "Defense Acquisition Program Administration (DAPA)", False),
    ("방위사업청장", "Minister of DAPA", False),
    ("국방부", "Ministry of National Defense", False),
    ("창원", "Changwon", False),
    ("김해", "Gimhae", False),
    ("양산시", "Yangsan", False),
    ("K9 자주포", "K9 Thunder", False),
    ("케이나인", "K9", False),
    ("한국", "Korea", False),
    ("대한민국", "Republic of Korea", True),
]
GLOSSARY = Glossary(
    tuple(Entry(ko, en, "place", line=i + 2, case_insensitive=ci) for i, (ko, en, ci) in enumerate(ROWS))
)
KO = Matcher(GLOSSARY, "ko")
EN = Matcher(GLOSSARY, "en")


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.particle) for m in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("창원시는 방위사업청과 협약을 맺었다.", [("창원시", "는"), ("방위사업청", "과")]),
        ("창원시에서는", [("창원시", "에서는")]),
        ("방위사업청과의", [("방위사업청", "과의")]),
        ("국방부에게도", [("국방부", "에게도")]),
        ("창원시로부터는", [("창원시", "로부터는")]),
        ("창원까지만", [("창원", "까지만")]),
        ("방위사업청장이", [("방위사업청장", "이")]),  # longest wins
        ("‘창원시’는", [("창원시", "")]),
        ("(방위사업청)", [("방위사업청", "")]),
        ("창원·김해", [("창원", ""), ("김해", "")]),
        ("창원/김해", [("창원", ""), ("김해", "")]),
        (
            "「창원」『김해』《국방부》〈창원시〉",
            [("창원", ""), ("김해", ""), ("국방부", ""), ("창원시", "")],
        ),
        ("K9 자주포를", [("K9 자주포", "를")]),  # multi-word
        ("창원시, 김해.", [("창원시", ""), ("김해", "")]),
        # traps
        ("창원시장은", []),
        ("양산 계획", []),
        ("신창원", []),
        ("창원시청", []),
        ("K9  자주포", [("K9  자주포", "")]),  # spacing inside a term is free
        ("K9자주포는", [("K9자주포", "는")]),
        ("창원시2", []),
    ],
)
def test_korean(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(KO, text) == expected


def test_match_fields() -> None:
    (match,) = KO.find("저 창원시에서는")
    assert (match.start, match.end, match.particle, match.particle_end) == (2, 5, "에서는", 8)
    assert (match.source_term, match.target_term, match.entry.line) == (
        "창원시",
        "Changwon Special City",
        2,
    )


def test_particle_list_is_closed_and_compositional() -> None:
    for particle in (
        "에서는",
        "에서도",
        "에게도",
        "에게는",
        "께서",
        "과의",
        "와의",
        "으로서",
        "이라는",
        "까지만",
    ):
        assert particle in PARTICLES
    for not_particle in ("장", "청", "시", "들", "하고", "자"):
        assert not_particle not in PARTICLES


def test_near_misses_korean() -> None:
    misses = KO.near_misses("창원시장은 신창원 방문, 창원시는 좋다")
    assert [(m.source_term, m.word, m.reason) for m in misses] == [
        ("창원시", "창원시장은", "followed by '장은', which is not a particle"),
        ("창원", "신창원", "not at the start of the word"),
    ]


def test_own_entry_suppresses_near_miss() -> None:
    glossary = Glossary((Entry("창원시", "Changwon", "place"), Entry("창원시청", "City Hall", "org")))
    matcher = Matcher(glossary, "ko")
    assert [m.source_term for m in matcher.find("창원시청에서")] == ["창원시청"]
    assert matcher.near_misses("창원시청에서") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Changwon Special City's forum", [("Changwon Special City", "'s")]),
        ("Korea’s K9.", [("Korea", "’s"), ("K9", "")]),
        ("Changwon-based firms", [("Changwon", "")]),
        ("Korea-US alliance", [("Korea", "")]),
        ("Korean firms in Koreas", []),
        ("K9-A1 and KK9 and K9s", []),
        ("changwon special city", []),  # case-sensitive by default
        ("the REPUBLIC OF KOREA", [("REPUBLIC OF KOREA", "")]),  # case_insensitive entry
        ("(K9)", [("K9", "")]),
    ],
)
def test_english(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(EN, text) == expected


def test_english_targets_use_preferred_korean() -> None:
    (match,) = EN.find("Changwon Special City")
    assert match.target_term == "창원시"


def test_near_misses_english() -> None:
    misses = EN.near_misses("changwon special city and K9-A1 and Koreans")
    assert [(m.word, m.reason) for m in misses] == [
        ("changwon special city", "case differs from 'Changwon Special City'"),
        ("K9-A1", "part of a hyphenated designation"),
    ]


def test_empty_glossary_and_text() -> None:
    matcher = Matcher(Glossary(()), "ko")
    assert matcher.find("창원시") == []
    assert matcher.near_misses("창원시") == []
    assert KO.find("") == []


def test_single_character_terms() -> None:
    matcher = Matcher(Glossary((Entry("군", "army", "org"), Entry("군수", "governor", "title"))), "ko")
    assert [(m.source_term, m.particle) for m in matcher.find("군은 군수가 군")] == [
        ("군", "은"),
        ("군수", "가"),
        ("군", ""),
    ]


def test_unsupported_language() -> None:
    with pytest.raises(ValueError):
        Matcher(GLOSSARY, "ja")


def test_a_term_at_the_very_end_is_not_read_as_a_longer_one() -> None:
    """The window for a longer key is cut at the end of the text; it must not match."""
    glossary = Glossary(
        (Entry("창원특례시", "Changwon Special City", "place"), Entry("창원특례시의회", "Council", "org"))
    )
    matches = Matcher(glossary, "ko").find("창원특례시와 창원특례시")
    assert [(m.start, m.end, m.particle_end) for m in matches] == [(0, 5, 6), (7, 12, 12)]
