"""Reading release sources: formats, encodings, validation errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.core.errors import SourceError
from toolkit.core.inline import plain
from toolkit.sources import decode_source, detect_lang, discover, load_release

SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "asiae-k-defense-forum.txt"

KO_MD = """---
title: 창원특례시, K-방산 미래혁신 포럼 개최
subtitle: 방산 중소기업 28개사 제품 전시
date: 2026-11-05
dateline: 창원
lang: ko
organization: 창원특례시
department: 방위산업과
contact: |
  방위산업과 김하늘 주무관
  055-225-0000
---

창원특례시는 5일 창원컨벤션센터에서 포럼을 열었다.
이 포럼에는 250여 명이 참석했다.

## 포럼 프로그램

- 제1세션: 미래전
- 제2세션: 부품 국산화

> 홍남표 시장은 “방산 기업과 함께하겠다”고 말했다.

## 창원특례시 소개

창원특례시는 경상남도의 도청 소재지이다.
"""


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


class TestMarkdown:
    def test_front_matter_and_blocks(self, tmp_path: Path) -> None:
        lr = load_release(write(tmp_path, "r.md", KO_MD))
        r = lr.release
        assert r.meta.title == "창원특례시, K-방산 미래혁신 포럼 개최"
        assert r.meta.subtitle == "방산 중소기업 28개사 제품 전시"
        assert r.meta.date == dt.date(2026, 11, 5)
        assert r.meta.lang == "ko"
        assert r.meta.contact == "방위산업과 김하늘 주무관\n055-225-0000"
        assert [(b.kind, b.text) for b in r.body] == [
            (
                "paragraph",
                "창원특례시는 5일 창원컨벤션센터에서 포럼을 열었다. 이 포럼에는 250여 명이 참석했다.",
            ),
            ("heading", "포럼 프로그램"),
            ("list_item", "제1세션: 미래전"),
            ("list_item", "제2세션: 부품 국산화"),
            ("quote", "홍남표 시장은 “방산 기업과 함께하겠다”고 말했다."),
        ]
        assert r.about_title == "창원특례시 소개"
        assert [b.text for b in r.about] == ["창원특례시는 경상남도의 도청 소재지이다."]
        assert lr.warnings == ()

    def test_bom_and_crlf_read_like_lf(self, tmp_path: Path) -> None:
        plain = load_release(write(tmp_path, "a.md", KO_MD)).release
        excel = load_release(
            write(tmp_path, "b.md", b"\xef\xbb\xbf" + KO_MD.replace("\n", "\r\n").encode())
        ).release
        assert excel.meta == plain.meta
        assert excel.body == plain.body

    def test_cp949_is_decoded_not_mojibake(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.md", KO_MD.encode("cp949"))
        lr = load_release(path)
        assert lr.release.meta.title == "창원특례시, K-방산 미래혁신 포럼 개최"
        assert any("EUC-KR" in w.what or "CP949" in w.what for w in lr.warnings)

    def test_lang_detected_when_absent(self, tmp_path: Path) -> None:
        text = "---\ntitle: Changwon hosts forum\n---\n\nChangwon Special City held a forum on Nov. 5.\n"
        assert load_release(write(tmp_path, "e.md", text)).release.meta.lang == "en"
        assert detect_lang("창원특례시는 포럼을 열었다. K9") == "ko"

    def test_raw_html_is_text_and_entities_are_characters(self, tmp_path: Path) -> None:
        text = (
            '---\ntitle: "<font size=40>Big</font>"\nlang: en\n---\n\n'
            'See <img src="/etc/passwd"/> &amp; *stars* &#8212; \\*not\\*.\n'
        )
        r = load_release(write(tmp_path, "x.md", text)).release
        assert r.meta.title == "<font size=40>Big</font>"  # meta is plain text
        assert r.body[0].text == 'See <img src="/etc/passwd"/> & *stars* — \\*not\\*.'
        assert plain(r.body[0].text) == 'See <img src="/etc/passwd"/> & stars — *not*.'

    def test_copyright_paragraph_stays_body_text(self, tmp_path: Path) -> None:
        """Regression: a last paragraph starting "Copyright" silently became the page footer."""
        text = (
            "---\ntitle: T\nlang: en\n---\n\nBody text here.\n\n"
            "Copyright 2026 Example Org. All rights reserved.\n\n© Photo: Example News\n"
        )
        r = load_release(write(tmp_path, "c.md", text)).release
        assert r.meta.copyright == ""  # the footer comes only from the 'copyright:' key
        assert [b.text for b in r.body] == [
            "Body text here.",
            "Copyright 2026 Example Org. All rights reserved.",
            "© Photo: Example News",
        ]


class TestPlainText:
    SEED_SHAPE = (
        "Changwon Special City Opens Defense Forum\n"
        "Changwon Special City held a forum at the Changwon Convention Center on the 5th.\n"
        "About 250 people attended.\n"
        "ⓒ Example News. All rights reserved.\n\n\n"
    )

    def test_seed_shape(self, tmp_path: Path) -> None:
        r = load_release(write(tmp_path, "seed.txt", self.SEED_SHAPE)).release
        assert r.meta.title == "Changwon Special City Opens Defense Forum"
        assert [b.text for b in r.body] == [
            "Changwon Special City held a forum at the Changwon Convention Center on the 5th.",
            "About 250 people attended.",
        ]
        assert r.meta.copyright == "ⓒ Example News. All rights reserved."
        assert r.meta.lang == "en"

    def test_text_is_literal_even_with_markup_characters(self, tmp_path: Path) -> None:
        path = write(tmp_path, "m.txt", "Headline *here*\n3 * 4 = 12, a_b, [1] <b>x</b> &amp; `c`\n")
        r = load_release(path).release
        assert r.meta.title == "Headline *here*"
        (block,) = r.body
        assert plain(block.text) == "3 * 4 = 12, a_b, [1] <b>x</b> &amp; `c`"

    @pytest.mark.skipif(not SHARED_SEED.exists(), reason="../shared is not beside the project")
    def test_real_seed(self) -> None:
        r = load_release(SHARED_SEED).release
        assert r.meta.title.startswith("Discussion on Defense Export Strategy")
        assert r.meta.copyright.startswith("©")
        assert len(r.body) == 6


class TestDocx:
    def test_word_document(self, tmp_path: Path) -> None:
        import docx

        d = docx.Document()
        d.add_heading("창원특례시, 방산 포럼 개최", level=0)
        d.add_paragraph("창원특례시는 포럼을 열었다.")
        d.add_heading("프로그램", level=2)
        d.add_paragraph("제1세션: *핵심* [부품] 국산화", style="List Bullet")
        d.add_paragraph("ⓒ 창원특례시. 무단 전재 및 재배포 금지")
        path = tmp_path / "word.docx"
        d.save(str(path))
        r = load_release(path).release
        assert r.meta.title == "창원특례시, 방산 포럼 개최"
        assert r.meta.lang == "ko"
        assert [(b.kind, plain(b.text)) for b in r.body] == [
            ("paragraph", "창원특례시는 포럼을 열었다."),
            ("heading", "프로그램"),
            ("list_item", "제1세션: *핵심* [부품] 국산화"),  # typed characters, not markup
            ("paragraph", "ⓒ 창원특례시. 무단 전재 및 재배포 금지"),  # the footer rule is plain text's
        ]
        assert r.body[2].text == "제1세션: \\*핵심\\* \\[부품] 국산화"
        assert r.meta.copyright == ""

    def test_corrupt_docx(self, tmp_path: Path) -> None:
        path = write(tmp_path, "bad.docx", b"PK\x03\x04 not really a zip")
        with pytest.raises(SourceError) as info:
            load_release(path)
        assert "not a readable Word .docx file" in str(info.value)


_FRONT = "---\ntitle: 시험\nlang: ko\ndate: 2026-11-05\ndateline: 창원\norganization: 창원특례시\n---\n\n"


class TestControlCharacters:
    """Text copied out of Word carries VT (its manual line break) and FF; a pasted bidi
    override reverses the text after it in Word and HWP. Line numbers are the editor's."""

    def test_line_break_controls_keep_words_apart(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.md", _FRONT + "두 번째\v단락은\f세 번째\x85문장이다.\n")
        lr = load_release(path)
        assert [plain(b.text) for b in lr.release.body] == ["두 번째 단락은 세 번째 문장이다."]
        assert lr.warnings == ()

    def test_other_controls_and_bidi_overrides_are_removed_with_a_warning(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.md", _FRONT + "벨\a 소리.\n\n역\u202e순\u2066 글.\n\n날짜: 2026-13-45\n")
        lr = load_release(path)
        assert [plain(b.text) for b in lr.release.body] == ["벨 소리.", "역순 글.", "날짜: 2026-13-45"]
        assert [w.format() for w in lr.warnings] == [
            f"{path}:9: a control character (U+0007) removed (control characters print nothing) — "
            "nothing else changed; delete them in the source to silence this warning",
            f"{path}:11: 2 bidirectional override characters (U+202E, U+2066) removed (an override "
            "reverses the text after it in Word and HWP) — nothing else changed; delete them in the "
            "source to silence this warning",
        ]


class TestBadInput:
    def errors(self, path: Path) -> list[str]:
        with pytest.raises(SourceError) as info:
            load_release(path)
        return [p.format() for p in info.value.problems if p.severity == "error"]

    def test_empty(self, tmp_path: Path) -> None:
        path = write(tmp_path, "empty.md", "  \n")
        assert self.errors(path) == [f"{path}: file is empty — write the release text into it"]

    def test_binary(self, tmp_path: Path) -> None:
        path = write(tmp_path, "bin.md", bytes(range(256)) * 4)
        assert self.errors(path) == [
            f"{path}: binary file, not a text release — give a .md, .txt or .docx release "
            "(Word files must end in .docx)"
        ]

    def test_missing_title_and_invalid_date_reported_together(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.md", "---\nlang: en\ndate: 2026-13-45\n---\n\nBody.\n")
        assert self.errors(path) == [
            f"{path}:1: missing title — add 'title: <headline>' to the front matter",
            f"{path}:3: invalid date '2026-13-45' — use an ISO date such as date: 2026-11-05",
        ]

    def test_unknown_key_is_a_warning(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.md", "---\ntitle: T\nlang: en\nauthr: me\n---\n\nBody.\n")
        lr = load_release(path)
        assert [w.format() for w in lr.warnings] == [
            f"{path}:4: unknown front matter key 'authr' (ignored) — known keys: "
            "title, subtitle, date, dateline, lang, organization, copyright, contact, embargo, "
            "department, manager, manager_phone, contact_person, contact_phone, contact_email, "
            "release_time, distribution, translation_of"
        ]

    def test_typo_key_gets_a_suggestion(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.md", "---\ntitle: T\nlang: en\nsubtitel: S\n---\n\nBody.\n")
        (w,) = load_release(path).warnings
        assert (
            w.format()
            == f"{path}:4: unknown front matter key 'subtitel' (ignored) — did you mean 'subtitle'?"
        )

    def test_bad_yaml_points_at_line(self, tmp_path: Path) -> None:
        path = write(tmp_path, "r.md", "---\ntitle: T\nlang: [en\n---\n\nBody.\n")
        (msg,) = self.errors(path)
        assert msg.startswith(f"{path}:")
        assert "invalid front matter" in msg

    def test_non_korean_legacy_bytes_refused(self, tmp_path: Path) -> None:
        path = write(tmp_path, "latin.md", "---\ntitle: Café\n---\n\nCrème brûlée.\n".encode("latin-1"))
        (msg,) = self.errors(path)
        assert "not valid UTF-8" in msg and "save" in msg

    def test_decode_utf16_with_bom(self, tmp_path: Path) -> None:
        path = write(tmp_path, "u16.txt", "제목\n본문입니다.\n".encode("utf-16"))
        assert decode_source(path).text == "제목\n본문입니다.\n"


class TestDiscover:
    def test_release_folders(self, tmp_path: Path) -> None:
        a = tmp_path / "releases" / "a"
        a.mkdir(parents=True)
        write(a, "release.ko.md", KO_MD)
        write(a, "notes.txt", "not a release")
        b = tmp_path / "releases" / "b"
        b.mkdir()
        write(b, "release.en.md", "---\ntitle: T\n---\n\nBody.\n")
        sets = discover([tmp_path / "releases"])
        assert [(s.name, sorted(s.files)) for s in sets] == [("a", ["ko"]), ("b", ["en"])]

    def test_missing_path(self, tmp_path: Path) -> None:
        with pytest.raises(SourceError) as info:
            discover([tmp_path / "nope"])
        assert str(info.value) == f"{tmp_path / 'nope'}: no such file or folder — check the path"
