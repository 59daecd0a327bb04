"""Translation files are edited by people: syncing keeps every edit.

The engine is replaced by a fake that tags its output, so the tests can see
exactly which sentences were machine-translated.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from toolkit.core.document import Block, Meta, Release
from toolkit.mt.enforce import TranslateFn
from toolkit.sources import load_release
from toolkit.sources.markdown import dump_markdown
from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.matcher import Matcher
from toolkit.testing import FakeTranslator
from toolkit.translation.memory import Memory, units_of
from toolkit.translation.sync import sync_translation


class Recorder(FakeTranslator):
    """The public fake engine (toolkit.testing) tagging its output 'MT(<source>)',
    with a log of what it was asked."""

    def __init__(self) -> None:
        super().__init__(lambda sentence: f"MT({sentence})")

    def factory(self) -> TranslateFn:
        def run(batch: list[str], n: int) -> list[list[str]]:
            return self.translate_batch(batch, num_hypotheses=n)

        return run

    @property
    def sent(self) -> list[str]:
        return [s for call in self.calls for s in call]


def ko_release(paragraphs: list[str], title: str = "창원특례시 포럼 개최") -> Release:
    return Release(
        meta=Meta(title=title, lang="ko"),
        body=tuple(Block(kind="paragraph", text=p) for p in paragraphs),
        source_path="release.ko.md",
    )


def test_fresh_translation_sends_every_sentence_once() -> None:
    rec = Recorder()
    src = ko_release(["첫 문장이다. 둘째 문장이다.", "셋째 문장이다."])
    res = sync_translation(src, None, None, "en", matcher=None, translate=rec.factory)
    assert rec.calls == [["창원특례시 포럼 개최", "첫 문장이다.", "둘째 문장이다.", "셋째 문장이다."]]
    assert [b.text for b in res.release.body] == [
        "MT(첫 문장이다.) MT(둘째 문장이다.)",
        "MT(셋째 문장이다.)",
    ]
    assert res.translated == 4 and res.kept == 0


def test_only_changed_sentence_is_retranslated_and_edits_survive() -> None:
    rec = Recorder()
    src = ko_release(["첫 문장이다. 둘째 문장이다.", "셋째 문장이다."])
    first = sync_translation(src, None, None, "en", matcher=None, translate=rec.factory)
    # a translator post-edits sentence 1 and paragraph 2
    edited = replace(
        first.release,
        body=(
            Block(kind="paragraph", text="The first sentence, edited. MT(둘째 문장이다.)"),
            Block(kind="paragraph", text="Third sentence by hand."),
        ),
    )
    memory = Memory.from_json(first.memory.to_json())
    assert memory is not None
    # the source changes its second sentence only
    new_src = ko_release(["첫 문장이다. 둘째 문장을 고쳤다.", "셋째 문장이다."])
    rec2 = Recorder()
    res = sync_translation(new_src, edited, memory, "en", matcher=None, translate=rec2.factory)
    assert rec2.sent == ["둘째 문장을 고쳤다."]
    assert [b.text for b in res.release.body] == [
        "The first sentence, edited. MT(둘째 문장을 고쳤다.)",
        "Third sentence by hand.",
    ]
    assert res.kept == 3 and res.translated == 1


def test_inserted_and_deleted_paragraphs() -> None:
    rec = Recorder()
    src = ko_release(["가 문단이다.", "나 문단이다.", "다 문단이다."])
    first = sync_translation(src, None, None, "en", matcher=None, translate=rec.factory)
    edited = replace(
        first.release, body=(Block(kind="paragraph", text="A by hand."), *first.release.body[1:])
    )
    new_src = ko_release(["가 문단이다.", "새 문단이다.", "다 문단이다."])
    rec2 = Recorder()
    res = sync_translation(new_src, edited, first.memory, "en", matcher=None, translate=rec2.factory)
    assert rec2.sent == ["새 문단이다."]
    assert [b.text for b in res.release.body] == [
        "A by hand.",
        "MT(새 문단이다.)",
        "MT(다 문단이다.)",
    ]


def test_no_change_means_no_engine_call() -> None:
    rec = Recorder()
    src = ko_release(["가 문단이다."])
    first = sync_translation(src, None, None, "en", matcher=None, translate=rec.factory)

    def boom() -> TranslateFn:
        raise AssertionError("engine must not load when nothing changed")

    res = sync_translation(src, first.release, first.memory, "en", matcher=None, translate=boom)
    assert res.release == first.release
    assert res.translated == 0


def test_glossary_target_change_updates_term_in_edited_sentence() -> None:
    old = Glossary(entries=(Entry(ko="창원시", en="Changwon City", category="place"),))
    new = Glossary(entries=(Entry(ko="창원시", en="Changwon Special City", category="place"),))
    src = ko_release(["창원시는 포럼을 열었다."])
    rec = Recorder()
    first = sync_translation(src, None, None, "en", matcher=Matcher(old, "ko"), translate=rec.factory)
    edited = replace(
        first.release,
        body=(Block(kind="paragraph", text="Changwon City proudly hosted the forum."),),
    )

    def boom() -> TranslateFn:
        raise AssertionError("a glossary change must not re-run MT")

    res = sync_translation(src, edited, first.memory, "en", matcher=Matcher(new, "ko"), translate=boom)
    assert [b.text for b in res.release.body] == ["Changwon Special City proudly hosted the forum."]
    assert res.term_updates == 1


def test_glossary_change_that_cannot_be_applied_is_reported() -> None:
    old = Glossary(entries=(Entry(ko="창원시", en="Changwon City", category="place"),))
    new = Glossary(entries=(Entry(ko="창원시", en="Changwon Special City", category="place"),))
    src = ko_release(["창원시는 포럼을 열었다."])
    first = sync_translation(src, None, None, "en", matcher=Matcher(old, "ko"), translate=Recorder().factory)
    edited = replace(first.release, body=(Block(kind="paragraph", text="The city hosted the forum."),))
    res = sync_translation(
        src, edited, first.memory, "en", matcher=Matcher(new, "ko"), translate=Recorder().factory
    )
    assert [b.text for b in res.release.body] == ["The city hosted the forum."]
    assert any(f.check == "term-update" for f in res.findings)


def test_paragraph_edited_as_a_whole_is_kept_and_flagged_when_source_changes() -> None:
    src = ko_release(["첫 문장이다. 둘째 문장이다."])
    first = sync_translation(src, None, None, "en", matcher=None, translate=Recorder().factory)
    merged = replace(first.release, body=(Block(kind="paragraph", text="One merged sentence by a human"),))
    new_src = ko_release(["첫 문장이다. 둘째 문장이 바뀌었다."])
    res = sync_translation(new_src, merged, first.memory, "en", matcher=None, translate=Recorder().factory)
    assert [b.text for b in res.release.body] == ["One merged sentence by a human"]
    assert [f.check for f in res.findings if f.check.startswith("tm")] == ["tm-review"]


def test_paragraph_added_by_hand_is_kept_and_remembered() -> None:
    src = ko_release(["가 문단이다.", "나 문단이다."])
    first = sync_translation(src, None, None, "en", matcher=None, translate=Recorder().factory)
    extra = replace(first.release, body=(*first.release.body, Block(kind="paragraph", text="Added by hand.")))
    res = sync_translation(src, extra, first.memory, "en", matcher=None, translate=Recorder().factory)
    assert [b.text for b in res.release.body] == [b.text for b in extra.body]
    assert not [f for f in res.findings if f.check.startswith("tm")]
    added = [s for s in res.memory.segments() if s.tgt == "Added by hand."]
    assert [(s.src, s.origin) for s in added] == [("", "human")]


def test_translation_with_other_paragraphs_and_no_memory_is_left_untouched() -> None:
    src = ko_release(["가 문단이다.", "나 문단이다."])
    hand = Release(
        meta=Meta(title="Forum", lang="en"),
        body=(Block(kind="paragraph", text="Only one paragraph."),),
        source_path="release.en.md",
    )
    res = sync_translation(src, hand, None, "en", matcher=None, translate=Recorder().factory)
    assert res.blocked and res.release == hand
    assert [f.check for f in res.findings] == ["tm-structure"]
    assert res.findings[0].severity == "error"
    assert res.memory.units == ()


def test_markdown_round_trip(tmp_path: Path) -> None:
    src = ko_release(["# 해시로 시작하는 문단", "- 대시로 시작", "보통 문단: 콜론"], title="제목: 콜론 포함")
    src = replace(
        src,
        meta=replace(src.meta, contact="담당자 김하늘\n055-225-0000", subtitle='따옴표 "포함"'),
        about=(Block(kind="paragraph", text="소개 문단."),),
        about_title="창원특례시 소개",
    )
    path = tmp_path / "release.ko.md"
    path.write_text(dump_markdown(src), "utf-8")
    back = load_release(path).release
    assert back.meta == src.meta
    assert back.body == tuple(replace(b, line=bb.line) for b, bb in zip(src.body, back.body, strict=True))
    assert [b.text for b in back.about] == ["소개 문단."]
    assert [(u.id, u.text) for u in units_of(back)] == [(u.id, u.text) for u in units_of(src)]


def test_glossary_change_never_touches_a_longer_approved_term() -> None:
    def glossary(city: str) -> Glossary:
        return Glossary(
            entries=(
                Entry(ko="창원시", en=city, category="place"),
                Entry(ko="창원시의회", en="Changwon City Council", category="org"),
            )
        )

    src = ko_release(["창원시와 창원시의회가 만났다."])
    first = sync_translation(
        src, None, None, "en", matcher=Matcher(glossary("Changwon City"), "ko"), translate=Recorder().factory
    )
    edited = replace(
        first.release,
        body=(
            Block(
                kind="paragraph",
                text="Changwon City met the Changwon City Council; Changwon Cityscape aside.",
            ),
        ),
    )
    res = sync_translation(
        src,
        edited,
        first.memory,
        "en",
        matcher=Matcher(glossary("Changwon Special City"), "ko"),
        translate=Recorder().factory,
    )
    assert [b.text for b in res.release.body] == [
        "Changwon Special City met the Changwon City Council; Changwon Cityscape aside."
    ]


def test_a_rewritten_paragraph_is_recorded_by_whole_sentences_never_cut_at_a_term() -> None:
    glossary = Glossary(
        entries=(Entry(ko="러시아-우크라이나 전쟁", en="Russia-Ukraine war", category="event"),)
    )
    matcher = Matcher(glossary, "ko")
    src = ko_release(
        [
            "방위산업에 대한 관심이 러시아-우크라이나 전쟁 이후 높아졌다. 시는 이번 포럼을 기획했다.",
            "참석자들은 부스를 돌며 의견을 나눴다.",
        ]
    )
    first = sync_translation(src, None, None, "en", matcher=matcher, translate=Recorder().factory)
    assert first.release.body[0].text.startswith(
        "MT(방위산업에 대한 관심이 Russia-Ukraine war 이후"
    )  # injected
    rewrites = {
        # three for two: the paragraph is one record of both source sentences
        3: "Interest grew after the Russia-Ukraine war and the unrest. It is in defense. The city did it.",
        # as many sentences as the source: one record per sentence
        2: "Interest in defense grew after the Russia-Ukraine war and the unrest. The city planned it.",
    }
    for count, text in rewrites.items():
        edited = replace(first.release, body=(Block(kind="paragraph", text=text), first.release.body[1]))
        res = sync_translation(src, edited, first.memory, "en", matcher=matcher, translate=Recorder().factory)
        assert [b.text for b in res.release.body] == [text, "MT(참석자들은 부스를 돌며 의견을 나눴다.)"]
        pairs = [(s.src, s.tgt, s.origin) for s in res.memory.units[1].segments]
        assert all(s.src for s in res.memory.segments()), pairs  # no text without a source
        if count == 2:
            assert pairs == [
                (
                    "방위산업에 대한 관심이 러시아-우크라이나 전쟁 이후 높아졌다.",
                    "Interest in defense grew after the Russia-Ukraine war and the unrest.",
                    "human",
                ),
                ("시는 이번 포럼을 기획했다.", "The city planned it.", "human"),
            ]
        else:
            assert pairs == [(src.body[0].text, text, "human")]
        assert [f.check for f in res.findings if f.check != "hangul-in-english"] == []  # MT(…) is Korean
        again = sync_translation(
            src, res.release, res.memory, "en", matcher=matcher, translate=Recorder().factory
        )
        assert again.release == res.release and again.memory == res.memory


def program(item: str, cell: str) -> Release:
    return Release(
        meta=Meta(title="포럼 개최", lang="ko"),
        body=(
            Block(kind="list_item", text=item, ordered=True, number=1),
            Block(kind="list_item", text="주제 발표", ordered=True, number=2),
            Block(kind="table", rows=(("시간", "프로그램"), ("14:00", cell), ("14:30", "주제 발표"))),
        ),
        source_path="release.ko.md",
    )


def texts(release: Release) -> list[str]:
    return [t for b in release.body for t in b.texts()]


@pytest.mark.parametrize("edited", [0, 5])  # the translator post-edits the list item, or the table cell
@pytest.mark.parametrize("changed", ["item", "cell"])  # then the author edits one copy
def test_a_post_edit_of_text_the_source_has_twice_stays_with_its_copy(edited: int, changed: str) -> None:
    src = program("개회와 환영사", "개회와 환영사")
    first = sync_translation(src, None, None, "en", matcher=None, translate=Recorder().factory)
    machine = texts(first.release)
    assert machine[0] == machine[5] == "MT(개회와 환영사)"
    human = list(machine)
    human[edited] = "Opening and welcome address"
    blocks = list(first.release.body)
    blocks[0] = replace(blocks[0], text=human[0])
    rows = [list(r) for r in blocks[2].rows]
    rows[1][1] = human[5]
    blocks[2] = replace(blocks[2], rows=tuple(tuple(r) for r in rows))
    post_edited = replace(first.release, body=tuple(blocks))
    res = sync_translation(src, post_edited, first.memory, "en", matcher=None, translate=Recorder().factory)
    assert texts(res.release) == human
    segs = [(s.src, s.tgt, s.origin) for s in res.memory.segments()]
    assert ("개회와 환영사", "Opening and welcome address", "human") in segs
    assert ("개회와 환영사", "MT(개회와 환영사)", "machine") in segs
    new_src = (
        program("개회 및 환영사", "개회와 환영사")
        if changed == "item"
        else program("개회와 환영사", "개회식")
    )
    after = sync_translation(
        new_src, res.release, res.memory, "en", matcher=None, translate=Recorder().factory
    )
    assert not after.blocked
    expect = list(human)
    where = 0 if changed == "item" else 5
    reviews = [f for f in after.findings if f.check == "tm-review"]
    if where == edited:  # the person's copy: kept, for review
        assert len(reviews) == 1 and reviews[0].extra["kept"] == "Opening and welcome address"
    else:  # presspack's copy: translated again
        expect[where] = f"MT({texts(new_src)[where]})"
        assert reviews == []
    assert texts(after.release) == expect


def test_section_titles_have_the_line_of_their_heading() -> None:
    """A finding on the 붙임 (attachments) title had no line: only the about title's
    heading was looked up."""
    from toolkit.translation.filesync import unit_lines
    from toolkit.translation.units import Unit

    text = "---\ntitle: T\nlang: en\n---\n\nBody.\n\n## About Changwon\n\nAbout it.\n\n## 붙임\n\n1. 사진\n"
    units = [Unit("title", "T"), Unit("about_title", "About Changwon"), Unit("attachments_title", "붙임")]
    assert unit_lines(text, units) == [2, 8, 12]
