"""Static font instances, the per-user cache and per-character font fallback."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

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
    assert sorted(p.suffix for p in cache.iterdir() if p.suffix != ".lock") == [".ttf"]
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


def test_real_fonts_cover_korean_and_latin_extended() -> None:
    kr = fonts.ensure_face("noto-sans-kr")
    sans = fonts.ensure_face("noto-sans")
    kr_cmap = set(TTFont(str(kr.regular), lazy=True).getBestCmap())
    sans_cmap = set(TTFont(str(sans.regular), lazy=True).getBestCmap())
    assert set(range(0xAC00, 0xD7A4)) <= kr_cmap  # every Hangul syllable
    assert {ord(c) for c in "ⓒ©—–“”•中韓"} <= kr_cmap
    # Why the fallback exists: Noto Sans KR lacks these, Noto Sans has them.
    for ch in "Łźő":
        assert ord(ch) not in kr_cmap
        assert ord(ch) in sans_cmap
    assert TTFont(str(kr.bold))["OS/2"].usWeightClass == 700


def test_fonts_cached_reflects_the_cache(cache: Path) -> None:
    assert fonts.fonts_cached() is False  # empty cache dir


def test_fonts_fingerprint_is_stable_sha256() -> None:
    first = fonts.fonts_fingerprint()
    assert first == fonts.fonts_fingerprint()
    assert len(first) == 64 and int(first, 16) >= 0


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
