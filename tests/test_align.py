"""Alignment by content: where remembered text went, and pairing sentences across languages."""

from __future__ import annotations

import pytest

from toolkit.translation.align import align_sentences, map_segments, similarity
from toolkit.translation.checks import numbers

OLD = [["Alpha one is here.", "Beta two is there."], ["Gamma three stays."], ["Delta four ends."]]


def where(
    old: list[list[str]], new: list[str]
) -> tuple[dict[int, tuple[list[tuple[int, str]], bool]], list[str]]:
    mapping = map_segments(old, new)
    found = {
        m: ([(sp.unit, new[sp.unit][sp.start : sp.end]) for sp in g.spans], g.exact)
        for g in mapping.groups
        for m in g.members
    }
    return found, [new[sp.unit][sp.start : sp.end] for sp in mapping.extra]


def test_unchanged_text_maps_exactly() -> None:
    found, extra = where(
        OLD, ["Alpha one is here. Beta two is there.", "Gamma three stays.", "Delta four ends."]
    )
    assert found == {
        0: ([(0, "Alpha one is here.")], True),
        1: ([(0, "Beta two is there.")], True),
        2: ([(1, "Gamma three stays.")], True),
        3: ([(2, "Delta four ends.")], True),
    }
    assert extra == []


@pytest.mark.parametrize(
    ("new", "expected", "extra"),
    [
        # a sentence edited
        (
            ["Alpha one is here. Beta two was edited there.", "Gamma three stays.", "Delta four ends."],
            {1: ([(0, "Beta two was edited there.")], False)},
            [],
        ),
        # paragraphs swapped
        (
            ["Delta four ends.", "Alpha one is here. Beta two is there.", "Gamma three stays."],
            {0: ([(1, "Alpha one is here.")], True), 3: ([(0, "Delta four ends.")], True)},
            [],
        ),
        # a paragraph split and two merged
        (
            ["Alpha one is here.", "Beta two is there. Gamma three stays. Delta four ends."],
            {1: ([(1, "Beta two is there.")], True), 3: ([(1, "Delta four ends.")], True)},
            [],
        ),
        # a paragraph rewritten in its place
        (
            ["Alpha one is here. Beta two is there.", "A new paragraph by hand.", "Delta four ends."],
            {2: ([(1, "A new paragraph by hand.")], False), 3: ([(2, "Delta four ends.")], True)},
            [],
        ),
        # a sentence added in the middle
        (
            [
                "Alpha one is here. Added by hand. Beta two is there.",
                "Gamma three stays.",
                "Delta four ends.",
            ],
            {0: ([(0, "Alpha one is here.")], True), 1: ([(0, "Beta two is there.")], True)},
            ["Added by hand."],
        ),
    ],
    ids=["edit", "swap", "split-merge", "rewrite", "insert"],
)
def test_edits_moves_and_structure(
    new: list[str], expected: dict[int, tuple[list[tuple[int, str]], bool]], extra: list[str]
) -> None:
    found, got_extra = where(OLD, new)
    for m, value in expected.items():
        assert found[m] == value, m
    if extra:
        assert got_extra == extra


def test_a_deleted_paragraph_next_to_a_rewritten_one_is_not_blamed_for_it() -> None:
    # the translator rewrote "Gamma" and deleted "Alpha/Beta": the new text belongs to Gamma's place
    found, _ = where(OLD, ["Gamma was rewritten entirely.", "Delta four ends."])
    assert found[3] == ([(1, "Delta four ends.")], True)
    assert found[2][0] == [(0, "Gamma was rewritten entirely.")]
    assert found[0][0] == [] and found[1][0] == []


def test_moved_and_edited_sentences_keep_their_identity() -> None:
    old = [["Alpha one is here.", "Beta two is there."], ["Gamma three stays.", "Delta four ends."]]
    # paragraphs merged, swapped and the second sentence of one edited
    found, extra = where(old, ["Gamma three stays. Delta four ends. Alpha one is here. Beta two changed."])
    assert found[0] == ([(0, "Alpha one is here.")], True)
    assert found[2] == ([(0, "Gamma three stays.")], True)
    assert found[1] == ([(0, "Beta two changed.")], False)
    assert extra == []


def test_similarity_is_by_words() -> None:
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("a  b\tc", "a b c") == 1.0  # spacing is not an edit
    assert similarity("one two three four", "five six seven eight") < 0.1


def anchors(src: str, tgt: str) -> float:
    ns, nt = numbers(src), numbers(tgt)
    return 0.0 if not (ns or nt) else (-1.0 if ns == nt else 2.0)


def test_sentences_pair_two_to_one_and_one_to_two() -> None:
    src = [
        "창원특례시는 1일 포럼을 열었다.",
        "참석자는 250명이었다.",
        "시는 지역 방산기업의 수출을 꾸준히 돕는다.",
    ]
    tgt = [
        "Changwon Special City held a forum on the 1st, attended by 250 people.",
        "The city keeps supporting exports.",
        "Local defense companies get its help.",
    ]
    assert align_sentences(src, tgt, anchors) == [(0, 2, 0, 1), (2, 3, 1, 3)]


def test_sentences_pair_one_to_one_when_counts_agree() -> None:
    src = ["첫 문장은 조금 길게 썼다.", "둘째 문장이다."]
    tgt = ["The first sentence is written a little longer.", "The second one."]
    assert align_sentences(src, tgt, anchors) == [(0, 1, 0, 1), (1, 2, 1, 2)]


def test_one_sentence_on_either_side_is_one_bead() -> None:
    assert align_sentences(["한 문장이다."], ["One.", "Two.", "Three."]) == [(0, 1, 0, 3)]


def test_unclear_pairing_answers_none() -> None:
    src = ["짧다.", "이 문장은 아주 아주 길고 길어서 다른 문장과 비교할 수 없을 만큼 길게 이어진다.", "짧다."]
    tgt = ["Short.", "Short.", "Short.", "Short.", "Short.", "Short.", "Short."]
    assert align_sentences(src, tgt, anchors) is None
