"""Static font instances, the per-user cache and per-character font fallback."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st

from toolkit.render import fonts

REPO = Path(__file__).resolve().parents[1]
ASCII_PLUS = [*range(0x20, 0x7F), 0x141, 0x17A, 0x151]  # + Ł ź ő
SMALL = dataclasses.replace(fonts.SOURCES["noto-sans"], ranges=((0x20, 0x7E), (0x141, 0x141)))


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(tmp_path))
    return tmp_path / "fonts"


def _small_bold() -> bytes:
    return fonts.build_instance(
        SMALL.path(),
        "Noto Sans",
        "NotoSans",
        700,
        fixed_axes=SMALL.fixed_axes,
        unicodes=ASCII_PLUS,
    )


def test_build_instance_is_static_bold_and_deterministic() -> None:
    first = _small_bold()
    assert first == _small_bold()  # no timestamps, no randomness
    font = TTFont(io.BytesIO(first))
    assert "fvar" not in font and "gvar" not in font
    assert font["OS/2"].usWeightClass == 700
    assert font["OS/2"].fsSelection & 0x20  # BOLD bit
    assert font["head"].macStyle & 1
    assert font["name"].getDebugName(6) == "NotoSans-Bold"
    assert font["name"].getDebugName(1) == "Noto Sans"
    assert {0x141, 0x17A, 0x151, ord("A")} <= set(font.getBestCmap())
    assert ord("가") not in font.getBestCmap()


def test_bold_instance_really_is_bolder_than_regular() -> None:
    regular = TTFont(
        io.BytesIO(
            fonts.build_instance(SMALL.path(), "Noto Sans", "NotoSans", 400, SMALL.fixed_axes, ASCII_PLUS)
        )
    )
    bold = TTFont(io.BytesIO(_small_bold()))
    assert regular["name"].getDebugName(6) == "NotoSans-Regular"
    assert regular["OS/2"].fsSelection & 0x40  # REGULAR bit
    # Bold glyphs are wider: the instancer applied the wght deltas.
    assert bold["hmtx"]["H"][0] > regular["hmtx"]["H"][0]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PRESSPACK_CACHE_DIR": "/x/pp"}, "/x/pp/fonts"),
        ({"XDG_CACHE_HOME": "/x/xdg"}, "/x/xdg/presspack/fonts"),
        ({"HOME": "/x/home"}, "/x/home/.cache/presspack/fonts"),
    ],
)
def test_cache_dir_precedence(env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PRESSPACK_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert fonts.cache_dir() == Path(expected)


def test_ensure_instance_caches_atomically(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fonts.ensure_instance(SMALL, 400)
    assert path.parent == cache
    assert path.name.startswith("NotoSans-400-")
    # the instance, and which code points each part of the source holds
    assert sorted(p.name for p in cache.iterdir() if p.suffix != ".lock") == sorted(
        [path.name, fonts.coverage_path(SMALL).name]
    )
    assert TTFont(str(path))["OS/2"].usWeightClass == 400

    def boom(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("cached instance must not be rebuilt")

    monkeypatch.setattr(fonts, "build_instance", boom)
    assert fonts.ensure_instance(SMALL, 400) == path
    # Another weight or another recipe is another cache entry.
    assert fonts.instance_key(SMALL, 700) != fonts.instance_key(SMALL, 400)
    other = fonts.FontSource(**{**SMALL.__dict__, "ranges": ((0x20, 0x7E),)})
    assert fonts.instance_key(other, 400) != fonts.instance_key(SMALL, 400)


def test_two_processes_building_at_once_agree(cache: Path) -> None:
    code = (
        "from toolkit.render import fonts\n"
        "src = fonts.FontSource(key='noto-sans', family='Noto Sans', ps_base='NotoSans',"
        " package='fontpkg_noto_sans', relpath='files/NotoSans[wdth,wght].ttf',"
        " fixed_axes=(('wdth', 100.0),), ranges=((0x20, 0x7E), (0x141, 0x141)))\n"
        "print(fonts.ensure_instance(src, 700))\n"
    )
    env = {**os.environ, "PRESSPACK_CACHE_DIR": str(cache.parent)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outputs[0] == outputs[1]
    data = Path(outputs[0]).read_bytes()
    assert TTFont(io.BytesIO(data))["name"].getDebugName(6) == "NotoSans-Bold"
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


def test_segment_prefers_primary_then_fallback() -> None:
    primary = {ord(c) for c in "Lodz ab"}
    fallback = {ord(c) for c in "Łźó ab"}
    runs = fonts.segment("Łódź ab", [("kr", primary), ("sans", fallback)])
    # The space stays with the run before it; "ab" returns to the primary font.
    assert runs == [("sans", "Łó"), ("kr", "d"), ("sans", "ź "), ("kr", "ab")]
    assert "".join(r for _, r in runs) == "Łódź ab"


def test_segment_raises_on_a_character_no_font_has() -> None:
    with pytest.raises(KeyError) as info:
        fonts.segment("ab\u16a0", [("a", {ord("a"), ord("b")})])
    assert info.value.args[0] == "\u16a0"
    assert fonts.describe_char("\u16a0") == "U+16A0 'ᚠ' (RUNIC LETTER FEHU FEOH FE F)"
    assert fonts.missing_chars("aᚠbᚠ😀", lambda cp: cp < 128) == ["ᚠ", "😀"]


def segment_by_character(text: str, chain: list[tuple[str, set[int]]]) -> list[tuple[str, str]]:
    """segment's rule applied to each character in turn (its specification)."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        key = next((k for k, cmap in chain if ord(ch) in cmap), None)
        if key is None:
            if ch in " \n" and runs:
                key = runs[-1][0]
            else:
                raise KeyError(ch)
        run_has_space = any(k == runs[-1][0] and ord(" ") in cmap for k, cmap in chain) if runs else False
        if runs and (runs[-1][0] == key or (ch == " " and run_has_space)):
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
        else:
            runs.append((key, ch))
    return runs


