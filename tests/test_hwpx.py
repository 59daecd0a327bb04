"""HWPX in and out: real Hancom files read completely, our HWPX read by two independent readers.

Reference readers: python-hwpx 6.9.0 (TextExtractor, validators) and
hwp-hwpx-parser 1.0.0, both Apache-2.0 test dependencies. The real files
are shared/corpus/hwpx (Hancom-saved); tests that need them skip without it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.core.document import Block, Meta, Release
from toolkit.core.inline import plain
from toolkit.render.hwpx import image_size, render_hwpx
from toolkit.render.layout import ko_date
from toolkit.render.style import load_style
from toolkit.sources import load_release
from toolkit.sources.hwpx import read_hwpx
from toolkit.sources.release import _END_MARK_RE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "hwpx"
CORPUS_FILES = sorted(CORPUS.glob("*.hwpx")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason="shared/corpus/hwpx is not present")
STYLE = load_style(ROOT / "templates", "default")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def reference_paragraphs(path: Path) -> list[str]:
    """Every paragraph python-hwpx extracts (nested ones in tables, headers, notes too)."""
    from hwpx.tools.text_extractor import TextExtractor

    with TextExtractor(str(path)) as extractor:
        return [p.text() for p in extractor.iter_document_paragraphs(include_nested=True)]


def release_texts(release: Release) -> list[str]:
    """Every visible text of a release: metadata, blocks, table cells, captions."""
    meta = release.meta
    texts = [meta.title, meta.subtitle, meta.organization, meta.department, meta.contact]
    texts += [meta.manager, meta.manager_phone, meta.contact_person, meta.contact_phone, meta.contact_email]
    texts += [meta.embargo, meta.release_time, meta.distribution, meta.copyright]
    texts += [release.about_title, release.attachments_title]
    if meta.date:
        texts.append(ko_date(meta.date))
    for block in (*release.body, *release.about, *release.attachments):
        texts.extend(plain(t) for t in block.texts())
    return [t for t in texts if t]


def png(width: int, height: int) -> bytes:
    """A real (tiny, valid) PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- reading real files


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_reader_keeps_every_character_python_hwpx_extracts(path: Path) -> None:
    if path.name == "reader_writer__ChangeTrack.hwpx":
        pytest.skip("tracked changes: python-hwpx keeps deleted text (checked below)")
    release = load_release(path).release
    mine = release_texts(release)
    mine_squashed = [squash(t) for t in mine]
    reference = [p for p in reference_paragraphs(path) if squash(p)]
    if not reference:  # a picture-only page: the picture is what there is to keep
        assert [b.kind for b in release.body] == ["image"]
    # each paragraph's text survives whole, inside one of ours (a cell joins its paragraphs)
    missing = [p for p in reference if not any(squash(p) in t for t in mine_squashed)]
    assert missing == []
    # and no character is lost overall (multiset of non-space characters)
    lost = Counter(squash("".join(reference))) - Counter(squash("".join(mine)))
    assert lost == Counter()


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_real_document_renders_to_pdf_and_docx(path: Path) -> None:
    """form_002.hwpx, a Hancom form, never built: its check boxes were read as ☐/☑, which no
    house font has, and its 27-column table left reportlab a negative cell width."""
    from toolkit.render.docx import render_docx
    from toolkit.render.pdf import render_pdf

    release = load_release(path).release
    assert render_pdf(release, STYLE).startswith(b"%PDF")
    assert render_docx(release, STYLE)[:2] == b"PK"


@needs_corpus
def test_tracked_changes_are_read_as_accepted() -> None:
    path = CORPUS / "reader_writer__ChangeTrack.hwpx"
    # the XML: "변경" <deleteBegin/>" 추적"<deleteEnd/> " " <tab/> <insertBegin/>"인간은"<insertEnd/>
    (reference,) = reference_paragraphs(path)
    assert reference == "변경 추적 \t인간은"  # python-hwpx shows deleted text too
    content = read_hwpx(path)
    assert [b.text for b in content.blocks] == ["변경 \t인간은"]


