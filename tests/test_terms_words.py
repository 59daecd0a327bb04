"""Whole-word search by str.find (toolkit/terminology/words.py) finds what its regex finds."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.terminology.words import word_pattern, word_spans
from toolkit.translation.checks import INFLECTIONS

# letters of both cases, digits, hyphens and underscores (edges), white space of several
# kinds, Latin letters past ASCII (edges, and case-folding 'ſ', the Kelvin sign, 'İ'),
# caseless text (Hangul, curly quotes, CJK) and the suffixes' letters
TEXT = st.text(
    alphabet=st.sampled_from(
        [*"KkoreaKOREAsnSN9 0-_ ", "\t", "\n", "\xa0", "\u3000", "é", "Ł", "ſ", "K", "İ", "ı", *"한은’“·()."]
    ),
    max_size=40,
)
FORMS = st.sampled_from(
    [
        *("Korea", "korea", "K9", "K-9", "Korea Rea", "KOREA  K9", "2026", "S", "é", "Kor.", "-K", "(K)"),
        *("Łódź", "ſk"),
    ]
)


def _spec(text: str, form: str, **kw: object) -> list[tuple[int, int]]:
    return [m.span() for m in word_pattern(form, **kw).finditer(text)]  # type: ignore[arg-type]


@settings(max_examples=400)
@given(text=TEXT, form=FORMS, insensitive=st.booleans(), spaced=st.booleans(), right=st.sampled_from(
    ["word", "word_or_hyphen", "number", "none"]
))
@example(text="Koreans and KOREA-based ſkorea", form="Korea", insensitive=True, spaced=True, right="word")
@example(text="K9\u00a0 K9s K9-1 K9A K-9", form="K9", insensitive=False, spaced=True, right="number")
def test_word_spans_are_the_regex_spans(
    text: str, form: str, insensitive: bool, spaced: bool, right: str
) -> None:
    for suffixes in ((), INFLECTIONS):
        kw = {"spaced": spaced, "suffixes": suffixes, "right": right, "insensitive": insensitive}
        assert word_spans(text, form, **kw) == _spec(text, form, **kw)  # type: ignore[arg-type]


def test_examples_from_releases() -> None:
    text = "Changwon  Special\nCity’s firms and Koreans met at Changwon Special City-run K-Bangsan (K9s)."
    second = text.index("Changwon Special City")
    found = word_spans(text, "Changwon Special City", spaced=True, suffixes=INFLECTIONS)
    assert found == [(0, len("Changwon  Special\nCity")), (second, second + 21)]  # not "City-run"
    koreans = text.index("Koreans")
    assert word_spans(text, "Korea", suffixes=INFLECTIONS) == [(koreans, koreans + 7)]  # a demonym
    assert word_spans(text, "Bangsan") == []  # after a hyphen: another word
    assert word_spans(text, "K9", right="number") == []  # "K9s": another model
    assert word_spans("K9, K9-1 and K9A", "K9", right="number") == [(0, 2)]
    assert word_spans("DAPA은 dapa", "DAPA") == [(0, 4)]  # Hangul may touch a name
    assert word_spans("DAPA은 dapa", "DAPA", insensitive=True) == [(0, 4), (6, 10)]
    assert re.compile(r"\s").match("\u3000")  # a full-width space is white space to both


def test_a_very_long_segment_is_searched_the_same_way() -> None:
    text = "Changwon  Special\nCity and K9s. " * 300  # 9,600 characters, one segment
    kw = {"spaced": True, "suffixes": INFLECTIONS, "right": "word", "insensitive": True}
    spans = word_spans(text, "changwon special city", **kw)  # type: ignore[arg-type]
    assert len(spans) == 300
    assert spans == _spec(text, "changwon special city", **kw)
