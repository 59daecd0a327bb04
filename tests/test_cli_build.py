"""`presspack build`: release packs as PR staff and CI use them.

Outputs are checked by their content (pdftotext/pdffonts, DOCX XML), not by
their existence.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

FORUM = "2026-11-05-k-defense-forum"
MOU = "2026-10-20-defense-export-mou"
RESULTS = "2026-11-06-k-defense-forum-results"  # the rich sample: photo, table, lists, links
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def run(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def pdftext(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(ln.split()[1] for ln in info.splitlines() if ln.startswith("Pages:")))


def docx_xml(path: Path, member: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(member).decode("utf-8")


def squash(text: str) -> str:
    return "".join(text.split())


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".presspack")
    }


@pytest.mark.usefixtures("project")
class TestSamples:
    def test_builds_every_language_with_json_report(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        code, stdout, stderr = run(["build", "releases/", "--out", str(out), "--json", "--strict"])
        assert code == 0, stderr
        report = json.loads(stdout)
        files = sorted(Path(o["path"]).name for o in report["outputs"])
        assert files == sorted(
            [
                f"{r}.{lang}.{fmt}"
                for r in (FORUM, MOU, RESULTS)
                for lang in ("en", "ko")
                for fmt in ("docx", "pdf", "hwpx")
            ]
            + ["manifest.json"] * 3
        )
        assert report["findings"] == []
        manifest = json.loads((out / FORUM / "manifest.json").read_text("utf-8"))
        assert manifest["toolkit"]["name"] == "presspack"
        names = {i["name"] for i in manifest["inputs"]}
        assert {"release.ko.md", "release.en.md", "glossary.csv"} <= names
        for o in manifest["outputs"]:
            import hashlib

            assert hashlib.sha256((out / FORUM / o["file"]).read_bytes()).hexdigest() == o["sha256"]

    @needs_poppler
    def test_pdf_text_fonts_and_footer_on_every_page(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        assert run(["build", f"releases/{MOU}", "--out", str(out), "--lang", "en"])[0] == 0
        pdf = out / MOU / f"{MOU}.en.pdf"
        text = pdftext(pdf)
        assert "EMBARGOED UNTIL Oct. 20, 2026" in text
        assert "CHANGWON, South Korea, Oct. 20, 2026 —" in " ".join(text.split())
        assert "Łódź" in text and "Wójcik" in text
        assert text.rstrip().endswith("###") or "###" in text
        pages = pdf_pages(pdf)
        assert pages >= 2
        for page in range(1, pages + 1):
            assert "© 2026 Changwon Special City. All rights reserved." in pdftext(pdf, page)
            assert f"Page {page} of {pages}" in pdftext(pdf, page)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = [row.split() for row in fonts.splitlines()[2:] if row.strip()]
        assert rows and all(row[-5] == "yes" for row in rows), fonts  # the "emb" column
        assert {row[0].split("+")[-1] for row in rows} >= {"NotoSans-Regular", "NotoSans-Bold"}
        assert not (out / MOU / f"{MOU}.ko.pdf").exists()  # --lang en only

    @needs_poppler
    def test_korean_pack(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        assert run(["build", f"releases/{FORUM}", "--out", str(out), "--lang", "ko"])[0] == 0
        pdf = out / FORUM / f"{FORUM}.ko.pdf"
        text = pdftext(pdf)
        for needle in (
            "보도자료",
            "보도시점",
            "2026. 11. 5.(목)",
            "담당 부서",
            "방위산업과",
            "창원특례시, ‘K-방산 미래혁신 포럼’ 개최",
        ):
            assert needle in text
        source = Path(f"releases/{FORUM}/release.ko.md").read_text("utf-8")
        body = source.split("---", 2)[2]
        for para in [p for p in body.split("\n\n") if p.strip() and not p.startswith(("#", "-"))]:
            assert squash(para) in squash(text)
        for page in range(1, pdf_pages(pdf) + 1):
            assert "ⓒ 창원특례시. 무단 전재 및 재배포 금지" in pdftext(pdf, page)
        xml = docx_xml(out / FORUM / f"{FORUM}.ko.docx")
        assert 'w:eastAsia="ko-KR"' in xml or "ko-KR" in docx_xml(
            out / FORUM / f"{FORUM}.ko.docx", "word/styles.xml"
        )
        assert "창원특례시는 5일 창원컨벤션센터에서" in xml

    def test_rebuild_is_byte_identical_serial_and_parallel(self, tmp_path: Path) -> None:
        a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
        assert run(["build", "releases/", "--out", str(a), "--jobs", "1"])[0] == 0
        assert run(["build", "releases/", "--out", str(b)])[0] == 0  # the default: usable cores
        assert run(["build", "releases/", "--out", str(c), "--jobs", "2"])[0] == 0
        assert tree_bytes(a) == tree_bytes(b) == tree_bytes(c)
        assert len(tree_bytes(a)) == 21  # 3 releases × 2 languages × docx/pdf/hwpx + 3 manifests


@pytest.mark.usefixtures("project")
class TestIncremental:
    def test_second_build_does_nothing_and_check_passes(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        assert run(["build", "releases/", "--out", str(out)])[0] == 0
        code, _, err = run(["build", "releases/", "--out", str(out)])
        assert code == 0 and "built" not in err and "3 release(s) up to date" in err
        code, _, err = run(["build", "releases/", "--out", str(out), "--check"])
        assert code == 0, err

    def test_editing_one_source_rebuilds_one_pack_and_check_fails_first(
        self, project: Path, tmp_path: Path
    ) -> None:
        out = tmp_path / "out"
        assert run(["build", "releases/", "--out", str(out)])[0] == 0
        before = tree_bytes(out)
        en = project / "releases" / MOU / "release.en.md"
        en.write_text(en.read_text("utf-8").replace("12 local defense", "13 local defense", 1), "utf-8")
        code, stdout, err = run(["build", "releases/", "--out", str(out), "--check"])
        assert code == 1
        assert stdout.splitlines() == [
            f"stale: {MOU}: release.ko.md needs machine translation of changed sentences; pack out of date"
        ]
        assert "1 release(s) out of date" in err
        assert tree_bytes(out) == before  # --check wrote nothing

    def test_source_change_under_approved_translation_is_kept_for_review(
        self, project: Path, tmp_path: Path, copy_models: Path
    ) -> None:
        """The sample translations are people's work: a changed source sentence gets a
        review with a machine suggestion, never a silent replacement."""
        out = tmp_path / "out"
        assert run(["build", "releases/", "--out", str(out)])[0] == 0
        ko = project / "releases" / MOU / "release.ko.md"
        # a translator post-edits the second Korean sentence of a paragraph by hand
        edited = ko.read_text("utf-8").replace("돕기 위해 마련됐다.", "돕고자 마련됐다.", 1)
        assert edited != ko.read_text("utf-8")
        ko.write_text(edited, "utf-8")
        # the English source changes the first sentence of that paragraph
        en = project / "releases" / MOU / "release.en.md"
        en.write_text(
            en.read_text("utf-8").replace("12 local defense small", "13 local defense small", 1), "utf-8"
        )
        code, diff, err = run(["build", "releases/", "--out", str(out), "--dry-run"])
        assert code == 0, err
        assert diff == ""  # nothing of the translation file changes
        assert ko.read_text("utf-8") == edited
        code, _, err = run(["build", "releases/", "--out", str(out), "--json"])
        assert code == 0, err
        assert ko.read_text("utf-8") == edited  # the approved text stays
        review = [f for f in json.loads(_)["findings"] if f["check"] == "tm-review"]
        assert [(Path(f["file"]).name, f["line"]) for f in review] == [("release.ko.md", 18)]
        assert review[0]["segment"].startswith("Changwon Special City signed a memorandum")
        assert "13 local defense small" in review[0]["suggestion"]  # the copy model's suggestion
        assert review[0]["kept"].startswith("창원특례시는 19일 창원시청에서")
        code, _, err = run(["build", "releases/", "--out", str(out), "--strict"])
        rel = f"releases/{MOU}/release.ko.md"
        assert code == 1 and f"warning: {rel}:18: [tm-review]" in err
        # one command takes the suggestion; only that sentence changes, the hand edit stays
        code, _, err = run(["review", "accept", f"{rel}:18"])
        assert code == 0, err
        assert "accepted 1 review(s)" in err
        after = ko.read_text("utf-8")
        changed = [(a, b) for a, b in zip(edited.splitlines(), after.splitlines(), strict=True) if a != b]
        assert len(changed) == 1
        _, new_line = changed[0]
        assert "13 local defense small" in new_line  # the copy model "translated" the changed sentence
        assert new_line.endswith("돕고자 마련됐다.")  # the hand edit survived
        code, stdout, err = run(["build", "releases/", "--out", str(out), "--strict"])
        assert code == 0, stdout + err
        code, stdout, err = run(["build", "releases/", "--out", str(out), "--check"])
        assert code == 0, stdout + err

    def test_corrupt_cache_is_rebuilt_not_trusted(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        assert run(["build", "releases/", "--out", str(out)])[0] == 0
        (out / ".presspack-cache.json").write_text("{not json", "utf-8")
        code, _, err = run(["build", "releases/", "--out", str(out)])
        assert code == 0 and err.count("built ") == 3

    def test_tampered_output_is_rebuilt(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        assert run(["build", "releases/", "--out", str(out)])[0] == 0
        pdf = out / FORUM / f"{FORUM}.en.pdf"
        good = pdf.read_bytes()
        pdf.write_bytes(b"broken")
        code, _, err = run(["build", "releases/", "--out", str(out)])
        assert code == 0 and f"built {FORUM}" in err and f"built {MOU}" not in err
        assert pdf.read_bytes() == good


@pytest.mark.usefixtures("project")
class TestPathsAsTyped:
    """`presspack build .` and `..` as people type them in a terminal: releases are named after
    their folders, and nothing is written outside --out (a release once came out named "..",
    its files and manifest.json written beside the output folder)."""

    @staticmethod
    def _outside(root: Path, out: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and out not in p.parents}

    def test_dot_in_a_folder_of_releases_builds_them_all(
        self, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        out = tmp_path / "out"
        monkeypatch.chdir(project / "releases")
        code, _, err = run(["build", ".", "--out", str(out), "--jobs", "1"])
        assert code == 0, err
        assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted([FORUM, MOU, RESULTS])
        assert (out / FORUM / f"{FORUM}.ko.pdf").is_file()

    @pytest.mark.parametrize(("where", "arg"), [("", "."), ("photos", "..")])
    def test_dot_and_dotdot_name_the_release_after_its_folder(
        self, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, arg: str
    ) -> None:
        release = project / "releases" / FORUM
        (release / "photos").mkdir(exist_ok=True)
        out = tmp_path / "out"
        before = self._outside(tmp_path, out)
        monkeypatch.chdir(release / where)
        code, _, err = run(["build", arg, "--out", str(out), "--glossary", str(project / "glossary.csv")])
        assert (code, err.strip()) == (0, f"built {FORUM}")
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(
            [".presspack-cache.json", ".presspack.lock", f"{FORUM}/manifest.json"]
            + [f"{FORUM}/{FORUM}.{lang}.{fmt}" for lang in ("en", "ko") for fmt in ("docx", "hwpx", "pdf")]
        )
        manifest = json.loads((out / FORUM / "manifest.json").read_text("utf-8"))
        assert manifest["release"] == FORUM
        assert self._outside(tmp_path, out) - before <= {
            f"project/releases/{FORUM}/release.en.tm.json",
            f"project/releases/{FORUM}/release.ko.tm.json",
        }


@pytest.mark.usefixtures("project")
class TestReleaseSearch:
    """Folders given to build are searched for releases, boundedly: `presspack build ~` (for
    ~/releases) once walked the whole home folder, listing every file on the way."""

    def test_a_search_bigger_than_the_cap_says_so_and_builds_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        home = tmp_path / "home"
        for i in range(30):
            (home / f"project-{i}" / "src").mkdir(parents=True)
        shutil.copytree(Path(f"releases/{FORUM}"), home / "press" / FORUM)
        monkeypatch.setenv("PRESSPACK_LIMIT_SEARCH_FOLDERS", "50")
        code, _, err = run(["build", str(home), "--out", str(tmp_path / "out")])
        assert code == 1
        assert err == (
            f"Error: {home}: the search of {home} for releases exceeds the 50 folders limit "
            "(search_folders) — give the folder that holds your releases (such as releases/), or "
            "raise the cap with PRESSPACK_LIMIT_SEARCH_FOLDERS=N\n"
        )
        assert not (tmp_path / "out").exists()
        monkeypatch.setenv("PRESSPACK_LIMIT_SEARCH_FOLDERS", "70")  # 30 × 2 + press/ + the release
        code, out, _ = run(["build", str(home), "--out", str(tmp_path / "out"), "--check"])
        assert (code, out) == (1, f"stale: {FORUM}: pack out of date\n")

    def test_hidden_folders_are_skipped_and_linked_releases_found(self, tmp_path: Path) -> None:
        root = tmp_path / "press"
        shutil.copytree(Path(f"releases/{FORUM}"), root / ".trash" / FORUM)
        shutil.copytree(Path(f"releases/{MOU}"), tmp_path / "elsewhere" / MOU)
        (root / "linked").mkdir(parents=True)
        (root / "linked" / MOU).symlink_to(tmp_path / "elsewhere" / MOU, target_is_directory=True)
        code, out, _ = run(["build", str(root), "--out", str(tmp_path / "out"), "--check"])
        assert (code, out) == (1, f"stale: {MOU}: pack out of date\n")


class TestBadInput:
    def test_errors_for_every_bad_file_at_once(self, tmp_path: Path) -> None:
        (tmp_path / "empty.md").write_text("", "utf-8")
        (tmp_path / "bin.md").write_bytes(bytes(range(256)))
        (tmp_path / "notitle.md").write_text("---\nlang: en\ndate: 2026-02-30\n---\n\nBody.\n", "utf-8")
        code, _, err = run(
            [
                "build",
                str(tmp_path / "empty.md"),
                str(tmp_path / "bin.md"),
                str(tmp_path / "notitle.md"),
                "--out",
                str(tmp_path / "out"),
            ]
        )
        assert code == 1
        assert f"Error: {tmp_path / 'empty.md'}: file is empty — write the release text into it" in err
        assert f"Error: {tmp_path / 'bin.md'}: binary file, not a text release" in err
        assert f"Error: {tmp_path / 'notitle.md'}:1: missing title — add 'title: <headline>'" in err
        assert f"Error: {tmp_path / 'notitle.md'}:3: invalid date '2026-02-30' — use an ISO date" in err
        assert "Traceback" not in err
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))

    def test_unknown_key_warns_but_builds(self, tmp_path: Path) -> None:
        src = tmp_path / "r.md"
        front = "---\ntitle: Hello\nlang: en\nauthor: me\norganization: Changwon Special City\n---\n"
        src.write_text(front + "\nBody text.\n", "utf-8")
        code, _, err = run(["build", str(src), "--out", str(tmp_path / "out")])
        assert code == 0
        assert f"Warning: {src}:4: unknown front matter key 'author' (ignored)" in err
        assert (tmp_path / "out" / "r" / "r.en.pdf").exists()
        code, _, err = run(["build", str(src), "--out", str(tmp_path / "out2"), "--strict"])
        assert code == 1
        assert "Error: aborted with 0 finding(s) and 1 warning(s) in strict mode" in err

    @pytest.mark.parametrize("suffix", [".md", ".txt", ".docx"])
    def test_a_release_naming_no_issuer_is_warned_of_with_the_name_printed(
        self, tmp_path: Path, suffix: str
    ) -> None:
        """Another body's release without 'organization' went out under the house's name
        (창원특례시 / Changwon Special City) with no word, even with --strict."""
        src = tmp_path / f"r{suffix}"
        if suffix == ".docx":
            import docx

            document = docx.Document()
            document.add_paragraph("시험 보도자료", style="Title")
            document.add_paragraph("본문입니다.")
            document.save(str(src))
        else:
            front = "---\ntitle: 시험\nlang: ko\n---\n\n" if suffix == ".md" else "시험 보도자료\n\n"
            src.write_text(front + "본문입니다.\n", "utf-8")
        fix = {
            ".md": "add 'organization: …' to its front matter",
            ".txt": "write it in Markdown with 'organization: …' in its front matter",
            ".docx": "type a '보도자료 | <issuer>' table row at the top of the document",
        }[suffix]
        where = f"{src}:1" if suffix == ".md" else str(src)
        what = "no organization: the pack names the house style's '창원특례시' as the issuer"
        warning = f"Warning: {where}: {what} — {fix}"
        for _ in range(2):  # a full build, then a no-op rebuild that replays its warnings
            code, _, err = run(["build", str(src), "--out", str(tmp_path / "out"), "--strict"])
            assert code == 1
            assert err.splitlines()[0] == warning
            assert err.splitlines()[-1] == "Error: aborted with 0 finding(s) and 1 warning(s) in strict mode"

    def test_usage_errors_exit_2(self, tmp_path: Path) -> None:
        assert run(["build"])[0] == 2
        code, _, err = run(["build", str(tmp_path), "--lang", "fr"])
        assert code == 2 and "unknown language 'fr'" in err
        assert run(["build", str(tmp_path), "--jobs", "0"])[0] == 2

    @needs_poppler
    def test_markup_in_source_prints_literally(self, tmp_path: Path) -> None:
        src = tmp_path / "x.md"
        src.write_text(
            '---\ntitle: "<font size=40>Big</font> & co"\nlang: en\n---\n\n'
            'Look: <img src="/etc/passwd"/> and <b>bold</b> &amp; ß Ångström.\n',
            "utf-8",
        )
        code, _, err = run(["build", str(src), "--out", str(tmp_path / "out")])
        assert code == 0, err
        text = pdftext(tmp_path / "out" / "x" / "x.en.pdf")
        assert "<font size=40>Big</font> & co" in text
        # raw HTML is text; "&amp;" is CommonMark's entity for "&"
        assert 'Look: <img src="/etc/passwd"/> and <b>bold</b> & ß Ångström.' in text
        assert "root:x:" not in text
        xml = docx_xml(tmp_path / "out" / "x" / "x.en.docx")
        assert 'Look: &lt;img src="/etc/passwd"/&gt; and &lt;b&gt;bold&lt;/b&gt; &amp; ß Ångström.' in xml


@pytest.mark.usefixtures("copy_models")
class TestMissingLanguage:
    def test_single_file_gets_its_translation_in_the_pack(self, tmp_path: Path) -> None:
        src = tmp_path / "note.md"
        src.write_text("---\ntitle: 창원시 보도자료\nlang: ko\n---\n\n창원시는 포럼을 열었다.\n", "utf-8")
        glossary = tmp_path / "g.csv"
        glossary.write_text("ko,en,category,note\n창원시,Changwon Special City,place,\n", "utf-8")
        code, _, err = run(
            [
                "build",
                str(src),
                "--lang",
                "ko,en",
                "--glossary",
                str(glossary),
                "--out",
                str(tmp_path / "out"),
            ]
        )
        assert code == 0, err
        xml = docx_xml(tmp_path / "out" / "note" / "note.en.docx")
        assert "Changwon Special City는 포럼을 열었다." in xml
        assert not (tmp_path / "note.en.md").exists()


    def test_the_glossary_above_the_release_is_found_from_another_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A build started outside the project still enforces its approved names (git's
        upward look), and the nearest glossary.csv wins over one further up."""
        monkeypatch.delenv("PRESSPACK_GLOSSARY", raising=False)
        (tmp_path / "glossary.csv").write_text("ko,en,category,note\n창원시,Changwon City,place,\n", "utf-8")
        project = tmp_path / "press"
        (project / "releases").mkdir(parents=True)
        (project / "glossary.csv").write_text(
            "ko,en,category,note\n창원시,Changwon Special City,place,\n", "utf-8"
        )
        src = project / "releases" / "note.md"
        src.write_text("---\ntitle: 창원시 보도자료\nlang: ko\n---\n\n창원시는 포럼을 열었다.\n", "utf-8")
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        monkeypatch.chdir(elsewhere)
        code, _, err = run(["build", str(src), "--lang", "ko,en", "--out", str(tmp_path / "out")])
        assert code == 0, err
        xml = docx_xml(tmp_path / "out" / "note" / "note.en.docx")
        assert "Changwon Special City는 포럼을 열었다." in xml


def test_missing_model_when_a_language_must_be_translated(argos_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "note.md"
    src.write_text("---\ntitle: 제목\nlang: ko\n---\n\n본문이다.\n", "utf-8")
    code, _, err = run(["build", str(src), "--lang", "en", "--out", str(tmp_path / "out")])
    assert code == 1
    assert "no ko→en model installed; run 'presspack models install ko en'" in err
