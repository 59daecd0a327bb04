"""Release Markdown as users write it: every block kind, the conventions, the bugs users filed.

Read through ``load_release`` (the reader every command uses); patched through
``patch_markdown``; the user-facing paths through the CLI.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.core.document import Block, Release
from toolkit.core.errors import SourceError
from toolkit.core.inline import plain
from toolkit.sources import load_release
from toolkit.sources.markdown import dump_markdown, patch_markdown
from toolkit.sources.markdown_patch import SEPARATOR

HEAD = "---\ntitle: Changwon hosts forum\nlang: en\ndate: 2026-11-05\n---\n\n"


def photo(path: Path) -> None:
    """A real (tiny) JPEG: photos are decoded when a release is read."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 3), "navy").save(path, format="JPEG")


def release(tmp_path: Path, body: str, name: str = "release.en.md") -> Release:
    path = tmp_path / name
    path.write_text(HEAD + body, "utf-8")
    return load_release(path).release


def kinds(blocks: tuple[Block, ...]) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for b in blocks]


def read_text(text: str, tmp_path: Path) -> Release:
    path = tmp_path / "again.md"
    path.write_text(text, "utf-8")
    return load_release(path).release


class TestTheBugsUsersFiled:
    def test_a_bullet_line_after_a_paragraph_is_the_same_block_when_read_and_patched(
        self, tmp_path: Path
    ) -> None:
        text = HEAD + "The numbers rose\n- sharply this year.\n"
        path = tmp_path / "release.en.md"
        path.write_text(text, "utf-8")
        old = load_release(path).release
        assert kinds(old.body) == [
            ("paragraph", 0, "The numbers rose"),
            ("list_item", 0, "sharply this year."),
        ]
        new = replace(old, body=(replace(old.body[0], text="NEW TEXT."), old.body[1]))
        patched = patch_markdown(text, old, new)
        assert patched == HEAD + "NEW TEXT.\n- sharply this year.\n"
        assert kinds(read_text(patched, tmp_path).body) == kinds(new.body)  # never "NEW TEXT. - sharply …"

    def test_a_numbered_list_is_a_list(self, tmp_path: Path) -> None:
        r = release(tmp_path, "1. A\n2. B\n")
        assert [(b.kind, b.ordered, b.number, b.text) for b in r.body] == [
            ("list_item", True, 1, "A"),
            ("list_item", True, 2, "B"),
        ]

    def test_a_last_copyright_paragraph_is_text_not_the_footer(self, tmp_path: Path) -> None:
        r = release(tmp_path, "Body.\n\nCopyright 2026 Example News.\n")
        assert r.meta.copyright == ""
        assert [b.text for b in r.body] == ["Body.", "Copyright 2026 Example News."]


