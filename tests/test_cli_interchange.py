"""Agencies and CAT tools, through the CLI: export, edit in another tool, import, rebuild.

The forum sample is translated with the copy model (its "English" is the
Korean with the approved terms injected), exported, edited the way an
agency would — in Translate Toolkit (XLIFF, TMX) or python-docx (the review
DOCX) — and imported back. Human work must end up in ``release.en.md`` and
its memory as a person's, stay there through later builds, and nothing may
change when nothing was edited.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from toolkit.cli import main

FORUM = "2026-11-05-k-defense-forum"
BOOTHS_KO = "참석자들은 부스를 돌며 기업 관계자들과 제품 사양, 협력 가능성 등을 두고 의견을 나눴다."
BOOTHS_EN = "Attendees toured the booths and talked with company representatives about specifications."
TITLE_EN = "Changwon Special City Hosts the K-Defense Future Innovation Forum"

xliff = pytest.importorskip("translate.storage.xliff")
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("release.*"))}


def segments(folder: Path) -> list[dict[str, str]]:
    data = json.loads((folder / "release.en.tm.json").read_text("utf-8"))
    return [s for u in data["units"] for s in u["segments"]]


def memory_units(folder: Path) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = json.loads((folder / "release.en.tm.json").read_text("utf-8"))["units"]
    return units


def segment(folder: Path, src_start: str) -> dict[str, str]:
    found = [s for s in segments(folder) if s["src"].startswith(src_start)]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def machine(project: Path, copy_models: Path) -> Path:
    """The forum sample with its English made by presspack (copy model)."""
    folder = project / "releases" / FORUM
    (folder / "release.en.md").unlink()
    (folder / "release.en.tm.json").unlink()
    code, _, err = run(["translate", str(folder / "release.ko.md"), "--to", "en"])
    assert code == 0, err
    return folder


def tt_edit(
    path: Path,
    edits: dict[str, str],
    *,
    approve: tuple[str, ...] = (),
    out: Path | None = None,
    exact: bool = False,
) -> Path:
    """Edit targets (by source start, or whole source) the way an agency's tool would: Translate Toolkit."""
    store = xliff.xlifffile.parsefile(str(path))
    done = set()
    for unit in store.units:
        for start, target in edits.items():
            if unit.source == start if exact else unit.source.startswith(start):
                unit.rich_target = [target]
                done.add(start)
        if any(unit.source.startswith(a) for a in approve):
            unit.xmlelement.find(f"{{{XLIFF12}}}target").set("state", "final")
    assert done == set(edits)
    out = out or path.with_name("edited-" + path.name)
    out.write_bytes(bytes(store))
    return out


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize(
    "args",
    [
        ["xliff", "--to", "en"],
        ["xliff", "--to", "en", "--xliff-version", "2.1"],
        ["review", "--to", "en"],
    ],
    ids=["xliff-1.2", "xliff-2.1", "review-docx"],
)
def test_an_unchanged_export_imports_without_changing_a_byte(
    machine: Path, tmp_path: Path, args: list[str]
) -> None:
    before = digest(machine)
    out = tmp_path / "export.bin"
    code, _, err = run(["export", args[0], str(machine), *args[1:], "-o", str(out)])
    assert code == 0, err
    assert re.search(r"wrote .*export\.bin: 31 segment\(s\) \(31 machine\)", err)
    code, _, err = run(["import", str(out)])
    assert code == 0, err
    assert "imported 0 edit(s) into release.en.md; 31 unit(s) unchanged" in err
    assert digest(machine) == before
    # and the same export twice is the same bytes
    again = tmp_path / "again.bin"
    assert run(["export", args[0], str(machine), *args[1:], "-o", str(again)])[0] == 0
    assert again.read_bytes() == out.read_bytes()


def test_xliff_edits_become_human_post_edits_kept_by_later_builds(machine: Path, tmp_path: Path) -> None:
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "--to", "en", "-o", str(out)])[0] == 0
    edited = tt_edit(
        out, {BOOTHS_KO: BOOTHS_EN, "창원특례시, ‘K-방산": TITLE_EN}, approve=("창원특례시, ‘K-방산",)
    )
    code, diff, err = run(["import", str(edited), "--dry-run"])
    assert code == 0, err
    assert f"+title: {TITLE_EN}" in diff and f"+{BOOTHS_EN}" in diff and diff.count("\n+") == 3
    assert "would import 2 edit(s), 1 approval(s) into release.en.md" in err
    assert "Attendees" not in (machine / "release.en.md").read_text("utf-8")  # dry run: nothing written
    code, _, err = run(["import", str(edited)])
    assert code == 0, err
    assert "imported 2 edit(s), 1 approval(s) into release.en.md; 29 unit(s) unchanged" in err
    text = (machine / "release.en.md").read_text("utf-8")
    assert f"\n{BOOTHS_EN}\n" in text and f"title: {TITLE_EN}\n" in text
    booths = segment(machine, BOOTHS_KO)
    assert (booths["tgt"], booths["origin"], booths.get("state", "translated")) == (
        BOOTHS_EN,
        "human",
        "translated",
    )
    title = segment(machine, "창원특례시, ‘K-방산")
    assert (title["tgt"], title["origin"], title["state"]) == (TITLE_EN, "human", "final")
    after_import = digest(machine)
    # later builds keep them, change nothing, and CI's --check is clean
    out_dir = tmp_path / "out"
    code, _, err = run(["build", str(machine.parent), "--out", str(out_dir)])
    assert code == 0, err
    assert digest(machine) == after_import
    code, _, err = run(["build", str(machine.parent), "--out", str(out_dir), "--check"])
    assert code == 0, err
    import docx

    printed = "\n".join(p.text for p in docx.Document(str(out_dir / FORUM / f"{FORUM}.en.docx")).paragraphs)
    assert TITLE_EN in printed and BOOTHS_EN in printed  # the rebuilt pack has them
    # a second export shows them as a person's, the approved one final
    again = tmp_path / "again.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(again)])[0] == 0
    units = {u.source: u for u in xliff.xlifffile.parsefile(str(again)).units}
    booths_unit = units[BOOTHS_KO].xmlelement
    target = booths_unit.find(f"{{{XLIFF12}}}target")
    assert (target.get("state"), target.get("state-qualifier")) == ("translated", None)
    assert booths_unit.get("{urn:presspack:interchange:1}origin") == "human"
    title_unit = next(u for s, u in units.items() if s.startswith("창원특례시, ‘K-방산")).xmlelement
    assert title_unit.get("approved") == "yes"


