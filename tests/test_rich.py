"""Rich release content in DOCX and PDF: emphasis, links, lists, tables, photos, fonts inside the DOCX.

Read back the way a reader would meet it: the DOCX XML and python-docx,
pdftotext/pdfimages/pypdf for the PDF, LibreOffice on a machine without a
Korean font for the embedded fonts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from toolkit.core.document import Block, Meta, Release
from toolkit.core.errors import RenderError
from toolkit.core.inline import Span, escape, plain, to_inline
from toolkit.render.docx import render_docx
from toolkit.render.docx_fonts import deobfuscate, font_key, obfuscate
from toolkit.render.layout import column_widths
from toolkit.render.pdf import render_pdf
from toolkit.render.style import HouseStyle, load_style

REPO = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")

LINK = "https://www.changwon.go.kr/forum?id=5&lang=ko"
CAPTION = "홍남표 시장(왼쪽 세 번째)이 참석자들과 기념 촬영을 하고 있다"
BUDGET = (
    ("구분", "예산", "비고"),
    ("국비", "60억 원", "**확정**"),
    ("시비", "40억 원", "[공고](https://www.changwon.go.kr/notice)"),
)


@pytest.fixture(scope="module")
def style() -> HouseStyle:
    return load_style(REPO / "templates")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release folder with a photo (a JPEG, embedded byte for byte)."""
    root = tmp_path_factory.mktemp("release")
    image = Image.new("RGB", (1200, 800), (20, 80, 150))
    for x in range(0, 1200, 40):
        for y in range(800):
            image.putpixel((x, y), (240, 240, 240))
    image.save(root / "forum.jpg", format="JPEG", quality=85)
    return root


def korean(folder: Path, **meta: object) -> Release:
    fields: dict[str, object] = {
        "title": "창원특례시, ‘K-방산 미래혁신 포럼’ 개최",
        "lang": "ko",
        "subtitle": "방산 중소기업 28개사 제품 전시",
        "date": dt.date(2026, 11, 5),
        "department": "방위산업과",
        "manager": "과장 김철수",
        "manager_phone": "055-225-2000",
        "contact_person": "주무관 김하늘",
        "contact_phone": "055-225-2001",
        "release_time": "2026. 11. 5.(목) 조간",
        "distribution": "배포 즉시",
    }
    fields.update(meta)
    return Release(
        meta=Meta(**fields),  # type: ignore[arg-type]
        body=(
            Block(
                "paragraph",
                f"창원특례시는 **5일** *K-방산* 포럼을 [열었다]({LINK}). 명령은 `presspack build`.",
                line=14,
            ),
            Block("list_item", "제1세션: 수출 전략", line=16, ordered=True, number=1),
            Block("list_item", "제2세션: 상생 전략", line=17, ordered=True, number=2),
            Block("list_item", "유·무인 복합체계", line=18, level=1),
            Block("list_item", "부대 전시", line=19, ordered=True, number=3),
            Block("quote", "방산 수출의 새 길을 열겠다.", line=21),
            Block("table", "2026년 예산", rows=BUDGET, align=("", "right", "center"), line=23),
            Block("image", CAPTION, src="forum.jpg", title="기념 촬영", line=28),
            Block("paragraph", escape("원문 표기: <b>굵게</b> &amp; **별표**"), line=30),
        ),
        attachments=(Block("list_item", "포럼 개요 1부.", ordered=True, number=1, line=34),),
        attachments_title="붙임",
        source_path=str(folder / "release.ko.md"),
    )


def english(folder: Path) -> Release:
    return Release(
        meta=Meta(
            title="Changwon hosts K-Defense Future Innovation Forum",
            lang="en",
            date=dt.date(2026, 11, 5),
            dateline="CHANGWON",
            department="Defense Industry Division",
            contact_person="Kim Ha-neul, Assistant Director",
            contact_phone="+82-55-225-2001",
            contact_email="defense@changwon.go.kr",
        ),
        body=(
            Block(
                "paragraph", f"The city held the *K-Defense* forum on **Nov. 5** ([program]({LINK})).", line=9
            ),
            Block("list_item", "Export strategy", line=11),
            Block("list_item", "Parts localization", line=12, level=1),
            Block("table", "Budget", rows=(("Item", "Amount"), ("National", "6 billion won")), line=14),
            Block(
                "image", "Mayor Hong Nam-pyo (third from left) with participants", src="forum.jpg", line=18
            ),
        ),
        source_path=str(folder / "release.en.md"),
    )


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rels(xml: bytes) -> dict[str, tuple[str, str, str]]:
    root = ET.fromstring(xml)
    return {r.get("Id", ""): (r.get("Type", ""), r.get("Target", ""), r.get("TargetMode", "")) for r in root}


