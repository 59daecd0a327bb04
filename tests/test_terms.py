"""Glossary enforcement through translation: inject, select, repair."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.core.errors import ModelError
from toolkit.mt.enforce import enforce, protect, repair, select
from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.matcher import Matcher

DAPA = "Defense Acquisition Program Administration (DAPA)"
GLOSSARY = Glossary(
    (
        Entry("창원특례시", "Changwon Special City", "place", line=2),
        Entry("창원시", "Changwon Special City", "place", line=3),
        Entry("방위사업청", DAPA, "org", line=4),
        Entry("김해", "Gimhae", "place", line=5),
        Entry("서울", "Seoul", "place", line=6),
    )
)
KO = Matcher(GLOSSARY, "ko")
EN = Matcher(GLOSSARY, "en")


def copy(texts: list[str], n: int) -> list[list[str]]:
    return [[t] * n for t in texts]


def test_ko_en_copy_model_puts_terms_exactly_in_place() -> None:
    out, findings = enforce(["창원시는 방위사업청과 협약을 맺었다."], copy, KO, "en")
    assert out == [f"Changwon Special City는 {DAPA}과 협약을 맺었다."]
    assert findings == []


def test_ko_en_traps_are_unchanged() -> None:
    text = "창원시장은 양산을 신창원에서 논의했다."
    out, findings = enforce([text], copy, KO, "en")
    assert out == [text]
    assert findings == []


def test_en_ko_possessive_becomes_ui() -> None:
    out, _ = enforce(["Changwon Special City's forum in Seoul"], copy, EN, "ko")
    assert out == ["창원특례시의 forum in 서울"]  # first row is the preferred Korean


def test_one_translate_call_per_batch() -> None:
    calls: list[tuple[list[str], int]] = []

    def spy(texts: list[str], n: int) -> list[list[str]]:
        calls.append((texts, n))
        return copy(texts, n)

    out, _ = enforce(["창원시", "김해", "없음"], spy, KO, "en", num_hypotheses=3)
    assert calls == [(["Changwon Special City", "Gimhae", "없음"], 3)]
    assert out == ["Changwon Special City", "Gimhae", "없음"]


def test_selection_prefers_hypothesis_keeping_the_term() -> None:
    def mangle(texts: list[str], n: int) -> list[list[str]]:
        return [[t.replace("Changwon Special City", "Changwon city"), t] for t in texts]

    out, findings = enforce(["창원시는 좋다"], mangle, KO, "en")
    assert out == ["Changwon Special City는 좋다"]
    assert findings == []


def test_all_hypotheses_lose_the_term() -> None:
    def drop(texts: list[str], n: int) -> list[list[str]]:
        return [[t.replace("Changwon Special City", "the city")] * n for t in texts]

    out, findings = enforce(["창원시는 좋다"], drop, KO, "en")
    assert out == ["the city는 좋다"]
    assert [(f.check, f.severity, f.segment) for f in findings] == [
        ("term-missing", "error", "창원시는 좋다")
    ]
    assert "'Changwon Special City' (for '창원시')" in findings[0].message


def test_case_and_spacing_variants_are_repaired() -> None:
    def case(texts: list[str], n: int) -> list[list[str]]:
        return [[t.replace("Changwon Special City", "changwon special-city")] for t in texts]

    out, findings = enforce(["창원시는 좋다"], case, KO, "en")
    assert out == ["Changwon Special City는 좋다"]
    assert [(f.check, f.severity) for f in findings] == [("term-repaired", "info")]


def test_untranslated_source_term_is_repaired_en_ko() -> None:
    def keep_source(texts: list[str], n: int) -> list[list[str]]:
        return [["Gimhae's 공장"] for _ in texts]

    out, findings = enforce(["Gimhae's factory"], keep_source, EN, "ko")
    assert out == ["김해의 공장"]
    assert [f.check for f in findings] == ["term-repaired"]


def test_korean_particles_after_injected_terms_are_fixed() -> None:
    protected = protect("Changwon Special City and Seoul", EN, "ko")
    output, findings = repair("창원특례시으로 서울으로 창원특례시는 서울이", protected, "ko")
    assert output == "창원특례시로 서울로 창원특례시는 서울이"
    assert findings == []


def test_protect_fields() -> None:
    protected = protect("창원시에서는 방위사업청과의", KO, "en")
    assert protected.text == f"Changwon Special City에서는 {DAPA}과의"
    assert protected.targets == ("Changwon Special City", DAPA)
    assert [m.particle for m in protected.terms] == ["에서는", "과의"]
    with pytest.raises(ValueError):
        protect("x", KO, "ko")


def test_select_counts_occurrences_and_breaks_ties_early() -> None:
    protected = protect("창원시와 창원특례시", KO, "en")
    twice = "Changwon Special City and Changwon Special City"
    once = "Changwon Special City and Changwon"
    assert select([once, twice], protected) == twice
    assert select([once, "Changwon Special City or Changwon"], protected) == once
    assert select(["a", "b"], protect("없음", KO, "en")) == "a"
    with pytest.raises(ValueError):
        select([], protected)


def test_term_inside_longer_latin_word_does_not_count() -> None:
    protected = protect("김해", KO, "en")
    assert select(["Gimhaeville", "Gimhae"], protected) == "Gimhae"


def test_engine_result_count_mismatch_is_a_model_error() -> None:
    with pytest.raises(ModelError):
        enforce(["창원시"], lambda texts, n: [], KO, "en")
    with pytest.raises(ModelError):
        enforce(["창원시"], lambda texts, n: [[]], KO, "en")


_NO_TERMS = st.text(alphabet=st.characters(blacklist_characters="창원시방위사업청김해서울CGDS"), max_size=80)


@settings(max_examples=200, deadline=None)
@given(_NO_TERMS)
def test_text_without_terms_round_trips(text: str) -> None:
    for matcher, tgt in ((KO, "en"), (EN, "ko")):
        protected = protect(text, matcher, tgt)
        assert protected.text == text
        assert protected.terms == ()
        out, findings = enforce([text], copy, matcher, tgt)
        assert out == [text]
        assert findings == []


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "창원시",
                "방위사업청",
                "신창원",
                "창원시장",
                "서울",
                "x",
                " ",
                "은",
                "에서는",
                ",",
                "·",
            ]
        ),
        max_size=12,
    )
)
def test_copy_model_replaces_exactly_the_matches(parts: list[str]) -> None:
    text = "".join(parts)
    matches = KO.find(text)
    expected = text
    for m in reversed(matches):
        expected = expected[: m.start] + m.target_term + expected[m.end :]
    out, findings = enforce([text], copy, KO, "en")
    assert out == [expected]
    assert [f for f in findings if f.check == "term-missing"] == []