@given(text=st.text(alphabet="ab 가나\nŁx", max_size=12), space_in_font=st.booleans())
def test_segment_equals_its_rule_per_character(text: str, space_in_font: bool) -> None:
    """The one-font shortcut (all characters in one font) changes no run."""
    kr = {ord(c) for c in "ab가나" + (" " if space_in_font else "")}
    chain = [("kr", kr), ("sans", {ord(c) for c in "abŁ"})]
    try:
        expected: list[tuple[str, str]] | str = segment_by_character(text, chain)
    except KeyError as exc:
        expected = exc.args[0]
    memo: dict[str, str | None] = {}
    for _ in range(2):  # a second time from the memo of the first
        try:
            got: list[tuple[str, str]] | str = fonts.segment(text, chain, memo)
        except KeyError as exc:
            got = exc.args[0]
        assert got == expected


def test_real_fonts_cover_korean_and_latin_extended() -> None:
    kr_source = fonts.SOURCES["noto-sans-kr"]
    kr = fonts.ensure_face("noto-sans-kr")
    sans = fonts.ensure_face("noto-sans")
    kr_cmap = set(TTFont(str(kr.regular), lazy=True).getBestCmap())
    sans_cmap = set(TTFont(str(sans.regular), lazy=True).getBestCmap())
    parts = fonts.coverage(kr_source)
    # The main part (made on first use) is exactly what the coverage file says it is.
    assert kr_cmap == set(parts[fonts.MAIN])
    # Every Hangul syllable is in some part: KS X 1001's 2,350 in the main part,
    # the other 8,822 in the lazily made "Hangul" part; Hanja in their own part.
    hangul = set(range(0xAC00, 0xD7A4))
    assert hangul & kr_cmap == fonts.ks_x_1001_hangul() and len(fonts.ks_x_1001_hangul()) == 2350
    assert hangul - kr_cmap == set(parts["Hangul"])
    assert {ord(c) for c in "똠쀍햏"} <= set(parts["Hangul"])  # not in KS X 1001
    assert {ord(c) for c in "中韓國"} <= set(parts["Hanja"])
    assert {ord(c) for c in "ⓒ©—–“”•가힝"} <= kr_cmap
    assert not set(parts["Hangul"]) & set(parts["Hanja"])
    # Why the fallback exists: Noto Sans KR lacks these, Noto Sans has them.
    for ch in "Łźő":
        assert not any(ord(ch) in part for part in parts.values())
        assert ord(ch) in sans_cmap
    assert TTFont(str(kr.bold))["OS/2"].usWeightClass == 700