def text_of(el: ET.Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


# ----------------------------------------------------------------- DOCX inline


def test_docx_runs_and_real_hyperlinks(style: HouseStyle, folder: Path) -> None:
    files = parts(render_docx(korean(folder), style))
    body = ET.fromstring(files["word/document.xml"]).find(f"{W}body")
    assert body is not None
    para = next(p for p in body.iter(f"{W}p") if text_of(p).startswith("창원특례시는"))
    assert text_of(para) == "창원특례시는 5일 K-방산 포럼을 열었다. 명령은 presspack build."
    runs = {text_of(r): r for r in para.iter(f"{W}r")}
    assert runs["5일"].find(f"{W}rPr/{W}b") is not None
    assert runs["5일"].find(f"{W}rPr/{W}i") is None
    assert runs["K-방산"].find(f"{W}rPr/{W}i") is not None
    assert runs["presspack build"].find(f"{W}rPr/{W}shd") is not None  # code: tinted
    links = list(para.iter(f"{W}hyperlink"))
    assert [text_of(link) for link in links] == ["열었다"]
    target = rels(files["word/_rels/document.xml.rels"])[links[0].get(f"{R}id", "")]
    assert target == (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        LINK,
        "External",
    )
    # a link inside a table cell is a hyperlink too
    cell_links = [text_of(h) for t in body.iter(f"{W}tbl") for h in t.iter(f"{W}hyperlink")]
    assert cell_links == ["공고"]


def test_docx_markup_like_text_prints_literally(style: HouseStyle, folder: Path) -> None:
    document = docx.Document(io.BytesIO(render_docx(korean(folder), style)))
    texts = [p.text for p in document.paragraphs]
    assert "원문 표기: <b>굵게</b> &amp; **별표**" in texts
    xml = parts(render_docx(korean(folder), style))["word/document.xml"].decode()
    assert "<b>" not in xml


# ----------------------------------------------------------------- DOCX blocks


def test_docx_lists_use_word_numbering_restarting_per_list(style: HouseStyle, folder: Path) -> None:
    files = parts(render_docx(korean(folder), style))
    body = ET.fromstring(files["word/document.xml"]).find(f"{W}body")
    assert body is not None
    items = []
    for p in body.iter(f"{W}p"):
        num = p.find(f"{W}pPr/{W}numPr")
        if num is not None:
            items.append(
                (text_of(p), num.find(f"{W}ilvl").get(f"{W}val"), num.find(f"{W}numId").get(f"{W}val"))
            )  # type: ignore[union-attr]
    assert [(t, lvl) for t, lvl, _ in items] == [
        ("제1세션: 수출 전략", "0"),
        ("제2세션: 상생 전략", "0"),
        ("유·무인 복합체계", "1"),
        ("부대 전시", "0"),
        ("포럼 개요 1부.", "0"),
    ]
    ids = [n for _, _, n in items]
    assert ids[0] == ids[1] == ids[3]  # one list: 1., 2., (nested), 3.
    assert len({ids[0], ids[2], ids[4]}) == 3  # the sub-list and the 붙임 list are their own
    numbering = ET.fromstring(files["word/numbering.xml"])
    nums = {n.get(f"{W}numId"): n for n in numbering.iter(f"{W}num")}
    abstracts = {a.get(f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}

    def level_format(num_id: str, level: int) -> tuple[str, str]:
        abstract_id = nums[num_id].find(f"{W}abstractNumId").get(f"{W}val")  # type: ignore[union-attr]
        lvl = abstracts[abstract_id].find(f"{W}lvl[@{W}ilvl='{level}']")
        assert lvl is not None
        return lvl.find(f"{W}numFmt").get(f"{W}val"), lvl.find(f"{W}lvlText").get(f"{W}val")  # type: ignore[union-attr,return-value]

    assert level_format(ids[0], 0) == ("decimal", "%1.")
    assert level_format(ids[2], 1) == ("bullet", "○")  # 개조식: □ → ○
    start = nums[ids[4]].find(f"{W}lvlOverride/{W}startOverride")
    assert start is not None and start.get(f"{W}val") == "1"


def test_docx_table_with_repeated_header_and_caption(style: HouseStyle, folder: Path) -> None:
    data = render_docx(korean(folder), style)
    document = docx.Document(io.BytesIO(data))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert [[plain(c) for c in row] for row in BUDGET] in tables
    index = tables.index([[plain(c) for c in row] for row in BUDGET])
    table = document.tables[index]._tbl
    rows = table.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    header_cell = rows[0].find(f"{W}tc")
    assert header_cell is not None and header_cell.find(f"{W}tcPr/{W}shd") is not None
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in header_cell.iter(f"{W}r"))
    jc = rows[1].findall(f"{W}tc")[1].find(f"{W}p/{W}pPr/{W}jc")
    assert jc is not None and jc.get(f"{W}val") == "right"
    caption = table.getprevious()
    assert caption is not None and text_of(caption) == "< 2026년 예산 >"  # the 보도자료 caption form


def test_docx_photo_inline_scaled_with_caption_and_alt_text(style: HouseStyle, folder: Path) -> None:
    data = render_docx(korean(folder), style)
    files = parts(data)
    media = [n for n in files if n.startswith("word/media/")]
    assert media == ["word/media/image1.jpg"]
    assert files[media[0]] == (folder / "forum.jpg").read_bytes()  # byte for byte
    body = ET.fromstring(files["word/document.xml"]).find(f"{W}body")
    assert body is not None
    inline = next(body.iter(f"{WP}inline"))
    doc_pr = inline.find(f"{WP}docPr")
    assert doc_pr is not None
    assert doc_pr.get("descr") == CAPTION and doc_pr.get("title") == "기념 촬영"
    extent = inline.find(f"{WP}extent")
    assert extent is not None
    text_width_emu = (210 - 22 - 22) * 36000
    assert int(extent.get("cx", "0")) == text_width_emu
    assert int(extent.get("cy", "0")) == round(text_width_emu * 800 / 1200)
    paragraphs = [p for p in body if p.tag == f"{W}p"]
    photo_at = next(i for i, p in enumerate(paragraphs) if next(p.iter(f"{WP}inline"), None) is not None)
    assert text_of(paragraphs[photo_at + 1]) == CAPTION
    style_el = paragraphs[photo_at + 1].find(f"{W}pPr/{W}pStyle")
    assert style_el is not None and style_el.get(f"{W}val") == "Caption"


def test_docx_korean_layout_follows_the_conventions(style: HouseStyle, folder: Path) -> None:
    document = docx.Document(io.BytesIO(render_docx(korean(folder), style)))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert tables[0] == [["보도자료", "창원특례시"]]
    assert tables[1] == [["보도시점", "2026. 11. 5.(목) 조간", "배포", "배포 즉시"]]
    assert tables[-1] == [
        ["담당 부서", "방위산업과", "책임자", "과장 김철수", "055-225-2000"],
        ["담당 부서", "방위산업과", "담당자", "주무관 김하늘", "055-225-2001"],  # merged cells read twice
    ]
    body = document.element.body
    order = ["tbl" if el.tag == f"{W}tbl" else text_of(el) for el in body if el.tag in (f"{W}p", f"{W}tbl")]
    order = [x for x in order if x]
    contact_at = len(order) - 1 - order[::-1].index("tbl")
    assert order[contact_at + 1 :] == ["붙임", "포럼 개요 1부."]  # contact table, then 붙임


def test_english_media_contact_from_structured_keys(style: HouseStyle, folder: Path) -> None:
    document = docx.Document(io.BytesIO(render_docx(english(folder), style)))
    texts = [p.text for p in document.paragraphs]
    at = texts.index("Media contact")
    assert texts[at + 1] == (
        "Kim Ha-neul, Assistant Director\nDefense Industry Division, Changwon Special City\n"
        "+82-55-225-2001\ndefense@changwon.go.kr"
    )
    assert texts[-1] == "###"
    assert "Mayor Hong Nam-pyo (third from left) with participants" in texts


# ----------------------------------------------------------------- fonts inside the DOCX


def test_obfuscation_is_the_ecma_376_xor_and_its_own_inverse() -> None:
    data = bytes(range(64)) * 4
    key = "{6C2D3C3B-9F1E-4A5C-8B7D-0123456789AB}"
    mask = bytes.fromhex("6C2D3C3B9F1E4A5C8B7D0123456789AB")[::-1]
    out = obfuscate(data, key)
    assert out[:16] == bytes(a ^ b for a, b in zip(data[:16], mask, strict=True))
    assert out[16:32] == bytes(a ^ b for a, b in zip(data[16:32], mask, strict=True))
    assert out[32:] == data[32:]
    assert deobfuscate(out, key) == data
    assert font_key(data) == font_key(bytes(data)) != font_key(data[::-1])


def test_docx_embeds_subset_fonts(style: HouseStyle, folder: Path) -> None:
    from fontTools.ttLib import TTFont

    release = korean(folder)
    files = parts(render_docx(release, style))
    table = ET.fromstring(files["word/fontTable.xml"])
    font_rels = rels(files["word/_rels/fontTable.xml.rels"])
    embedded: dict[tuple[str, str], TTFont] = {}
    for font in table.iter(f"{W}font"):
        for kind in ("embedRegular", "embedBold"):
            el = font.find(f"{W}{kind}")
            assert el is not None, (font.get(f"{W}name"), kind)
            _, target, _ = font_rels[el.get(f"{R}id", "")]
            odttf = files["word/" + target]
            assert target.endswith(".odttf")
            raw = deobfuscate(odttf, el.get(f"{W}fontKey", ""))
            assert raw[:4] == b"\x00\x01\x00\x00"  # TrueType, once the GUID key is applied
            assert odttf[:4] != raw[:4]
            embedded[(font.get(f"{W}name", ""), kind)] = TTFont(io.BytesIO(raw))
    assert set(embedded) == {("Noto Sans KR", "embedRegular"), ("Noto Sans KR", "embedBold")}
    regular = embedded[("Noto Sans KR", "embedRegular")]
    assert regular["name"].getDebugName(1) == "Noto Sans KR"
    cmap = regular.getBestCmap()
    used = set(release.meta.title + plain(release.body[0].text) + CAPTION + "보도자료담당부서책임자")
    assert {ord(c) for c in used if not c.isspace()} <= set(cmap)
    assert len(cmap) < 600  # a subset, not the 11,000 Hangul syllables
    assert "<w:embedTrueTypeFonts/>" in files["word/settings.xml"].decode()
    content_types = files["[Content_Types].xml"].decode()
    assert 'Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"' in (
        content_types
    )


def test_docx_english_embeds_both_families(style: HouseStyle, folder: Path) -> None:
    files = parts(render_docx(english(folder), style))
    table = ET.fromstring(files["word/fontTable.xml"])
    assert [f.get(f"{W}name") for f in table.iter(f"{W}font")] == ["Noto Sans", "Noto Sans KR"]
    assert len([n for n in files if n.endswith(".odttf")]) == 4


def _no_korean_fonts_env(tmp_path: Path) -> dict[str, str]:
    """The system's fonts minus every font covering Korean, and a fresh LibreOffice profile.

    (LibreOffice will not start without any font; a machine without Korean
    fonts is what this builds.)
    """
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir>"
        '<selectfont><rejectfont><pattern><patelt name="lang"><string>ko</string></patelt>'
        "</pattern></rejectfont></selectfont></fontconfig>",
        "utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update({"FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8"})
    return env


@needs_soffice
@needs_poppler
def test_libreoffice_without_korean_fonts_renders_the_embedded_noto_sans_kr(
    style: HouseStyle, folder: Path, tmp_path: Path
) -> None:
    env = _no_korean_fonts_env(tmp_path)
    listed = subprocess.run(["fc-list", ":lang=ko"], env=env, capture_output=True, text=True)
    assert listed.stdout.strip() == ""  # really no Korean font for LibreOffice to fall back on
    release = korean(folder)
    path = tmp_path / "release.ko.docx"
    path.write_bytes(render_docx(release, style))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        env=env,
        capture_output=True,
        timeout=240,
        check=True,
    )
    pdf = tmp_path / "release.ko.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert {"NotoSansKR-Regular", "NotoSansKR-Bold"} <= names
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squashed = "".join(text.split())
    for needle in (release.meta.title, CAPTION, "담당부서", "과장김철수", "< 2026년 예산 >"):
        assert "".join(needle.split()) in squashed
    assert "1.제1세션" in squashed and "3.부대전시" in squashed  # Word numbering, as LibreOffice lays it out