@needs_corpus
def test_header_and_footer_text_are_kept_footer_as_copyright() -> None:
    loaded = load_release(CORPUS / "reader_writer__HeaderFooter.hwpx")
    assert loaded.release.meta.copyright == "꼬리말"
    assert [b.text for b in loaded.release.body] == ["머리말 테스트"]
    warned = [w.what for w in loaded.warnings]
    assert "the document shows no copyright footer; using the house footer" not in warned


@needs_corpus
def test_table_cells_are_placed_by_address() -> None:
    release = load_release(CORPUS / "tool__textextractor__Table.hwpx").release
    (table,) = [b for b in release.body if b.kind == "table"]
    assert table.rows[0] == ("이름", "국어", "영어", "수학")
    assert table.rows[1] == ("개똥이", "89", "65", "78")
    assert release.meta.title == "C반 기말고사"


@needs_corpus
def test_picture_becomes_an_image_block_pointing_into_the_file() -> None:
    from toolkit.sources.hwpx import embedded_image

    path = CORPUS / "reader_writer__SimplePicture.hwpx"
    (image,) = load_release(path).release.body
    assert image.kind == "image"
    assert image.src == "reader_writer__SimplePicture.hwpx#BinData/image1.jpg"
    data = embedded_image(path.parent, image.src)
    assert data is not None and image_size(data) == (544, 184, "jpg")


@needs_corpus
def test_government_document_metadata_is_inferred() -> None:
    loaded = load_release(CORPUS / "seoul_sihaengmun.hwpx")
    meta = loaded.release.meta
    assert meta.title == "소규모주택정비사업 추진실적 제출('25.3분기)"  # the 공문's 제목 line
    assert meta.date == dt.date(2025, 10, 24)  # its 시행 line
    assert meta.organization == "서울특별시"  # sender line "서 울 특 별 시 장"
    assert meta.lang == "ko"
    assert [w.what for w in loaded.warnings] == [
        "the document shows no copyright footer; using the house footer"
    ]


# --------------------------------------------------------------------------- writing


def sample_release(tmp_path: Path, lang: str = "ko") -> Release:
    (tmp_path / "photo.png").write_bytes(png(40, 20))
    body = (
        Block("heading", "행사 내용", level=2),
        Block(
            "paragraph",
            "창원특례시는 **5일** 포럼을 *열었다*. 자세한 내용은 [누리집](https://www.changwon.go.kr).",
        ),
        Block("list_item", "첫째 항목", level=0, ordered=True, number=1),
        Block("list_item", "둘째 항목", level=0, ordered=True, number=2),
        Block("list_item", "하위 항목", level=1),
        Block("quote", "“방산 수출의 길을 열겠다”"),
        Block("table", "참가 기업", rows=(("구분", "기업 수"), ("대기업", "5"), ("중소기업", "28"))),
        Block("image", "포럼 전경", src="photo.png"),
        Block("paragraph", "마지막 문단\\\n두 번째 줄"),
    )
    meta = Meta(
        title="창원특례시, ‘K-방산 미래혁신 포럼’ 개최",
        lang="ko" if lang == "ko" else "en",
        subtitle="방산 수출 전략 논의",
        date=dt.date(2026, 11, 5),
        organization="창원특례시",
        department="방산항공과",
        manager="과장 김철수",
        manager_phone="055-225-2000",
        contact_person="주무관 이영희",
        contact_phone="055-225-2001",
        contact_email="lee@changwon.go.kr",
        release_time="2026. 11. 5.(목) 조간",
        distribution="2026. 11. 4.(수) 14:00",
        copyright="ⓒ 창원특례시. 무단 전재 및 재배포 금지",
    )
    attachments = (Block("paragraph", "포럼 프로그램 1부"),)
    return Release(
        meta=meta,
        body=body,
        attachments=attachments,
        attachments_title="붙임",
        source_path=str(tmp_path / "release.ko.md"),
    )


