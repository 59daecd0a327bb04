"""Alignment by content: where remembered text went, and pairing sentences across languages."""

from __future__ import annotations

import pytest

from toolkit.translation.align import align_sentences, map_segments, related, similarity
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


def test_related_compares_character_pairs() -> None:
    # an edit keeps most character pairs even where Korean words change their particles
    assert related("창원특례시는 1일 포럼을 열었다.", "창원특례시가 1일 방산 포럼을 개최했다.") is True
    assert related("세계적 관심이 크게 높아졌다.", "세계적 관심이 한층 높아졌다.") is True
    assert (
        related(
            "참석자들은 부스를 돌며 기업 관계자들과 제품 사양, 협력 가능성 등을 두고 의견을 나눴다.",
            "폴란드 대표단도 창원특례시를 찾았다.",
        )
        is False
    )
    assert related("14:00", "14:30") is None  # too short to tell: position decides
    assert related("개회와 환영사", "폐회") is None


SOURCE = [
    ["창원특례시는 1일 포럼을 열었다."],
    ["참석자들은 부스를 돌며 기업 관계자들과 의견을 나눴다."],
    ["시는 앞으로도 방산기업 지원을 이어 간다."],
]


def test_an_unrelated_paragraph_in_another_s_place_is_a_deletion_and_an_addition() -> None:
    new = [
        "창원특례시는 1일 포럼을 열었다.",
        "폴란드 대표단도 이날 오후 전시장을 찾았다.",
        "시는 앞으로도 방산기업 지원을 이어 간다.",
    ]
    found, _ = where(SOURCE, new)
    assert found[1] == (
        [(1, "폴란드 대표단도 이날 오후 전시장을 찾았다.")],
        False,
    )  # by position, without content
    mapping = map_segments(SOURCE, new, related)
    groups = {m: g for g in mapping.groups for m in g.members}
    assert groups[1].spans == ()
    assert [new[sp.unit][sp.start : sp.end] for sp in mapping.extra] == [
        "폴란드 대표단도 이날 오후 전시장을 찾았다."
    ]
    # deleted in one place, added in another: not a move
    moved = [
        "폴란드 대표단도 이날 오후 전시장을 찾았다.",
        "창원특례시는 1일 포럼을 열었다.",
        "시는 앞으로도 방산기업 지원을 이어 간다.",
    ]
    mapping = map_segments(SOURCE, moved, related)
    groups = {m: g for g in mapping.groups for m in g.members}
    assert groups[1].spans == () and groups[0].exact and groups[2].exact
    assert [moved[sp.unit][sp.start : sp.end] for sp in mapping.extra] == [
        "폴란드 대표단도 이날 오후 전시장을 찾았다."
    ]


def test_a_paragraph_the_author_rewrote_is_still_an_edit() -> None:
    new = [
        "창원특례시는 1일 포럼을 열었다.",
        "참석자들은 부스를 돌며 기업 관계자와 제품을 두고 의견을 나눴다.",
        "시는 앞으로도 방산기업 지원을 이어 간다.",
    ]
    mapping = map_segments(SOURCE, new, related)
    groups = {m: g for g in mapping.groups for m in g.members}
    assert [new[sp.unit][sp.start : sp.end] for sp in groups[1].spans] == [new[1]]
    assert mapping.extra == ()
    # moved and edited
    moved = [new[1], new[0], new[2]]
    mapping = map_segments(SOURCE, moved, related)
    groups = {m: g for g in mapping.groups for m in g.members}
    assert [moved[sp.unit][sp.start : sp.end] for sp in groups[1].spans] == [new[1]]
    assert mapping.extra == ()


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