# ----------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def ko_pdf(style: HouseStyle, folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "ko.pdf"
    path.write_bytes(render_pdf(korean(folder), style))
    return path


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_poppler
def test_pdf_text_lists_table_caption_and_literal_markup(ko_pdf: Path) -> None:
    text = pdftotext(ko_pdf, "-layout")
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert "창원특례시는 5일 K-방산 포럼을 열었다. 명령은 presspack build." in lines
    assert "1. 제1세션: 수출 전략" in lines
    assert "2. 제2세션: 상생 전략" in lines
    assert "○ 유·무인 복합체계" in lines
    assert "3. 부대 전시" in lines
    assert "< 2026년 예산 >" in lines
    assert "원문 표기: <b>굵게</b> &amp; **별표**" in lines
    assert CAPTION in lines
    assert "보도시점 2026. 11. 5.(목) 조간 배포 배포 즉시" in lines


@needs_poppler
def test_pdf_links_are_clickable_and_images_embedded(ko_pdf: Path) -> None:
    reader = PdfReader(str(ko_pdf))
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", []) or []
        if annot.get_object().get("/Subtype") == "/Link"
    ]
    assert uris == [LINK, "https://www.changwon.go.kr/notice"]
    listing = subprocess.run(["pdfimages", "-list", str(ko_pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert [(r[3], r[4], r[8]) for r in rows] == [("1200", "800", "jpeg")]  # the JPEG, not re-encoded


@needs_poppler
def test_pdf_long_table_splits_with_the_header_repeated(
    style: HouseStyle, folder: Path, tmp_path: Path
) -> None:
    rows = (("항목", "금액"), *((f"사업 {i}", f"{i}억 원") for i in range(1, 121)))
    release = dataclasses.replace(
        korean(folder), body=(Block("table", "사업별 예산", rows=rows, line=5),), attachments=()
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(release, style))
    pages = len(PdfReader(str(path)).pages)
    assert pages >= 3
    table_pages = 0
    seen: list[str] = []
    for page in range(1, pages + 1):
        lines = [
            " ".join(x.split())
            for x in pdftotext(path, "-layout", "-f", str(page), "-l", str(page)).splitlines()
        ]
        cells = [x for x in lines if x.startswith("사업 ")]
        if cells:
            table_pages += 1
            assert "항목 금액" in lines  # the header row on every page the table reaches
        seen += cells
    assert table_pages >= 2
    assert seen == [f"사업 {i} {i}억 원" for i in range(1, 121)]  # every row once, in order


def test_pdf_escapes_hostile_link_targets(style: HouseStyle, folder: Path) -> None:
    evil = 'https://x.kr/"><font size=90>boom</font>'
    text = to_inline([Span("누르기", href=evil), Span(" 끝")])
    release = dataclasses.replace(korean(folder), body=(Block("paragraph", text, line=3),), attachments=())
    reader = PdfReader(io.BytesIO(render_pdf(release, style)))
    page = reader.pages[0]
    assert "누르기 끝" in " ".join(page.extract_text().split())
    assert "boom" not in page.extract_text()
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert uris == [evil]  # the whole target, as one attribute


# ----------------------------------------------------------------- photos: bad input


def test_missing_photo_is_an_error_with_file_and_line(style: HouseStyle, folder: Path) -> None:
    release = dataclasses.replace(korean(folder), body=(Block("image", "캡션", src="nope.jpg", line=12),))
    for render in (render_docx, render_pdf):
        with pytest.raises(RenderError) as info:
            render(release, style)
        problem = info.value.problems[0]
        assert (problem.file, problem.line) == (str(folder / "release.ko.md"), 12)
        assert problem.what == "photo 'nope.jpg' not found"


def test_determinism_with_photos_and_fonts(style: HouseStyle, folder: Path) -> None:
    from toolkit.render.docx_fonts import subset_font

    release = korean(folder)
    first = render_docx(release, style)
    subset_font.cache_clear()  # subset the fonts again, not from the in-process cache
    assert render_docx(release, style) == first
    assert render_pdf(release, style) == render_pdf(release, style)


def test_column_widths_follow_the_content() -> None:
    widths = column_widths(
        (("시간", "프로그램", "장소"), ("14:00", "방산 중소기업 28개사 제품 전시", "전시장")), 166.0
    )
    assert sum(widths) == pytest.approx(166.0)
    assert widths[1] > widths[0] and widths[1] > widths[2]
    assert min(widths) >= 166.0 / 3 / 2 - 1e-9  # a short column keeps half an equal share


# ----------------------------------------------------------------- nothing lost, whatever the markup


@st.composite
def rich_text(draw: st.DrawFn) -> str:
    words = st.text(alphabet="가나창원 abcXY09.,&<>*_[]()`#\\", min_size=1, max_size=6)
    runs = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["plain", "bold", "italic", "code", "link"]))
        text = draw(words)
        if kind == "code":
            runs.append(Span(text.strip() or "x", code=True))
        elif kind == "link":
            runs.append(Span(text, href="https://www.changwon.go.kr/a?b=1&c=<2>"))
        else:
            runs.append(Span(text, bold=kind == "bold", italic=kind == "italic"))
        runs.append(Span(" "))
    return to_inline(runs)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=rich_text())