def test_fonts_cached_reflects_the_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "SOURCES", {"noto-sans": SMALL})
    assert fonts.fonts_cached() is False  # empty cache dir
    regular = fonts.ensure_instance(SMALL, 400)
    assert fonts.fonts_cached() is False  # the bold one is still missing
    fonts.ensure_instance(SMALL, 700)
    assert fonts.fonts_cached() is True
    regular.unlink()
    assert fonts.fonts_cached() is False


def test_fonts_fingerprint_covers_everything_that_shapes_a_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build key includes this: any change to what an embedded font looks like
    must change it, or packs built with the old fonts would stay "up to date"."""
    base = fonts.fonts_fingerprint()
    sans = fonts.SOURCES["noto-sans"]
    kr = fonts.SOURCES["noto-sans-kr"]
    variants = {
        "pinned axis": {
            **fonts.SOURCES,
            "noto-sans": dataclasses.replace(sans, fixed_axes=(("wdth", 90.0),)),
        },
        "ranges": {**fonts.SOURCES, "noto-sans": dataclasses.replace(sans, ranges=((0x20, 0x7E),))},
        "parts": {**fonts.SOURCES, "noto-sans-kr": dataclasses.replace(kr, parts=kr.parts[:1])},
    }
    seen = {base}
    for why, sources in variants.items():
        monkeypatch.setattr(fonts, "SOURCES", sources)
        changed = fonts.fonts_fingerprint()
        assert changed not in seen, why
        seen.add(changed)
    monkeypatch.undo()
    monkeypatch.setattr(fonts, "RECIPE_VERSION", fonts.RECIPE_VERSION + "-next")
    assert fonts.fonts_fingerprint() not in seen
    monkeypatch.undo()
    # the same in another process (no per-process hash seeds in it)
    code = "from toolkit.render import fonts; print(fonts.fonts_fingerprint())"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert other.stdout.strip() == base == fonts.fonts_fingerprint()


def test_partition_puts_each_code_point_in_one_part() -> None:
    source = dataclasses.replace(
        SMALL,
        ranges=((0x20, 0x7E), (0x100, 0x17F), (0xAC00, 0xD7A3)),
        parts=(fonts.Part("Ext", ((0x100, 0x17F),)), fonts.Part("Rare", ((0xAC00, 0xD7A3),), True)),
    )
    cmap = [ord(c) for c in "Aa~Łő가똠"] + [0x2603, 0x7F]  # ☃ and DEL are outside the ranges
    parts = fonts.partition(source, cmap)
    assert parts == {
        fonts.MAIN: frozenset(map(ord, "Aa~가")),
        "Ext": frozenset(map(ord, "Łő")),
        "Rare": frozenset(map(ord, "똠")),
    }


def test_licences_are_shipped() -> None:
    licences = REPO / "toolkit" / "data" / "licenses"
    for name in ("NotoSansKR-OFL.txt", "NotoSans-OFL.txt"):
        text = (licences / name).read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in text
    readme = (licences / "README.txt").read_text(encoding="utf-8")
    assert "Noto Sans KR" in readme and "embeds" in readme
    kr_src = fonts.SOURCES["noto-sans-kr"].path().with_name("OFL.txt").read_bytes()
    assert (
        hashlib.sha256(kr_src).digest()
        == hashlib.sha256((licences / "NotoSansKR-OFL.txt").read_bytes()).digest()
    )


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) not installed: apt-get install poppler-utils",
)


def _pdf_fonts_and_text(data: bytes, tmp: Path) -> tuple[list[str], str]:
    path = tmp / "out.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = sorted(row.split()[0].split("+")[-1] for row in listing.splitlines()[2:] if row.strip())
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True)
    return names, text.stdout


@needs_poppler
def test_a_lazy_part_is_made_and_embedded_only_when_a_document_uses_it(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small stand-in for Noto Sans KR's rare-Hangul/Hanja parts: Latin Extended-A
    lives in a part of its own, so a document without it never waits for it."""
    from toolkit.core.document import Block, Meta, Release
    from toolkit.render import pdf
    from toolkit.render.style import HouseStyle

    sans = dataclasses.replace(
        fonts.SOURCES["noto-sans"],
        ps_base="PPTestSans",  # not the real font's names: reportlab's registry is global
        ranges=((0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F)),
        parts=(fonts.Part("Ext", ((0x100, 0x17F),)),),
    )
    monkeypatch.setattr(fonts, "SOURCES", {**fonts.SOURCES, "noto-sans": sans})
    monkeypatch.setattr(pdf, "_FACES", {})
    style = HouseStyle()

    def release(text: str) -> Release:
        meta = Meta(title="Forum", lang="en", organization="Changwon Special City")
        return Release(meta=meta, body=(Block("paragraph", text, line=5),), source_path="x.en.md")

    plain, _ = _pdf_fonts_and_text(pdf.render_pdf(release("Partners from Zürich joined."), style), tmp_path)
    assert plain == ["PPTestSans-Bold", "PPTestSans-Regular"]
    assert not fonts.instance_path(sans, 400, "Ext").exists()  # never made

    names, text = _pdf_fonts_and_text(pdf.render_pdf(release("Partners from Łódź joined."), style), tmp_path)
    assert names == ["PPTestSans-Bold", "PPTestSans-Regular", "PPTestSansExt-Regular"]
    assert "Partners from Łódź joined." in text
    assert fonts.instance_path(sans, 400, "Ext").exists()
    assert not fonts.instance_path(sans, 700, "Ext").exists()  # no bold Ł in the document


