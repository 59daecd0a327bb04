"""Which heading starts the boilerplate (About) section — and which body headings do not.

The About section is the release's last section (only the attachments or the
media contact may follow it), titled with the organization's name ("About
<org>", "<org> 소개", "<org> 개요") or a known title ("회사 개요", "기관 소개",
"Company profile"). A body section called "사업 개요" is body text: before
this rule any heading ending in 개요 or 소개 took the rest of the release
into the boilerplate, which the English translation then printed as "About".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.core.document import Block, Meta, Release
from toolkit.render.docx import render_docx
from toolkit.render.hwpx import render_hwpx
from toolkit.render.style import load_style
from toolkit.sources import load_release
from toolkit.sources.release import about_start

STYLE = load_style(Path(__file__).resolve().parents[1] / "templates", "default")


def release_md(tmp_path: Path, body: str, *, lang: str = "ko", organization: str = "창원특례시") -> Path:
    org = f"organization: {organization}\n" if organization else ""
    path = tmp_path / f"release.{lang}.md"
    title = "창원특례시 포럼 개최" if lang == "ko" else "Changwon hosts forum"
    path.write_text(f"---\ntitle: {title}\nlang: {lang}\n{org}---\n\n{body}", encoding="utf-8")
    return path


def sections(path: Path) -> tuple[list[str], str, list[str]]:
    release = load_release(path).release
    return [b.text for b in release.body], release.about_title, [b.text for b in release.about]


KO_BODY = "창원특례시는 포럼을 열었다.\n\n"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("## 사업 개요\n\n사업 내용.\n\n## 추진 일정\n\n일정 내용.\n", "a body section, mid-release"),
        ("## 추진 일정\n\n일정.\n\n## 사업 개요\n\n사업 내용.\n", "the last section, but names no issuer"),
        ("## 행사 소개\n\n행사 내용.\n", "행사 is no organization"),
        ("## 참여 기관 소개\n\n기관 목록.\n", "two words, neither the issuer's name"),
        ("## 2026 소개\n\n올해 내용.\n", "a number is no name"),
    ],
)
def test_body_headings_that_are_not_the_boilerplate(tmp_path: Path, body: str, why: str) -> None:
    texts, about_title, about = sections(release_md(tmp_path, KO_BODY + body))
    assert (about_title, about) == ("", []), why
    headings = [line[3:] for line in body.splitlines() if line.startswith("## ")]
    assert [t for t in texts if t in headings] == headings  # every one stays in the body


@pytest.mark.parametrize(
    ("body", "title", "organization"),
    [
        ("## 창원특례시 소개\n\n창원은 산업 도시다.\n", "창원특례시 소개", "창원특례시"),
        ("## 창원특례시 개요\n\n창원은 산업 도시다.\n", "창원특례시 개요", ""),  # no organization key
        ("## 회사 개요\n\n방산 기업이다.\n", "회사 개요", "한화에어로스페이스"),
        ("## 기관 소개\n\n공공기관이다.\n", "기관 소개", ""),
        ("## 창원산업진흥원 소개\n\n진흥원이다.\n", "창원산업진흥원 소개", "창원특례시"),  # a partner's
        ("## KAI 소개\n\n항공 기업이다.\n", "KAI 소개", ""),  # a name in Latin letters is a proper name
        # an English name before the Korean word, as an untranslated heading keeps it
        ("## Changwon Special City 소개\n\n창원은 산업 도시다.\n", "Changwon Special City 소개", ""),
    ],
)
def test_korean_boilerplate_headings(tmp_path: Path, body: str, title: str, organization: str) -> None:
    texts, about_title, about = sections(release_md(tmp_path, KO_BODY + body, organization=organization))
    assert about_title == title
    assert len(about) == 1 and title not in texts


@pytest.mark.parametrize(
    "title", ["About Changwon Special City", "About Hanwha Aerospace", "Company profile", "About us"]
)
def test_english_boilerplate_headings(tmp_path: Path, title: str) -> None:
    body = f"Changwon Special City held a forum.\n\n## {title}\n\nA short profile.\n"
    path = release_md(tmp_path, body, lang="en", organization="Changwon Special City")
    texts, about_title, about = sections(path)
    assert (about_title, about) == (title, ["A short profile."])
    assert title not in texts


# ----------------------------------------------------------- where it stands, and the organization's name


def h(text: str, level: int = 2) -> Block:
    return Block("heading", text, level=level)


def p(text: str) -> Block:
    return Block("paragraph", text)


def read_back(tmp_path: Path, fmt: str, body: tuple[Block, ...], lang: str, organization: str) -> Release:
    """The release written as ``fmt`` by presspack and read again: the reader finds the sections."""
    meta = Meta(
        title="제목" if lang == "ko" else "Title", lang=lang, organization=organization, copyright="ⓒ"
    )
    release = Release(meta=meta, body=body, source_path=str(tmp_path / "x.md"))
    path = tmp_path / f"release.{lang}.{fmt}"
    render = render_hwpx if fmt == "hwpx" else render_docx
    path.write_bytes(render(release, STYLE))  # type: ignore[operator]
    return load_release(path).release


FORMATS = ["hwpx", "docx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_boilerplate_heading_followed_by_a_section_is_body(tmp_path: Path, fmt: str) -> None:
    body = (p("창원특례시는 포럼을 열었다."), h("창원특례시 소개"), p("시 소개."), h("향후 계획"), p("계획."))
    back = read_back(tmp_path, fmt, body, "ko", "창원특례시")
    assert (back.about_title, back.about) == ("", ())
    assert [b.text for b in back.body if b.kind == "heading"] == ["창원특례시 소개", "향후 계획"]
    body = (
        p("The city held a forum."),
        h("About Changwon Special City"),
        p("The city."),
        h("Next steps"),
        p("x"),
    )
    back = read_back(tmp_path, fmt, body, "en", "Changwon Special City")
    assert (back.about_title, back.about) == ("", ())


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_organizations_own_name_titles_its_boilerplate(tmp_path: Path, fmt: str) -> None:
    body = (p("본문이다."), h("사업 개요"), p("사업."), h("경남테크노파크 개요"), p("지원 기관이다."))
    back = read_back(tmp_path, fmt, body, "ko", "경남테크노파크")
    assert back.about_title == "경남테크노파크 개요"
    assert [b.text for b in back.about] == ["지원 기관이다."]
    assert [b.text for b in back.body if b.kind == "heading"] == ["사업 개요"]


def test_a_joint_release_keeps_both_boilerplates_and_their_sub_headings() -> None:
    blocks = [p("본문"), h("사업 개요"), p("내용"), h("창원특례시 소개"), p("시"), h("연혁", 3), p("1974년")]
    blocks += [h("한국방위산업진흥회 소개"), p("협회"), h("붙임"), p("일정표")]
    assert about_start(blocks, "창원특례시") == 3
    # a sub-heading before the About heading belongs to the body section above it
    nested = [p("본문"), h("사업 개요"), h("세부", 3), h("창원특례시 소개"), p("시")]
    assert about_start(nested, "창원특례시") == 3
    followed = [p("본문"), h("창원특례시 소개"), p("시"), h("행사 결과"), p("결과")]
    assert about_start(followed, "창원특례시") is None
    assert about_start([p("x"), h("About Changwon Special City"), p("y"), h("Media contact"), p("z")]) == 1