def test_docx_and_pdf_print_every_visible_character(text: str) -> None:
    style = load_style(REPO / "templates")
    release = Release(meta=Meta(title="T", lang="ko"), body=(Block("paragraph", text, line=1),))
    body = ET.fromstring(parts(render_docx(release, style, embed_fonts=False))["word/document.xml"])
    shown = [text_of(p) for p in body.iter(f"{W}p")]
    assert "".join(plain(text).split()) in ["".join(s.split()) for s in shown]
    pdf_text = PdfReader(io.BytesIO(render_pdf(release, style))).pages[0].extract_text()
    assert "".join(plain(text).split()) in "".join(pdf_text.split())


# ----------------------------------------------------------------- DOCX sources


def test_a_docx_presspack_wrote_reads_back_as_the_release(
    style: HouseStyle, folder: Path, tmp_path: Path
) -> None:
    from toolkit.sources import load_release

    for release in (korean(folder), english(folder)):
        path = tmp_path / f"back.{release.lang}.docx"
        shutil.copy(folder / "forum.jpg", tmp_path / "forum.jpg")
        path.write_bytes(render_docx(release, style))
        back = load_release(path).release
        body = list(release.body)

        def shape(b: Block) -> tuple[object, ...]:
            src = "forum.jpg" if b.src else ""
            return (
                b.kind,
                b.text,
                b.level if b.kind != "heading" else 2,
                b.ordered,
                b.number,
                b.rows,
                src,
                b.title,
            )

        got = [shape(dataclasses.replace(b, src="forum.jpg" if b.src else "")) for b in back.body]
        assert got == [shape(b) for b in body]
        # the 붙임 heading starts the attachments section, as in Markdown
        assert back.attachments_title == ("붙임" if release.attachments else "")
        assert [shape(b) for b in back.attachments] == [shape(b) for b in release.attachments]
        assert (
            back.body[[b.kind for b in back.body].index("image")].src == f"{path.name}#word/media/image1.jpg"
        )
        meta = release.meta
        keys = (
            "title",
            "subtitle",
            "department",
            "manager",
            "manager_phone",
            "contact_person",
            "contact_phone",
        )
        if release.lang == "ko":
            assert [getattr(back.meta, k) for k in (*keys, "release_time", "distribution")] == [
                getattr(meta, k) for k in (*keys, "release_time", "distribution")
            ]
            assert back.meta.organization == "창원특례시"
        else:
            assert (back.meta.title, back.meta.dateline, back.meta.date) == (
                meta.title,
                "CHANGWON",
                meta.date,
            )
            assert back.meta.contact.split("\n")[0] == "Kim Ha-neul, Assistant Director"