def test_round_trip_keeps_every_block_and_the_press_release_layout(tmp_path: Path) -> None:
    release = sample_release(tmp_path)
    path = tmp_path / "out" / "release.ko.hwpx"
    path.parent.mkdir()
    path.write_bytes(render_hwpx(release, STYLE))
    loaded = load_release(path)
    back = loaded.release
    assert loaded.warnings == ()
    assert back.meta == release.meta  # every key, the 보도시점/배포 cells and the contact table's too
    assert [
        (b.kind, b.text, b.level, b.ordered, b.number, b.rows) for b in back.body if b.kind != "image"
    ] == [(b.kind, b.text, b.level, b.ordered, b.number, b.rows) for b in release.body if b.kind != "image"]
    (image,) = [b for b in back.body if b.kind == "image"]
    assert image.text == "포럼 전경"
    from toolkit.sources.hwpx import embedded_image

    assert embedded_image(path.parent, image.src) == (tmp_path / "photo.png").read_bytes()
    assert back.attachments_title == "붙임"
    assert [b.text for b in back.attachments] == ["포럼 프로그램 1부"]


def test_package_structure_footer_and_fonts(tmp_path: Path) -> None:
    data = render_hwpx(sample_release(tmp_path), STYLE)
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert archive.read("mimetype") == b"application/hwp+zip"
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    section = archive.read("Contents/section0.xml").decode("utf-8")
    header = archive.read("Contents/header.xml").decode("utf-8")
    assert "linesegarray" not in section
    footer = re.search(r"<hp:footer [^>]*applyPageType=\"BOTH\".*?</hp:footer>", section)
    assert footer is not None
    assert "ⓒ 창원특례시. 무단 전재 및 재배포 금지" in footer.group(0)
    assert 'numType="PAGE"' in footer.group(0)
    assert 'face="함초롬바탕"' in header and 'face="함초롬돋움"' in header
    hpf = archive.read("Contents/content.hpf").decode("utf-8")
    for name in archive.namelist():
        if name.startswith(("BinData/", "Contents/section")):
            assert f'href="{name}"' in hpf
    assert render_hwpx(sample_release(tmp_path), STYLE) == data


def test_python_hwpx_validates_and_both_readers_see_the_exact_text(tmp_path: Path) -> None:
    from hwp_hwpx_parser import Reader
    from hwpx.tools.package_validator import validate_editor_open_safety, validate_package
    from hwpx.tools.validator import validate_document

    release = sample_release(tmp_path)
    path = tmp_path / "x.hwpx"
    path.write_bytes(render_hwpx(release, STYLE))
    report = validate_document(str(path))
    assert report.ok and report.issues == ()  # no error, no schema warning either
    assert [i for i in validate_package(str(path)).issues if i.level == "error"] == []
    safety = validate_editor_open_safety(str(path))
    assert safety.blocking_package_errors == () and safety.reopen_ok
    paragraphs = reference_paragraphs(path)
    expected = [
        "창원특례시, ‘K-방산 미래혁신 포럼’ 개최",
        "- 방산 수출 전략 논의 -",
        "행사 내용",
        "창원특례시는 5일 포럼을 열었다. 자세한 내용은 누리집.",
        "1. 첫째 항목",
        "2. 둘째 항목",
        "○ 하위 항목",  # the house style's second-level bullet, as the DOCX shows it
        "“방산 수출의 길을 열겠다”",
        "< 참가 기업 >",  # the house table caption template
        "중소기업",
        "28",
        "포럼 전경",
        "마지막 문단\n두 번째 줄",
        "방산항공과",
        "과장 김철수",
        "055-225-2001\nlee@changwon.go.kr",
        "2026. 11. 5.(목) 조간",
        "2026. 11. 4.(수) 14:00",
        "포럼 프로그램 1부",
        "ⓒ 창원특례시. 무단 전재 및 재배포 금지",
    ]
    assert [p for p in expected if p not in paragraphs] == []
    with Reader(str(path)) as reader:
        text = reader.text
    # hwp-hwpx-parser joins a paragraph's lines without the break
    assert [p for p in expected if p.replace("\n", "") not in text.replace("\n", "")] == []


