"""core.normalize: NFC, the matching view with its offset map, suspicious text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from toolkit.core.normalize import for_matching, is_clean, nfc, suspicious

NFD = unicodedata.normalize("NFD", "창원시는 K9 자주포를")


def test_nfc_composes_macos_hangul() -> None:
    assert NFD != "창원시는 K9 자주포를"
    assert nfc(NFD) == "창원시는 K9 자주포를"
    assert nfc("plain") == "plain"


def test_matching_view_spaces_zero_width_full_width() -> None:
    assert for_matching("K9\u00a0자주포")[0] == "K9 자주포"
    assert for_matching("K9\u3000자주포")[0] == "K9 자주포"
    assert for_matching("K9 \u2009  자주포")[0] == "K9 자주포"
    assert for_matching("K9\t자주포\u2028다음 줄")[0] == "K9 자주포\n다음 줄"  # lines stay lines
    assert for_matching("K9\u200b자주포")[0] == "K9자주포"
    assert for_matching("\ufeffＫＦ－２１")[0] == "KF-21"
    assert for_matching("러ㆍ우 전쟁")[0] == "러·우 전쟁"
    assert for_matching("부전–마산")[0] == "부전-마산"
    assert for_matching(NFD)[0] == "창원시는 K9 자주포를"


def test_offset_map_points_back_into_the_original() -> None:
    original = "가\u200b\u00a0\u00a0K9\u3000자주포는"
    view, mapping = for_matching(original)
    assert view == "가 K9 자주포는"
    start = view.index("K9")
    a, b = mapping.span(start, start + len("K9 자주포"))
    assert original[a:b] == "K9\u3000자주포"
    assert mapping.position(len(view)) == len(original)
    view, mapping = for_matching(NFD)
    start = view.index("자주포")
    a, b = mapping.span(start, start + 3)
    assert nfc(NFD[a:b]) == "자주포"


def test_clean_text_is_returned_as_is() -> None:
    text = "창원특례시는 방위사업청과 협약을 맺었다."
    assert is_clean(text)
    view, mapping = for_matching(text)
    assert view is text and mapping.identity
    assert not is_clean("a\u00a0b") and not is_clean(NFD) and not is_clean("a  b")


_TRICKY = st.sampled_from(
    [
        *("가", "각", "a", "B", "1", " ", "\u00a0", "\u3000", "\u200b", "\u00ad", "\n", "\t"),
        *("Ｋ", "－", "ㆍ", "–", unicodedata.normalize("NFD", "한"), "e\u0301", "\u1100", "\u1161", "\u11a8"),
    ]
)


@given(st.lists(_TRICKY, max_size=30).map("".join))
def test_every_view_character_comes_from_its_mapped_original(text: str) -> None:
    view, mapping = for_matching(text)
    previous = 0
    for index, char in enumerate(view):
        a, b = mapping.span(index, index + 1)
        assert previous <= a < b <= len(text)  # monotonic, inside the text
        previous = a
        piece = for_matching(text[a:b])[0]
        if char == " ":
            assert piece.strip() == "" or " " in piece
        else:
            assert char in piece
    assert mapping.position(len(view)) <= len(text)


@given(st.lists(_TRICKY, max_size=30).map("".join))
def test_matching_view_is_idempotent(text: str) -> None:
    view = for_matching(text)[0]
    assert for_matching(view)[0] == view


def test_suspicious_reports_each_kind_with_its_line() -> None:
    text = "첫 줄은 정상이다.\n¡°북한¡± 관리는\n2 &#8212; 3\nCafÃ© and â€™\n" + NFD
    assert suspicious(text) == [
        (2, "looks like mojibake ('¡°')"),
        (3, "contains the HTML entity '&#8212;', which prints literally"),
        (4, "looks like mojibake ('Ã©')"),
        (5, "Hangul is decomposed (NFD, as macOS writes it); read as NFC"),
    ]
    assert suspicious("2 &amp; 3", entities=False) == []
    assert suspicious("UTF-8 read as Latin-1: ì°½ì›") == [(1, "looks like mojibake ('ì°½')")]


def test_suspicious_is_quiet_on_real_text() -> None:
    ordinary = (
        "São Paulo, Zürich, Łódź, café — “quoted” ‘text’ … ¡Hola! 5 °C, ± 2, Ⅲ, ①, ㈜, ·, ㆍ\n"
        "창원특례시는 6일 K9 자주포 12문을 인도했다. R&D 예산 & 인력"
    )
    assert suspicious(ordinary) == []