@needs_poppler
def test_noto_sans_other_scripts_wait_in_their_own_part(tmp_path: Path) -> None:
    """The real Latin font: its main instance holds what a release writes (Vietnamese
    names, Greek letters, symbols); Cyrillic waits in the "Extended" part, made the
    first time a document needs it, in the PDF and in the DOCX's embedded font."""
    from toolkit.core.document import Block, Meta, Release
    from toolkit.render import pdf
    from toolkit.render.docx import render_docx
    from toolkit.render.docx_fonts import deobfuscate
    from toolkit.render.style import HouseStyle

    sans = fonts.SOURCES["noto-sans"]
    parts = fonts.coverage(sans)
    main = set(TTFont(str(fonts.ensure_instance(sans, 400)), lazy=True).getBestCmap())
    assert main == set(parts[fonts.MAIN])
    assert {ord(c) for c in "Łźő Nguyễn α µ Ω € № ½ ™ ‰"} <= main
    assert {ord(c) for c in "Рособоронэкспорт"} <= set(parts["Extended"])
    assert not main & set(parts["Extended"])
    assert len(main) < len(parts["Extended"])  # most of the font's code points wait

    text = "Rosoboronexport (Рособоронэкспорт) and Nguyễn Văn An met in Changwon."
    meta = Meta(title="Forum", lang="en", organization="Changwon Special City")
    release = Release(meta=meta, body=(Block("paragraph", text, line=5),), source_path="x.en.md")
    names, extracted = _pdf_fonts_and_text(pdf.render_pdf(release, HouseStyle()), tmp_path)
    assert "NotoSansExtended-Regular" in names
    assert text in " ".join(extracted.split())

    with zipfile.ZipFile(io.BytesIO(render_docx(release, HouseStyle()))) as docx:
        table = docx.read("word/fontTable.xml").decode()
        rels = docx.read("word/_rels/fontTable.xml.rels").decode()
        start = table.index('<w:font w:name="Noto Sans">')
        font = table[start : table.index("</w:font>", start)]
        key = font.split('w:embedRegular r:id="', 1)[1].split('"')[2]
        rid = font.split('w:embedRegular r:id="', 1)[1].split('"')[0]
        target = rels.split(f'Id="{rid}"', 1)[1].split('Target="', 1)[1].split('"')[0]
        raw = deobfuscate(docx.read("word/" + target), key)
    cmap = TTFont(io.BytesIO(raw)).getBestCmap()
    assert {ord(c) for c in text if not c.isspace()} <= set(cmap)  # Cyrillic included


