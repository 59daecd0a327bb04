"""Inline markup through machine translation (mt/markup.py) and the photo checks (sources/images.py).

The engine must see visible text with tags it can copy; bold, italics, links
and code come back exactly when it copies them, and nothing (no word, URL or
code) is lost when it does not.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from toolkit.cli import main
from toolkit.core.document import Block
from toolkit.core.inline import Span, plain, to_inline
from toolkit.mt.enforce import machine_translate
from toolkit.mt.markup import TAG_RE, decode, encode, strip
from toolkit.sources import images
from toolkit.sources.images import check_images, load_picture
from toolkit.terminology.glossary import load_glossary
from toolkit.terminology.matcher import Matcher

WORD = st.text(alphabet="가나다창원 abcXYZ09.,!?()·-", min_size=1, max_size=8)
URL = st.sampled_from(["https://www.changwon.go.kr", "https://x.kr/a?b=1&c=2", "mailto:pr@changwon.go.kr"])


@st.composite
def spans(draw: st.DrawFn) -> list[Span]:
    out = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["plain", "bold", "italic", "both", "code", "link", "break"]))
        text = draw(WORD)
        if kind == "break":
            out.append(Span("", line_break=True))
        elif kind == "code":
            out.append(Span(text.strip() or "x", code=True))
        elif kind == "link":
            out.append(Span(text, href=draw(URL)))
        else:
            out.append(Span(text, bold=kind in ("bold", "both"), italic=kind in ("italic", "both")))
        out.append(Span(" "))
    return out


@settings(max_examples=200, deadline=None)
@given(runs=spans())
def test_copied_tags_give_back_the_exact_markup(runs: list[Span]) -> None:
    segment = to_inline(runs)
    tagged = encode(segment)
    assert decode(tagged.text, tagged) == segment
    # the engine never sees a URL or code, only visible words and tags
    for span in runs:
        if span.href and span.text.strip() != span.href:
            assert span.href not in tagged.text
        if span.code:
            assert "<c" in tagged.text
    assert "**" not in tagged.text and "](" not in tagged.text


@settings(max_examples=200, deadline=None)
@given(runs=spans(), cut=st.integers(0, 40))
def test_broken_tags_are_rejected_and_strip_keeps_every_word_url_and_code(runs: list[Span], cut: int) -> None:
    segment = to_inline(runs)
    tagged = encode(segment)
    tags = TAG_RE.findall(tagged.text)
    if not tags:
        return
    lost = tags[cut % len(tags)]
    broken = tagged.text.replace(lost, "", 1)
    assert decode(broken, tagged) is None
    kept = strip(broken, tagged)
    visible = plain(kept)
    for word in TAG_RE.sub(" ", tagged.text).split():
        assert word in visible
    for slot in tagged.slots:
        if not slot.span.line_break:
            assert slot.span.text in visible  # code and verbatim URLs come back, lost or not


def test_raw_tag_like_text_is_never_taken_for_markup() -> None:
    segment = to_inline([Span("원문 <b>굵게</b> 그대로 "), Span("진짜", bold=True)])
    tagged = encode(segment)
    assert tagged.text.count("<b>") == 1  # only the real bold
    assert decode(tagged.text, tagged) == segment


def _copy(batch: list[str], n: int) -> list[list[str]]:
    return [[s] * n for s in batch]


def test_n_best_picks_the_hypothesis_that_kept_the_tags() -> None:
    segment = "시는 **5일** [포럼](https://www.changwon.go.kr)을 열었다."

    def engine(batch: list[str], n: int) -> list[list[str]]:
        return [
            ["The city held the forum on the 5th.", "The city held <a1>the forum</a1> on <b>the 5th</b>."]
        ]

    out, findings = machine_translate([segment], engine, None, "en", markup=True)
    assert out == ["The city held [the forum](https://www.changwon.go.kr) on **the 5th**."]
    assert findings == []


def test_markup_lost_keeps_the_words_and_warns() -> None:
    segment = "명령은 `presspack build`이고 [안내](https://www.changwon.go.kr/guide)를 보라."

    def engine(batch: list[str], n: int) -> list[list[str]]:
        return [["The command is and see the guide."] * n]  # tags and the placeholder gone

    out, findings = machine_translate([segment], engine, None, "en", markup=True)
    assert out == ["The command is and see the guide. `presspack build`"]
    assert [(f.check, f.severity) for f in findings] == [("markup-lost", "warning")]
    assert "link https://www.changwon.go.kr/guide" in findings[0].message


def test_glossary_terms_are_enforced_inside_formatting(tmp_path: Path) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("ko,en,category,note\n창원시,Changwon Special City,place,\n", "utf-8")
    matcher = Matcher(load_glossary(glossary), "ko")
    out, findings = machine_translate(["**창원시**는 포럼을 열었다."], _copy, matcher, "en", markup=True)
    assert out == ["**Changwon Special City**는 포럼을 열었다."]
    assert not [f for f in findings if f.severity != "info"]


@pytest.mark.usefixtures("copy_models")
def test_translate_a_rich_release_with_the_copy_model(tmp_path: Path) -> None:
    src = tmp_path / "release.ko.md"
    src.write_text(
        "---\ntitle: 창원특례시 포럼\nlang: ko\ndepartment: 방위산업과\nmanager: 과장 김철수\n"
        "manager_phone: 055-225-2000\ncontact_person: 주무관 김하늘\ncontact_phone: 055-225-2001\n---\n\n"
        "시는 **5일** *방산* 포럼을 [열었다](https://www.changwon.go.kr/forum). 명령 `pp build`.\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["translate", str(src), "--to", "en"])
    assert result.exit_code == 0, result.output
    out = (tmp_path / "release.en.md").read_text("utf-8")
    assert "시는 **5일** *방산* 포럼을 [열었다](https://www.changwon.go.kr/forum). 명령 `pp build`." in out
    assert "manager_phone: 055-225-2000" in out and "contact_phone: 055-225-2001" in out
    assert "manager: 과장 김철수" in out  # a unit of the memory (translated; the copy model copies)
    assert "markup-lost" not in result.output


# ----------------------------------------------------------------- front matter: contact keys


def test_contact_keys_are_validated_with_lines(tmp_path: Path) -> None:
    src = tmp_path / "bad.md"
    src.write_text(
        "---\ntitle: 제목\nlang: ko\ncontact: 홍길동\nmanager: 과장 김철수\nmanager_phone: 전화해\n"
        "contact_phone: 055-225-2001\ncontact_email: not-an-email\n---\n\n본문.\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:4] == [
        f"Error: {src}:4: both 'contact' and manager, manager_phone, contact_phone, contact_email are given"
        " — keep one: the free-text 'contact' or the structured keys (manager, contact_person, …)",
        f"Error: {src}:6: manager_phone '전화해' is not a phone number"
        " — write digits with - or spaces, e.g. manager_phone: 055-225-2000 (or +82-55-225-2000)",
        f"Error: {src}:7: contact_phone without contact_person"
        " — add 'contact_person: <title and name>' (e.g. contact_person: 주무관 이영희)",
        f"Error: {src}:8: contact_email 'not-an-email' is not an e-mail address — write name@host.kr",
    ]
    assert not (tmp_path / "out" / "bad").exists()


# ----------------------------------------------------------------- photos


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "rel"
    folder.mkdir()
    Image.new("RGB", (40, 30), "navy").save(folder / "ok.png")
    Image.new("RGB", (40, 30), "navy").save(folder / "ok.webp", format="WEBP", lossless=True)
    Image.new("RGB", (40, 30), "navy").save(folder / "old.gif")
    good = io.BytesIO()
    Image.new("RGB", (400, 300), "teal").save(good, format="JPEG")
    (folder / "cut.jpg").write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
    (folder / "notes.png").write_text("not an image", "utf-8")
    (tmp_path / "secret.png").write_bytes((folder / "ok.png").read_bytes())
    os.symlink(tmp_path / "secret.png", folder / "link.png")
    return folder


def test_photo_checks_name_the_problem_and_the_line(photos: Path) -> None:
    srcs = [
        "ok.png",
        "ok.webp",
        "old.gif",
        "cut.jpg",
        "notes.png",
        "../secret.png",
        "/etc/passwd",
        "link.png",
        "no.jpg",
    ]
    blocks = [Block("image", "캡션", src=src, line=10 + i) for i, src in enumerate(srcs)]
    problems = check_images(photos / "release.ko.md", blocks)
    assert [(p.line, p.what) for p in problems] == [
        (12, "photo 'old.gif' is GIF, not PNG, JPEG or WebP"),
        (13, "photo 'cut.jpg' is damaged (it cannot be decoded to the end)"),
        (14, "photo 'notes.png' is not a readable PNG, JPEG or WebP image"),
        (15, "photo '../secret.png' points outside the release folder"),
        (16, "photo '/etc/passwd' is not a path inside the release folder"),
        (17, "photo 'link.png' points outside the release folder"),
        (18, "photo 'no.jpg' not found"),
    ]
    assert all(p.file == str(photos / "release.ko.md") for p in problems)


def test_webp_becomes_png_and_png_is_kept_byte_for_byte(photos: Path) -> None:
    png = load_picture(photos, "ok.png")
    assert png.format == "png" and png.data == (photos / "ok.png").read_bytes()
    webp = load_picture(photos, "ok.webp")
    assert webp.format == "png" and webp.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (webp.width, webp.height) == (40, 30)
    images._CHECKED.clear()  # decoded and converted again, not the checked one of this process
    assert load_picture(photos, "ok.webp").data == webp.data  # deterministic


def test_a_photo_is_decoded_once_per_file_and_content(photos: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[str] = []
    real = images._decode

    def counting(data: bytes, name: str, *, embedded: bool = False) -> images.Picture:
        decoded.append(name)
        return real(data, name, embedded=embedded)

    monkeypatch.setattr(images, "_decode", counting)
    images._CHECKED.clear()
    first = [load_picture(photos, "ok.png") for _ in range(4)]  # each language and renderer
    assert decoded == ["ok.png"] and len(set(first)) == 1
    copy = photos.parent / "other-release"
    copy.mkdir()
    (copy / "ok.png").write_bytes((photos / "ok.png").read_bytes())
    assert load_picture(copy, "ok.png") == first[0]
    assert decoded == ["ok.png", "ok.png"]  # another release's copy is checked for itself
    (photos / "ok.png").write_bytes((photos / "cut.jpg").read_bytes())  # saved again, cut short
    with pytest.raises(images.ImageError) as caught:
        load_picture(photos, "ok.png")
    assert caught.value.what == "photo 'ok.png' is damaged (it cannot be decoded to the end)"


def test_checked_photos_kept_are_bounded_in_bytes(photos: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images._CHECKED.clear()
    png = load_picture(photos, "ok.png")
    monkeypatch.setattr(images, "_CHECKED_BYTES", len(png.data) + 10)
    webp = load_picture(photos, "ok.webp")  # a PNG of about the same size: both do not fit
    assert [p.data for p in images._CHECKED.values()] == [webp.data]  # the newest stays
    assert load_picture(photos, "ok.png") == png  # checked again
    assert [p.data for p in images._CHECKED.values()] == [png.data]


def test_pixel_cap_is_enforced_before_decoding(photos: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_LIMIT_IMAGE_PIXELS", "1000")
    problems = check_images(photos / "r.md", [Block("image", "", src="ok.png", line=3)])
    assert [p.what for p in problems] == [
        "photo 'ok.png' (40 × 30 pixels) exceeds the 1,000 pixels limit (image_pixels)"
    ]


def test_a_huge_photo_gets_only_presspacks_message(photos: Path) -> None:
    """Pillow warns of a 10000 × 10000 image as it opens it: its raw DecompressionBombWarning
    printed to stderr before presspack's own image_pixels error."""
    import struct
    import warnings
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 10_000, 10_000, 8, 2, 0, 0, 0)  # only the header is read
    (photos / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        problems = check_images(photos / "r.md", [Block("image", "", src="big.png", line=3)])
    assert [p.what for p in problems] == [
        "photo 'big.png' (10000 × 10000 pixels) exceeds the 50,000,000 pixels limit (image_pixels)"
    ]
    assert [str(w.category.__name__) for w in seen] == []


# ----------------------------------------------------------------- sentences of inline Markdown


def test_sentences_keep_their_own_markup() -> None:
    from toolkit.mt.markup import sentences

    assert sentences("시는 **5일 포럼을 열었다. 참석자는 250명이다**. 끝이다.", "ko") == [
        "시는 **5일 포럼을 열었다.**",
        "**참석자는 250명이다**.",
        "끝이다.",
    ]
    # a hard break stays inside its sentence; a period inside code does not end one
    assert sentences("Line one\\\nline two. Run `a.b` now. Bye.", "en") == [
        "Line one\\\nline two.",
        "Run `a.b` now.",
        "Bye.",
    ]
    assert sentences("Plain text. Two sentences.", "en") == ["Plain text.", "Two sentences."]


@settings(max_examples=150, deadline=None)
@given(runs=spans())
def test_sentences_lose_no_visible_character(runs: list[Span]) -> None:
    from toolkit.mt.markup import sentences

    text = to_inline(runs)
    parts = sentences(text, "ko")
    assert "".join("".join(plain(p).split()) for p in parts) == "".join(plain(text).split())
    for part in parts:
        assert encode(part).text.count("<b>") == encode(part).text.count("</b>")


def test_tags_an_engine_bent_still_count() -> None:
    tagged = encode("시는 **5일** [포럼](https://www.changwon.go.kr)을 열었다 `x`.")
    bent = "The city held < a1 >the forum</ a1> on ＜B＞the 5th＜/b＞ <c1 />."
    assert decode(bent, tagged) == "The city held [the forum](https://www.changwon.go.kr) on **the 5th** `x`."
