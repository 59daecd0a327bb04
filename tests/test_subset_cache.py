"""DOCX font subsets: kept on disk by what makes them, byte for byte what fontTools makes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.render import docx_fonts, fonts

TEXT = "".join(sorted(set("창원특례시 방산 수출 Łódź 2026. 10. 19.(월)") | set(docx_fonts.ALWAYS)))


@pytest.fixture
def subsets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "font-subsets"
    monkeypatch.setattr(docx_fonts, "_subset_dir", lambda: folder)
    docx_fonts.subset_font.cache_clear()
    yield folder
    docx_fonts.subset_font.cache_clear()


def fonttools_subset(path: Path, text: str) -> bytes:
    """The subset as fontTools makes it from the instance file, with the renderer's options."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


@pytest.mark.parametrize(("key", "weight"), [("noto-sans-kr", 400), ("noto-sans", 700)])
def test_a_subset_is_fonttools_own(subsets: Path, key: str, weight: int) -> None:
    made = docx_fonts.subset_font(key, weight, TEXT)
    assert made == fonttools_subset(fonts.ensure_instance(fonts.SOURCES[key], weight), TEXT)
    assert len(list(subsets.glob("*.ttf"))) == 1


def test_the_next_process_reads_it(subsets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = docx_fonts.subset_font("noto-sans-kr", 700, TEXT)
    docx_fonts.subset_font.cache_clear()  # as a new process would start

    def must_not_subset(*args: object) -> bytes:
        raise AssertionError("subset made again")

    monkeypatch.setattr(docx_fonts, "_subset_static", must_not_subset)
    assert docx_fonts.subset_font("noto-sans-kr", 700, TEXT) == made
    with pytest.raises(AssertionError, match="made again"):  # other characters: another subset
        docx_fonts.subset_font("noto-sans-kr", 700, TEXT + "가")


def test_a_damaged_subset_is_made_again(subsets: Path) -> None:
    made = docx_fonts.subset_font("noto-sans", 400, TEXT)
    (path,) = subsets.glob("*.ttf")
    raw = bytearray(path.read_bytes())
    raw[100] ^= 0xFF
    path.write_bytes(bytes(raw))
    docx_fonts.subset_font.cache_clear()
    assert docx_fonts.subset_font("noto-sans", 400, TEXT) == made
    assert path.read_bytes()[32:] == made  # and the file is whole again


def test_the_least_recently_used_go_first(subsets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_fonts, "SUBSET_CACHE_FILES", 2)
    for extra in ("가", "나", "다"):
        docx_fonts.subset_font("noto-sans", 400, TEXT + extra)
    assert len(list(subsets.glob("*.ttf"))) == 2
