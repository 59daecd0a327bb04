"""The prepared DOCX template is shared by every document made from it: none may change it."""

from __future__ import annotations

from pathlib import Path

from toolkit.core.document import Block, Meta, Release
from toolkit.render import docx
from toolkit.render.style import load_style

ROOT = Path(__file__).resolve().parents[1]


def test_rendering_leaves_the_shared_styles_as_they_were() -> None:
    from lxml import etree

    style = load_style(ROOT / "templates", "default")
    rich = Release(
        meta=Meta(title="창원특례시 **방산**", lang="ko", subtitle="- 부제 -", organization="창원특례시"),
        body=(
            Block("heading", "개요", level=2),
            Block("paragraph", "본문 *강조* `코드` [링크](https://example.org)"),
            Block("list_item", "하나", ordered=True, number=1),
            Block("list_item", "둘", level=1),
            Block("quote", "인용"),
            Block("table", "표", rows=(("가", "나"), ("1", "2"))),
        ),
    )
    for release in (rich, Release(meta=Meta(title="Changwon", lang="en"), body=rich.body)):
        first = docx.render_docx(release, style)
        fonts = docx._Fonts(release.lang, style)
        prepared, _ = docx._PREPARED[(style, fonts.latin_key, fonts.lang)]
        element = prepared.part._styles_part._element
        shared, blob = docx._SHARED_STYLES[id(element)]
        assert shared is element
        for _ in range(2):
            assert docx.render_docx(release, style) == first
            assert etree.tostring(element) == etree.tostring(etree.fromstring(blob))
