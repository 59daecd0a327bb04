"""Units of a release: every translatable text in order, and a release rebuilt from translated texts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from markdown_strategies import read, release_file

from toolkit.core.document import Block, Meta, Release
from toolkit.sources.markdown_patch import same_release
from toolkit.translation import memory
from toolkit.translation.units import (
    Placed,
    Unit,
    assemble_release,
    release_from_units,
    unit_locations,
    units_of,
)

SOURCE = Release(
    meta=Meta(
        title="창원특례시, 포럼 개최",
        lang="ko",
        subtitle="방산 *기업* 28개사",
        date=dt.date(2026, 11, 5),
        dateline="창원",
        organization="창원특례시",
        contact="방위산업과\n055-225-0000",
        embargo="2026-11-05T06:00+09:00",
        copyright="ⓒ 창원특례시",
    ),
    body=(
        Block("paragraph", "창원특례시는 **포럼**을 열었다.", line=7),
        Block("list_item", "제1세션", level=1, line=9),
        Block("list_item", "", line=10),
        Block("table", "< 예산 >", rows=(("항목", "금액"), ("포럼", "")), align=("left", "right"), line=12),
        Block("image", "시장이 말했다", src="photos/a.jpg", title="홍남표", line=16),
    ),
    about=(Block("paragraph", "경남 도청 소재지."),),
    about_title="창원특례시 소개",
    attachments=(Block("list_item", "행사 개요", ordered=True, number=1),),
    attachments_title="붙임",
)


def test_every_text_in_document_order_with_ids_naming_the_kind() -> None:
    assert [(u.id, u.text) for u in units_of(SOURCE)] == [
        ("title", "창원특례시, 포럼 개최"),
        ("subtitle", "방산 \\*기업\\* 28개사"),  # meta is plain text: escaped into inline Markdown
        ("dateline", "창원"),
        ("organization", "창원특례시"),
        ("contact", "방위산업과"),
        ("contact", "055-225-0000"),
        ("body:paragraph:0", "창원특례시는 **포럼**을 열었다."),
        ("body:list_item:1", "제1세션"),
        ("body:table:caption", "< 예산 >"),
        ("body:table:cell", "항목"),
        ("body:table:cell", "금액"),
        ("body:table:cell", "포럼"),
        ("body:image:caption", "시장이 말했다"),
        ("about_title", "창원특례시 소개"),
        ("about:paragraph:0", "경남 도청 소재지."),
        ("attachments_title", "붙임"),
        ("attachments:list_item:0", "행사 개요"),
    ]
    assert [u.line for u in units_of(SOURCE)][6:9] == [7, 9, 12]


def test_release_from_units_keeps_the_structure_and_takes_the_texts() -> None:
    texts = [f"T{k} *x*" for k in range(len(units_of(SOURCE)))]
    target = release_from_units(SOURCE, texts, "en", copyright_text="© 2026 City", path="release.en.md")
    assert target.meta.lang == "en"
    assert target.meta.title == "T0 x"  # plain text again
    assert target.meta.dateline == "T2 X"  # English datelines are capitals
    assert target.meta.contact == "T4 x\nT5 x"
    assert (target.meta.date, target.meta.embargo) == (SOURCE.meta.date, SOURCE.meta.embargo)
    assert target.meta.copyright == "© 2026 City"
    assert target.source_path == "release.en.md"
    table, photo = target.body[3], target.body[4]
    assert (table.text, table.rows, table.align) == (
        "T8 *x*",
        (("T9 *x*", "T10 *x*"), ("T11 *x*", "")),
        SOURCE.body[3].align,
    )
    assert (photo.text, photo.src, photo.title) == ("T12 *x*", "photos/a.jpg", "홍남표")
    assert target.body[2] == SOURCE.body[2]  # an empty item has no unit and stays empty
    assert (target.attachments[0].ordered, target.attachments[0].number) == (True, 1)
    assert [u.id for u in units_of(target)] == [u.id for u in units_of(SOURCE)]


def test_texts_come_back_canonical() -> None:
    texts = [u.text for u in units_of(SOURCE)]
    texts[6] = "__bold__ &amp; <https://x.kr>"
    target = release_from_units(SOURCE, texts, "en")
    assert target.body[0].text == "**bold** & [https://x.kr](https://x.kr)"


def test_units_given_as_units_work_like_texts() -> None:
    units = [Unit(u.id, u.text + "!", u.line) for u in units_of(SOURCE)]
    assert release_from_units(SOURCE, units, "en") == release_from_units(
        SOURCE, [u.text for u in units], "en"
    )


@pytest.mark.parametrize("delta", [-1, 1])
def test_a_wrong_number_of_texts_is_an_error(delta: int) -> None:
    texts = ["x"] * (len(units_of(SOURCE)) + delta)
    with pytest.raises(ValueError, match="release_from_units"):
        release_from_units(SOURCE, texts, "en")


def test_memory_still_exports_units() -> None:
    assert (
        memory.units_of is units_of
        and memory.release_from_units is release_from_units
        and memory.Unit is Unit
    )


# --------------------------------------------------------------------------- assemble_release


def blocks_of(release: Release, section: str) -> tuple[Block, ...]:
    return {"body": release.body, "about": release.about, "attachments": release.attachments}[section]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=release_file())
def test_every_unit_has_a_location_in_the_same_order(text: str) -> None:
    release = read(text)
    units, locations = units_of(release), unit_locations(release)
    assert len(locations) == len(units)
    for unit, loc in zip(units, locations, strict=True):
        if not loc.section:  # a meta field or a section title
            assert ":" not in unit.id
            continue
        assert unit.id.startswith(loc.section + ":")
        block = blocks_of(release, loc.section)[loc.block]
        assert unit.id.split(":")[1] == block.kind
        assert block.texts()[loc.slot] == unit.text


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=release_file())
def test_the_units_of_a_release_placed_on_itself_give_it_back(text: str) -> None:
    release = read(text)
    units = units_of(release)
    copyright_text = release.meta.copyright
    as_source = assemble_release(
        release, None, [Placed(u, "source", i) for i, u in enumerate(units)], release.lang
    )
    assert same_release(as_source, release)
    as_target = assemble_release(
        release, release, [Placed(u, "target", i) for i, u in enumerate(units)], release.lang
    )
    assert same_release(as_target, release)
    assert copyright_text == as_target.meta.copyright == ""  # the generated files have none


KO = Release(
    meta=Meta(title="포럼", lang="ko"),
    body=(
        Block("paragraph", "첫 문단."),  # 0
        Block("image", "", src="a.jpg"),  # 1: no caption, no unit
        Block("list_item", "개회", ordered=True, number=1),  # 2
        Block("list_item", "", ordered=True, number=2),  # 3: empty, no unit
        Block("list_item", "토론", level=1),  # 4
        Block("table", "< 일정 >", rows=(("시간", "장소"), ("14:00", "대회의실")), align=("left", "center")),
        Block("paragraph", "둘째 문단."),  # 6
        Block("image", "", src="end.jpg"),  # 7: no caption, last
    ),
)


def english_file() -> Release:
    """KO as presspack wrote it in English (the copy of every text with "EN " before it)."""
    return release_from_units(KO, ["EN " + u.text for u in units_of(KO)], "en")


def placed_from(release: Release, template: str, *indices: int) -> list[Placed]:
    units = units_of(release)
    return [Placed(units[i], template, i) for i in indices]  # type: ignore[arg-type]


def test_a_translators_file_keeps_its_shapes_and_its_blocks_without_text() -> None:
    target = english_file()
    # units of the English file: 0 title, 1 첫 문단, 2 개회, 3 토론, 4 caption, 5-8 cells, 9 둘째 문단
    human = Placed(Unit("body:paragraph:0", "A paragraph the translator added."))
    cell = Placed(Unit("body:table:cell", "EN 15:00"), "source", 7)  # the source changed a cell
    layout = [
        *placed_from(target, "target", 0, 1),
        human,
        *placed_from(target, "target", 2, 3, 4, 5, 6),
        cell,
        *placed_from(target, "target", 8),
        # the translator deleted "둘째 문단"
    ]
    out = assemble_release(KO, target, layout, "en")
    assert [(b.kind, b.text, b.src) for b in out.body] == [
        ("paragraph", "EN 첫 문단.", ""),
        ("paragraph", "A paragraph the translator added.", ""),
        ("image", "", "a.jpg"),  # the photo without caption still after the first paragraph
        ("list_item", "EN 개회", ""),
        ("list_item", "", ""),  # the empty item with its number
        ("list_item", "EN 토론", ""),
        ("table", "EN < 일정 >", ""),
        ("image", "", "end.jpg"),  # the last photo, after the last block with text
    ]
    table = out.body[6]
    assert (table.rows, table.align) == (
        (("EN 시간", "EN 장소"), ("EN 15:00", "EN 대회의실")),
        KO.body[5].align,
    )
    assert [(b.ordered, b.number, b.level) for b in out.body[3:6]] == [
        (True, 1, 0),
        (True, 2, 0),
        (False, 0, 1),
    ]


def test_a_photo_without_caption_new_in_the_source_comes_with_the_block_after_it() -> None:
    old_source = replace(KO, body=KO.body[:1] + KO.body[6:7])  # 첫 문단, 둘째 문단
    target = release_from_units(old_source, ["EN " + u.text for u in units_of(old_source)], "en")
    new_source = replace(
        KO, body=(KO.body[0], Block("image", "", src="new.jpg"), Block("paragraph", "새 문단."), KO.body[6])
    )
    layout = [
        *placed_from(target, "target", 0, 1),
        Placed(Unit("body:paragraph:0", "새 문단."), "source", 2),
        *placed_from(target, "target", 2),
    ]
    out = assemble_release(new_source, target, layout, "en")
    assert [(b.kind, b.text, b.src) for b in out.body] == [
        ("paragraph", "EN 첫 문단.", ""),
        ("image", "", "new.jpg"),
        ("paragraph", "새 문단.", ""),
        ("paragraph", "EN 둘째 문단.", ""),
    ]


def test_a_photo_without_caption_the_translators_file_has_is_not_doubled() -> None:
    target = english_file()
    source = replace(KO, body=(*KO.body[:6], Block("paragraph", "새 문단."), *KO.body[6:]))
    # the new paragraph is placed from the source; the source's blocks without text before it
    # (end.jpg is after it; a.jpg is earlier, behind blocks with text) do not come along
    layout = [
        *placed_from(target, "target", 0, 1, 2, 3, 4, 5, 6, 7, 8),
        Placed(Unit("body:paragraph:0", "새 문단."), "source", 10),
        *placed_from(target, "target", 9),
    ]
    out = assemble_release(source, target, layout, "en")
    assert [b.src for b in out.body if b.kind == "image"] == ["a.jpg", "end.jpg"]
    assert [b.text for b in out.body if b.kind == "paragraph"] == ["EN 첫 문단.", "새 문단.", "EN 둘째 문단."]


def test_text_without_a_template_block_becomes_a_block_of_its_kind() -> None:
    layout = [
        Placed(Unit("title", "Forum")),
        Placed(Unit("body:list_item:1", "An item")),
        Placed(Unit("body:table:cell", "A cell")),  # no table to put it in: a paragraph
        Placed(Unit("body:paragraph:0", "Kind mismatch"), "source", 2),  # source unit 2 is a list item
    ]
    out = assemble_release(KO, None, layout, "en")
    assert out.meta.title == "Forum"
    assert [(b.kind, b.text, b.level, b.src) for b in out.body] == [
        ("list_item", "An item", 1, ""),
        ("paragraph", "A cell", 0, ""),
        ("paragraph", "Kind mismatch", 0, ""),
        # no block was placed from the source, the only template: its blocks without text end it
        ("image", "", 0, "a.jpg"),
        ("list_item", "", 0, ""),
        ("image", "", 0, "end.jpg"),
    ]
