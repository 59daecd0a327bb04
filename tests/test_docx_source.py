"""DOCX sources read what Word shows: accepted tracked changes, tables, entity text; safely.

Documents are real python-docx packages (real styles.xml) whose
word/document.xml body is replaced with the XML under test.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.core.errors import SourceError
from toolkit.core.inline import plain
from toolkit.sources import load_release

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _template() -> dict[str, bytes]:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


_TEMPLATE = _template()


def p(text: str = "", style: str = "", inner: str = "", ppr: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    runs = inner or (f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else "")
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def r(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def make_docx(path: Path, body: str, *, doctype: str = "", numbering: str = "") -> Path:
    members = dict(_TEMPLATE)
    members["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    ).encode()
    if numbering:
        members["word/numbering.xml"] = f'<w:numbering xmlns:w="{W}">{numbering}</w:numbering>'.encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


TITLE = p("창원특례시, 방산 포럼 개최", style="Title")


def texts(path: Path) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in load_release(path).release.body]


def test_tracked_insertions_are_read_and_deletions_are_not(tmp_path: Path) -> None:
    body = (
        TITLE
        + p(
            inner=r("창원특례시는 ")
            + '<w:ins w:id="1" w:author="kim">'
            + r("25일 ")
            + "</w:ins>"
            + r("방산 포럼을 ")
            + '<w:del w:id="2" w:author="kim"><w:r><w:delText>취소하지 않고 </w:delText></w:r></w:del>'
            + r("열었다.")
        )
        + p(inner='<w:moveFrom w:id="3">' + r("옮겨진 문장.") + "</w:moveFrom>")
        + p(inner='<w:moveTo w:id="4">' + r("행사에는 100여 명이 참석했다.") + "</w:moveTo>")
    )
    path = make_docx(tmp_path / "tracked.docx", body)
    assert texts(path) == [
        ("paragraph", "창원특례시는 25일 방산 포럼을 열었다."),
        ("paragraph", "행사에는 100여 명이 참석했다."),
    ]


def test_a_deleted_paragraph_mark_joins_the_paragraphs(tmp_path: Path) -> None:
    deleted_mark = '<w:rPr><w:del w:id="9" w:author="kim"/></w:rPr>'
    body = TITLE + p("시는 포럼을", ppr=deleted_mark) + p("열었다.")
    assert texts(make_docx(tmp_path / "join.docx", body)) == [("paragraph", "시는 포럼을 열었다.")]


def test_tables_are_read_row_by_row(tmp_path: Path) -> None:
    def tc(text: str, props: str = "") -> str:
        return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{p(text)}</w:tc>"

    restart, continued = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    deleted = '<w:trPr><w:del w:id="5" w:author="kim"/></w:trPr>'
    span = '<w:gridSpan w:val="2"/>'
    table = (
        "<w:tbl>"
        f"<w:tr>{tc('시간')}{tc('내용')}{tc('장소')}</w:tr>"
        f"<w:tr>{tc('10:00')}{tc('개회식', restart)}{tc('대회의실')}</w:tr>"
        f"<w:tr>{tc('11:00')}{tc('', continued)}{tc('소회의실')}</w:tr>"
        f"<w:tr>{deleted}{tc('12:00')}{tc('삭제된 행')}{tc('')}</w:tr>"
        f"<w:tr>{tc('14:00')}{tc('방산 수출 전략 세미나', span)}</w:tr>"
        "</w:tbl>"
    )
    body = TITLE + p("창원특례시는 포럼 일정을 발표했다.") + table
    release = load_release(make_docx(tmp_path / "table.docx", body)).release
    assert [(b.kind, b.text) for b in release.body] == [
        ("paragraph", "창원특례시는 포럼 일정을 발표했다."),
        ("table", ""),
    ]
    # merged cells are read once (a vertically merged cell's continuation and a span leave ""),
    # a deleted row is gone
    assert release.body[1].rows == (
        ("시간", "내용", "장소"),
        ("10:00", "개회식", "대회의실"),
        ("11:00", "", "소회의실"),
        ("14:00", "방산 수출 전략 세미나", ""),
    )


def test_a_header_table_before_the_headline_is_not_the_title(tmp_path: Path) -> None:
    table = f"<w:tbl><w:tr><w:tc>{p('보도자료')}</w:tc><w:tc>{p('창원특례시')}</w:tc></w:tr></w:tbl>"
    body = table + p("창원특례시, 방산 포럼 개최") + p("시는 포럼을 열었다.")
    release = load_release(make_docx(tmp_path / "header.docx", body)).release
    assert release.meta.title == "창원특례시, 방산 포럼 개최"
    # the 보도자료 cover row is the issuer, not body text
    assert release.meta.organization == "창원특례시"
    assert [b.text for b in release.body] == ["시는 포럼을 열었다."]


def test_entity_text_is_kept(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE w:document [<!ENTITY city "창원"><!ENTITY full "&city;특례시">]>'
    body = TITLE + p("&full;는 &amp; 방산 &#54252;럼을 열었다. 끝.")
    assert texts(make_docx(tmp_path / "entity.docx", body, doctype=doctype)) == [
        ("paragraph", "창원특례시는 & 방산 포럼을 열었다. 끝.")
    ]


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    loaded = load_release(
        make_docx(tmp_path / "xxe.docx", TITLE + p("앞 &xxe; 뒤 문장이다."), doctype=doctype)
    )
    assert [b.text for b in loaded.release.body] == ["앞 뒤 문장이다."]
    assert [w.format() for w in loaded.warnings] == [
        f"{tmp_path / 'xxe.docx'}: entity &xxe; refers to an external file and was not read"
        " — retype the text it stood for"
    ]


def test_billion_laughs_is_a_clear_error(tmp_path: Path) -> None:
    decls = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = make_docx(tmp_path / "lol.docx", TITLE + p("&l9;"), doctype=f"<!DOCTYPE w:document [{decls}]>")
    with pytest.raises(SourceError) as info:
        load_release(path)
    assert str(info.value) == (
        f"{path}: text from XML entities in word/document.xml exceeds the 1,048,576 characters limit"
        " (text_expansion_chars) — check the file is the one you meant; if it is genuine, raise the cap with"
        " PRESSPACK_LIMIT_TEXT_EXPANSION_CHARS=N"
    )


def test_large_entities_used_often_hit_the_expansion_cap(tmp_path: Path) -> None:
    doctype = f'<!DOCTYPE w:document [<!ENTITY big "{"가" * 400_000}">]>'
    path = make_docx(tmp_path / "big.docx", TITLE + p("&big; &big; &big;"), doctype=doctype)
    with pytest.raises(SourceError) as info:
        load_release(path)
    assert str(info.value).startswith(
        f"{path}: text from XML entities in the document exceeds the 1,048,576 characters limit"
        " (text_expansion_chars)"
    )


def test_hidden_text_and_field_codes_are_not_text(tmp_path: Path) -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://changwon.go.kr" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("창원특례시 누리집")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    body = (
        TITLE
        + p(inner=r("자세한 내용은 ") + field + r("에서 확인한다."))
        + p(inner=r("비공개 메모", "<w:vanish/>") + r("공개 문장."))
    )
    loaded = load_release(make_docx(tmp_path / "fields.docx", body))
    assert [b.text for b in loaded.release.body] == [
        "자세한 내용은 창원특례시 누리집에서 확인한다.",
        "공개 문장.",
    ]
    assert [w.what for w in loaded.warnings] == ["hidden text was left out"]


def test_styles_lists_and_numbering(tmp_path: Path) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '</w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )

    def item(text: str, level: int) -> str:
        return p(text, ppr=f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr>')

    body = (
        TITLE
        + p("방산 수출 확대 방안 논의", style="Subtitle")
        + p("시는 포럼을 열었다.")
        + p("프로그램", style="Heading2")
        + item("개회식", 0)
        + item("축사", 1)
        + item("세미나", 0)
        + p("방산은 지역의 미래다.", style="Quote")
    )
    release = load_release(make_docx(tmp_path / "lists.docx", body, numbering=numbering)).release
    assert release.meta.subtitle == "방산 수출 확대 방안 논의"
    assert [(b.kind, b.text, b.level, b.ordered, b.number) for b in release.body] == [
        ("paragraph", "시는 포럼을 열었다.", 0, False, 0),
        ("heading", "프로그램", 2, False, 0),
        ("list_item", "개회식", 0, True, 1),
        ("list_item", "축사", 1, False, 0),
        ("list_item", "세미나", 0, True, 2),
        ("quote", "방산은 지역의 미래다.", 0, False, 0),
    ]


def test_words_built_in_list_styles_keep_their_depth(tmp_path: Path) -> None:
    """List Bullet 2, List Number 2…: Word indents them by the style (their numbering is level 0
    of a list of their own), so the depth is the style's number; they read as top-level items."""
    import docx

    document = docx.Document()
    document.add_paragraph("창원특례시, 방산 포럼 개최", style="Title")
    for text, style in [
        ("시는 포럼을 열었다.", None),
        ("하위에서 시작하는 목록", "List Bullet 2"),  # no item above: a list starts at the top
        ("개회식", "List Bullet"),
        ("축사", "List Bullet 2"),
        ("내빈 소개", "List Bullet 3"),
        ("세미나", "List Number"),
        ("세미나 1부", "List Number 2"),
        ("세미나 2부 안내는 현장에서 한다.", "List Continue 2"),  # text under an item, no marker
        ("전시", "List Number"),
    ]:
        document.add_paragraph(text, style=style)
    path = tmp_path / "built-in-lists.docx"
    document.save(str(path))
    release = load_release(path).release
    assert [(b.kind, b.text, b.level, b.ordered, b.number) for b in release.body] == [
        ("paragraph", "시는 포럼을 열었다.", 0, False, 0),
        ("list_item", "하위에서 시작하는 목록", 0, False, 0),
        ("list_item", "개회식", 0, False, 0),
        ("list_item", "축사", 1, False, 0),
        ("list_item", "내빈 소개", 2, False, 0),
        ("list_item", "세미나", 0, True, 1),
        ("list_item", "세미나 1부", 1, True, 1),
        ("paragraph", "세미나 2부 안내는 현장에서 한다.", 0, False, 0),
        ("list_item", "전시", 0, True, 2),
    ]


