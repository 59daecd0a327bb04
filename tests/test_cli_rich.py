"""The rich sample through the CLI: `presspack build` and `presspack translate`, read back.

Tables, photos and numbered lists are blocks of the CommonMark reader; a
translation keeps their shape through the translator's edits.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.core.document import Release
from toolkit.sources import load_release

ROOT = Path(__file__).resolve().parents[1]
RESULTS = "2026-11-06-k-defense-forum-results"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def text_of(el: ET.Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


@pytest.mark.usefixtures("project")
def test_rich_sample_builds_to_docx_and_pdf_with_everything_in_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(["build", f"releases/{RESULTS}", "--out", str(out), "--formats", "docx,pdf"])
    assert code == 0, err
    docx_path = out / RESULTS / f"{RESULTS}.ko.docx"
    with zipfile.ZipFile(docx_path) as zf:
        body = ET.fromstring(zf.read("word/document.xml")).find(f"{W}body")
        photo = zf.read("word/media/image1.jpg")
    assert body is not None
    assert photo == (Path("releases") / RESULTS / "forum.jpg").read_bytes()
    numbered = [text_of(p) for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    assert numbered[:4] == [
        "개회와 환영사",
        "제1세션: 미래전과 유·무인 복합체계 대응 및 수출 전략",
        "발표 뒤 패널 토론",
        "제2세션: K-방산 핵심부품 국산화와 상생 전략",
    ]
    schedule = [t for t in body.iter(f"{W}tbl") if "프로그램" in text_of(t)]
    assert len(schedule) == 1
    assert schedule[0].find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    assert [text_of(h) for h in body.iter(f"{W}hyperlink")] == ["창원특례시 누리집"]
    doc_pr = next(body.iter(f"{WP}docPr"))
    assert (
        doc_pr.get("descr") == "홍남표 창원특례시장(왼쪽 여섯 번째)과 포럼 참석자들이 기념 촬영을 하고 있다."
    )
    pdf = out / RESULTS / f"{RESULTS}.ko.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = [" ".join(x.split()) for x in text.splitlines()]
    for needle in (
        "< 포럼 주요 일정 >",
        "1. 개회와 환영사",
        "3. 제2세션: K-방산 핵심부품 국산화와 상생 전략",
        "홍남표 창원특례시장(왼쪽 여섯 번째)과 포럼 참석자들이 기념 촬영을 하고 있다.",
        "붙임",
    ):
        assert needle in lines, needle
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    assert [r.split()[3:5] for r in images.splitlines()[2:]] == [["1600", "1000"]]


@pytest.mark.usefixtures("project")
def test_rich_sample_builds_to_hwpx_that_reads_back_as_the_release(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(["build", f"releases/{RESULTS}", "--out", str(out), "--formats", "hwpx"])
    assert code == 0, err
    for lang in ("ko", "en"):
        source = load_release(Path("releases") / RESULTS / f"release.{lang}.md").release
        back = load_release(out / RESULTS / f"{RESULTS}.{lang}.hwpx").release

        def shape(r: Release) -> list[tuple[object, ...]]:
            return [(b.kind, b.text, b.rows, b.level, b.ordered, b.number) for b in (*r.body, *r.attachments)]

        assert shape(back) == shape(source)
        assert (back.attachments_title, back.meta.title) == (source.attachments_title, source.meta.title)
        photo = next(b for b in back.body if b.kind == "image")
        with zipfile.ZipFile(out / RESULTS / f"{RESULTS}.{lang}.hwpx") as zf:
            embedded = zf.read(photo.src.split("#", 1)[1])
        assert embedded == (Path("releases") / RESULTS / "forum.jpg").read_bytes()


@pytest.mark.usefixtures("project", "copy_models")
def test_rich_sample_translates_with_the_copy_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "rel"
    shutil.copytree(ROOT / "releases" / RESULTS, folder)
    monkeypatch.chdir(tmp_path)  # no ./glossary.csv: the copy model's output is its input, unchanged
    (folder / "release.en.md").unlink()
    code, _, err = run(["translate", str(folder / "release.ko.md"), "--to", "en"])
    assert code == 0, err
    source = load_release(folder / "release.ko.md").release
    target = load_release(folder / "release.en.md").release
    # the copy model returns its input: every block, cell, caption, link and photo comes back exactly
    assert [(b.kind, b.text, b.rows, b.src, b.title) for b in target.body] == [
        (b.kind, b.text, b.rows, b.src, b.title) for b in source.body
    ]
    assert "markup-lost" not in err
    code, _, err = run(["build", str(folder), "--out", str(tmp_path / "out"), "--formats", "docx"])
    assert code == 0, err


@pytest.mark.usefixtures("project")
def test_a_replaced_photo_makes_the_pack_stale(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "out"
    args = ["build", f"releases/{RESULTS}", "--out", str(out), "--formats", "docx"]
    assert run(args)[0] == 0
    assert run([*args, "--check"])[0] == 0
    Image.new("RGB", (800, 500), "darkred").save(Path("releases") / RESULTS / "forum.jpg", format="JPEG")
    code, stdout, _ = run([*args, "--check"])
    assert code == 1 and RESULTS in stdout
    assert run(args)[0] == 0
    with zipfile.ZipFile(out / RESULTS / f"{RESULTS}.ko.docx") as zf:
        assert zf.read("word/media/image1.jpg") == (Path("releases") / RESULTS / "forum.jpg").read_bytes()
    manifest = (out / RESULTS / "manifest.json").read_text("utf-8")
    assert '"name": "forum.jpg"' in manifest


SOURCE = """---
title: 창원특례시 포럼 마무리
lang: ko
date: 2026-11-06
---

