"""PDF output: text, order, footers on every page, embedded fonts, safety, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from toolkit.core.document import Block, Meta, Release
from toolkit.core.errors import RenderError
from toolkit.core.inline import escape, plain
from toolkit.render.layout import footer_text
from toolkit.render.pdf import render_pdf
from toolkit.render.style import HouseStyle, load_style

REPO = Path(__file__).resolve().parents[1]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) not installed: apt-get install poppler-utils",
)

MARKUP = 'K9 & <img src="/nonexistent/evil.png"/> <font size=40>big</font> &amp; <b>x</b>'
ACCENTS = "Łódź, Zürich, Ångström, naïve, São Paulo, Győr"
FILLER_EN = "The defense industry cluster in Changwon keeps growing with new investment. "
FILLER_KO = "창원특례시는 방위산업 육성을 위해 지역 기업과의 협력을 꾸준히 강화하고 있다. "


def english(paragraphs: int = 3, **meta: object) -> Release:
    body = [
        Block("paragraph", escape(f"Changwon Special City signed agreements with {ACCENTS}."), line=8),
        Block("heading", escape("Key points"), level=2, line=10),
        Block("list_item", escape(MARKUP), line=11),
        Block("list_item", escape("Mayor Hong Nam-pyo (홍남표) attended."), line=12),
        Block("quote", escape("“We are proud of this partnership,” the mayor said."), line=13),
    ]
    body += [
        Block("paragraph", escape(f"Paragraph {i}. " + FILLER_EN * 7), line=20 + i) for i in range(paragraphs)
    ]
    fields: dict[str, object] = {
        "title": "Changwon signs defense MOU with Łódź",
        "lang": "en",
        "subtitle": "Partners from Zürich join the cluster",
        "date": dt.date(2026, 11, 5),
        "dateline": "Changwon",
        "contact": "Kim Min-ji\nPublic Relations Office\n+82-55-225-0000",
    }
    fields.update(meta)
    return Release(
        meta=Meta(**fields),  # type: ignore[arg-type]
        body=tuple(body),
        about=(Block("paragraph", escape("Changwon is the capital of South Gyeongsang Province.")),),
        about_title="About Changwon Special City",
        source_path="releases/mou.en.md",
    )


def korean(paragraphs: int = 3, **meta: object) -> Release:
    body = [
        Block("paragraph", escape("창원특례시는 5일 방위산업 클러스터 업무협약을 체결했다고 밝혔다."), 8),
        Block("heading", escape("주요 내용"), level=2, line=10),
        Block("list_item", escape("K9 자주포 & <b>굵게</b> 수출 확대"), line=11),
        Block("paragraph", escape(f"협력 도시: {ACCENTS}."), line=12),
    ]
    body += [
        Block("paragraph", escape(f"문단 {i}. " + FILLER_KO * 7), line=20 + i) for i in range(paragraphs)
    ]
    fields: dict[str, object] = {
        "title": "창원특례시, 방산 클러스터 업무협약 체결",
        "lang": "ko",
        "subtitle": "지역 기업 20곳 참여",
        "date": dt.date(2026, 11, 5),
        "embargo": "2026-11-05T06:00:00+09:00",
        "department": "홍보담당관",
        "contact": "김민지 주무관 055-225-0000",
    }
    fields.update(meta)
    return Release(
        meta=Meta(**fields),  # type: ignore[arg-type]
        body=tuple(body),
        about=(Block("paragraph", escape("창원특례시는 경상남도의 도청 소재지이다.")),),
        about_title="창원특례시 소개",
        source_path="releases/mou.ko.md",
    )


@pytest.fixture(scope="module")
def style() -> HouseStyle:
    return load_style(REPO / "templates")


@pytest.fixture(scope="module")
def en_long(style: HouseStyle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "en.pdf"
    path.write_bytes(render_pdf(english(paragraphs=24), style))
    return path


@pytest.fixture(scope="module")
def ko_long(style: HouseStyle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "ko.pdf"
    path.write_bytes(render_pdf(korean(paragraphs=24), style))
    return path


def pdftotext(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def norm(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    return "".join(text.split())


def page_count(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def flowing_text(path: Path, footer: str, number: str) -> str:
    """All pages' text without the page footers, so paragraphs split by a page
    break read as one. ``number`` is the page-number format."""
    pages = page_count(path)
    parts = []
    for page in range(1, pages + 1):
        text = norm(pdftotext(path, page))
        assert footer in text
        text = text.replace(footer, " ")
        label = number.format(page=page, pages=pages)
        pattern = r"\s*".join(re.escape(ch) for ch in label.replace(" ", ""))
        # the footer's page number: last on the page, or just before a table that
        # pdftotext reads after the footer (the contact table ending the body)
        hits = list(re.finditer(r"(?<!\S)" + pattern + r"(?!\S)", text))
        assert hits, f"page number {label!r} not on page {page}"
        last = hits[-1]
        text = text[: last.start()] + " " + text[last.end() :]
        parts.append(text)
    return norm(" ".join(parts))


@needs_poppler
def test_english_text_in_order(en_long: Path) -> None:
    footer = "© 2026 Changwon Special City. All rights reserved."
    text = flowing_text(en_long, footer, "Page {page} of {pages}")
    release = english(paragraphs=24)
    expected = [
        "FOR IMMEDIATE RELEASE",
        release.meta.title,
        release.meta.subtitle,
        "CHANGWON, South Korea, Nov. 5, 2026 — Changwon Special City signed agreements with " + ACCENTS + ".",
        *(norm(plain(b.text)) for b in release.body[1:]),
        "About Changwon Special City",
        "Changwon is the capital of South Gyeongsang Province.",
        "Media contact",
        "Kim Min-ji Public Relations Office +82-55-225-0000",
        "###",
    ]
    position = 0
    for piece in expected:
        found = text.find(norm(piece), position)
        assert found >= 0, f"missing or out of order: {piece!r}"
        position = found + len(norm(piece))


@needs_poppler
def test_korean_header_and_body(ko_long: Path) -> None:
    text = flowing_text(ko_long, "ⓒ 창원특례시. 무단 전재 및 재배포 금지", "- {page} -")
    release = korean(paragraphs=24)
    # the cover row as printed: the label and the issuer side by side
    cover = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(ko_long), "-"], capture_output=True, text=True
    ).stdout.strip().splitlines()[0]
    assert cover.split() == ["보도자료", "창원특례시"]
    # the subtitle's closing dash, as laid out (the flowing text below loses it: pdftotext
    # joins a line ending in '-' to the next as a hyphenated word)
    laid_out = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(ko_long), "-"], capture_output=True, text=True
    ).stdout.splitlines()
    assert "- 지역 기업 20곳 참여 -" in [line.strip() for line in laid_out]
    expected = [
        "보도자료",
        "보도시점",
        "2026. 11. 5.(목) 06:00 이후 보도",
        "배포",
        "2026. 11. 5.(목)",
        release.meta.title,
        "- 지역 기업 20곳 참여",
        *(norm(plain(b.text)) for b in release.body),
        "창원특례시 소개",
        "창원특례시는 경상남도의 도청 소재지이다.",
        # the contact table closes the body (press-release-conventions.md)
        "담당 부서",
        "홍보담당관",
        "담당자",
        "김민지 주무관",
        "055-225-0000",
    ]
    position = 0
    for piece in expected:
        found = text.find(norm(piece), position)
        assert found >= 0, f"missing or out of order: {piece!r}"
        position = found + len(norm(piece))
    assert "###" not in text
    assert "FOR IMMEDIATE RELEASE" not in text


@needs_poppler
def test_footer_and_page_number_on_every_page(en_long: Path, ko_long: Path) -> None:
    pages = page_count(en_long)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = norm(pdftotext(en_long, page))
        assert "© 2026 Changwon Special City. All rights reserved." in text
        assert f"Page {page} of {pages}" in text
    pages = page_count(ko_long)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = pdftotext(ko_long, page)
        assert "ⓒ 창원특례시. 무단 전재 및 재배포 금지" in norm(text)
        assert f"-{page}-" in squash(text)


@needs_poppler
def test_custom_copyright_footer(style: HouseStyle, tmp_path: Path) -> None:
    release = english(paragraphs=0, copyright="© {year} Hanwha Aerospace", organization="Hanwha")
    path = tmp_path / "c.pdf"
    path.write_bytes(render_pdf(release, style))
    assert footer_text(release, style) == "© 2026 Hanwha Aerospace"
    assert "© 2026 Hanwha Aerospace" in norm(pdftotext(path))
    assert "All rights reserved" not in pdftotext(path)


@needs_poppler
def test_fonts_embedded_with_real_bold(en_long: Path, ko_long: Path) -> None:
    for path, primary in ((en_long, "NotoSans-"), (ko_long, "NotoSansKR-")):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        assert rows
        names = [row[0] for row in rows]
        for row in rows:
            # name type encoding emb sub uni id gen
            assert row[-5] == "yes", f"font not embedded: {row[0]}"
        assert any(n.endswith(primary + "Regular") for n in names), names
        assert any(n.endswith(primary + "Bold") for n in names), names
        assert not any("Helvetica" in n for n in names)


@needs_poppler
def test_no_character_dropped(en_long: Path, ko_long: Path) -> None:
    for path in (en_long, ko_long):
        text = pdftotext(path)
        for word in ACCENTS.replace(",", "").split():
            assert word in text, word
    assert "홍남표" in pdftotext(en_long)  # Hangul in an English release: KR fallback


@needs_poppler
def test_markup_is_printed_literally(en_long: Path, ko_long: Path) -> None:
    assert MARKUP in norm(pdftotext(en_long))
    assert "K9 자주포 & <b>굵게</b> 수출 확대" in pdftotext(ko_long)


def test_character_without_font_is_an_error(style: HouseStyle) -> None:
    release = english(paragraphs=0)
    bad = Block("paragraph", escape("Runes ᚠ and emoji 😀 here"), line=42)
    release = dataclasses.replace(release, body=(*release.body, bad))
    with pytest.raises(RenderError) as info:
        render_pdf(release, style)
    problems = info.value.problems
    assert [(p.file, p.line) for p in problems] == [("releases/mou.en.md", 42)] * 2
    assert "U+16A0" in problems[0].what
    assert "U+1F600" in problems[1].what


@needs_poppler
def test_korean_words_never_split(ko_long: Path) -> None:
    release = korean(paragraphs=24)
    sources = [release.meta.title, release.meta.subtitle, *(plain(b.text) for b in release.body)]
    sources += [plain(b.text) for b in release.about] + [
        release.about_title,
        "ⓒ 창원특례시. 무단 전재 및 재배포 금지",
    ]
    sources += ["보도자료 창원특례시 보도시점 2026. 11. 5.(목) 06:00 이후 보도 배포 2026. 11. 5.(목)"]
    sources += ["담당 부서 홍보담당관 담당자 김민지 주무관 055-225-0000"]
    words = {w for s in sources for w in s.split()}
    hangul = re.compile("[\uac00-\ud7a3]")
    checked = 0
    for token in pdftotext(ko_long).split():
        if hangul.search(token):
            checked += 1
            assert token in words, f"Korean word split across lines: {token!r}"
    assert checked > 500


def test_markup_and_metadata_via_pypdf(style: HouseStyle) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(english(paragraphs=0), style)))
    text = reader.pages[0].extract_text()
    assert "<img src=" in text and "&amp;" in text
    info = reader.metadata
    assert info is not None
    assert info.title == "Changwon signs defense MOU with Łódź"
    assert info.producer == "presspack"
    assert info.creator == "presspack"
    assert str(info["/CreationDate"]).startswith("D:2000")  # invariant, not the clock
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)


def test_embargo_line_in_english(style: HouseStyle) -> None:
    release = english(paragraphs=0, embargo="2026-11-05T06:00:00+09:00")
    text = PdfReader(io.BytesIO(render_pdf(release, style))).pages[0].extract_text()
    assert "EMBARGOED UNTIL Nov. 5, 2026, 06:00 KST" in text
    assert "FOR IMMEDIATE RELEASE" not in text


def test_deterministic_in_process(style: HouseStyle) -> None:
    for release in (english(paragraphs=10), korean(paragraphs=10)):
        assert render_pdf(release, style) == render_pdf(release, style)


def _hashes_in_subprocess(prelude: str = "", env: dict[str, str] | None = None) -> list[str]:
    code = (
        "import hashlib, sys\n"
        + prelude
        + f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_render_pdf import english, korean\n"
        "from toolkit.render.pdf import render_pdf\n"
        "from toolkit.render.style import load_style\n"
        f"style = load_style(__import__('pathlib').Path({str(REPO / 'templates')!r}))\n"
        "for r in (english(10), korean(10)):\n"
        "    print(hashlib.sha256(render_pdf(r, style)).hexdigest())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return done.stdout.split()


def test_same_bytes_without_reportlab_accelerator(style: HouseStyle) -> None:
    """rl_accel (reportlab's C number formatting and string widths) is a speed-up only: a PDF
    made where it is missing (a source install without a compiler) is the same file."""
    import _rl_accel  # noqa: F401  (installed with presspack: the fast path is what users run)

    without = _hashes_in_subprocess("sys.modules['_rl_accel'] = None\n")
    here = [hashlib.sha256(render_pdf(r, style)).hexdigest() for r in (english(10), korean(10))]
    assert without == here


def test_deterministic_across_processes(style: HouseStyle) -> None:
    here = [hashlib.sha256(render_pdf(r, style)).hexdigest() for r in (english(10), korean(10))]
    assert _hashes_in_subprocess() == here


def test_reportlab_url_pattern_classes_are_the_same_sets_at_every_code_point() -> None:
    """The cheap classes seeded for reportlab (toolkit/render/_reportlab.py) match exactly the
    characters its own case-insensitive ones do, over all of Unicode (surrogates included)."""
    from toolkit.core.seeded import CLASS_EQUIVALENTS

    everything = "".join(map(chr, range(0x110000)))
    for big, small in CLASS_EQUIVALENTS.items():
        theirs = [m.start() for m in re.finditer(big, everything, re.IGNORECASE)]
        ours = [m.start() for m in re.finditer(small, everything, re.IGNORECASE)]
        assert len(theirs) > 60000  # a-z, digits and most of the BMP
        assert ours == theirs, big.encode("unicode_escape")


@given(
    st.text(alphabet=st.sampled_from("aZ09.-+:/@[]#?x-nlocahsté한\u212a\u017f\U0001f600 "), max_size=40)
    | st.from_regex(r"\A(https?|ftp)://[a-z0-9가-힣.-]{1,30}(:\d{2,5})?(/[^\s]{0,20})?\Z")
)
def test_reportlab_url_pattern_matches_as_reportlab_compiles_it(text: str) -> None:
    from toolkit.core.seeded import URI_SOURCE, uri_equivalent

    theirs = re.compile(URI_SOURCE, re.IGNORECASE).match(text)
    ours = re.compile(uri_equivalent(), re.IGNORECASE).match(text)
    assert (ours.groups() if ours else None) == (theirs.groups() if theirs else None)


def test_reportlab_finds_the_seeded_url_pattern() -> None:
    """The seed is reportlab's very pattern (a reportlab that changes it fails here, not slowly)
    and a fresh process rendering PDFs gets the cheap compiled form."""
    import ast

    import reportlab

    from toolkit.core.seeded import URI_SOURCE

    source = (Path(reportlab.__path__[0]) / "platypus" / "paragraph.py").read_text("utf-8")
    line = next(x for x in source.splitlines() if x.startswith("uri_pat = re.compile("))
    call = ast.parse(line).body[0].value  # type: ignore[attr-defined]
    assert ast.literal_eval(call.args[0]) == URI_SOURCE
    code = (
        "import toolkit.render.pdf\n"
        "from reportlab.platypus.paragraph import uri_pat\n"
        "print(uri_pat.pattern.count('(?-i:'), uri_pat.flags & 2)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["5", "2"]


def _instance(weight: int = 400) -> Path:
    from toolkit.render import fonts

    return fonts.ensure_instance(fonts.SOURCES["noto-sans-kr"], weight)


def _same_font(ours: object, theirs: object) -> None:
    a, b = vars(ours), vars(theirs)
    assert sorted(a) == sorted(b)
    assert {k: v for k, v in a.items() if k not in ("face", "state", "encoding")} == {
        k: v for k, v in b.items() if k not in ("face", "state", "encoding")
    }
    assert type(a["encoding"]) is type(b["encoding"]) and vars(a["encoding"]) == vars(b["encoding"])
    fa, fb = vars(a["face"]), vars(b["face"])
    assert sorted(fa) == sorted(fb)
    fa_data = {k: v for k, v in fa.items() if k != "_pdfScale"}
    assert fa_data == {k: v for k, v in fb.items() if k != "_pdfScale"}
    assert {k: type(v) for k, v in fa.items()} == {k: type(v) for k, v in fb.items()}
    assert [fa["_pdfScale"](x) for x in (0, 7, 1000)] == [fb["_pdfScale"](x) for x in (0, 7, 1000)]


def test_font_read_from_saved_metrics_is_the_font_reportlab_parses(tmp_path: Path) -> None:
    """load_ttfont's second read (metrics saved beside the instance) builds the very object
    reportlab's own TTFont(name, path) does: every attribute, of the font and of its face."""
    from reportlab.pdfbase.ttfonts import TTFont

    from toolkit.render._reportlab import load_ttfont, metrics_path

    path = tmp_path / "font.ttf"
    path.write_bytes(_instance().read_bytes())
    first = load_ttfont("PP-Test", path)  # parses, saves
    assert metrics_path(path).is_file()
    second = load_ttfont("PP-Test", path)  # reads the saved metrics
    _same_font(second, TTFont("PP-Test", str(path)))
    _same_font(first, TTFont("PP-Test", str(path)))
    text = "창원 K9 자주포"
    assert second.stringWidth(text, 11) == TTFont("x", str(path)).stringWidth(text, 11)


def test_saved_metrics_of_other_bytes_or_damaged_are_not_used(tmp_path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    from toolkit.render._reportlab import load_ttfont, metrics_path

    light, bold = tmp_path / "light.ttf", tmp_path / "bold.ttf"
    light.write_bytes(_instance(400).read_bytes())
    bold.write_bytes(_instance(700).read_bytes())
    load_ttfont("A", bold)
    # the bold's metrics put beside the regular file (a copied cache, a file replaced)
    metrics_path(light).write_bytes(metrics_path(bold).read_bytes())
    _same_font(load_ttfont("A", light), TTFont("A", str(light)))
    for damage in (b"", b"\x00garbage", metrics_path(bold).read_bytes()[:1000]):
        metrics_path(light).write_bytes(damage)
        _same_font(load_ttfont("A", light), TTFont("A", str(light)))
        assert metrics_path(light).read_bytes() != damage  # parsed again, and saved right
    _same_font(load_ttfont("A", light), TTFont("A", str(light)))


def test_pdf_bytes_the_same_with_and_without_saved_font_metrics(tmp_path: Path) -> None:
    """A first process parses the fonts and saves their metrics; a second reads them: same PDFs."""
    from toolkit.render import fonts

    cache = tmp_path / "cache"
    shutil.copytree(fonts.cache_dir(), cache / "fonts", ignore=shutil.ignore_patterns("*.metrics"))
    env = {**__import__("os").environ, "PRESSPACK_CACHE_DIR": str(cache)}
    first = _hashes_in_subprocess(env=env)
    saved = {p.name: p.read_bytes() for p in (cache / "fonts").glob("*.metrics")}
    assert len(saved) >= 4  # Noto Sans and Noto Sans KR, regular and bold
    assert _hashes_in_subprocess(env=env) == first
    assert {p.name: p.read_bytes() for p in (cache / "fonts").glob("*.metrics")} == saved


# Characters of every font part: common and rare Hangul, Hanja, Latin, Latin Extended,
# Cyrillic, Greek, and the spaces and punctuation between them.
_MIXED = "가나 뷁똠햏쓔 國防中 abc Łódź Привет мир αβγ ,.()—“”"


@pytest.mark.parametrize("lang", ["ko", "en"])
@given(text=st.text(alphabet=_MIXED, min_size=1, max_size=40))
def test_every_run_is_set_in_a_font_that_has_all_its_characters(lang: str, text: str) -> None:
    """A space after a rare Hangul syllable, a Hanja or a Cyrillic letter was set in that
    character's font part, which has no space: the PDF printed a box (pdftotext still read
    a space, so only the page showed it)."""
    from toolkit.render import fonts, pdf

    faces = pdf._Fonts(load_style(REPO / "templates").for_lang(lang).font_chain)  # render_pdf's chain
    cmaps = {face.key: face.cmap for face in faces.faces}
    for key, run in fonts.segment(text, faces._chain):
        assert [ch for ch in run if ord(ch) not in cmaps[key]] == [], (key, run)


@needs_poppler
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_paragraph_of_many_pages_is_laid_out_as_reportlab_lays_it_out(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paragraph over _PIECE_CHARS is cut into pieces of its own lines (reportlab wrapped it
    again from every page break: quadratic); every page must read exactly as before."""
    from toolkit.render import pdf

    style = load_style(REPO / "templates")
    filler = FILLER_KO if lang == "ko" else FILLER_EN
    long = escape(filler * 120) + " <b>" + escape(filler * 3) + "</b> " + escape(filler * 120)
    base = korean(paragraphs=0) if lang == "ko" else english(paragraphs=0)
    release = dataclasses.replace(
        base,
        body=(
            Block("paragraph", escape(filler), line=8),
            Block("paragraph", long, line=9),
            Block("list_item", long, line=10),
            Block("quote", long, level=1, line=11),
            Block("paragraph", escape(filler), line=12),
        ),
    )
    cut: list[int] = []
    real = pdf._in_pieces

    def counted(para: object, markup: str, width: float) -> list[object]:
        pieces = real(para, markup, width)
        cut.append(len(pieces))
        return pieces

    monkeypatch.setattr(pdf, "_in_pieces", counted)
    pieces = tmp_path / "pieces.pdf"
    pieces.write_bytes(render_pdf(release, style))
    assert len([n for n in cut if n > 1]) == 3  # the three long blocks, and only they, were cut
    monkeypatch.setattr(pdf, "_PIECE_CHARS", 10**9)
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(render_pdf(release, style))

    def pages(path: Path) -> list[str]:
        args = ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")

    assert page_count(whole) >= 12
    assert pages(pieces) == pages(whole)
