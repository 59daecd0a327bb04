"""DOCX output (read back as raw XML and through python-docx), plus the house
style loader and the wording shared by both renderers (dateline, footer, …)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest

from toolkit.core.document import Block, Meta, Release
from toolkit.core.errors import PresspackError, RenderError
from toolkit.core.inline import escape
from toolkit.render.docx import render_docx
from toolkit.render.layout import dateline_text, footer_text, ko_release_time, layout, release_line_text
from toolkit.render.style import HouseStyle, load_style, style_fingerprint

REPO = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKUP = 'K9 & <img src="/etc/passwd"/> <font size=40>big</font> &amp; literal'
ACCENTS = "Łódź, Zürich, Ångström, naïve, São Paulo"


def english(**meta: object) -> Release:
    fields: dict[str, object] = {
        "title": "Changwon signs defense MOU with Łódź",
        "lang": "en",
        "subtitle": "Partners from Zürich join",
        "date": dt.date(2026, 11, 5),
        "dateline": "Changwon",
        "contact": "Kim Min-ji\n+82-55-225-0000",
    }
    fields.update(meta)
    return Release(
        meta=Meta(**fields),  # type: ignore[arg-type]
        body=(
            Block("heading", escape("Overview"), level=2, line=7),
            Block("paragraph", escape(f"The city signed agreements with {ACCENTS}."), line=8),
            Block("list_item", escape(MARKUP), line=9),
            Block("quote", escape("“We are proud,” the mayor said."), line=10),
            Block("paragraph", escape("More details follow."), line=11),
        ),
        about=(Block("paragraph", escape("Changwon is the capital of South Gyeongsang Province.")),),
        about_title="About Changwon Special City",
        source_path="releases/mou.en.md",
    )


def korean(**meta: object) -> Release:
    fields: dict[str, object] = {
        "title": "창원특례시, 방산 클러스터 업무협약 체결",
        "lang": "ko",
        "subtitle": "지역 기업 20곳 참여",
        "date": dt.date(2026, 11, 5),
        "department": "홍보담당관",
        "contact": "김민지 주무관\n055-225-0000",
    }
    fields.update(meta)
    return Release(
        meta=Meta(**fields),  # type: ignore[arg-type]
        body=(
            Block("paragraph", escape("창원특례시는 5일 업무협약을 체결했다고 밝혔다."), line=8),
            Block("list_item", escape("K9 자주포 & <b>굵게</b> 수출"), line=9),
        ),
        about=(
            Block("heading", escape("창원특례시 소개"), level=2),
            Block("paragraph", escape("경남 도청 소재지.")),
        ),
        about_title="창원특례시 소개",
        source_path="releases/mou.ko.md",
    )


@pytest.fixture(scope="module")
def style() -> HouseStyle:
    return load_style(REPO / "templates")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def body_paragraphs(document_xml: bytes) -> list[str]:
    """Texts of the top-level body paragraphs (not table cells), in order."""
    root = ET.fromstring(document_xml)
    body = root.find(f"{W}body")
    assert body is not None
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.findall(f"{W}p")]


# ----------------------------------------------------------------- DOCX


def test_english_paragraphs_in_order(style: HouseStyle) -> None:
    xml = parts(render_docx(english(), style))["word/document.xml"]
    assert body_paragraphs(xml) == [
        "FOR IMMEDIATE RELEASE",
        "Changwon signs defense MOU with Łódź",
        "Partners from Zürich join",
        "Overview",
        f"CHANGWON, South Korea, Nov. 5, 2026 — The city signed agreements with {ACCENTS}.",
        MARKUP,
        "“We are proud,” the mayor said.",
        "More details follow.",
        "About Changwon Special City",
        "Changwon is the capital of South Gyeongsang Province.",
        "Media contact",
        "Kim Min-ji+82-55-225-0000",  # two runs separated by <w:br/>
        "###",
    ]


def test_styles_and_breaks_via_python_docx(style: HouseStyle) -> None:
    document = docx.Document(io.BytesIO(render_docx(english(), style)))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[1] == ("Title", "Changwon signs defense MOU with Łódź")
    assert styles[3] == ("Heading 2", "Overview")
    assert styles[5] == ("List Paragraph", MARKUP)
    assert styles[6][0] == "Quote"
    assert styles[11] == ("Normal", "Kim Min-ji\n+82-55-225-0000")
    dateline_para = document.paragraphs[4]
    assert dateline_para.runs[0].text == "CHANGWON, South Korea, Nov. 5, 2026 — "
    assert dateline_para.runs[0].bold is True
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.left_margin is not None
    assert section.page_width.mm == pytest.approx(210, abs=0.05)  # A4, stored in twips
    assert section.page_height.mm == pytest.approx(297, abs=0.05)
    assert section.left_margin.mm == pytest.approx(22, abs=0.05)


def test_footer_with_page_field_on_every_page(style: HouseStyle) -> None:
    data = render_docx(english(), style)
    files = parts(data)
    footers = [n for n in files if n.startswith("word/footer")]
    assert footers == ["word/footer1.xml"]
    root = ET.fromstring(files["word/footer1.xml"])
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    assert texts == ["© 2026 Changwon Special City. All rights reserved.", "Page 1 of 1"]
    instrs = [f.get(f"{W}instr") for f in root.iter(f"{W}fldSimple")]
    assert instrs == [" PAGE ", " NUMPAGES "]
    # One default footer and no separate first-page footer: Word repeats it on all pages.
    document = ET.fromstring(files["word/document.xml"])
    refs = list(document.iter(f"{W}footerReference"))
    assert [r.get(f"{W}type") for r in refs] == ["default"]
    assert next(document.iter(f"{W}titlePg"), None) is None
    via_docx = docx.Document(io.BytesIO(data)).sections[0].footer.paragraphs[0].text
    assert via_docx == "© 2026 Changwon Special City. All rights reserved."


def test_korean_footer_and_page_number(style: HouseStyle) -> None:
    root = ET.fromstring(parts(render_docx(korean(), style))["word/footer1.xml"])
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    assert texts == ["ⓒ 창원특례시. 무단 전재 및 재배포 금지", "- 1 -"]
    assert [f.get(f"{W}instr") for f in root.iter(f"{W}fldSimple")] == [" PAGE "]


def test_east_asian_fonts_and_languages(style: HouseStyle) -> None:
    for release, latin, lang in (
        (english(), "Noto Sans", "en-US"),
        (korean(), "Noto Sans KR", "ko-KR"),
    ):
        files = parts(render_docx(release, style))
        styles = ET.fromstring(files["word/styles.xml"])
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        assert defaults is not None
        rfonts = defaults.find(f"{W}rFonts")
        assert rfonts is not None
        assert rfonts.get(f"{W}eastAsia") == "Noto Sans KR"
        assert rfonts.get(f"{W}ascii") == latin
        assert rfonts.get(f"{W}asciiTheme") is None  # theme fonts would override
        lang_el = defaults.find(f"{W}lang")
        assert lang_el is not None
        assert (lang_el.get(f"{W}val"), lang_el.get(f"{W}eastAsia")) == (lang, "ko-KR")
        document = ET.fromstring(files["word/document.xml"])
        runs = list(document.iter(f"{W}r"))
        assert runs
        for run in runs:
            fonts = run.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None and fonts.get(f"{W}eastAsia") == "Noto Sans KR"
            run_lang = run.find(f"{W}rPr/{W}lang")
            assert run_lang is not None and run_lang.get(f"{W}val") == lang
        assert not any(el.get(f"{W}asciiTheme") for el in styles.iter(f"{W}rFonts"))


def test_korean_header_table(style: HouseStyle) -> None:
    """보도자료 layout (press-release-conventions.md): cover row, 보도시점/배포 row, title,
    body, boilerplate, then the contact table."""
    release = korean(embargo="2026-11-05T06:00:00+09:00")
    data = render_docx(release, style)
    document = docx.Document(io.BytesIO(data))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert tables == [
        [["보도자료", "창원특례시"]],
        [["보도시점", "2026. 11. 5.(목) 06:00 이후 보도", "배포", "2026. 11. 5.(목)"]],
        [["창원특례시, 방산 클러스터 업무협약 체결\n- 지역 기업 20곳 참여 -"]],  # the title box
        [["담당 부서", "홍보담당관", "담당자", "김민지 주무관", "055-225-0000"]],
    ]
    title_cell = document.tables[2].rows[0].cells[0]
    assert [(p.style.name, p.alignment) for p in title_cell.paragraphs] == [("Title", 1), ("Subtitle", 1)]
    assert [p for p in body_paragraphs(parts(data)["word/document.xml"]) if p] == [
        "창원특례시는 5일 업무협약을 체결했다고 밝혔다.",
        "K9 자주포 & <b>굵게</b> 수출",
        "창원특례시 소개",  # about_title, not repeated from about[0]
        "경남 도청 소재지.",
    ]
    body = ET.fromstring(parts(data)["word/document.xml"]).find(f"{W}body")
    assert body is not None
    order = [
        "tbl" if el.tag == f"{W}tbl" else "".join(t.text or "" for t in el.iter(f"{W}t"))
        for el in body
        if el.tag in (f"{W}p", f"{W}tbl")
    ]
    assert order[:3] == ["tbl", "tbl", "tbl"]
    assert [x for x in order if x][-2:] == ["경남 도청 소재지.", "tbl"]  # the contact table closes the body


def test_markup_is_escaped_text(style: HouseStyle) -> None:
    xml = parts(render_docx(english(), style))["word/document.xml"].decode()
    assert 'K9 &amp; &lt;img src="/etc/passwd"/&gt; &lt;font size=40&gt;big' in xml
    assert "&amp;amp; literal" in xml
    assert "<img" not in xml and "<font" not in xml
    assert "root:" not in xml  # nothing was read from /etc/passwd


def test_control_character_is_an_error(style: HouseStyle) -> None:
    release = english()
    bell = Block("paragraph", escape("bell\x07here"), line=33)
    release = dataclasses.replace(release, body=(*release.body, bell))
    with pytest.raises(RenderError) as info:
        render_docx(release, style)
    assert info.value.problems[0].file == "releases/mou.en.md"
    assert info.value.problems[0].line == 33
    assert "U+0007" in info.value.problems[0].what


def test_fixed_zip_and_core_properties(style: HouseStyle) -> None:
    data = render_docx(english(), style)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created == dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    assert props.modified == props.created
    assert props.last_modified_by == "presspack"
    assert props.revision == 1
    assert props.title == "Changwon signs defense MOU with Łódź"
    undated = docx.Document(io.BytesIO(render_docx(english(date=None), style)))
    assert undated.core_properties.created == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _hashes_in_subprocess(env: dict[str, str] | None = None) -> list[str]:
    code = (
        "import hashlib, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_render_docx import english, korean\n"
        "from toolkit.render.docx import render_docx\n"
        "from toolkit.render.style import load_style\n"
        f"style = load_style(__import__('pathlib').Path({str(REPO / 'templates')!r}))\n"
        "for r in (english(), korean()):\n"
        "    print(hashlib.sha256(render_docx(r, style)).hexdigest())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return done.stdout.split()


def test_deterministic_bytes(style: HouseStyle) -> None:
    for release in (english(), korean()):
        assert render_docx(release, style) == render_docx(release, style)
    assert _hashes_in_subprocess() == [
        hashlib.sha256(render_docx(r, style)).hexdigest() for r in (english(), korean())
    ]


def test_prepared_template_kept_in_the_cache_changes_no_byte(style: HouseStyle, tmp_path: Path) -> None:
    """The first process prepares the template and saves it; later ones open the saved one;
    a damaged saved template is prepared again: the same DOCX every time."""
    import os
    import shutil

    from toolkit.render import fonts

    cache = tmp_path / "cache"
    shutil.copytree(fonts.cache_dir(), cache / "fonts")
    env = {**os.environ, "PRESSPACK_CACHE_DIR": str(cache)}
    first = _hashes_in_subprocess(env)
    saved = sorted((cache / "docx-templates").glob("*.docx"))
    assert len(saved) == 2  # English and Korean fonts
    stamps = [p.stat().st_mtime_ns for p in saved]
    assert _hashes_in_subprocess(env) == first
    assert [p.stat().st_mtime_ns for p in saved] == stamps  # opened, not made again
    saved[0].write_bytes(saved[0].read_bytes()[:500])  # a cut-short file
    saved[1].write_bytes(b"")
    assert _hashes_in_subprocess(env) == first
    assert all(zipfile.is_zipfile(p) for p in saved)  # and saved again, whole
    assert first == [hashlib.sha256(render_docx(r, style)).hexdigest() for r in (english(), korean())]


def test_a_changed_house_style_gets_its_own_prepared_template(
    style: HouseStyle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from toolkit.render import fonts

    shutil.copytree(fonts.cache_dir(), tmp_path / "fonts")
    monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("toolkit.render.docx._PREPARED", {})  # nothing prepared in this process yet
    bigger = dataclasses.replace(style, type=dataclasses.replace(style.type, body_size=13.0))
    sizes = []
    for house in (style, bigger):
        files = zipfile.ZipFile(io.BytesIO(render_docx(english(), house)))
        normal = next(
            el
            for el in ET.fromstring(files.read("word/styles.xml")).iter(f"{W}style")
            if el.get(f"{W}styleId") == "Normal"
        )
        sizes.append(normal.find(f"{W}rPr/{W}sz").get(f"{W}val"))  # type: ignore[union-attr]
    assert sizes == [str(int(style.type.body_size * 2)), "26"]  # half-points
    assert len(list((tmp_path / "docx-templates").glob("*.docx"))) == 2
    shutil.copytree(REPO / "templates", tmp_path / "copy")  # the same style in another folder
    monkeypatch.setattr("toolkit.render.docx._PREPARED", {})
    assert render_docx(english(), load_style(tmp_path / "copy")) == render_docx(english(), style)
    assert len(list((tmp_path / "docx-templates").glob("*.docx"))) == 2  # shares its template


# ----------------------------------------------------- shared wording


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 5), "CHANGWON, South Korea, Nov. 5, 2026 — "),
        (dt.date(2026, 9, 30), "CHANGWON, South Korea, Sept. 30, 2026 — "),
        (dt.date(2026, 3, 1), "CHANGWON, South Korea, March 1, 2026 — "),
        (dt.date(2026, 6, 12), "CHANGWON, South Korea, June 12, 2026 — "),
        (dt.date(2026, 8, 2), "CHANGWON, South Korea, Aug. 2, 2026 — "),
        (None, "CHANGWON, South Korea — "),
    ],
)
def test_dateline(style: HouseStyle, day: dt.date | None, expected: str) -> None:
    assert dateline_text(english(date=day), style) == expected


def test_dateline_edge_cases(style: HouseStyle) -> None:
    assert dateline_text(english(dateline="Seoul, Korea"), style) == "SEOUL, Korea, Nov. 5, 2026 — "
    assert dateline_text(english(dateline=""), style) == ""
    assert dateline_text(korean(dateline="창원"), style) == ""
    items = layout(english(dateline=""), style)
    assert not any(item.lead for item in items)
    # No paragraph to carry the dateline: it stands alone before the body.
    headings_only = dataclasses.replace(english(), body=(Block("heading", escape("Only"), level=2),))
    texts = body_paragraphs(parts(render_docx(headings_only, style))["word/document.xml"])
    assert texts[3:5] == ["CHANGWON, South Korea, Nov. 5, 2026 —", "Only"]


def test_footer_text(style: HouseStyle) -> None:
    assert footer_text(english(), style) == "© 2026 Changwon Special City. All rights reserved."
    assert footer_text(english(date=None), style) == "© Changwon Special City. All rights reserved."
    assert (
        footer_text(english(organization="Hanwha Aerospace"), style)
        == "© 2026 Hanwha Aerospace. All rights reserved."
    )
    assert footer_text(english(copyright="Copyright {year} ACME"), style) == "Copyright 2026 ACME"
    assert footer_text(korean(), style) == "ⓒ 창원특례시. 무단 전재 및 재배포 금지"
    assert footer_text(korean(organization="경상남도"), style) == "ⓒ 경상남도. 무단 전재 및 재배포 금지"


def test_release_lines(style: HouseStyle) -> None:
    assert release_line_text(english(), style) == "FOR IMMEDIATE RELEASE"
    assert (
        release_line_text(english(embargo="2026-11-05T06:00+09:00"), style)
        == "EMBARGOED UNTIL Nov. 5, 2026, 06:00 KST"
    )
    assert (
        release_line_text(english(embargo="Nov. 5 morning papers"), style)
        == "EMBARGOED UNTIL Nov. 5 morning papers"
    )
    assert ko_release_time(korean(), style) == "2026. 11. 5.(목)"
    assert ko_release_time(korean(embargo="2026-11-05 06:00"), style) == ("2026. 11. 5.(목) 06:00 이후 보도")
    assert ko_release_time(korean(embargo="2026-11-08"), style) == "2026. 11. 8.(일) 이후 보도"
    assert ko_release_time(korean(embargo="11월 5일 조간"), style) == "11월 5일 조간"
    assert ko_release_time(korean(date=None), style) == ""


# ------------------------------------------------------- style loading


def test_default_style_file_matches_builtin_defaults(style: HouseStyle) -> None:
    assert dataclasses.replace(style, name="default", path="", fingerprint="") == HouseStyle()
    assert style.page.size_mm == (210.0, 297.0)
    assert style.en.release_line == "FOR IMMEDIATE RELEASE"
    assert style.ko.header_label == "보도자료"
    assert (
        style_fingerprint(style)
        == hashlib.sha256((REPO / "templates" / "default" / "style.toml").read_bytes()).hexdigest()
    )


def test_partial_style_overrides_only_what_it_names(tmp_path: Path) -> None:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "style.toml").write_text(
        '[lang.en]\norganization = "ACME Defense"\n[type]\nbody_size = 11\n', encoding="utf-8"
    )
    acme = load_style(tmp_path, "acme")
    assert acme.en.organization == "ACME Defense"
    assert acme.type.body_size == 11.0
    assert acme.ko == HouseStyle().ko
    assert footer_text(english(), acme) == "© 2026 ACME Defense. All rights reserved."


def test_invalid_style_reports_every_problem_with_lines(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "style.toml").write_text(
        "[page]\n"
        'size = "A3"\n'
        "margin_top_mm = -4\n"
        "[colors]\n"
        'accent = "blue"\n'
        "[lang.en]\n"
        "organisation = 'typo'\n"
        'font_chain = ["comic-sans"]\n',
        encoding="utf-8",
    )
    with pytest.raises(PresspackError) as info:
        load_style(tmp_path, "bad")
    found = {(p.line, p.what.split()[0]) for p in info.value.problems}
    assert all(p.file.endswith("bad/style.toml") for p in info.value.problems)
    assert {line for line, _ in found} == {2, 3, 5, 7, 8}
    assert len(info.value.problems) == 5


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "style.toml").write_text("[page]\nsize = A4\n", encoding="utf-8")
    with pytest.raises(PresspackError) as info:
        load_style(tmp_path, "x")
    assert info.value.problems[0].line == 2
    assert "invalid TOML" in info.value.problems[0].what


def test_missing_style(tmp_path: Path) -> None:
    with pytest.raises(PresspackError) as info:
        load_style(tmp_path, "nope")
    assert "cannot read house style 'nope'" in info.value.problems[0].what


def test_only_the_styles_a_release_uses_and_each_one_it_names(style: HouseStyle) -> None:
    """The stock template's 164 styles (table designs, 780 KB with their Word 2010 copy) are
    not carried into releases: what remains is what the body, header table and footer name,
    with what those styles are based on, link to and are followed by."""
    rich = dataclasses.replace(
        korean(),
        body=(
            *korean().body,
            Block("heading", escape("세부"), level=3, line=20),
            Block("heading", escape("개요"), level=1, line=21),
            Block("table", "", rows=(("구분", "내용"), ("일시", "11월 5일")), line=22),
        ),
    )
    for release in (english(), rich):
        files = zipfile.ZipFile(io.BytesIO(render_docx(release, style)))
        assert "word/stylesWithEffects.xml" not in files.namelist()
        assert "stylesWithEffects" not in files.read("[Content_Types].xml").decode()
        assert "stylesWithEffects" not in files.read("word/_rels/document.xml.rels").decode()
        styles = ET.fromstring(files.read("word/styles.xml"))
        defined = {el.get(f"{W}styleId"): el for el in styles.iter(f"{W}style")}
        named: set[str] = set()
        for member in ("word/document.xml", "word/footer1.xml"):
            tree = ET.fromstring(files.read(member))
            for tag in ("pStyle", "rStyle", "tblStyle"):
                named |= {el.get(f"{W}val") for el in tree.iter(f"{W}{tag}")}  # type: ignore[misc]
        for el in defined.values():
            for ref in ("basedOn", "link", "next"):
                named |= {x.get(f"{W}val") for x in el.iter(f"{W}{ref}")}  # type: ignore[misc]
        assert named <= set(defined)  # every style named is there
        unused = set(defined) - named - {i for i, el in defined.items() if el.get(f"{W}default") == "1"}
        # … and the few a release may name (tables, photos, other heading levels), never more
        assert unused <= {
            *("Header", "HeaderChar", "Heading1", "Heading1Char", "Heading2", "Heading2Char"),
            *("Heading3", "Heading3Char", "Caption", "TableGrid", "Quote", "QuoteChar", "ListParagraph"),
        }


RPR_ORDER = [  # ECMA-376 Part 1, §17.3.2.28 (w:rPr), the order Word insists on
    *("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike"),
    *("outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden"),
    *("color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr"),
    *("shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
]


def test_run_properties_in_schema_order(style: HouseStyle) -> None:
    """Code (shaded), links (coloured, underlined), bold and italic runs: each w:rPr's
    children in the schema's order, w:shd before w:lang."""
    text = "**굵게** *기울임* `K9 코드` [창원](https://www.changwon.go.kr) ***둘 다*** `x`"
    release = dataclasses.replace(korean(), body=(Block("paragraph", text, line=5),))
    files = zipfile.ZipFile(io.BytesIO(render_docx(release, style)))
    document = ET.fromstring(files.read("word/document.xml"))
    seen_shd = 0
    for rpr in document.iter(f"{W}rPr"):
        tags = [child.tag.removeprefix(W) for child in rpr]
        assert all(tag in RPR_ORDER for tag in tags), tags
        assert tags == sorted(tags, key=RPR_ORDER.index), tags
        seen_shd += "shd" in tags
    assert seen_shd == 2  # both code spans
