"""Term matching on text nobody here wrote: spacing, 들, homographs, Unicode variants.

The sentences follow the shapes of real Korean news (the trial's misses and
false hits); the glossary is the project's own glossary.csv, so its context
rules are what is tested.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from toolkit.terminology.glossary import Entry, Glossary, load_glossary
from toolkit.terminology.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
KO = Matcher(load_glossary(ROOT / "glossary.csv"), "ko")


def found(text: str, matcher: Matcher = KO) -> list[tuple[str, str]]:
    """(text as written, approved English) of every match."""
    return [(text[m.start : m.end], m.target_term) for m in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spacing inside a term is free; the longest match wins across spaces
        ("북한은 탄도 미사일을 발사했다.", [("북한", "North Korea"), ("탄도 미사일", "ballistic missile")]),
        ("잠수함 사령부는 창설 30주년을 맞았다.", [("잠수함 사령부", "Submarine Force Command")]),
        ("K9자주포와 K2전차가 전시됐다.", [("K9자주포", "K9 Thunder"), ("K2전차", "K2 Black Panther")]),
        ("국방부장관이 방문했다.", [("국방부장관", "Minister of National Defense")]),
        ("손원일 함(앞)과 니미츠 항모", [("손원일 함", "ROKS Son Won-il")]),
        # the plural 들 before the particles
        ("순직한 장병들에 대한 보상", [("장병", "service members")]),
        ("미군들은 기지를 옮긴다.", [("미군", "U.S. forces")]),
        # a space the row does not have must not split a short term
        ("대전 차로 이동했다.", [("대전", "Daejeon")]),
    ],
)
def test_spacing_and_plural(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 제주도: the island, not 제주 + 도 "also"
        ("태풍이 제주도 서쪽 해상을 지나갔다.", []),
        ("제주는 관광객이 많다.", [("제주", "Jeju")]),
        # 대전 in a war's name is not Daejeon
        ("2차 세계 대전 이후 처음이다.", [("2차 세계 대전", "World War II")]),
        ("양차 대전 당시의 기록", []),
        ("대전에 위치한 연구소", [("대전", "Daejeon")]),
        # 서구 is Seo-gu only next to its city
        ("서구 문화의 영향을 받았다.", []),
        ("인천 서구에서 행사가 열렸다.", [("인천", "Incheon"), ("서구", "Seo-gu")]),
        ("부산 동구 주민들", [("부산", "Busan"), ("동구", "Dong-gu")]),
        # the U.S. Navy is not the ROK Navy
        ("미 해군이 수색 작업을 벌였다.", []),
        ("미국 공군의 폭격기", []),
        ("해군이 훈련을 했다.", [("해군", "Republic of Korea Navy")]),
        # North Korea's Kangwon is not Gangwon State
        ("북한 강원도 원산에서", [("북한", "North Korea")]),
        ("북한 강원도 고성군 일대", [("북한", "North Korea")]),
        ("강원도 고성군에서", [("강원도", "Gangwon State"), ("고성군", "Goseong-gun")]),
        ("강원도 춘천시에서", [("강원도", "Gangwon State"), ("춘천시", "Chuncheon-si")]),
        # a market in Changwon is not the mayor
        ("창원 시장에서 장을 봤다.", [("창원", "Changwon")]),
        ("창원시장은 기자회견을 열었다.", [("창원시장", "Mayor of Changwon Special City")]),
        # compounds are not the term
        ("부산물이 많이 나왔다.", []),
        ("현무암 지대", []),
    ],
)
def test_homographs(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "variant",
    [
        lambda s: unicodedata.normalize("NFD", s),  # macOS
        lambda s: s.replace(" ", "\u00a0"),  # NBSP from Word
        lambda s: s.replace(" ", "\u3000"),  # ideographic space
        lambda s: s.replace(" ", "\u200b "),  # zero-width space from the web
        lambda s: s.replace(" ", "  "),  # double space
    ],
)
def test_unicode_variants_match_and_point_into_the_original(variant) -> None:  # type: ignore[no-untyped-def]
    plain = "창원특례시는 K9 자주포와 잠수함 사령부를 소개했다."
    text = variant(plain)
    assert text != plain
    matches = KO.find(text)
    assert [m.target_term for m in matches] == [
        "Changwon Special City",
        "K9 Thunder",
        "Submarine Force Command",
    ]
    # offsets point into the text as given: the spans read back as the terms
    written = [unicodedata.normalize("NFC", text[m.start : m.end]) for m in matches]
    assert ["".join(w.split()).replace("\u200b", "") for w in written] == [
        "창원특례시",
        "K9자주포",
        "잠수함사령부",
    ]
    assert unicodedata.normalize("NFC", text[matches[0].end : matches[0].particle_end]) == "는"


def test_full_width_designation_matches() -> None:
    text = "ＫＦ－２１ 시제기가 비행했다."
    (match,) = KO.find(text)
    assert (text[match.start : match.end], match.target_term) == ("ＫＦ－２１", "KF-21")


def test_english_multi_word_terms_survive_nbsp_and_line_ends() -> None:
    en = Matcher(load_glossary(ROOT / "glossary.csv"), "en")
    text = "Changwon\u00a0Special City and the Defense Acquisition\u3000Program Administration"
    assert [m.target_term for m in en.find(text)] == ["창원특례시", "방위사업청"]
    # a line break ends a term: nothing spans two lines
    assert [m.target_term for m in en.find("Changwon Special\nCity")] == ["창원"]


def test_context_rules_also_silence_near_misses() -> None:
    assert [n.source_term for n in KO.near_misses("제주도 서쪽 해상에서")] == []


def test_english_near_miss_ignores_ordinary_words() -> None:
    glossary = Glossary((Entry("소령", "Major", "title"), Entry("창원시", "Changwon Special City", "place")))
    en = Matcher(glossary, "en")
    assert [(m.word, m.source_term) for m in en.near_misses("major customers in changwon special city")] == [
        ("changwon special city", "Changwon Special City")
    ]


def test_rules_of_a_custom_glossary() -> None:
    glossary = Glossary(
        (
            Entry("해군", "Navy", "defense", not_near=("@foreign ~",)),
            Entry("서구", "Seo-gu", "place", only_near=("@metro ~",)),
            Entry("제주", "Jeju", "place", not_near=("제주도",)),
            Entry("대구", "Daegu", "place", not_near=("~ 요리",)),
        )
    )
    ko = Matcher(glossary, "ko")
    assert found("미국의 해군과 중국 해군, 그리고 해군", ko) == [("해군", "Navy")]
    assert found("대구 서구와 서구 사회", ko) == [("대구", "Daegu"), ("서구", "Seo-gu")]
    assert found("제주도를 지나 제주에", ko) == [("제주", "Jeju")]
    assert found("대구 요리를 먹고 대구로 갔다", ko) == [("대구", "Daegu")]


def test_longest_match_across_spaces_after_a_two_character_word() -> None:
    """한국 is a term, and so is 한국국방안보포럼: the longer one wins however it is spaced."""
    assert found("문근식 한국 국방 안보 포럼 국장") == [
        ("한국 국방 안보 포럼", "Korea Defense and Security Forum")
    ]
    assert found("한국의 기술") == [("한국", "South Korea")]