def test_legacy_doc_and_bad_packages(tmp_path: Path) -> None:
    doc = tmp_path / "old.docx"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(SourceError) as info:
        load_release(doc)
    assert str(info.value) == (
        f"{doc}: a legacy .doc or a password-protected document, not a .docx — open it in Word, remove any"
        " password and save as 'Word Document (.docx)'"
    )
    empty = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(SourceError) as info:
        load_release(empty)
    assert str(info.value) == (
        f"{empty}: not a readable Word .docx file (no word/document.xml)"
        " — open it in Word and save as .docx again"
    )


# --------------------------------------------------------------------------- through the CLI


def build(path: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out)])
    return result.exit_code, result.stderr


def test_zip_bomb_docx_is_refused_before_decompressing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    members = dict(_TEMPLATE)
    filler = b" " * (70 * 1024 * 1024)
    members["word/document.xml"] = (
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
        + filler
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert bomb.stat().st_size < 1_000_000
    code, err = build(bomb, tmp_path / "out")
    assert code == 1
    assert err == (
        f"Error: {bomb}: word/document.xml (70.0 MiB unpacked) exceeds the 64 MiB limit (zip_member_bytes)"
        " — check the file is the one you meant; if it is genuine, raise the cap with"
        " PRESSPACK_LIMIT_ZIP_MEMBER_BYTES=N\n"
    )


@pytest.mark.parametrize("depth", [150, 3000])
def test_deeply_nested_docx(tmp_path: Path, depth: int) -> None:
    nested = "<w:sdt><w:sdtContent>" * depth + p("깊다.") + "</w:sdtContent></w:sdt>" * depth
    path = make_docx(tmp_path / "deep.docx", TITLE + nested)
    code, err = build(path, tmp_path / "out")
    assert code == 1
    assert err == (
        f"Error: {path}: word/document.xml is nested deeper than the 100-level limit (xml_depth) — check the"
        " file is the one you meant; if it is genuine, raise the cap with PRESSPACK_LIMIT_XML_DEPTH=N\n"
    )


def test_tracked_changes_and_tables_reach_the_pack(tmp_path: Path) -> None:
    body = (
        TITLE
        + p(
            inner=r("창원특례시는 ")
            + '<w:ins w:id="1" w:author="kim">'
            + r("25일 ")
            + "</w:ins>"
            + r("포럼을 열었다.")
        )
        + f"<w:tbl><w:tr><w:tc>{p('시간')}</w:tc><w:tc>{p('내용')}</w:tc></w:tr></w:tbl>"
    )
    path = make_docx(tmp_path / "forum.docx", body)
    code, err = build(path, tmp_path / "out")
    assert code == 0, err
    import docx

    out = docx.Document(str(tmp_path / "out" / "forum" / "forum.ko.docx"))
    paragraphs = [plain(para.text) for para in out.paragraphs]  # the visible text
    assert "창원특례시는 25일 포럼을 열었다." in paragraphs
    assert [[c.text for c in row.cells] for t in out.tables for row in t.rows] == [
        ["보도자료", "창원특례시"],
        ["보도시점", "", "배포", ""],
        ["창원특례시, 방산 포럼 개최"],
        ["시간", "내용"],  # the table, as a table
    ]


def test_bold_italic_and_line_breaks_become_inline_markdown(tmp_path: Path) -> None:
    body = TITLE + p(
        inner=r("창원특례시는 ")
        + r("K9 자주포", "<w:b/>")
        + r(" 수출 ")
        + r("협약", "<w:i/>")
        + r("을 맺었다. 3*4 = 12 ")
        + "<w:r><w:br/></w:r>"
        + r("  둘째 줄\t끝.  ")
    )
    release = load_release(make_docx(tmp_path / "runs.docx", body)).release
    assert [b.text for b in release.body] == [
        "창원특례시는 **K9 자주포** 수출 *협약*을 맺었다. 3\\*4 = 12\\\n둘째 줄 끝."
    ]
    assert plain(release.body[0].text) == "창원특례시는 K9 자주포 수출 협약을 맺었다. 3*4 = 12\n둘째 줄 끝."
    assert release.meta.title == "창원특례시, 방산 포럼 개최"


def test_title_is_plain_text_even_with_markup_characters(tmp_path: Path) -> None:
    body = p(inner=r("창원 *방산* [포럼]", "<w:b/>"), style="Title") + p("본문이다.")
    assert load_release(make_docx(tmp_path / "t.docx", body)).release.meta.title == "창원 *방산* [포럼]"