class TestBlocks:
    def test_headings_atx_and_setext(self, tmp_path: Path) -> None:
        r = release(tmp_path, "## Program ##\n\nTitle one\n=========\n\n#### Deep\n\nSub\n---\n")
        assert kinds(r.body) == [
            ("heading", 2, "Program"),
            ("heading", 1, "Title one"),
            ("heading", 4, "Deep"),
            ("heading", 2, "Sub"),
        ]

    def test_paragraph_wraps_are_spaces_hard_breaks_are_kept(self, tmp_path: Path) -> None:
        r = release(tmp_path, "One line\nwrapped here.\n\nFirst line\\\nsecond line  \nthird\n")
        assert [b.text for b in r.body] == ["One line wrapped here.", "First line\\\nsecond line\\\nthird"]
        assert plain(r.body[1].text) == "First line\nsecond line\nthird"

    def test_inline_formatting_is_kept_canonically(self, tmp_path: Path) -> None:
        r = release(tmp_path, "__Bold__ and _italic_, `code`, [link](https://x.kr) and <https://y.kr>.\n")
        assert (
            r.body[0].text
            == "**Bold** and *italic*, `code`, [link](https://x.kr) and [https://y.kr](https://y.kr)."
        )

    def test_nested_and_ordered_lists(self, tmp_path: Path) -> None:
        body = "- top\n  continued\n  - nested\n    1) deep\n    2) deeper\n* other\n\n7. seven\n8. eight\n"
        r = release(tmp_path, body)
        assert [(b.level, b.ordered, b.number, b.text) for b in r.body] == [
            (0, False, 0, "top continued"),
            (1, False, 0, "nested"),
            (2, True, 1, "deep"),
            (2, True, 2, "deeper"),
            (0, False, 0, "other"),
            (0, True, 7, "seven"),
            (0, True, 8, "eight"),
        ]

    def test_a_list_not_starting_at_one_does_not_interrupt_text(self, tmp_path: Path) -> None:
        # CommonMark: "3) deep" right under a line of text continues that text
        r = release(tmp_path, "- nested\n  3) deep\n")
        assert kinds(r.body) == [("list_item", 0, "nested 3) deep")]

    def test_quotes_nest_and_take_lazy_lines(self, tmp_path: Path) -> None:
        r = release(tmp_path, "> The mayor said\nwe will grow.\n>\n> > Nested.\n")
        assert kinds(r.body) == [("quote", 0, "The mayor said we will grow."), ("quote", 1, "Nested.")]

    def test_table_with_alignment_and_caption(self, tmp_path: Path) -> None:
        r = release(
            tmp_path,
            "Table: 2026 **budget**\n\n| Item | Won |\n|:--|--:|\n"
            "| Forum | 1,000 |\n| Expo \\| fair | 2,500 |\n",
        )
        (table,) = r.body
        assert table.kind == "table"
        assert table.text == "2026 **budget**"
        assert table.rows == (("Item", "Won"), ("Forum", "1,000"), ("Expo \\| fair", "2,500"))
        assert table.align == ("left", "right")
        assert table.line == 7  # the caption's line: the block's first line

    @pytest.mark.parametrize(
        "body",
        [
            "< 2026년 예산 >\n| 항목 | 금액 |\n|---|---|\n| 포럼 | 1,000 |\n",
            "| 항목 | 금액 |\n|---|---|\n| 포럼 | 1,000 |\n\n표: 2026년 예산\n",
        ],
    )
    def test_korean_captions(self, tmp_path: Path, body: str) -> None:
        (table,) = release(tmp_path, body).body
        assert table.text == "2026년 예산"
        assert table.rows == (("항목", "금액"), ("포럼", "1,000"))

    def test_photo_paragraph(self, tmp_path: Path) -> None:
        photo(tmp_path / "photos" / "mayor 1.jpg")
        r = release(tmp_path, '![Mayor *Hong* speaks](<photos/mayor 1.jpg> "Hong Nampyo")\n')
        (block,) = r.body
        assert (block.kind, block.text, block.src, block.title) == (
            "image",
            "Mayor *Hong* speaks",
            "photos/mayor 1.jpg",
            "Hong Nampyo",
        )

    def test_code_blocks_are_text_and_rules_end_marks_and_references_are_not(self, tmp_path: Path) -> None:
        body = (
            "```\nline one\n  line two\n```\n\n***\n\n[ref]: https://x.kr\n\n"
            "See [the site][ref].\n\n-끝-\n\n###\n"
        )
        r = release(tmp_path, body)
        assert kinds(r.body) == [
            ("paragraph", 0, "line one\\\nline two"),
            ("paragraph", 0, "See [the site](https://x.kr)."),
        ]

    def test_about_and_attachments_sections(self, tmp_path: Path) -> None:
        r = release(tmp_path, "Body.\n\n## About Changwon\n\nA city.\n\n## Attachments\n\n- Program\n- Map\n")
        assert (r.about_title, kinds(r.about)) == ("About Changwon", [("paragraph", 0, "A city.")])
        assert r.attachments_title == "Attachments"
        assert [b.text for b in r.attachments] == ["Program", "Map"]

    def test_korean_attachments_heading(self, tmp_path: Path) -> None:
        r = release(tmp_path, "본문이다.\n\n## 붙임\n\n1. 행사 개요\n", name="release.ko.md")
        assert r.attachments_title == "붙임"
        assert [(b.ordered, b.text) for b in r.attachments] == [(True, "행사 개요")]

    def test_raw_html_is_literal_text(self, tmp_path: Path) -> None:
        r = release(tmp_path, '<div>\n<img src=x> <b onclick="x">no</b>\n</div>\n')
        assert plain(r.body[0].text) == '<div> <img src=x> <b onclick="x">no</b> </div>'

    def test_escapes_keep_markup_characters_literal(self, tmp_path: Path) -> None:
        r = release(tmp_path, "\\- not a bullet\n\n\\# not a heading, \\*not italic\\* &amp; 1\\. no list\n")
        assert kinds(r.body)[0][0] == "paragraph"
        assert [plain(b.text) for b in r.body] == [
            "- not a bullet",
            "# not a heading, *not italic* & 1. no list",
        ]


