"""HWPX through the CLI: building HWPX sources, --formats, and clear errors on bad files."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.core.document import Block, Meta, Release
from toolkit.render.hwpx import render_hwpx
from toolkit.render.style import load_style

ROOT = Path(__file__).resolve().parents[1]
STYLE = load_style(ROOT / "templates", "default")


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def press_release() -> bytes:
    release = Release(
        meta=Meta(
            title="창원특례시, 방산 수출 설명회 개최",
            lang="ko",
            date=dt.date(2026, 10, 7),
            organization="창원특례시",
            copyright="ⓒ 창원특례시",
        ),
        body=(Block("paragraph", "창원특례시는 7일 설명회를 열었다."),),
    )
    return render_hwpx(release, STYLE)


def rewrite(data: bytes, member: str, change: callable) -> bytes:  # type: ignore[valid-type]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == member:
                payload = change(payload)  # type: ignore[operator]
            dst.writestr(info, payload)
    return out.getvalue()


@pytest.mark.usefixtures("project")
class TestBuildHwpx:
    def test_single_hwpx_file_builds_a_pack_with_hwpx(self, tmp_path: Path) -> None:
        src = tmp_path / "보도자료.hwpx"
        src.write_bytes(press_release())
        code, stdout, stderr = run(["build", str(src), "--out", str(tmp_path / "out"), "--json", "--strict"])
        assert code == 0, stderr
        report = json.loads(stdout)
        assert sorted(Path(o["path"]).name for o in report["outputs"]) == [
            "manifest.json",
            "보도자료.ko.docx",
            "보도자료.ko.hwpx",
            "보도자료.ko.pdf",
        ]
        manifest = json.loads((tmp_path / "out" / "보도자료" / "manifest.json").read_text("utf-8"))
        assert [o["format"] for o in manifest["outputs"]] == ["docx", "pdf", "hwpx"]

    def test_release_folder_with_hwpx_and_release_yaml(self, tmp_path: Path) -> None:
        folder = tmp_path / "rel"
        folder.mkdir()
        data = render_hwpx(
            Release(meta=Meta(title="원래 제목", lang="ko"), body=(Block("paragraph", "본문입니다."),)), STYLE
        )
        (folder / "release.ko.hwpx").write_bytes(data)
        # without release.yaml: what the document does not show is warned about, not an error
        code, _, stderr = run(["build", str(folder), "--out", str(tmp_path / "a")])
        assert code == 0, stderr
        assert "Warning: " in stderr and "the document shows no date; the pack shows none" in stderr
        code, _, stderr = run(["build", str(folder), "--out", str(tmp_path / "b"), "--strict"])
        assert code == 1
        assert "warning(s) in strict mode" in stderr
        (folder / "release.yaml").write_text(
            "title: 바뀐 제목\ndate: 2026-10-07\norganization: 창원특례시\ncopyright: ⓒ 창원특례시\n", "utf-8"
        )
        code, _, stderr = run(
            ["build", str(folder), "--out", str(tmp_path / "c"), "--strict", "--formats", "hwpx"]
        )
        assert code == 0, stderr
        from toolkit.sources import load_release

        back = load_release(tmp_path / "c" / "rel" / "rel.ko.hwpx").release
        assert (back.meta.title, back.meta.date, back.meta.copyright) == (
            "바뀐 제목",
            dt.date(2026, 10, 7),
            "ⓒ 창원특례시",
        )

    def test_release_yaml_contact_replaces_the_documents_contact_table(self, tmp_path: Path) -> None:
        folder = tmp_path / "rel"
        folder.mkdir()
        meta = Meta(
            title="제목",
            lang="ko",
            date=dt.date(2026, 10, 7),
            organization="창원특례시",
            copyright="ⓒ 창원특례시",
            department="방위산업과",
            manager="과장 박준호",
            manager_phone="055-225-2400",
        )
        (folder / "release.ko.hwpx").write_bytes(
            render_hwpx(Release(meta=meta, body=(Block("paragraph", "본문입니다."),)), STYLE)
        )
        # the table gives manager/manager_phone; a free-text contact beside it is no conflict
        (folder / "release.yaml").write_text("contact: |\n  홍보담당관실 055-225-2000\n", "utf-8")
        code, _, stderr = run(["build", str(folder), "--out", str(tmp_path / "out"), "--formats", "hwpx"])
        assert code == 0, stderr
        from toolkit.sources import load_release

        back = load_release(folder / "release.ko.hwpx").release.meta
        assert (back.contact, back.manager, back.manager_phone) == ("홍보담당관실 055-225-2000", "", "")
        assert back.department == "방위산업과"  # not a contact key: the document's stays

    def test_formats_select_outputs_and_dropped_ones_leave_the_pack(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        assert (
            run(["build", "releases/2026-11-05-k-defense-forum", "--out", str(out), "--formats", "hwpx"])[0]
            == 0
        )
        pack = out / "2026-11-05-k-defense-forum"
        assert sorted(p.name for p in pack.iterdir()) == [
            "2026-11-05-k-defense-forum.en.hwpx",
            "2026-11-05-k-defense-forum.ko.hwpx",
            "manifest.json",
        ]
        code, _, stderr = run(
            ["build", "releases/2026-11-05-k-defense-forum", "--out", str(out), "--formats", "docx"]
        )
        assert code == 0 and "built 2026-11-05-k-defense-forum" in stderr  # formats are in the cache key
        assert sorted(p.name for p in pack.iterdir()) == [
            "2026-11-05-k-defense-forum.en.docx",
            "2026-11-05-k-defense-forum.ko.docx",
            "manifest.json",
        ]

    def test_unknown_format_is_a_usage_error(self, tmp_path: Path) -> None:
        code, _, stderr = run(["build", "releases/", "--out", str(tmp_path), "--formats", "docx,odt"])
        assert code == 2
        assert "unknown format 'odt'; use any of docx,pdf,hwpx" in stderr

    def test_check_boxes_print_in_characters_the_house_fonts_have(self, tmp_path: Path) -> None:
        """A form's check boxes were read as ☐/☑, which no house font has: the build failed
        with an error the user could not act on (the characters are not in the document)."""
        from toolkit.render import fonts
        from toolkit.sources import load_release

        def inject(xml: bytes) -> bytes:
            boxes = (
                '<hp:checkBtn caption="동의함" value="CHECKED"/>'
                '<hp:checkBtn caption="동의하지 않음" value="UNCHECKED"/>'
            )
            return xml.replace("<hp:t>창원특례시는".encode(), (boxes + "<hp:t>창원특례시는").encode(), 1)

        src = tmp_path / "x.hwpx"
        src.write_bytes(rewrite(press_release(), "Contents/section0.xml", inject))
        body = [b.text for b in load_release(src).release.body]
        assert body == ["▣ 동의함 □ 동의하지 않음 창원특례시는 7일 설명회를 열었다."]
        assert {ord("▣"), ord("□")} <= fonts.coverage(fonts.SOURCES["noto-sans-kr"])[fonts.MAIN]
        code, _, stderr = run(["build", str(src), "--out", str(tmp_path / "out"), "--formats", "pdf,docx"])
        assert code == 0, stderr

    def test_unknown_controls_keep_their_text_and_are_named(self, tmp_path: Path) -> None:
        def inject(xml: bytes) -> bytes:
            extra = (
                "<hp:futureBox><hp:subList><hp:p><hp:run><hp:t>미래 상자 속 글</hp:t></hp:run></hp:p>"
                "</hp:subList></hp:futureBox><hp:mystery/>"
            )
            return xml.replace("<hp:t>창원특례시는".encode(), (extra + "<hp:t>창원특례시는").encode(), 1)

        src = tmp_path / "x.hwpx"
        src.write_bytes(rewrite(press_release(), "Contents/section0.xml", inject))
        code, _, stderr = run(["build", str(src), "--out", str(tmp_path / "out"), "--formats", "hwpx"])
        assert code == 0, stderr
        assert (
            f"Warning: {src}: skipped 1 'mystery' object(s) this reader does not know "
            "(their text, if any, was kept) — check the output against the document"
        ) in stderr
        assert (
            f"Warning: {src}: read the text of 1 'futureBox' object(s) this reader does not know "
            "— check its place in the output against the document"
        ) in stderr
        from toolkit.sources import load_release

        texts = [b.text for b in load_release(src).release.body]
        assert texts == ["미래 상자 속 글", "창원특례시는 7일 설명회를 열었다."]


@pytest.mark.usefixtures("project")
class TestBadHwpx:
    def fails_with(self, path: Path, message: str) -> None:
        code, _, stderr = run(["build", str(path), "--out", str(path.parent / "out")])
        assert code == 1
        assert stderr.startswith(f"Error: {path}: {message}"), stderr
        assert "Traceback" not in stderr

    def test_corrupt_zip(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.hwpx"
        path.write_bytes(press_release()[:300])
        self.fails_with(path, "not a readable HWPX file: the zip is damaged")

    def test_hwp5_binary_renamed_to_hwpx_and_plain_hwp(self, tmp_path: Path) -> None:
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
        for name in ("old.hwpx", "old.hwp"):
            path = tmp_path / name
            path.write_bytes(ole)
            self.fails_with(
                path,
                "this is an HWP 5 binary document (.hwp), not HWPX — open it in Hancom Office "
                "and save it as HWPX (파일 > 다른 이름으로 저장 > .hwpx)",
            )

    def test_zip_bomb_is_refused_before_extraction(self, tmp_path: Path) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
            archive.writestr("Contents/section0.xml", b"\0" * (8 * 1024 * 1024))
        path = tmp_path / "bomb.hwpx"
        path.write_bytes(out.getvalue())
        self.fails_with(path, "HWPX part Contents/section0.xml is compressed")

    def test_word_file_renamed(self, tmp_path: Path) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
        path = tmp_path / "word.hwpx"
        path.write_bytes(out.getvalue())
        self.fails_with(path, "this is a Word/Office Open XML file, not HWPX — rename it to .docx")

    def test_entity_expansion_is_refused(self, tmp_path: Path) -> None:
        def bomb(_: bytes) -> bytes:
            return (
                b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                b'<hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section">&lol2;</hs:sec>'
            )

        path = tmp_path / "lol.hwpx"
        path.write_bytes(rewrite(press_release(), "Contents/section0.xml", bomb))
        self.fails_with(path, "HWPX part Contents/section0.xml declares a DTD/entities")

    def test_unsupported_suffix_names_hwpx(self, tmp_path: Path) -> None:
        path = tmp_path / "x.odt"
        path.write_bytes(b"x")
        code, _, stderr = run(["build", str(path), "--out", str(tmp_path / "out")])
        assert code == 1
        assert "unsupported file type '.odt' — give a .md, .txt, .docx or .hwpx release" in stderr
