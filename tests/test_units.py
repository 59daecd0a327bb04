"""Units of a release: every translatable text in order, and a release rebuilt from translated texts."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.core.document import Block, Meta, Release
from toolkit.translation import memory
from toolkit.translation.units import Unit, release_from_units, units_of

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