창원특례시는 5일 포럼을 열었다.

![참석자들이 기념 촬영을 하고 있다.](forum.jpg "기념 촬영")

포럼은 다음 순서로 진행됐다.

3. 개회와 환영사
4. 제1세션 발표
   - 패널 토론
5. 제2세션 발표

< 주요 일정 >

| 시간 | 프로그램 | 장소 |
|:---|:---|---:|
| 14:00 | 개회 | 대회의실 |
| 14:30 | 제1세션 | 대회의실 |

시는 의견을 수출 지원 계획에 반영할 계획이다.

발표 자료는 누리집에 올린다.
"""
HUMAN = "The forum drew 250 people from the defense industry."


def korean_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[Path, Path]:
    """A release folder with ``text`` as its Korean source and the sample photo; the source and
    English file paths. The cwd has no glossary: the copy model's output is its input."""
    folder = tmp_path / "rel"
    folder.mkdir()
    shutil.copy(ROOT / "releases" / RESULTS / "forum.jpg", folder / "forum.jpg")
    (folder / "release.ko.md").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    return folder / "release.ko.md", folder / "release.en.md"


@pytest.mark.usefixtures("copy_models")
def test_a_translation_keeps_table_photo_and_list_through_the_translators_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_path, target_path = korean_release(tmp_path, monkeypatch, SOURCE)
    code, _, err = run(["translate", str(source_path), "--to", "en"])
    assert code == 0, err
    # the translator adds a paragraph of their own and deletes another
    first = target_path.read_text("utf-8")
    assert first.count("창원특례시는 5일 포럼을 열었다.\n") == 1
    assert first.count("시는 의견을 수출 지원 계획에 반영할 계획이다.\n\n") == 1
    edited = first.replace(
        "창원특례시는 5일 포럼을 열었다.\n", f"창원특례시는 5일 포럼을 열었다.\n\n{HUMAN}\n"
    )
    edited = edited.replace("시는 의견을 수출 지원 계획에 반영할 계획이다.\n\n", "")
    target_path.write_text(edited, "utf-8")
    # the source changes one cell
    source_path.write_text(
        SOURCE.replace("| 14:30 | 제1세션 | 대회의실 |", "| 14:30 | 제1세션 | 소회의실 |"), "utf-8"
    )
    code, _, err = run(["translate", str(source_path), "--to", "en"])
    assert code == 0, err

    target = load_release(target_path).release
    assert [(b.kind, b.text) for b in target.body if b.kind == "paragraph"] == [
        ("paragraph", "창원특례시는 5일 포럼을 열었다."),
        ("paragraph", HUMAN),
        ("paragraph", "포럼은 다음 순서로 진행됐다."),
        ("paragraph", "발표 자료는 누리집에 올린다."),
    ]
    photo = next(b for b in target.body if b.kind == "image")
    assert (photo.src, photo.text, photo.title) == (
        "forum.jpg",
        "참석자들이 기념 촬영을 하고 있다.",
        "기념 촬영",
    )
    items = [(b.text, b.ordered, b.number, b.level) for b in target.body if b.kind == "list_item"]
    assert items == [
        ("개회와 환영사", True, 3, 0),
        ("제1세션 발표", True, 4, 0),
        ("패널 토론", False, 0, 1),
        ("제2세션 발표", True, 5, 0),
    ]
    table = next(b for b in target.body if b.kind == "table")
    assert table.text == "주요 일정"
    assert table.align == ("left", "left", "right")
    assert table.rows == (
        ("시간", "프로그램", "장소"),
        ("14:00", "개회", "대회의실"),
        ("14:30", "제1세션", "소회의실"),  # the changed cell, translated again
    )
    # only the table's lines changed in the translator's file
    after = target_path.read_text("utf-8")
    assert after == edited.replace("| 14:30 | 제1세션 | 대회의실 |", "| 14:30 | 제1세션 | 소회의실 |")


@pytest.mark.usefixtures("copy_models")
def test_a_photo_without_caption_and_an_empty_item_reach_the_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # they have no text, so no translation unit: they come with the blocks around them
    text = "---\ntitle: 포럼\nlang: ko\n---\n\n첫 문단.\n\n![](forum.jpg)\n\n1. 개회\n2.\n3. 폐회\n\n"
    text += "끝 문단.\n"
    source_path, target_path = korean_release(tmp_path, monkeypatch, text)
    assert run(["translate", str(source_path), "--to", "en"])[0] == 0
    shapes = [(b.kind, b.text, b.src, b.number) for b in load_release(target_path).release.body]
    expected = [
        ("paragraph", "첫 문단.", "", 0),
        ("image", "", "forum.jpg", 0),
        ("list_item", "개회", "", 1),
        ("list_item", "", "", 2),
        ("list_item", "폐회", "", 3),
        ("paragraph", "끝 문단.", "", 0),
    ]
    assert shapes == expected
    # the source's last paragraph changes: the translation is patched, the photo stays
    source_path.write_text(source_path.read_text("utf-8").replace("끝 문단.", "마지막 문단."), "utf-8")
    assert run(["translate", str(source_path), "--to", "en"])[0] == 0
    shapes = [(b.kind, b.text, b.src, b.number) for b in load_release(target_path).release.body]
    assert shapes == [*expected[:-1], ("paragraph", "마지막 문단.", "", 0)]