def _embedded_cmap(docx: zipfile.ZipFile, family: str) -> set[int]:
    from toolkit.render.docx_fonts import deobfuscate

    table = docx.read("word/fontTable.xml").decode()
    rels = docx.read("word/_rels/fontTable.xml.rels").decode()
    start = table.index(f'<w:font w:name="{family}">')
    font = table[start : table.index("</w:font>", start)]
    key = font.split('w:embedRegular r:id="', 1)[1].split('"')[2]
    rid = font.split('w:embedRegular r:id="', 1)[1].split('"')[0]
    target = rels.split(f'Id="{rid}"', 1)[1].split('Target="', 1)[1].split('"')[0]
    return set(TTFont(io.BytesIO(deobfuscate(docx.read("word/" + target), key))).getBestCmap())


def _run_fonts(document_xml: str) -> dict[str, str]:
    """Each run's text → the font its w:ascii names."""
    import re

    found: dict[str, str] = {}
    for run in re.findall(r"<w:r>(.*?)</w:r>", document_xml, flags=re.S):
        text, font = re.search(r"<w:t[^>]*>(.*?)</w:t>", run), re.search(r'w:ascii="([^"]+)"', run)
        if text and font:
            found[text.group(1)] = font.group(1)
    return found


def test_a_korean_docx_sets_latin_extended_letters_in_an_embedded_font_that_has_them() -> None:
    """Noto Sans KR has no Ł or ź: a Korean DOCX named only it and embedded only it, so
    '우치(Łódź)' (in a bundled sample) came out in the reader's substitute font."""
    from toolkit.core.document import Block, Meta, Release
    from toolkit.render.docx import render_docx
    from toolkit.render.style import HouseStyle

    korean = set().union(*fonts.coverage(fonts.SOURCES["noto-sans-kr"]).values())
    assert not {ord("Ł"), ord("ź")} & korean
    lodz = "폴란드 우치(Łódź)의 기업과 협약을 맺었다."
    meta = Meta(title="협약", lang="ko", organization="창원특례시")
    body = (Block("paragraph", lodz, line=5), Block("paragraph", "끝."))
    release = Release(meta=meta, body=body, source_path="x.ko.md")
    with zipfile.ZipFile(io.BytesIO(render_docx(release, HouseStyle()))) as docx:
        run_fonts = _run_fonts(docx.read("word/document.xml").decode())
        assert (run_fonts[lodz], run_fonts["끝."]) == ("Noto Sans", "Noto Sans KR")
        assert {ord(c) for c in "Łódź"} <= _embedded_cmap(docx, "Noto Sans")
        assert {ord(c) for c in "폴란드끝"} <= _embedded_cmap(docx, "Noto Sans KR")


def test_first_run_instances_made_in_parallel_are_the_sequential_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prepare_instances (a first build) makes every main instance at once in worker
    processes, and the Latin italic when cores are spare: the same files, byte for byte,
    as one process making them one after another; on one core, no italic yet."""
    italic = dataclasses.replace(fonts.ITALIC_SOURCE, ranges=((0x20, 0x7E),))
    monkeypatch.setattr(fonts, "SOURCES", {"noto-sans": SMALL})
    monkeypatch.setattr(fonts, "ITALIC_SOURCE", italic)
    made: dict[str, dict[str, bytes]] = {}
    for jobs in (2, 1):
        monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(tmp_path / f"jobs-{jobs}"))
        assert not fonts.fonts_cached()
        fonts.prepare_instances(jobs)
        assert fonts.fonts_cached()
        made[str(jobs)] = {p.name: p.read_bytes() for p in fonts.cache_dir().glob("*.ttf")}
    monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(tmp_path / "sequential"))
    sequential = {
        path.name: path.read_bytes()
        for path in (fonts.ensure_instance(SMALL, 400), fonts.ensure_instance(SMALL, 700))
    }
    italic_path = fonts.ensure_instance(italic, 400)
    assert made["1"] == sequential  # one core: the italic waits for a document with italics
    assert made["2"] == {**sequential, italic_path.name: italic_path.read_bytes()}