class TestProblems:
    def test_photo_outside_the_release_folder(self, tmp_path: Path) -> None:
        path = tmp_path / "release.en.md"
        path.write_text(HEAD + "Body.\n\n![Mayor](../secret.jpg)\n\n![x](https://x.kr/a.jpg)\n", "utf-8")
        with pytest.raises(SourceError) as info:
            load_release(path)
        assert [p.format() for p in info.value.problems] == [
            f"{path}:9: photo '../secret.jpg' points outside the release folder — "
            "copy the photo into the release folder and name it relatively",
            f"{path}:11: photo 'https://x.kr/a.jpg' is not a path inside the release folder — "
            "put the photo in the release folder and name it relatively, e.g. ![caption](photo.jpg)",
        ]

    def test_missing_photo(self, tmp_path: Path) -> None:
        path = tmp_path / "release.en.md"
        path.write_text(HEAD + "![Mayor](mayor.jpg)\n", "utf-8")
        with pytest.raises(SourceError) as info:
            load_release(path)
        assert [p.format() for p in info.value.problems] == [
            f"{path}:7: photo 'mayor.jpg' not found — "
            "put mayor.jpg in the release folder or fix the name (it is case-sensitive)"
        ]

    def test_photo_inside_text_and_failed_bold_are_warnings(self, tmp_path: Path) -> None:
        path = tmp_path / "release.ko.md"
        path.write_text(
            HEAD.replace("lang: en", "lang: ko") + "사진 ![시장](a.jpg) 설명.\n\n**“창원”**은 좋다.\n",
            "utf-8",
        )
        loaded = load_release(path)
        assert [w.format() for w in loaded.warnings] == [
            f"{path}:7: photo 'a.jpg' inside text is printed as its caption only — "
            "put each photo in a paragraph of its own (blank lines around it)",
            f"{path}:9: '**' is printed as is: CommonMark did not read it as bold — keep punctuation "
            "inside the bold (“**창원**”은, not **“창원”**은) or write \\*\\* for asterisks",
        ]
        assert plain(loaded.release.body[0].text) == "사진 시장 설명."


Change = Callable[[tuple[Block, ...]], tuple[Block, ...]]