def test_docx_typed_in_word_keeps_formatting_lists_tables_and_pictures(tmp_path: Path) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from toolkit.sources import load_release

    d = docx.Document()
    d.add_paragraph("창원시, 포럼 개최", style="Title")
    p = d.add_paragraph("시는 ")
    p.add_run("5일").bold = True
    p.add_run(" 포럼을 ")
    p.add_run("성대하게").italic = True
    p.add_run(" 열었다. 자세한 내용은 ")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), d.part.relate_to("https://www.changwon.go.kr", RT.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "누리집"
    run.append(text)
    link.append(run)
    p._p.append(link)
    p.add_run("에 있다. 1 < 2 & **별표**")
    d.add_paragraph("개회", style="List Number")
    d.add_paragraph("토론", style="List Number")
    d.add_paragraph("전시", style="List Bullet")
    if "Caption" not in [s.name for s in d.styles]:
        d.styles.add_style("Caption", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("표: 일정", style="Caption")
    table = d.add_table(rows=2, cols=2)
    for r, row in enumerate((("시간", "내용"), ("14:00", "개회"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    photo = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(photo, format="PNG")
    d.add_picture(io.BytesIO(photo.getvalue()))
    d.add_paragraph("참석자들이 기념 촬영을 하고 있다", style="Caption")
    path = tmp_path / "word.docx"
    d.save(str(path))
    release = load_release(path).release
    assert release.meta.title == "창원시, 포럼 개최"
    kinds = [
        (b.kind, b.text, b.ordered, b.number) for b in release.body if b.kind in ("paragraph", "list_item")
    ]
    assert kinds == [
        (
            "paragraph",
            "시는 **5일** 포럼을 *성대하게* 열었다. 자세한 내용은 "
            "[누리집](https://www.changwon.go.kr)에 있다. 1 < 2 & \\*\\*별표\\*\\*",
            False,
            0,
        ),
        ("list_item", "개회", True, 1),
        ("list_item", "토론", True, 2),  # a numbered style without Word numbering: counted in a row
        ("list_item", "전시", False, 0),
    ]
    table_block = next(b for b in release.body if b.kind == "table")
    assert (table_block.text, table_block.rows) == ("일정", (("시간", "내용"), ("14:00", "개회")))
    image = next(b for b in release.body if b.kind == "image")
    assert image.text == "참석자들이 기념 촬영을 하고 있다"
    assert image.src.startswith("word.docx#word/media/") and image.src.endswith(".png")


def test_a_picture_inside_a_docx_that_cannot_be_embedded_is_left_out_with_a_warning(tmp_path: Path) -> None:
    from toolkit.sources import load_release

    d = docx.Document()
    d.add_paragraph("제목", style="Title")
    d.add_paragraph("본문이다.")
    photo = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(photo, format="PNG")
    d.add_picture(io.BytesIO(photo.getvalue()))
    path = tmp_path / "word.docx"
    d.save(str(path))
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    media = next(n for n in members if n.startswith("word/media/"))
    members[media] = b"\x01\x00\x00\x00 an EMF logo, not a photo"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    loaded = load_release(path)
    assert [b.kind for b in loaded.release.body] == ["paragraph"]
    assert [w.severity for w in loaded.warnings] == ["warning"]
    assert loaded.warnings[0].what.endswith("is not a readable PNG, JPEG or WebP image; it was left out")


def test_pdf_photos_embedded_once_each_jpeg_as_its_own_bytes(style: HouseStyle, folder: Path) -> None:
    """A JPEG goes into the PDF as its file (DCTDecode), a PNG as its pixels; the same photo
    shown twice is one image object; two different JPEGs are two."""
    Image.new("RGB", (300, 200), (200, 30, 30)).save(folder / "other.jpg", format="JPEG", quality=90)
    Image.new("RGB", (64, 48), (10, 160, 60)).save(folder / "chart.png")
    photos = ("forum.jpg", "other.jpg", "forum.jpg", "chart.png")
    release = dataclasses.replace(
        korean(folder),
        body=tuple(Block("image", f"사진 {i}", src=src, line=20 + i) for i, src in enumerate(photos)),
        attachments=(),
    )
    reader = PdfReader(io.BytesIO(render_pdf(release, style)))
    images: dict[int, object] = {}  # object number → image, over every page
    for page in reader.pages:
        for ref in page["/Resources"].get("/XObject", {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                images[ref.idnum] = obj
    assert len(images) == 3  # forum.jpg once
    by_size = {(int(o["/Width"]), int(o["/Height"])): o for o in images.values()}  # type: ignore[index]
    assert sorted(by_size) == [(64, 48), (300, 200), (1200, 800)]
    for size, file in (((1200, 800), "forum.jpg"), ((300, 200), "other.jpg")):
        assert by_size[size]["/Filter"] == ["/DCTDecode"]  # type: ignore[index]
        assert by_size[size].get_data() == (folder / file).read_bytes()  # type: ignore[attr-defined]
    png = by_size[(64, 48)]
    assert "/DCTDecode" not in png["/Filter"]  # type: ignore[index,operator]
    assert png.get_data()[:6] == bytes((10, 160, 60)) * 2  # type: ignore[attr-defined]  # its pixels