def test_english_release_uses_the_newswire_layout(tmp_path: Path) -> None:
    release = Release(
        meta=Meta(
            title="Changwon Hosts K-Defense Forum",
            lang="en",
            dateline="Changwon",
            date=dt.date(2026, 11, 5),
            contact="Kim Min-su, +82-55-225-2000",
        ),
        body=(Block("paragraph", "The city hosted a forum."),),
    )
    path = tmp_path / "r.hwpx"
    path.write_bytes(render_hwpx(release, STYLE))
    paragraphs = [p for p in reference_paragraphs(path) if p]
    assert paragraphs == [
        "FOR IMMEDIATE RELEASE",  # the first paragraph carries the footer control:
        "© 2026 Changwon Special City. All rights reserved.",
        "Page  of ",  # python-hwpx shows no text for the page-number fields
        "Changwon Hosts K-Defense Forum",
        "CHANGWON, South Korea, Nov. 5, 2026 — The city hosted a forum.",
        "Media contact",
        "Kim Min-su, +82-55-225-2000",
        "###",
    ]
    back = load_release(path).release
    assert (back.meta.title, back.meta.date, back.meta.dateline) == (
        "Changwon Hosts K-Defense Forum",
        dt.date(2026, 11, 5),
        "CHANGWON",
    )
    assert back.meta.contact == "Kim Min-su, +82-55-225-2000"
    assert [b.text for b in back.body] == ["The city hosted a forum."]


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_hwpx_to_presspack_to_hwpx_keeps_every_paragraph_and_cell(path: Path, tmp_path: Path) -> None:
    first = load_release(path).release
    out = tmp_path / path.name
    out.write_bytes(render_hwpx(first, STYLE))
    second = load_release(out).release

    def cells(release: Release) -> list[str]:
        # a header row is bold by its look: compare its cells' visible text
        return [
            plain(t) if b.kind == "table" else t
            for b in (*release.body, *release.attachments)
            if b.kind != "image"
            for t in b.texts()
        ]

    assert cells(second) == cells(first)
    assert second.meta.title == first.meta.title
    assert len([b for b in second.body if b.kind == "image"]) == len(
        [b for b in first.body if b.kind == "image"]
    )


safe_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: unicodedata.normalize("NFC", s))
    .filter(lambda s: s.strip() == s and s.strip() != "" and not _END_MARK_RE.match(s))
)
# every reader hands the pipeline NFC text, so that is what the writer gets; an end mark
# line (###, -끝-) is the end of the release by convention, not body text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    paragraphs=st.lists(safe_text, min_size=1, max_size=6), cells=st.lists(safe_text, min_size=2, max_size=6)
)
def test_property_any_text_survives_the_round_trip(
    tmp_path: Path, paragraphs: list[str], cells: list[str]
) -> None:
    from toolkit.core.inline import escape

    body = tuple(Block("paragraph", escape(" ".join(p.split()))) for p in paragraphs)
    half = len(cells) // 2
    rows = (tuple(escape(c) for c in cells[:half]), tuple(escape(c) for c in cells[half : half * 2]))
    release = Release(
        meta=Meta(title="제목", lang="ko", date=dt.date(2026, 1, 2), organization="기관", copyright="ⓒ 기관"),
        body=(*body, Block("table", rows=rows)),
    )
    path = tmp_path / "p.hwpx"
    path.write_bytes(render_hwpx(release, STYLE))
    back = read_hwpx(path)
    got = [plain(t) for b in back.blocks for t in b.texts()]
    want = [plain(t) for b in release.body for t in b.texts()]
    # a paragraph that looks like a layout line (a date, a sender) is still body text
    assert got == want


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("&<>\"'\n\r\ta가 ;#")) | st.characters(), max_size=40))
def test_xml_escapes_are_the_standard_librarys(value: str) -> None:
    from xml.sax.saxutils import escape, quoteattr

    from toolkit.render import hwpx

    assert hwpx._text(value) == escape(value)
    assert hwpx._attr(value) == quoteattr(value)