class TestPatching:
    """Cases the property tests found: the patch touches only the changed blocks' lines."""

    def patch(
        self, tmp_path: Path, body: str, change: Callable[[tuple[Block, ...]], tuple[Block, ...]]
    ) -> str:
        text = HEAD + body
        old = read_text(text, tmp_path)
        new = replace(old, body=change(old.body))
        patched = patch_markdown(text, old, new)
        assert kinds(read_text(patched, tmp_path).body) == kinds(new.body)
        assert patched.startswith(HEAD)
        return patched[len(HEAD) :]

    def test_an_empty_item_with_a_quote_on_its_marker_line_gets_its_text_above_the_quote(
        self, tmp_path: Path
    ) -> None:
        body = "- first\n- > quoted\n  lazy line\n\nAfter.\n"
        out = self.patch(tmp_path, body, lambda b: (b[0], replace(b[1], text="second"), *b[2:]))
        # the quote keeps its lines; the marker on its line became indentation
        assert out == "- first\n- second\n\n  > quoted\n  lazy line\n\nAfter.\n"

    def test_a_renumbered_item_with_a_nested_list_on_its_marker_line(self, tmp_path: Path) -> None:
        body = "Text.\n\n7. - nested\n"
        out = self.patch(tmp_path, body, lambda b: (b[0], replace(b[1], number=8), *b[2:]))
        assert out == "Text.\n\n8. - nested\n"

    def test_a_deleted_block_that_ended_a_list_leaves_a_separator(self, tmp_path: Path) -> None:
        # "   Indented." is a paragraph only because the quote ends the list; without it, the
        # paragraph would continue the bullet
        body = "- item\n\n> quote\n\n   Indented.\n"
        out = self.patch(tmp_path, body, lambda b: (b[0], b[2]))
        assert out == f"- item\n\n{SEPARATOR}\n\n   Indented.\n"

    def test_a_deleted_paragraph_between_two_numbered_lists_keeps_their_numbers(self, tmp_path: Path) -> None:
        body = "1. one\n\nBetween.\n\n1. again one\n"
        out = self.patch(tmp_path, body, lambda b: (b[0], b[2]))
        assert out == f"1. one\n\n{SEPARATOR}\n\n1. again one\n"

    def test_no_separator_where_the_next_block_is_not_taken_in(self, tmp_path: Path) -> None:
        out = self.patch(tmp_path, "- item\n\n> quote\n\nPlain.\n", lambda b: (b[0], b[2]))
        assert out == "- item\n\nPlain.\n"

    def test_a_removed_caption_leaves_the_caption_of_the_table_above_in_place(self, tmp_path: Path) -> None:
        # a caption between two tables names the one after it: "Table: First" must not move
        body = "| a |\n| --- |\n\nTable: First\n\nTable: Second\n\n| b |\n| --- |\n"
        out = self.patch(tmp_path, body, lambda b: (b[0], replace(b[1], text="")))
        assert out == f"| a |\n| --- |\n\nTable: First\n\n{SEPARATOR}\n\n| b |\n| --- |\n"

    def test_a_table_added_after_a_captioned_table_leaves_the_caption_where_it_is(
        self, tmp_path: Path
    ) -> None:
        # found by a deep run: "Table: First" under the first table would name the new table
        # after it, so the whole body was written afresh (its setext heading became "# …")
        body = "Heading\n=======\n\n| a |\n| --- |\n\nTable: First\n"
        table = Block("table", "", rows=(("b",),), align=("",))
        out = self.patch(tmp_path, body, lambda b: (*b, table))
        assert out == f"{body}\n{SEPARATOR}\n\n| b |\n| --- |\n"

    def test_a_new_caption_goes_right_above_its_table_after_a_block_inserted_there(
        self, tmp_path: Path
    ) -> None:
        body = "| a  |  b |\n|---|---|\n| 1 | 2 |\n"
        out = self.patch(
            tmp_path, body, lambda b: (Block("heading", "Budget", level=3), replace(b[0], text="Costs"))
        )
        assert out == "### Budget\n\nTable: Costs\n\n" + body

    def test_a_code_block_rewritten_as_text_stays_apart_from_the_text_around_it(self, tmp_path: Path) -> None:
        body = "Before,\nwrapped.\n```\ncode\n```\nAfter.\n"
        out = self.patch(tmp_path, body, lambda b: (b[0], replace(b[1], text="New text."), b[2]))
        assert out == "Before,\nwrapped.\n\nNew text.\n\nAfter.\n"

    def test_an_empty_item_getting_text_keeps_its_nested_list_apart(self, tmp_path: Path) -> None:
        # "3." cannot interrupt a line of text: under "- text" it would be more text
        body = "*\n  3. nested\n"
        out = self.patch(tmp_path, body, lambda b: (replace(b[0], text="parent"), b[1]))
        assert out == "* parent\n\n  3. nested\n"

    def test_an_emptied_item_under_its_parents_later_text_does_not_become_a_heading(
        self, tmp_path: Path
    ) -> None:
        # "    -" right under the parent's text would be a setext underline
        body = "+\n  -\n\n  parent text\n  - child\n"
        out = self.patch(tmp_path, body, lambda b: (*b[:2], replace(b[2], text="")))
        assert out == "+\n  -\n\n  parent text\n\n  -\n"