def test_xliff_21_edited_in_translate_toolkit_imports(machine: Path, tmp_path: Path) -> None:
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "--xliff-version", "2.1", "-o", str(out)])[0] == 0
    store = xliff2.Xliff2File.parsefile(str(out))
    (unit,) = [u for u in store.units if u.source == BOOTHS_KO]
    unit.target = BOOTHS_EN
    out.write_bytes(bytes(store))
    code, _, err = run(["import", str(out)])
    assert code == 0, err
    assert segment(machine, BOOTHS_KO)["tgt"] == BOOTHS_EN


def test_review_docx_edited_in_word_imports(machine: Path, tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    out = tmp_path / "review.docx"
    assert run(["export", "review", str(machine), "--to", "en", "-o", str(out)])[0] == 0
    import zipfile

    with zipfile.ZipFile(out) as zf:  # Noto Sans and Noto Sans KR inside, Regular and Bold
        assert sorted(n for n in zf.namelist() if n.startswith("word/fonts/")) == [
            f"word/fonts/font{n}.odttf" for n in range(1, 5)
        ]
    document = docx.Document(str(out))
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    (table,) = document.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Segment ID", "Status", "Source (ko)", "Target (en)", "Comments"]
    assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # repeated on every page
    rows = {r.cells[2].text: r for r in table.rows[1:]}
    assert len(rows) == 31
    title = next(r for s, r in rows.items() if s.startswith("창원특례시, ‘K-방산"))
    # approved terms are highlighted in source and target
    marked = [r.text for r in title.cells[2].paragraphs[0].runs if r.font.highlight_color is not None]
    assert marked == ["창원특례시", "K-방산 미래혁신 포럼"]
    marked = [r.text for r in title.cells[3].paragraphs[0].runs if r.font.highlight_color is not None]
    assert marked == ["Changwon Special City", "K-Defense Future Innovation Forum"]
    # the reviewer: rewrites one target, approves the title, and edits a third with Track Changes on
    booths = rows[BOOTHS_KO].cells[3].paragraphs[0]
    for run_ in booths.runs[1:]:
        run_._r.getparent().remove(run_._r)
    booths.runs[0].text = BOOTHS_EN
    title.cells[1].paragraphs[0].runs[0].text = "Final"
    tracked = next(r for s, r in rows.items() if s.startswith("포럼은 두 차례")).cells[3].paragraphs[0]
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for run_ in tracked.runs:
        run_._r.getparent().remove(run_._r)
    tracked._p.append(
        parse_xml(f'<w:del {w} w:id="1" w:author="R"><w:r><w:delText>old</w:delText></w:r></w:del>')
    )
    tracked._p.append(
        parse_xml(
            f'<w:ins {w} w:id="2" w:author="R"><w:r><w:t>The forum had two sessions.</w:t></w:r></w:ins>'
        )
    )
    document.save(str(out))
    code, _, err = run(["import", str(out)])
    assert code == 0, err
    assert "imported 2 edit(s), 1 approval(s) into release.en.md" in err
    assert segment(machine, BOOTHS_KO)["tgt"] == BOOTHS_EN
    assert segment(machine, "포럼은 두 차례")["tgt"] == "The forum had two sessions."
    title_seg = segment(machine, "창원특례시, ‘K-방산")
    assert (title_seg["origin"], title_seg["state"]) == (
        "machine",
        "final",
    )  # approved as the engine wrote it
    assert "The forum had two sessions." in (machine / "release.en.md").read_text("utf-8")
    # kept by later builds, and CI's --check is clean
    settled = digest(machine)
    out_dir = tmp_path / "out"
    code, _, err = run(["build", str(machine.parent), "--out", str(out_dir)])
    assert code == 0, err
    assert digest(machine) == settled
    code, _, err = run(["build", str(machine.parent), "--out", str(out_dir), "--check"])
    assert code == 0, err
    pack = docx.Document(str(out_dir / FORUM / f"{FORUM}.en.docx"))  # the printed release has them
    printed = "\n".join(p.text for p in pack.paragraphs)
    assert BOOTHS_EN in printed and "The forum had two sessions." in printed


def test_tmx_holds_the_post_edits_for_translate_toolkit(machine: Path, tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    assert run(["import", str(tt_edit(out, {BOOTHS_KO: BOOTHS_EN}))])[0] == 0
    memory = tmp_path / "releases.tmx"
    code, _, err = run(["export", "tmx", str(machine.parent), "-o", str(memory)])
    assert code == 0, err
    store = tmx.tmxfile.parsefile(str(memory))
    forum = [u for u in store.units if u.getid().startswith(FORUM + "/")]
    assert len(forum) == 31
    (booths,) = [u for u in forum if u.source == BOOTHS_KO]
    assert booths.target == BOOTHS_EN
    origins = {
        tu.get("tuid"): tu.findtext("tuv[2]/prop[@type='x-presspack-origin']")
        for tu in booths.xmlelement.getparent().iterfind("tu")
        if tu.get("tuid", "").startswith(FORUM)
    }
    assert origins[booths.getid()] == "human"
    assert (
        sorted(set(origins.values())) == ["human", "machine"] and list(origins.values()).count("human") == 1
    )
    # importing the memory back changes nothing
    before = digest(machine)
    code, _, err = run(["import", str(memory)])
    assert code == 0, err
    assert digest(machine) == before


# --------------------------------------------------------------------------- refused units


def test_a_unit_whose_source_changed_is_refused_and_the_rest_applied(machine: Path, tmp_path: Path) -> None:
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    source = machine / "release.ko.md"
    source.write_text(
        source.read_text("utf-8").replace(BOOTHS_KO, "참석자들은 부스를 돌며 의견을 나눴다."), "utf-8"
    )
    assert run(["translate", str(source), "--to", "en"])[0] == 0  # the build re-translates it
    other = "포럼은 두 차례의 주제 세션과 부대 전시로 진행됐다."
    edited = tt_edit(out, {BOOTHS_KO: BOOTHS_EN, other: "The forum had two sessions and an exhibition."})
    code, _, err = run(["import", str(edited)])
    assert code == 1
    booths_id = next(
        u.getid().split("\x04")[1] for u in xliff.xlifffile.parsefile(str(out)).units if u.source == BOOTHS_KO
    )
    line = next(n for n, text in enumerate(edited.read_text("utf-8").split("\n"), 1) if booths_id in text)
    assert (
        f"error: {edited}:{line}: [import-stale] unit {booths_id}: its source “{BOOTHS_KO}” changed in "
        "release.ko.md since the export (or was removed), so its translation "
        f"“{BOOTHS_EN}” was not imported — export again and translate the new source\n"
    ) in err
    assert "Error: 1 unit(s) refused — see the import-* finding(s) above; the rest was imported" in err
    assert segment(machine, other)["tgt"] == "The forum had two sessions and an exhibition."
    assert BOOTHS_EN not in (machine / "release.en.md").read_text("utf-8")


def test_a_unit_edited_in_the_file_since_the_export_is_not_overwritten(machine: Path, tmp_path: Path) -> None:
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    en = machine / "release.en.md"
    en.write_text(en.read_text("utf-8").replace(BOOTHS_KO, "Attendees visited the booths."), "utf-8")
    code, _, err = run(["import", str(tt_edit(out, {BOOTHS_KO: BOOTHS_EN}))])
    assert code == 1
    assert (
        "[import-conflict]" in err
        and "its translation was edited in release.en.md since the export "
        "(now “Attendees visited the booths.”); presspack kept that"
        in err
    )
    assert "Attendees visited the booths." in en.read_text("utf-8") and BOOTHS_EN not in en.read_text("utf-8")


def test_a_dropped_tag_is_a_finding_not_a_crash(project: Path, copy_models: Path, tmp_path: Path) -> None:
    folder = project / "releases" / "rich"
    folder.mkdir()
    (folder / "release.ko.md").write_text(
        "---\ntitle: 창원특례시 포럼\ndate: 2026-11-05\nlang: ko\n---\n\n"
        "자세한 내용은 [누리집](https://www.changwon.go.kr)에서 **꼭** 볼 수 있다.\n",
        "utf-8",
    )
    assert run(["translate", str(folder / "release.ko.md"), "--to", "en"])[0] == 0
    out = tmp_path / "rich.xlf"
    assert run(["export", "xliff", str(folder), "-o", str(out)])[0] == 0
    code, _, err = run(["import", str(tt_edit(out, {"자세한 내용은": "See the city website."}))])
    assert code == 0, err
    assert "warning: " in err and "[import-tags]" in err
    assert "the new translation lost the link to https://www.changwon.go.kr of the text it replaces" in err
    assert "the new translation lost bold of the text it replaces" in err
    assert "\nSee the city website.\n" in (folder / "release.en.md").read_text("utf-8")


def test_an_about_heading_that_would_no_longer_open_its_section_is_refused(
    machine: Path, tmp_path: Path
) -> None:
    """The closing section is found by its heading ("About …"): a translation of it that
    would turn the section into body text once written is refused; the rest goes in."""
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    edited = tt_edit(out, {"창원특례시 소개": "Changwon at a glance", BOOTHS_KO: BOOTHS_EN})
    code, _, err = run(["import", str(edited)])
    assert code == 1
    assert (
        "[import-structure] unit " in err
        and ": presspack finds the closing section of release.en.md by a heading that starts with 'About' "
        "or is “<organization> 소개”; “Changwon at a glance” is not one, so it was not imported — start it "
        "with 'About'\n"
        in err
    )
    assert "Error: 1 unit(s) refused" in err
    assert segment(machine, BOOTHS_KO)["tgt"] == BOOTHS_EN
    assert segment(machine, "창원특례시 소개")["origin"] == "machine"
    settled = digest(machine)
    assert run(["translate", str(machine / "release.ko.md"), "--to", "en"])[0] == 0
    assert digest(machine) == settled
    # the heading is "Changwon Special City 소개": a proper name in Latin letters before 소개 opens
    # the closing section whatever the organization is called, so a new name for the organization
    # alone goes in and the section stays
    again = tmp_path / "again.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(again)])[0] == 0
    code, _, err = run(["import", str(tt_edit(again, {"창원특례시": "Changwon City Hall"}, exact=True))])
    assert code == 0, err
    text = (machine / "release.en.md").read_text("utf-8")
    assert "\n## Changwon Special City 소개\n" in text and "\norganization: Changwon City Hall\n" in text
    assert digest(machine) != settled
    # with an "About …" heading, both go in
    edits = {"창원특례시": "Changwon City Hall", "창원특례시 소개": "About Changwon City Hall"}
    code, _, err = run(["import", str(tt_edit(again, edits, exact=True))])
    assert code == 0, err
    text = (machine / "release.en.md").read_text("utf-8")
    assert "\n## About Changwon City Hall\n" in text and "\norganization: Changwon City Hall\n" in text
    assert segment(machine, "창원특례시 소개")["origin"] == "human"


RICH = "2026-11-06-k-defense-forum-results"


def _reader_has_rich_blocks() -> bool:
    from toolkit.sources import load_release

    release = load_release(Path(__file__).resolve().parents[1] / "releases" / RICH / "release.ko.md").release
    return any(b.kind == "table" for b in release.body) and any(b.kind == "image" for b in release.body)


@pytest.mark.skipif(
    not _reader_has_rich_blocks(), reason="needs the CommonMark block reader (tables, photos)"
)
def test_table_cells_captions_nested_items_and_attachments_are_segments(
    project: Path, copy_models: Path, tmp_path: Path
) -> None:
    """Every unit of the rich sample — photo caption, nested list item, table caption and
    cells, the attachments heading and items — is a segment that exports and imports."""
    folder = project / "releases" / RICH
    (folder / "release.en.md").unlink()
    assert run(["translate", str(folder / "release.ko.md"), "--to", "en"])[0] == 0
    before = digest(folder)
    out = tmp_path / "rich.xlf"
    code, _, err = run(["export", "xliff", str(folder), "-o", str(out)])
    assert code == 0, err
    assert "34 segment(s) (34 machine)" in err
    kinds = [u["id"] for u in memory_units(folder)]
    assert kinds.count("body:table:cell") == 15 and "body:image:caption" in kinds
    assert [u.source for u in xliff.xlifffile.parsefile(str(out)).units if u.source == "대회의실"] == [
        "대회의실"
    ] * 3
    # an unchanged round trip first
    assert run(["import", str(out)])[0] == 0 and digest(folder) == before
    caption = "Mayor Hong Nampyo (sixth from left) and forum attendees pose for a photo."
    edits = {
        "홍남표 창원특례시장(왼쪽 여섯 번째)과 포럼 참석자들이 기념 촬영을 하고 있다.": caption,
        "발표 뒤 패널 토론": "Panel discussion after the talks",
        "포럼 주요 일정": "Forum schedule",
        "대회의실": "Main Hall",
        "전시장": "Exhibition hall",
        "붙임": "Attachments",
        "행사 사진 1매.": "One event photo.",
    }
    code, _, err = run(["import", str(tt_edit(out, edits, exact=True))])
    assert code == 0, err
    assert "imported 9 edit(s) into release.en.md; 25 unit(s) unchanged" in err
    text = (folder / "release.en.md").read_text("utf-8")
    assert f'\n![{caption}](forum.jpg "K-방산 미래혁신 포럼 기념 촬영")\n' in text
    assert "\n   - Panel discussion after the talks\n" in text
    assert "\nTable: Forum schedule\n" in text
    assert "| 14:30 | 제1세션 | Main Hall |" in text and "| 전시장 |" not in text
    assert "\n## Attachments\n\n1. 포럼 주요 일정 1부.\n2. One event photo.\n" in text
    assert len(segments(folder)) == 34  # each text in its own segment, none split off or joined
    for seg in segments(folder):
        if seg["src"] in edits:
            assert (seg["tgt"], seg["origin"]) == (edits[seg["src"]], "human"), seg
        else:
            assert seg["origin"] == "machine", seg
    settled = digest(folder)
    out_dir = tmp_path / "out"
    code, _, err = run(["build", str(folder), "--out", str(out_dir)])
    assert code == 0, err
    assert digest(folder) == settled
    code, _, err = run(["build", str(folder), "--out", str(out_dir), "--check"])
    assert code == 0, err
    # the review DOCX has a row for each, the table cells among them
    import docx

    review = tmp_path / "rich.docx"
    assert run(["export", "review", str(folder), "-o", str(review)])[0] == 0
    (table,) = docx.Document(str(review)).tables
    rows = [(r.cells[2].text, r.cells[3].text) for r in table.rows[1:]]
    assert len(rows) == 34 and rows.count(("대회의실", "Main Hall")) == 3


def test_meta_fields_keep_markdown_characters_as_text(
    project: Path, copy_models: Path, tmp_path: Path
) -> None:
    """A title with * and [ in it: the characters are text in the exchange file (no tags) and
    come back as text."""
    folder = project / "releases" / "stars"
    folder.mkdir()
    (folder / "release.ko.md").write_text(
        "---\ntitle: 창원특례시 *별표* [괄호] 포럼\ndate: 2026-11-05\nlang: ko\n---\n\n포럼이 열렸다.\n",
        "utf-8",
    )
    assert run(["translate", str(folder / "release.ko.md"), "--to", "en"])[0] == 0
    out = tmp_path / "stars.xlf"
    assert run(["export", "xliff", str(folder), "-o", str(out)])[0] == 0
    (unit,) = [u for u in xliff.xlifffile.parsefile(str(out)).units if "별표" in u.source]
    assert unit.source == "창원특례시 *별표* [괄호] 포럼"
    assert not unit.xmlelement.find(f"{{{XLIFF12}}}source").getchildren()  # no tags: plain characters
    edited = tt_edit(out, {"창원특례시 *별표*": "Changwon *Star* [Bracket] Forum"})
    code, _, err = run(["import", str(edited)])
    assert code == 0, err
    assert "\ntitle: Changwon *Star* [Bracket] Forum\n" in (folder / "release.en.md").read_text("utf-8")
    settled = digest(folder)
    code, _, err = run(["import", str(out)])  # the old export: that unit changed since, left as it is
    assert code == 0, err
    assert "imported 0 edit(s) into release.en.md" in err and digest(folder) == settled


# --------------------------------------------------------------------------- bad files


def test_bad_files_get_clear_errors(machine: Path, tmp_path: Path, project: Path) -> None:
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    before = digest(machine)
    text = out.read_text("utf-8")
    first_id = re.search(r'<trans-unit id="([0-9a-f]+)"', text).group(1)  # type: ignore[union-attr]
    dup = tmp_path / "dup.xlf"
    dup.write_text(
        text.replace('<trans-unit id="', f'<trans-unit id="{first_id}" x="', 2).replace(
            f'id="{first_id}" x="{first_id}"', f'id="{first_id}"'
        ),
        "utf-8",
    )
    code, _, err = run(["import", str(dup)])
    assert (
        code == 1
        and f"Error: {dup}: unit id '{first_id}' appears more than once — every unit must keep the id" in err
    )
    other = project / "releases" / "2026-11-06-k-defense-forum-results"
    code, _, err = run(["import", str(out), str(other)])
    assert (
        code == 1
        and f"Error: {out}: it was exported from release '{FORUM}', not '2026-11-06-k-defense-forum-results'"
        in err
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("please see attached", "utf-8")
    code, _, err = run(["import", str(notes)])
    assert (
        code == 1
        and f"Error: {notes}: not an exchange file (not XML and not a Word file) — give an XLIFF" in err
    )
    code, _, err = run(["import", str(tmp_path / "missing.xlf")])
    assert code == 1 and "missing.xlf: no such file — check the path" in err
    moved = tmp_path / "moved.xlf"
    moved.write_text(
        text.replace(f'original="releases/{FORUM}/release.ko.md"', 'original="elsewhere/release.ko.md"'),
        "utf-8",
    )
    code, _, err = run(["import", str(moved)])
    assert code == 1 and "it was exported from elsewhere/release.ko.md, which is not here" in err
    xxe = tmp_path / "xxe.xlf"
    xxe.write_text(
        text.replace(
            "<xliff ", '<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<xliff ', 1
        ).replace("</target>", "&x;</target>", 1),
        "utf-8",
    )
    code, _, err = run(["import", str(xxe)])
    assert code == 1 and err == (
        f"Error: {xxe}: the exchange file declares a DOCTYPE or entities, which presspack never reads (XXE) "
        "— export the file from your CAT tool again without a DOCTYPE\n"
    )
    assert "Traceback" not in err
    assert digest(machine) == before


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize("given", ["folder", "source file"])
def test_export_to_the_sources_own_language_says_which_language_to_give(
    given: str, tmp_path: Path
) -> None:
    """--to ko on a Korean-source release once told the user to mark release.ko.md as a
    translation of itself ('add translation_of: ko')."""
    folder = Path("releases") / FORUM
    arg = folder if given == "folder" else folder / "release.ko.md"
    code, _, err = run(["export", "xliff", str(arg), "--to", "ko", "-o", str(tmp_path / "x.xlf")])
    assert (code, err) == (
        1,
        f"Error: {folder / 'release.ko.md'}: is the 'ko' source itself, not a translation — give --to en\n",
    )
    assert not (tmp_path / "x.xlf").exists()


def test_export_refuses_a_translation_behind_its_source(machine: Path, tmp_path: Path) -> None:
    source = machine / "release.ko.md"
    source.write_text(source.read_text("utf-8").replace(BOOTHS_KO, "참석자들은 부스를 돌았다."), "utf-8")
    code, _, err = run(["export", "xliff", str(machine), "-o", str(tmp_path / "x.xlf")])
    assert code == 1
    assert (
        f"Error: {machine / 'release.en.md'}: is not up to date with release.ko.md, "
        "so presspack cannot export it safely — run 'presspack build" in err
    )
    assert not (tmp_path / "x.xlf").exists()


def test_a_flagged_unit_confirmed_in_the_cat_tool_resolves_its_review(machine: Path, tmp_path: Path) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    en.write_text(en.read_text("utf-8").replace(BOOTHS_KO, BOOTHS_EN), "utf-8")
    assert run(["translate", str(ko), "--to", "en"])[0] == 0  # the edit is recorded as a person's
    new_source = "참석자들은 부스를 돌며 기업 관계자들과 제품 사양을 두고 의견을 나눴다."
    ko.write_text(ko.read_text("utf-8").replace(BOOTHS_KO, new_source), "utf-8")
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0 and "[tm-review]" in err
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    store = xliff.xlifffile.parsefile(str(out))
    (unit,) = [u for u in store.units if u.source == new_source]
    element = unit.xmlelement
    target = element.find(f"{{{XLIFF12}}}target")
    assert (target.get("state"), target.text) == ("needs-review-translation", BOOTHS_EN)
    suggestion = element.find(f"{{{XLIFF12}}}alt-trans/{{{XLIFF12}}}target")
    assert suggestion.text == new_source  # the copy model's "translation" of the new source
    notes = [n.text for n in element.iterfind(f"{{{XLIFF12}}}note") if n.get("from") == "presspack-review"]
    assert notes and notes[0].startswith(
        f"The source changed under this translation (it was written for “{BOOTHS_KO}”)"
    )
    target.set("state", "translated")  # the translator checked it: still right
    out.write_bytes(bytes(store))
    code, _, err = run(["import", str(out)])
    assert code == 0, err
    assert "imported 0 edit(s), 1 confirmation(s) into release.en.md" in err
    booths = segment(machine, new_source)
    assert (booths["tgt"], booths["origin"], booths.get("state"), booths.get("was")) == (
        BOOTHS_EN,
        "human",
        None,
        None,
    )
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0 and "[tm-review]" not in err


FOREIGN_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT"
adminlang="EN-US" srclang="KO-KR" datatype="plaintext"/><body>
<tu><tuv xml:lang="KO-KR"><seg>{booths_ko}</seg></tuv><tuv xml:lang="EN-US"><seg>{booths_en}</seg></tuv></tu>
<tu><tuv xml:lang="KO-KR"><seg>{human_ko}</seg></tuv>
<tuv xml:lang="EN-US"><seg>Not the person's text.</seg></tuv></tu>
<tu><tuv xml:lang="KO-KR"><seg>다른 보도자료의 문장이다.</seg></tuv>
<tuv xml:lang="EN-US"><seg>Another one.</seg></tuv></tu>
</body></tmx>"""


def test_a_memory_from_another_tool_fills_machine_text_only(machine: Path, tmp_path: Path) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    human_ko = "포럼은 두 차례의 주제 세션과 부대 전시로 진행됐다."
    en.write_text(en.read_text("utf-8").replace(human_ko, "Two sessions and an exhibition."), "utf-8")
    assert run(["translate", str(ko), "--to", "en"])[0] == 0
    memory = tmp_path / "omegat.tmx"
    memory.write_text(
        FOREIGN_TMX.format(booths_ko=BOOTHS_KO, booths_en=BOOTHS_EN, human_ko=human_ko), "utf-8"
    )
    code, _, err = run(["import", str(memory)])
    assert code == 1
    assert f"Error: {memory}: this TMX 1.4b file does not say which release it belongs to — name it" in err
    code, _, err = run(["import", str(memory), str(machine)])
    assert code == 1
    assert (
        "[import-conflict]" in err
        and "release.en.md has a person's translation here (“Two sessions and an exhibition.”)" in err
    )
    assert "imported 1 edit(s) into release.en.md; 1 unit(s) unchanged" in err
    text = en.read_text("utf-8")
    assert BOOTHS_EN in text and "Two sessions and an exhibition." in text and "Not the person's" not in text
    assert segment(machine, BOOTHS_KO)["origin"] == "human"


def test_every_sentence_of_a_paragraph_rewritten_keeps_its_own_segment(machine: Path, tmp_path: Path) -> None:
    """Content alignment alone would join two fully rewritten neighbours into one segment;
    the import knows which text belongs to which source and keeps them apart."""
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    first, second = "창원특례시는 5일 창원컨벤션센터에서", "이번 포럼은 업계와 전문가가"
    new_first = "Changwon Special City held the forum at the Changwon Convention Center on Nov. 5."
    new_second = "Industry and experts looked for a way forward together."
    code, _, err = run(["import", str(tt_edit(out, {first: new_first, second: new_second}))])
    assert code == 0, err
    assert f"\n{new_first} {new_second}\n" in (machine / "release.en.md").read_text("utf-8")
    assert (segment(machine, first)["tgt"], segment(machine, second)["tgt"]) == (new_first, new_second)
    again = tmp_path / "again.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(again)])[0] == 0
    ids = [re.findall(r'<trans-unit id="([^"]+)"', p.read_text("utf-8")) for p in (out, again)]
    assert ids[0] == ids[1]
    before = digest(machine)
    assert run(["translate", str(machine / "release.ko.md"), "--to", "en"])[0] == 0
    assert digest(machine) == before  # the file and its memory are in step: the sync writes nothing


def test_words_added_before_a_first_sentence_stay_in_its_segment(machine: Path, tmp_path: Path) -> None:
    """A translation that starts with words the old one did not have ("Meanwhile, …"): the
    sync alone would keep them as text with no source; the import keeps the sentence whole."""
    out = tmp_path / "forum.xlf"
    assert run(["export", "xliff", str(machine), "-o", str(out)])[0] == 0
    first = "한편 창원특례시는 2024년"
    old = segment(machine, first)["tgt"]
    new = "Meanwhile, " + old  # words added, none changed
    code, _, err = run(["import", str(tt_edit(out, {first: new}))])
    assert code == 0, err
    assert f"\n{new} " in (machine / "release.en.md").read_text("utf-8")
    assert (segment(machine, first)["tgt"], segment(machine, first)["origin"]) == (new, "human")
    assert [s for s in segments(machine) if not s["src"]] == []  # no text without a source
    before = digest(machine)
    assert run(["translate", str(machine / "release.ko.md"), "--to", "en"])[0] == 0
    assert digest(machine) == before


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example is a whole loop: no shrinking
)
@given(
    picks=st.lists(
        st.tuples(
            st.integers(0, 30),
            st.sampled_from(
                ["A new sentence.", "Another sentence, longer.", "Short sentence.", "About the sentence."]
            ),
        ),
        max_size=8,
        unique_by=lambda p: p[0],
    ),
    final=st.sets(st.integers(0, 30), max_size=4),
)
def test_any_set_of_edits_lands_exactly_and_leaves_the_sync_in_step(
    machine: Path, tmp_path: Path, picks: list[tuple[int, str]], final: set[int]
) -> None:
    """Whole loop: export, edit any units (any states), import; the file and memory hold exactly
    those edits as a person's, everything else is as it was, and a later sync writes nothing.
    (The closing section's heading must keep starting with "About": other texts for it are
    refused, since the file would no longer read back with that section.)"""
    from toolkit.commands.interchange import export_xliff, import_exchange

    saved = {p.name: p.read_bytes() for p in machine.glob("release.*")}
    try:
        out = tmp_path / "loop.xlf"
        export_xliff(machine, output=out)
        before = {s["src"]: s for s in segments(machine)}
        store = xliff.xlifffile.parsefile(str(out))
        units = [u for u in store.units if u.istranslatable()]
        edits = {units[i].source: text.replace("sentence", f"sentence {i}") for i, text in picks}
        for i, _ in picks:
            units[i].rich_target = [edits[units[i].source]]
        for i in final:
            units[i].xmlelement.find(f"{{{XLIFF12}}}target").set("state", "final")
        out.write_bytes(bytes(store))
        result = import_exchange(out)
        first = {u["id"]: u["segments"][0]["src"] for u in memory_units(machine)}
        about, dateline = first["about_title"], first["dateline"]
        headings = {
            s["src"]
            for u in memory_units(machine)
            if u["id"].startswith("body:heading")
            for s in u["segments"]
        }
        # refused only where the file would read differently: the closing section's heading
        # without "About" (its machine text "Changwon Special City 소개" opens the section by the
        # name in Latin letters, whatever the organization is called); perhaps a body heading
        # starting with "About" (if the reader would take it for the closing section's); nothing
        # else, ever
        refused = {f.segment for f in result.findings}
        assert {f.check for f in result.findings} <= {"import-structure"}, result.findings
        assert len(refused) == len(result.findings)
        about_kept = about in edits and edits[about].startswith("About")
        required = {src for src in edits if src == about and not about_kept}
        allowed = required | {src for src in edits if src in headings and edits[src].startswith("About")}
        assert required <= refused <= allowed, (required, refused)
        assert (result.refused, result.edited) == (len(refused), len(picks) - len(refused))
        for src in refused:
            del edits[src]
        after = {s["src"]: s for s in segments(machine)}
        assert sorted(after) == sorted(before)  # the same segments, none joined or lost
        finals = {units[i].source for i in final}
        for src, seg in after.items():
            if src in edits:
                # an English dateline is printed in capitals; the memory holds the name ("Changwon")
                text = edits[src].upper().title() if src == dateline else edits[src]
                assert (seg["tgt"], seg["origin"]) == (text, "human")
            else:
                assert seg["tgt"] == before[src]["tgt"]
            assert (seg.get("state") == "final") == (src in finals and src not in refused)
        settled = digest(machine)
        assert run(["translate", str(machine / "release.ko.md"), "--to", "en"])[0] == 0
        assert digest(machine) == settled
    finally:
        for name, data in saved.items():
            (machine / name).write_bytes(data)



@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example is a whole loop: no shrinking
)
@given(emptied=st.sets(st.integers(0, 30), min_size=1, max_size=10))
def test_any_set_of_emptied_targets_removes_those_and_loses_nothing_else(
    machine: Path, tmp_path: Path, emptied: set[int]
) -> None:
    """Emptied targets go as segments (each counted), unless their paragraph or field would be
    left with no text at all (refused, import-empty); every other segment keeps its text, the
    file reads back and a later sync writes nothing."""
    from toolkit.commands.interchange import export_xliff, import_exchange

    saved = {p.name: p.read_bytes() for p in machine.glob("release.*")}
    try:
        out = tmp_path / "loop.xlf"
        export_xliff(machine, output=out)
        units = memory_units(machine)
        unit_of = {s["src"]: n for n, u in enumerate(units) for s in u["segments"]}
        siblings = [{s["src"] for s in u["segments"]} for u in units]
        before = {s["src"]: s for s in segments(machine)}
        store = xliff.xlifffile.parsefile(str(out))
        sources = [u.source for u in store.units if u.istranslatable()]
        gone = {sources[i] for i in emptied}
        edits: dict[str, object] = dict.fromkeys(gone)
        result = import_exchange(lx_edit(out, edits, tmp_path / "e.xlf", exact=True))
        # a whole paragraph or field emptied is refused, all of it; nothing else is
        whole = {src for src in gone if siblings[unit_of[src]] <= gone}
        assert {f.segment for f in result.findings} == whole, result.findings
        assert {f.check for f in result.findings} <= {"import-empty"}
        assert (result.emptied, result.refused, result.edited) == (len(gone - whole), len(whole), 0)
        after = {s["src"]: s for s in segments(machine)}
        assert sorted(after) == sorted(before)  # the same segments, none joined or lost
        for src, seg in after.items():
            assert seg["tgt"] == ("" if src in gone - whole else before[src]["tgt"]), src
        text = (machine / "release.en.md").read_text("utf-8")
        for src in after:
            if src not in gone - whole:
                assert " ".join(before[src]["tgt"].split()) in " ".join(text.split())
        assert "  " not in "".join(line.strip() for line in text.splitlines() if line.strip())
        settled = digest(machine)
        assert run(["translate", str(machine / "release.ko.md"), "--to", "en"])[0] == 0
        assert digest(machine) == settled
    finally:
        for name, data in saved.items():
            (machine / name).write_bytes(data)


# --------------------------------------------------------------------------- native code


RICH_KO = (
    "---\ntitle: 창원특례시 포럼\ndate: 2026-11-05\nlang: ko\n---\n\n"
    "자세한 내용은 [누리집](https://www.changwon.go.kr)에서 **꼭** 볼 수 있다.\n"
)
CITY = "https://www.changwon.go.kr"
EVIL = "https://evil.example.com"


def _retarget_xml(path: Path, fmt: str) -> None:
    """What a hostile or careless CAT tool does: the link's URL changed in the target's native
    code, and the translator's words changed too ("볼 수 있다" → "can be seen")."""
    from lxml import etree

    tree = etree.parse(str(path))
    if fmt == "xliff-1.2":
        holders = tree.iter(f"{{{XLIFF12}}}target")
    elif fmt == "xliff-2.1":
        ns = "urn:oasis:names:tc:xliff:document:2.0"
        holders = [*tree.iter(f"{{{ns}}}target"), *tree.iter(f"{{{ns}}}originalData")]
    else:
        holders = [t for t in tree.iter("tuv") if t.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"]
    for holder in holders:
        for el in holder.iter():
            for attr in ("text", "tail"):
                value = getattr(el, attr)
                if value and not (el is holder and attr == "tail"):
                    setattr(el, attr, value.replace(CITY, EVIL).replace("볼 수 있다", "can be seen"))
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _retarget_docx(path: Path) -> None:
    import docx

    document = docx.Document(str(path))
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/hyperlink"):
            rel._target = EVIL
    (table,) = document.tables
    row = next(r for r in table.rows[1:] if r.cells[2].text.startswith("자세한"))
    for run_ in row.cells[3].paragraphs[0].runs:
        run_.text = run_.text.replace("볼 수 있다", "can be seen")
    for p in row.cells[3].paragraphs:
        for link in p._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink"):
            for t in link.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"):
                t.text = (t.text or "").replace("볼 수 있다", "can be seen")
    document.save(str(path))


@pytest.mark.parametrize(
    ("fmt", "args"),
    [
        ("xliff-1.2", ["xliff"]),
        ("xliff-2.1", ["xliff", "--xliff-version", "2.1"]),
        ("tmx", ["tmx"]),
        ("review-docx", ["review", "--to", "en"]),
    ],
)
def test_an_edited_link_target_never_changes_the_release(
    project: Path, copy_models: Path, tmp_path: Path, fmt: str, args: list[str]
) -> None:
    """A link's URL is native code presspack wrote: whatever a file says, the release keeps it;
    the translator's words around it are imported."""
    folder = project / "releases" / "rich"
    folder.mkdir()
    (folder / "release.ko.md").write_text(RICH_KO, "utf-8")
    assert run(["translate", str(folder / "release.ko.md"), "--to", "en"])[0] == 0
    out = tmp_path / f"rich.{fmt}"
    code, _, err = run(["export", args[0], str(folder), *args[1:], "-o", str(out)])
    assert code == 0, err
    if fmt == "review-docx":
        _retarget_docx(out)
    else:
        _retarget_xml(out, fmt)
    import zipfile

    docx_file = fmt == "review-docx"
    links = zipfile.ZipFile(out).read("word/_rels/document.xml.rels") if docx_file else out.read_bytes()
    words = zipfile.ZipFile(out).read("word/document.xml") if docx_file else out.read_bytes()
    assert EVIL.encode() in links and b"can be seen" in words
    code, _, err = run(["import", str(out)])
    assert code == 0, err
    text = (folder / "release.en.md").read_text("utf-8")
    assert EVIL not in text
    assert "](https://www.changwon.go.kr)에서 **꼭** can be seen." in text  # the translator's words went in
    assert EVIL not in json.dumps(segments(folder), ensure_ascii=False)
    assert "[import-tags]" in err
    assert (
        f"the link target in the file was changed to {EVIL}; link targets are not translatable, so the "
        f"link to {CITY} was kept — change a link in release.en.md itself" in " ".join(err.split())
    )
    assert "lost the link" not in err
    assert "imported 1 edit(s) into release.en.md" in err


# --------------------------------------------------------------------------- emptied and missing targets

MERGED = (
    "Changwon Special City held the K-Defense Future Innovation Forum at the Changwon Convention Center "
    "on November 5. The forum brought industry and experts together to chart the way forward for local "
    "defense companies."
)
SECOND_EN = "The forum was organized to bring industry and experts together"
DROP = object()  # the <target> element removed


def lx_edit(path: Path, edits: dict[str, object], out: Path, *, exact: bool = False) -> Path:
    """Targets set the way a CAT tool writes them, by source start (or whole source): text, None
    (emptied), DROP."""
    from lxml import etree

    tree = etree.parse(str(path))
    done = set()
    for tu in tree.iter(f"{{{XLIFF12}}}trans-unit"):
        source = "".join(tu.find(f"{{{XLIFF12}}}source").itertext())
        for start, value in edits.items():
            if not (source == start if exact else source.startswith(start)):
                continue
            done.add(start)
            target = tu.find(f"{{{XLIFF12}}}target")
            if value is DROP:
                tu.remove(target)
                continue
            for child in list(target):
                target.remove(child)
            target.text = value  # type: ignore[assignment]
    assert done == set(edits)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


@pytest.fixture
def forum(project: Path) -> Path:
    """The forum sample as the project has it: a person's English."""
    return project / "releases" / FORUM


def test_an_emptied_target_removes_a_segment_merged_into_its_neighbour(
    forum: Path, copy_models: Path, tmp_path: Path
) -> None:
    out = tmp_path / "f.xlf"
    code, _, err = run(["export", "xliff", str(forum), "--to", "en", "-o", str(out)])
    assert code == 0, err
    en = forum / "release.en.md"
    assert en.read_text("utf-8").count(SECOND_EN) == 1
    edited = lx_edit(out, {"창원특례시는 5일": MERGED, "이번 포럼은 업계와": None}, tmp_path / "e.xlf")
    code, stdout, err = run(["import", str(edited), "--json"])
    assert code == 0, err
    assert "imported 1 edit(s), 1 emptied segment(s) into release.en.md; 29 unit(s) unchanged" in err
    assert json.loads(stdout)["emptied"] == 1 and json.loads(stdout)["edited"] == 1
    text = en.read_text("utf-8")
    assert f"\n{MERGED}\n" in text  # the paragraph holds the merged text once, nothing else
    assert SECOND_EN not in text and text.count("The forum brought industry") == 1
    merged = segment(forum, "창원특례시는 5일")
    assert (merged["tgt"], merged["origin"]) == (MERGED, "human")
    assert segment(forum, "이번 포럼은 업계와")["tgt"] == ""  # the translator's removal, kept
    # kept by later builds, and CI's --check is clean
    settled = digest(forum)
    code, _, err = run(["build", str(forum.parent), "--out", str(tmp_path / "out")])
    assert code == 0, err
    assert digest(forum) == settled
    code, _, err = run(["build", str(forum.parent), "--out", str(tmp_path / "out"), "--check"])
    assert code == 0, err


def test_a_missing_target_is_reported_and_left_as_it_was(
    forum: Path, copy_models: Path, tmp_path: Path
) -> None:
    out = tmp_path / "f.xlf"
    assert run(["export", "xliff", str(forum), "--to", "en", "-o", str(out)])[0] == 0
    before = digest(forum)
    edited = lx_edit(out, {"포럼은 두 차례": DROP, "참석자들은 부스를": DROP}, tmp_path / "e.xlf")
    code, stdout, err = run(["import", str(edited), "--json"])
    assert code == 0, err
    assert (
        "imported 0 edit(s) into release.en.md; 29 unit(s) unchanged, 2 without a target in the file "
        "(not translated in the CAT tool; left as they were)" in err
    )
    assert (json.loads(stdout)["unchanged"], json.loads(stdout)["untranslated"]) == (29, 2)
    assert digest(forum) == before


@pytest.mark.parametrize(
    ("emptied", "what"),
    [
        (("러시아-우크라이나", "시는 이러한 흐름을"), "body:paragraph:1"),
        (("방산 수출 전략과",), "subtitle"),
    ],
    ids=["paragraph", "field"],
)
def test_emptying_a_whole_paragraph_or_field_is_refused(
    forum: Path, copy_models: Path, tmp_path: Path, emptied: tuple[str, ...], what: str
) -> None:
    out = tmp_path / "f.xlf"
    assert run(["export", "xliff", str(forum), "--to", "en", "-o", str(out)])[0] == 0
    before = digest(forum)
    edits: dict[str, object] = dict.fromkeys(emptied)
    edits["참석자들은 부스를"] = BOOTHS_EN  # applied all the same
    code, _, err = run(["import", str(lx_edit(out, edits, tmp_path / "e.xlf"))])
    assert code == 1, err
    flat = " ".join(err.split())
    assert "[import-empty]" in err and flat.count("[import-empty]") == len(emptied)
    assert (
        "its target is empty, and so is every other segment of its "
        + ("paragraph" if what.startswith("body") else "field")
        + "; an import does not remove "
        + ("a paragraph" if what.startswith("body") else "a field")
        + " from release.en.md, so it was kept — delete it in release.en.md itself" in flat
    )
    assert "imported 1 edit(s) into release.en.md" in err
    assert digest(forum) != before
    assert segment(forum, "참석자들은 부스를")["tgt"] == BOOTHS_EN
    for start in emptied:
        assert segment(forum, start)["tgt"]  # still there


def test_an_emptied_review_docx_cell_removes_the_segment(
    forum: Path, copy_models: Path, tmp_path: Path
) -> None:
    import docx

    out = tmp_path / "review.docx"
    assert run(["export", "review", str(forum), "--to", "en", "-o", str(out)])[0] == 0
    document = docx.Document(str(out))
    (table,) = document.tables
    def row(start: str) -> Any:
        return next(r for r in table.rows[1:] if r.cells[2].text.startswith(start))

    first = row("창원특례시는 5일").cells[3].paragraphs[0]
    for run_ in first.runs[1:]:
        run_._r.getparent().remove(run_._r)
    first.runs[0].text = MERGED
    for p in row("이번 포럼은 업계와").cells[3].paragraphs:
        for run_ in p.runs:
            run_._r.getparent().remove(run_._r)
    document.save(str(out))
    code, _, err = run(["import", str(out)])
    assert code == 0, err
    assert "imported 1 edit(s), 1 emptied segment(s) into release.en.md; 29 unit(s) unchanged" in err
    text = (forum / "release.en.md").read_text("utf-8")
    assert f"\n{MERGED}\n" in text and SECOND_EN not in text


# --------------------------------------------------------------------------- another tool's memory

TABLE_KO = """---
title: "포럼 개최"
date: 2026-11-05
dateline: 창원
lang: ko
organization: 창원특례시
---

| 시간 | 장소 |
|:---|:---|
| 14:00 | 대회의실 |
| 15:00 | 대회의실 |
| 16:00 | 소회의실 |
| 17:00 | 대회의실 |
"""
HALLS_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
adminlang="en" srclang="ko" datatype="plaintext"/><body>
<tu><tuv xml:lang="ko"><seg>대회의실</seg></tuv><tuv xml:lang="en"><seg>Main Hall</seg></tuv></tu>
<tu><tuv xml:lang="ko"><seg>소회의실</seg></tuv><tuv xml:lang="en"><seg>Small Hall</seg></tuv></tu>
</body></tmx>"""


def test_a_foreign_memory_entry_fills_every_machine_occurrence_of_its_source(
    project: Path, copy_models: Path, tmp_path: Path
) -> None:
    folder = project / "releases" / "t"
    folder.mkdir()
    (folder / "release.ko.md").write_text(TABLE_KO, "utf-8")
    assert run(["translate", str(folder / "release.ko.md"), "--to", "en"])[0] == 0
    en = folder / "release.en.md"
    # a person translated the last 대회의실 cell: the memory never replaces that
    text = en.read_text("utf-8")
    head, _, last = text.rpartition("대회의실")
    en.write_text(head + "Grand Hall" + last, "utf-8")
    assert run(["translate", str(folder / "release.ko.md"), "--to", "en"])[0] == 0
    memory = tmp_path / "m.tmx"
    memory.write_text(HALLS_TMX, "utf-8")
    code, stdout, err = run(["import", str(memory), str(folder), "--json"])
    assert code == 1, err
    assert "imported 3 edit(s) into release.en.md; 0 unit(s) unchanged" in err
    assert "Error: 1 unit(s) refused" in err
    report = json.loads(stdout)
    assert (report["edited"], report["unchanged"], report["refused"]) == (3, 0, 1)
    (conflict,) = report["findings"]
    assert conflict["check"] == "import-conflict" and conflict["segment"] == "대회의실"
    assert "release.en.md has a person's translation here (“Grand Hall”)" in conflict["message"]
    rows = [line for line in en.read_text("utf-8").splitlines() if line.startswith("| 1")]
    assert rows == [
        "| 14:00 | Main Hall |",
        "| 15:00 | Main Hall |",
        "| 16:00 | Small Hall |",
        "| 17:00 | Grand Hall |",
    ]
    halls = [s for s in segments(folder) if s["src"] in ("대회의실", "소회의실")]
    assert [(s["tgt"], s["origin"]) for s in halls] == [
        ("Main Hall", "human"),
        ("Main Hall", "human"),
        ("Small Hall", "human"),
        ("Grand Hall", "human"),
    ]
    # imported again: every machine occurrence already holds it, the person's still wins
    before = digest(folder)
    code, _, err = run(["import", str(memory), str(folder)])
    assert code == 1
    assert "imported 0 edit(s) into release.en.md; 3 unit(s) unchanged" in err
    assert digest(folder) == before
