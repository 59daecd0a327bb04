"""The HWPX of a pack says what its DOCX says, and reads back to the same release.

Each format is read from its own XML by tests/pack_items.py (no presspack
code): paragraph kinds, visible text with the list markers as each
application draws them (Word from numbering.xml, Hancom from the text),
bold/italic/code/link runs, tables (grid, merges, repeated header rows,
shading, column widths), pictures (size, alt text) and the footer with its
page fields. The two lists must be equal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pack_items import Extracted, Para, Picture, Table, extract_docx, extract_hwpx

from toolkit.cli import main
from toolkit.core.document import Block, Meta, Release
from toolkit.core.inline import plain
from toolkit.render.docx import render_docx
from toolkit.render.hwpx import render_hwpx
from toolkit.render.layout import column_widths, contact_rows, ko_date, layout
from toolkit.render.style import load_style
from toolkit.sources import load_release

ROOT = Path(__file__).resolve().parents[1]
STYLE = load_style(ROOT / "templates", "default")
SAMPLES = sorted(p.name for p in (ROOT / "releases").iterdir() if p.is_dir())
RESULTS = "2026-11-06-k-defense-forum-results"
TEXT_WIDTH_MM = 210 - 22 - 22  # A4 less the default margins


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_same_items(docx: Extracted, hwpx: Extracted) -> None:
    assert hwpx.items == docx.items
    assert hwpx.footer == docx.footer
    for d, h in zip(docx.items, hwpx.items, strict=True):
        if isinstance(d, Picture):
            assert isinstance(h, Picture)
            assert (h.width_mm, h.height_mm) == pytest.approx((d.width_mm, d.height_mm), abs=0.05)


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- the sample packs


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_pack_holds_the_same_items_in_docx_and_hwpx(sample: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(["build", f"releases/{sample}", "--out", str(out), "--formats", "docx,hwpx"])
    assert code == 0, err
    langs = sorted(p.name.split(".")[1] for p in Path("releases", sample).glob("release.*.md"))
    assert langs == ["en", "ko"]
    for lang in langs:
        docx = extract_docx((out / sample / f"{sample}.{lang}.docx").read_bytes())
        hwpx = extract_hwpx((out / sample / f"{sample}.{lang}.hwpx").read_bytes())
        assert len(docx.items) > 5
        assert_same_items(docx, hwpx)


def _reader_has_rich_blocks() -> bool:
    release = load_release(ROOT / "releases" / RESULTS / "release.ko.md").release
    return any(b.kind == "table" for b in release.body) and any(b.kind == "list_item" for b in release.body)


@pytest.mark.skipif(not _reader_has_rich_blocks(), reason="needs the CommonMark block reader (tables, lists)")
@pytest.mark.usefixtures("project")
def test_rich_sample_hwpx_has_the_photo_table_lists_and_press_release_rows(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(["build", f"releases/{RESULTS}", "--out", str(out), "--formats", "hwpx"])
    assert code == 0, err
    got = extract_hwpx((out / RESULTS / f"{RESULTS}.ko.hwpx").read_bytes())
    source = load_release(Path("releases", RESULTS, "release.ko.md")).release
    meta = source.meta
    tables = [i for i in got.items if isinstance(i, Table)]
    cover, times, title_box, schedule, contact = tables
    assert cover.grid == (("보도자료", meta.organization),)
    assert times.grid == (("보도시점", meta.release_time, "배포", meta.distribution),)
    assert title_box.grid == ((f"{meta.title}\n- {meta.subtitle} -",),)
    # the GFM table: caption in the Korean template, header row repeated, shaded, widths by content
    (source_table,) = [b for b in source.body if b.kind == "table"]
    assert schedule.grid == source_table.rows
    assert schedule.header_rows == {0}
    assert set(schedule.shaded[0]) == {"E8EEF5"} and set(schedule.shaded[1]) == {""}
    assert schedule.widths == tuple(round(w, 2) for w in column_widths(source_table.rows, 1.0))
    captions = [i.text for i in got.items if isinstance(i, Para) and i.kind == "caption"]
    assert f"< {source_table.text} >" in captions
    assert contact.grid == (
        ("담당 부서", meta.department, "책임자", meta.manager, meta.manager_phone),
        ("", "", "담당자", meta.contact_person, meta.contact_phone),
    )
    assert contact.merges == {(0, 0, 2, 1), (0, 1, 2, 1)}
    (photo,) = [i for i in got.items if isinstance(i, Picture)]
    assert photo.width_mm == pytest.approx(TEXT_WIDTH_MM, abs=0.01)
    from PIL import Image

    with Image.open(Path("releases", RESULTS, "forum.jpg")) as image:
        assert photo.height_mm == pytest.approx(TEXT_WIDTH_MM * image.height / image.width, abs=0.05)
    lists = [i.text for i in got.items if isinstance(i, Para) and i.kind == "list"]
    assert [t.split(" ", 1)[0] for t in lists] == ["1.", "2.", "○", "3.", "1.", "2."]  # 붙임 restarts
    assert got.footer == (meta.copyright, "- {page} -")


# --------------------------------------------------------------------------- every block kind


def every_kind(tmp_path: Path, lang: str) -> Release:
    """A release with every block kind and inline markup, built without any reader."""
    (tmp_path / "wide.png").write_bytes(png(300, 100))
    (tmp_path / "tall.png").write_bytes(png(60, 240))
    ko = lang == "ko"

    def t(en: str, kr: str) -> str:
        return kr if ko else en

    body = (
        Block(
            "paragraph",
            t("A **bold** start", "**굵은** 시작")
            + ", *italic*, `code --x`, [link](https://example.org/a?b=1)\\\n"
            + t("and a break.", "줄바꿈 뒤."),
        ),
        Block("heading", t("First level", "첫째 수준"), level=1),
        Block("heading", t("Second level", "둘째 수준"), level=2),
        Block("heading", t("Third level", "셋째 수준"), level=3),
        Block("list_item", t("third item of a list", "셋째 항목부터 시작하는 목록"), ordered=True, number=3),
        Block("list_item", t("nested bullet", "안쪽 항목"), level=1),
        Block("list_item", t("deeper bullet with **bold**", "더 안쪽 **굵게**"), level=2),
        Block("list_item", t("fourth item", "넷째 항목"), ordered=True, number=4),
        Block("paragraph", t("Between lists.", "목록 사이 문단.")),
        Block("list_item", t("a new list", "새 목록"), ordered=True, number=1),
        Block("list_item", t("nested number", "안쪽 번호"), level=1, ordered=True, number=1),
        Block("quote", t("“A quoted line.”", "“인용한 말이다.”")),
        Block("quote", t("A nested quote.", "안쪽 인용."), level=1),
        Block(
            "table",
            t("Schedule *of* the day", "*하루* 일정"),
            rows=(
                (
                    t("Time", "시간"),
                    t("Program with a much longer title", "훨씬 긴 제목의 프로그램 이름"),
                    "Room",
                ),
                ("09:00", t("Opening", "개회"), "A"),
                ("10:30", t("Keynote on **exports**", "**수출** 기조연설"), ""),
            ),
            align=("left", "", "center"),
        ),
        Block(
            "image",
            t("A wide photo, credit *Changwon*", "넓은 사진, *창원시* 제공"),
            src="wide.png",
            title="W",
        ),
        Block("image", "", src="tall.png"),
    )
    about = (Block("paragraph", t("The city is an industrial center.", "창원은 산업 도시다.")),)
    attachments = (
        Block("list_item", t("Program", "프로그램"), ordered=True, number=1),
        Block("paragraph", t("Map", "지도")),
    )
    meta = Meta(
        title=t("Every kind", "모든 종류"),
        lang="ko" if ko else "en",
        subtitle=t("of block", "블록"),
        date=dt.date(2026, 11, 5),
        dateline="CHANGWON",
        organization=t("Changwon Special City", "창원특례시"),
        department=t("Defense Industry Division", "방위산업과"),
        manager="과장 박준호" if ko else "",
        manager_phone="055-225-2400" if ko else "",
        contact_person=t("Kim Ha-neul", "주무관 김하늘"),
        contact_phone="055-225-2431",
        contact_email="kim@changwon.go.kr",
        embargo="2026-11-05T06:00+09:00",
        copyright=t("© 2026 Changwon Special City", "ⓒ 창원특례시"),
    )
    return Release(
        meta=meta,
        body=body,
        about=about,
        about_title=t("About Changwon Special City", "창원특례시 소개"),
        attachments=attachments,
        attachments_title=t("Attachments", "붙임"),
        source_path=str(tmp_path / f"release.{lang}.md"),
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_block_kind_looks_the_same_in_docx_and_hwpx(lang: str, tmp_path: Path) -> None:
    release = every_kind(tmp_path, lang)
    docx = extract_docx(render_docx(release, STYLE, embed_fonts=False))
    hwpx = extract_hwpx(render_hwpx(release, STYLE))
    assert_same_items(docx, hwpx)
    texts = [i.text for i in hwpx.items if isinstance(i, Para)]
    bullets = STYLE.for_lang(release.lang).bullets
    first, nested, deeper, _, _, new, nested_number = (b.text for b in release.body[4:11])
    assert f"3. {first}" in texts  # a list starts at its own first number
    assert f"{bullets[1]} {nested}" in texts and f"{bullets[2]} {plain(deeper)}" in texts
    assert f"1. {new}" in texts and f"1. {nested_number}" in texts  # and a new list at one again
    body = next(i for i in hwpx.items if isinstance(i, Para) and "italic" in i.text)
    assert ("code--x", False, False, True, "") in body.format
    assert ("italic", False, True, False, "") in body.format
    assert ("link", False, False, False, "https://example.org/a?b=1") in body.format
    pictures = [i for i in hwpx.items if isinstance(i, Picture)]
    assert [round(p.width_mm, 1) for p in pictures] == [TEXT_WIDTH_MM, 30.0]  # the tall one: 120 mm high
    assert pictures[1].height_mm == pytest.approx(120.0, abs=0.01)


def test_the_house_style_changes_both_formats_alike(tmp_path: Path) -> None:
    ko = dataclasses.replace(
        STYLE.ko, bullets=("■", "▷"), photo_caption="사진: {caption}", table_caption="[표] {caption}"
    )
    style = dataclasses.replace(STYLE, ko=ko)
    release = every_kind(tmp_path, "ko")
    hwpx = extract_hwpx(render_hwpx(release, style))
    assert_same_items(extract_docx(render_docx(release, style, embed_fonts=False)), hwpx)
    texts = [i.text for i in hwpx.items if isinstance(i, Para)]
    assert "▷ 안쪽 항목" in texts and "■ 더 안쪽 굵게" in texts
    assert "[표] 하루 일정" in texts and "사진: 넓은 사진, 창원시 제공" in texts


# --------------------------------------------------------------------------- HWPX → presspack → HWPX


def write_and_read(release: Release, tmp_path: Path, name: str) -> Release:
    path = tmp_path / name
    path.write_bytes(render_hwpx(release, STYLE))
    loaded = load_release(path)
    assert [w.what for w in loaded.warnings] == []
    return loaded.release


def printed(release: Release) -> list[tuple[str, str, str, int, tuple[tuple[str, ...], ...]]]:
    return [(i.role, i.text, i.lead, i.level, i.rows) for i in layout(release, STYLE)]


def test_every_block_kind_reads_back(tmp_path: Path) -> None:
    for lang in ("ko", "en"):
        release = every_kind(tmp_path, lang)
        back = write_and_read(release, tmp_path, f"r.{lang}.hwpx")

        def blocks(r: Release) -> list[tuple[object, ...]]:
            return [
                (b.kind, b.text, b.level, b.ordered, b.number, b.rows, b.align)
                for b in (*r.body, *r.about, *r.attachments)
                if b.kind != "image"
            ]

        assert blocks(back) == blocks(release)
        assert [b.text for b in back.body if b.kind == "image"] == [release.body[-2].text, ""]
        assert (back.about_title, back.attachments_title) == (release.about_title, release.attachments_title)
        assert printed(back) == printed(release)


hangul = st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=2, max_size=6)
words = st.lists(hangul, min_size=1, max_size=4).map(" ".join)
phones = st.sampled_from(["055-225-2400", "+82-55-225-2431", "02-2100-1234", "055 225 3000"])
emails = st.sampled_from(["kim@changwon.go.kr", "press.office@mnd.go.kr"])


@st.composite
def korean_meta(draw: st.DrawFn) -> Meta:
    day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    hour, minute = draw(st.integers(0, 23)), draw(st.sampled_from([0, 30]))
    embargo = draw(st.sampled_from(["", f"{day.isoformat()}T{hour:02d}:{minute:02d}+09:00"]))
    if embargo:
        release_time = draw(
            st.sampled_from(["", f"{ko_date(day)} {hour:02d}:{minute:02d} 이후 보도 (방송·인터넷)"])
        )
    else:
        release_time = draw(st.one_of(st.sampled_from(["", f"{ko_date(day)} 조간", "배포 즉시"]), words))
    before = ko_date(day - dt.timedelta(days=1))
    distribution = draw(st.one_of(st.sampled_from(["", f"{before} 14:00", "배포 즉시"]), words))
    manager = draw(st.one_of(st.just(""), words.map(lambda w: "과장 " + w)))
    person = draw(st.one_of(st.just(""), words.map(lambda w: "주무관 " + w)))
    return Meta(
        title=draw(words),
        lang="ko",
        subtitle=draw(st.one_of(st.just(""), words)),
        date=day,
        organization=draw(hangul) + "시",
        copyright="ⓒ " + draw(hangul),
        embargo=embargo,
        department=draw(st.one_of(st.just(""), words.map(lambda w: w + "과"))),
        manager=manager,
        manager_phone=draw(phones) if manager and draw(st.booleans()) else "",
        contact_person=person,
        contact_phone=draw(phones) if person and draw(st.booleans()) else "",
        contact_email=draw(emails) if (manager or person) and draw(st.booleans()) else "",
        release_time=release_time,
        distribution=distribution,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=korean_meta())
def test_property_korean_meta_survives_the_round_trip(tmp_path: Path, meta: Meta) -> None:
    release = Release(meta=meta, body=(Block("paragraph", "본문입니다."),))
    back = write_and_read(release, tmp_path, "p.ko.hwpx").meta
    assert back == meta


@pytest.mark.parametrize("title", ["보도자료", "보도 자료", "보도시점", "담당부서"])
@pytest.mark.parametrize("suffix", ["hwpx", "docx"])
def test_a_title_reading_like_a_layout_label_stays_the_title(tmp_path: Path, title: str, suffix: str) -> None:
    """Found by the property above: a release titled 보도자료 read back as the cover row,
    its first body paragraph taking the title."""
    meta = Meta(title=title, lang="ko", date=dt.date(2026, 12, 3), organization="창원특례시")
    release = Release(meta=meta, body=(Block("paragraph", "본문입니다."),))
    path = tmp_path / f"p.ko.{suffix}"
    path.write_bytes((render_hwpx if suffix == "hwpx" else render_docx)(release, STYLE))
    back = load_release(path).release
    assert (back.meta.title, back.meta.organization) == (title, "창원특례시")
    assert [b.text for b in back.body] == ["본문입니다."]


@st.composite
def english_meta(draw: st.DrawFn) -> tuple[Meta, str]:
    day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    hour = draw(st.integers(0, 23))
    org = draw(st.sampled_from(["Changwon Special City", "Hanwha Aerospace", "Gyeongnam Techno Park"]))
    structured = draw(st.booleans())
    person = draw(st.sampled_from(["Kim Ha-neul", "Park Ji-won, Export Support Team"]))
    phone = draw(st.one_of(st.just(""), phones))
    email = draw(emails) if not phone or draw(st.booleans()) else ""
    free = draw(st.sampled_from(["Kim Ha-neul\nTel. 055-225-2431", "Press office, 055-225-2000"]))
    meta = Meta(
        title="Forum " + draw(st.sampled_from(["ends", "opens", "draws 250"])),
        lang="en",
        subtitle=draw(st.sampled_from(["", "Small firms show products"])),
        date=day,
        dateline=draw(st.sampled_from(["CHANGWON", "SEOUL"])),
        organization=org,
        copyright="© 2026 presspack test",
        embargo=draw(st.sampled_from(["", f"{day.isoformat()}T{hour:02d}:00+09:00", f"{day.isoformat()}"])),
        department=draw(st.sampled_from(["", "Defense Industry Division"])) if structured else "",
        contact_person=person if structured else "",
        contact_phone=phone if structured else "",
        contact_email=email if structured else "",
        contact="" if structured else free,
    )
    return meta, f"About {org}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=english_meta())
def test_property_english_meta_survives_the_round_trip(tmp_path: Path, case: tuple[Meta, str]) -> None:
    meta, about_title = case
    release = Release(
        meta=meta,
        body=(Block("paragraph", "The city hosted a forum."),),
        about=(Block("paragraph", "The city is an industrial center."),),
        about_title=about_title,
    )
    back = write_and_read(release, tmp_path, "p.en.hwpx")
    assert back.meta == meta
    assert back.about_title == about_title


def test_a_free_text_contact_keeps_its_rows(tmp_path: Path) -> None:
    """A contact written as lines prints as table rows; reading gives the same rows back."""
    meta = Meta(
        title="제목",
        lang="ko",
        date=dt.date(2026, 11, 5),
        organization="창원특례시",
        copyright="ⓒ 창원특례시",
        department="방위산업과",
        contact="\n".join(
            [
                "창원특례시 방위산업과 수출지원팀",
                "주무관 박지원",
                "전화 055-225-0001",
                "담당자 주무관 이영희 055-225-0002",
            ]
        ),
    )
    release = Release(meta=meta, body=(Block("paragraph", "본문"),))
    back = write_and_read(release, tmp_path, "c.ko.hwpx")
    assert (
        contact_rows(back)
        == contact_rows(release)
        == (
            ("담당자", "창원특례시 방위산업과 수출지원팀", ""),
            ("담당자", "주무관 박지원", "055-225-0001"),
            ("담당자", "주무관 이영희", "055-225-0002"),
        )
    )
    assert printed(back) == printed(release)


# --------------------------------------------------------------------------- packs: bytes and readers


@pytest.mark.usefixtures("project")
def test_sample_packs_are_byte_identical_valid_and_read_alike(tmp_path: Path) -> None:
    from hwp_hwpx_parser import Reader
    from hwpx.tools.package_validator import validate_editor_open_safety, validate_package
    from hwpx.tools.text_extractor import TextExtractor
    from hwpx.tools.validator import validate_document

    for out in ("a", "b"):
        code, _, err = run(["build", "releases", "--out", str(tmp_path / out), "--formats", "hwpx"])
        assert code == 0, err
    first = sorted((tmp_path / "a").rglob("*.hwpx"))
    assert len(first) == 2 * len(SAMPLES)
    for path in first:
        again = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert again.read_bytes() == path.read_bytes(), path.name
        report = validate_document(str(path))
        assert report.ok and report.issues == (), path.name  # no error, no schema warning
        assert [i for i in validate_package(str(path)).issues if i.level == "error"] == []
        safety = validate_editor_open_safety(str(path))
        assert safety.blocking_package_errors == () and safety.reopen_ok
        with zipfile.ZipFile(path) as zf:
            assert zf.infolist()[0].filename == "mimetype"
            assert zf.infolist()[0].compress_type == zipfile.ZIP_STORED
        ours = extract_hwpx(path.read_bytes())
        texts = [i.text for i in ours.items if isinstance(i, Para)]
        texts += [cell for i in ours.items if isinstance(i, Table) for row in i.grid for cell in row if cell]
        with TextExtractor(str(path)) as extractor:
            theirs = [p.text() for p in extractor.iter_document_paragraphs(include_nested=True)]
        # python-hwpx: the same paragraphs (each of ours is one of its paragraphs, or a cell's lines)
        assert [t for t in texts if t not in theirs and t.split("\n")[0] not in theirs] == []
        with Reader(str(path)) as reader:
            flat = re.sub(r"\s+", "", reader.text)
        assert [t for t in texts if re.sub(r"\s+", "", t) not in flat] == []


def test_the_release_date_of_an_unsaved_presspack_file_only(tmp_path: Path) -> None:
    """presspack keeps the release date as CreatedDate; once Hancom saved the file (its user
    is lastsaveby) CreatedDate is the file's age, not a release date, and is not used."""
    meta = Meta(
        title="제목",
        lang="ko",
        date=dt.date(2026, 11, 5),
        organization="창원특례시",
        copyright="ⓒ 창원특례시",
        release_time="배포 즉시",  # neither cell shows the date
        distribution="배포 즉시",
    )
    data = render_hwpx(Release(meta=meta, body=(Block("paragraph", "본문"),)), STYLE)
    own = tmp_path / "own.hwpx"
    own.write_bytes(data)
    loaded = load_release(own)
    assert (loaded.release.meta.date, loaded.warnings) == (dt.date(2026, 11, 5), ())
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "Contents/content.hpf":
                saved = payload.replace(b">presspack<", ">김주무관<".encode())
                assert saved != payload
                payload = saved
            dst.writestr(info, payload)
    saved_path = tmp_path / "saved.hwpx"
    saved_path.write_bytes(buffer.getvalue())
    loaded = load_release(saved_path)
    assert loaded.release.meta.date is None
    assert [w.what for w in loaded.warnings] == ["the document shows no date; the pack shows none"]