class TestWriting:
    def test_dump_writes_every_block_kind_readably(self, tmp_path: Path) -> None:
        photo(tmp_path / "p.jpg")
        body = (
            "Lead paragraph.\n\n1. First\n   - nested\n2. Second\n\n> Quote\n\n"
            'Table: Budget\n\n| A | B |\n|:-:|---|\n| 1 | 2 |\n\n![Photo](p.jpg "T")\n\n'
            "## About Us\n\nWe are.\n\n## Attachments\n\n- Map\n"
        )
        r = release(tmp_path, body)
        dumped = dump_markdown(r, translation_of="ko")
        assert dumped == (
            "---\ntitle: Changwon hosts forum\ndate: 2026-11-05\nlang: en\ntranslation_of: ko\n---\n\n"
            "Lead paragraph.\n\n1. First\n   - nested\n2. Second\n\n> Quote\n\n"
            'Table: Budget\n\n| A | B |\n| :-: | --- |\n| 1 | 2 |\n\n![Photo](p.jpg "T")\n\n'
            "## About Us\n\nWe are.\n\n## Attachments\n\n- Map\n"
        )
        assert read_text(dumped, tmp_path).body == tuple(
            replace(b, line=b2.line) for b, b2 in zip(r.body, read_text(dumped, tmp_path).body, strict=True)
        )

    def test_texts_that_look_like_markup_stay_the_same_block(self, tmp_path: Path) -> None:
        texts = ["1. not a list", "- not a bullet", "# not a heading", "> not a quote", "---", "-끝-"]
        old = release(tmp_path, "Placeholder.\n")
        new = replace(old, body=tuple(Block("paragraph", t) for t in texts))
        back = read_text(dump_markdown(new), tmp_path)
        assert [(b.kind, b.text) for b in back.body] == [("paragraph", t) for t in texts]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_build_prints_tables_rows_and_photo_captions(tmp_path: Path) -> None:
    folder = tmp_path / "rel"
    folder.mkdir()
    photo(folder / "p.jpg")
    (folder / "release.en.md").write_text(
        HEAD + "Lead with **bold** and [a link](https://x.kr).\n\n"
        "Table: Budget\n\n| Item | Won |\n|---|--:|\n| Forum | 1,000 |\n\n"
        "![The mayor speaks](p.jpg)\n\nCopyright 2026 Example News.\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "rel" / "rel.en.pdf"
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Lead with bold and a link." in text  # visible text, no markup characters
    # the caption, the table's rows, the photo's caption (the rich renderer lays them out)
    assert "Budget\nItem Won\nForum 1,000\nThe mayor speaks\nCopyright 2026 Example News." in text
    assert "© 2026 Changwon Special City. All rights reserved." in text  # the footer is the house default


@pytest.mark.usefixtures("copy_models")
def test_translate_patches_only_the_changed_paragraph_of_the_translation(tmp_path: Path) -> None:
    """The filed bug end to end: the paragraph before a bullet line is patched, the bullet stays."""
    folder = tmp_path / "rel"
    folder.mkdir()
    source = folder / "release.ko.md"
    source.write_text(
        "---\ntitle: 제목이다\nlang: ko\n---\n\n수치가 올랐다.\n- 올해 크게.\n\n"
        "| 항목 | 금액 |\n|---|---|\n| 포럼 | 1,000 |\n",
        "utf-8",
    )
    target = folder / "release.en.md"
    assert CliRunner().invoke(main, ["translate", str(source), "--to", "en"]).exit_code == 0
    first = target.read_text("utf-8")
    # the copy model "translates" by copying; the writer separates the list from the paragraph
    assert first.endswith(
        "\n수치가 올랐다.\n\n- 올해 크게.\n\n| 항목 | 금액 |\n| --- | --- |\n| 포럼 | 1,000 |\n"
    )
    # the translator post-edits the bullet and, as in the filed bug, writes it right under the
    # paragraph, which stays presspack's machine text
    edited = first.replace("수치가 올랐다.\n\n- 올해 크게.", "수치가 올랐다.\n- sharply this year.")
    target.write_text(edited, "utf-8")
    source.write_text(source.read_text("utf-8").replace("수치가 올랐다.", "수치가 많이 올랐다."), "utf-8")
    result = CliRunner().invoke(main, ["translate", str(source), "--to", "en"])
    assert result.exit_code == 0, result.output
    # only the paragraph whose source changed is re-translated and rewritten; the bullet stays its
    # own block, as the translator wrote it
    assert target.read_text("utf-8") == edited.replace("수치가 올랐다.", "수치가 많이 올랐다.")
    assert "sharply this year." in target.read_text("utf-8")


def test_the_examples_in_the_releases_readme_read_as_described(tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parents[1] / "releases" / "README.md").read_text("utf-8")
    examples = re.findall(r"```markdown\n(.*?)```", readme, re.S)
    photo(tmp_path / "forum.jpg")
    read = []
    for index, example in enumerate(examples):
        path = tmp_path / f"example{index}.md"
        path.write_text(HEAD + example, "utf-8")
        loaded = load_release(path)
        assert loaded.warnings == ()
        read.append(loaded.release)
    kinds_read = [[b.kind for b in r.body + r.attachments] for r in read]
    assert kinds_read == [["table"], ["image"], ["list_item", "list_item"]]
    table = read[0].body[0]
    assert (table.text, table.align, table.rows[0]) == (
        "포럼 주요 일정",
        ("left", "left", "center"),
        ("시간", "프로그램", "장소"),
    )
    assert (read[1].body[0].src, read[1].body[0].title) == ("forum.jpg", "기념 촬영")
    assert read[2].attachments_title == "붙임"
    assert [(b.ordered, b.number) for b in read[2].attachments] == [(True, 1), (True, 2)]
