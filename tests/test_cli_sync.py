"""Translators' work is never lost: the issue's scenarios, through the CLI, on copies of the samples.

The copy model's "translation" is the source with the approved glossary terms
injected, so presspack's own text is recognisable (it still holds the Korean),
and a translator's text is whatever English the test writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

FORUM = "2026-11-05-k-defense-forum"
MOU = "2026-10-20-defense-export-mou"
REL = f"releases/{FORUM}"


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def body(path: Path) -> list[str]:
    """The body blocks of a release file as written (front matter dropped)."""
    text = path.read_text("utf-8-sig").replace("\r\n", "\n")
    return [b.strip() for b in text.split("---\n", 2)[2].split("\n\n") if b.strip()]


def block(path: Path, start: str) -> str:
    """The one body block that starts with ``start``."""
    found = [b for b in body(path) if b.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text("utf-8").split("\n"), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def memory(path: Path) -> dict[str, object]:
    data = json.loads(path.with_name(path.name.replace(".md", ".tm.json")).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def segments(path: Path) -> list[dict[str, str]]:
    return [s for u in memory(path)["units"] for s in u["segments"]]  # type: ignore[attr-defined]


@pytest.fixture
def machine(project: Path, copy_models: Path) -> Path:
    """The forum sample, its English made by presspack (copy model) instead of by a person."""
    folder = project / "releases" / FORUM
    (folder / "release.en.md").unlink()
    (folder / "release.en.tm.json").unlink()
    code, _, err = run(["translate", str(folder / "release.ko.md"), "--to", "en"])
    assert code == 0, err
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


# --------------------------------------------------------------------------- edits vs source changes


def test_edited_sentence_is_kept_for_review_when_its_source_changes(machine: Path, tmp_path: Path) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    first = body(en)[0]
    machine_sentence = first[: first.index("논의했다.") + len("논의했다.")]
    human = (
        "Changwon Special City held the K-Defense Future Innovation Forum at the Changwon Convention "
        "Center on Nov. 5 to discuss defense export strategies."
    )
    edit(en, machine_sentence, human)
    # the author changes that sentence, and an unedited sentence of the next paragraph
    edit(ko, "상생 방안을 논의했다.", "상생 방안을 심도 있게 논의했다.")
    edit(ko, "세계적 관심이 크게 높아졌다.", "세계적 관심이 매우 크게 높아졌다.")
    out = tmp_path / "out"
    code, _, err = run(["build", "releases/", "--out", str(out)])
    assert code == 0, err
    paragraphs = body(en)
    assert paragraphs[0].startswith(human + " ")  # the person's sentence is still there
    assert "세계적 관심이 매우 크게 높아졌다." in paragraphs[1]  # presspack's own sentence: translated again
    line = line_of(en, human)
    review = [ln for ln in err.splitlines() if "[tm-review]" in ln]
    assert len(review) == 1
    assert review[0].startswith(f"warning: {REL}/release.en.md:{line}: [tm-review] ")
    assert "New source: “창원특례시는 5일 창원컨벤션센터에서" in review[0]
    assert "상생 방안을 심도 있게 논의했다.”" in review[0]
    assert "Machine suggestion: “Changwon Special City는 5일 Changwon Convention Center에서" in review[0]
    # --strict fails until someone resolves it, and the finding does not go away by itself
    code, _, err = run(["build", "releases/", "--out", str(out), "--strict"])
    assert code == 1 and "[tm-review]" in err
    before = en.read_bytes()
    code, stdout, err = run(["build", "releases/", "--out", str(out), "--check"])
    assert code == 0, stdout + err
    assert en.read_bytes() == before
    # editing the text resolves it: the person's text is now reviewed against the new source
    edit(en, human, human.replace("to discuss", "to discuss in depth"))
    code, _, err = run(["build", "releases/", "--out", str(out), "--json"])
    assert code == 0, err
    assert "tm-review" not in {f["check"] for f in json.loads(_)["findings"]}
    seg = next(s for s in segments(en) if s["tgt"].startswith("Changwon Special City held"))
    assert seg["origin"] == "human" and "state" not in seg and "was" not in seg
    assert seg["src"].endswith("상생 방안을 심도 있게 논의했다.")
    code, stdout, err = run(["build", "releases/", "--out", str(out), "--check"])
    assert code == 0, stdout + err


@pytest.mark.usefixtures("project")
@pytest.mark.parametrize("line", ["abc", "12x", "12;30", ""])
def test_a_line_that_is_not_a_number_is_a_usage_error(line: str) -> None:
    """release.en.md:abc once said "no such file" of a file that is there."""
    en = Path(REL) / "release.en.md"
    before = en.read_bytes()
    code, _, err = run(["review", "keep", f"{en}:{line}"])
    assert code == 2
    assert err.splitlines()[-1] == (
        f"Error: Invalid value for FILE[:LINE]: '{line}' is not a line number; give FILE:LINE as the "
        "finding prints it (or FILE:12,30)"
    )
    assert en.read_bytes() == before


def test_review_keep_and_accept_resolve_by_line(machine: Path) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    edit(en, block(en, "참석자들은 부스를 돌며"), "Attendees toured the booths.")
    edit(ko, "의견을 나눴다.", "의견을 활발히 나눴다.")
    mayor = block(en, "Hong Nampyo Mayor of Changwon Special City은")
    edit(
        en,
        mayor.split("말했다. ")[0] + "말했다.",
        "“Changwon has solid defense infrastructure,” said the mayor.",
    )
    edit(ko, "키워 내겠다”고 말했다.", "반드시 키워 내겠다”고 말했다.")
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0, err
    lines = sorted(int(m) for m in re.findall(rf"{re.escape(str(en))}:(\d+): \[tm-review\]", err))
    assert lines == [line_of(en, "Attendees toured the booths."), line_of(en, "said the mayor")]
    # a line without a pending review is refused, nothing is written
    before = en.read_bytes()
    code, _, err = run(["review", "accept", f"{en}:1"])
    assert code == 1
    assert err.strip() == (
        f"Error: {en}:1: no pending review here — the tm-review findings of "
        "'presspack build --dry-run' name the lines"
    )
    assert en.read_bytes() == before
    # keep: the person's text stays, reviewed
    code, _, err = run(["review", "keep", f"{en}:{lines[0]}"])
    assert code == 0, err
    assert "kept 1 review(s); 1 still to review" in err
    assert "Attendees toured the booths." in body(en)
    # accept: the suggestion (the new source, copied by the model) replaces the text
    code, _, err = run(["review", "accept", f"{en}:{lines[1]}"])
    assert code == 0, err
    assert "accepted 1 review(s)" in err and "still to review" not in err
    assert "said the mayor" not in en.read_text("utf-8")
    assert "반드시 키워 내겠다”고 말했다." in block(en, "Hong Nampyo Mayor of Changwon Special City은")
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0, err
    assert "[tm-review]" not in err and "wrote" not in err  # resolved, and nothing left to do


def test_deleted_source_under_edited_text_keeps_the_text_until_accepted(machine: Path) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    blocks = len(body(en))
    edit(
        en, block(en, "참석자들은 부스를 돌며"), "Attendees toured the booths and talked with the companies."
    )
    edit(ko, "\n참석자들은 부스를 돌며 기업 관계자들과 제품 사양, 협력 가능성 등을 두고 의견을 나눴다.\n", "")
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0, err
    line = line_of(en, "Attendees toured the booths")
    assert f"{en}:{line}: [tm-review] the source of this text was deleted" in err
    code, _, err = run(["review", "accept", f"{en}:{line}"])
    assert code == 0, err
    assert "Attendees toured" not in en.read_text("utf-8")
    assert len(body(en)) == blocks - 1


# --------------------------------------------------------------------------- structure, by content


def test_a_deleted_and_an_unrelated_added_paragraph_are_a_deletion_and_an_addition(
    project: Path, copy_models: Path, tmp_path: Path
) -> None:
    # the sample's English is a person's; in one edit the author deletes a paragraph and adds an
    # unrelated one earlier: the same as the two edits one after the other, never a "change"
    folder = project / "releases" / FORUM
    en, ko = folder / "release.en.md", folder / "release.ko.md"
    attendees = (
        "Attendees toured the booths and talked with company representatives about product "
        "specifications and opportunities for cooperation."
    )
    before = body(en)
    edit(ko, "참석자들은 부스를 돌며 기업 관계자들과 제품 사양, 협력 가능성 등을 두고 의견을 나눴다.\n\n", "")
    edit(ko, "250여 명이 참석했다.\n", "250여 명이 참석했다.\n\n폴란드 대표단도 창원특례시를 찾았다.\n")
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out")])
    assert code == 0, err
    after = body(en)
    polish = "폴란드 대표단도 Changwon Special City를 찾았다."  # the copy model's machine translation
    some_250 = next(i for i, b in enumerate(before) if b.startswith("Some 250 people"))
    assert after == [*before[: some_250 + 1], polish, *before[some_250 + 1 :]]
    review = [ln for ln in err.splitlines() if "[tm-review]" in ln]
    assert len(review) == 1, err
    assert review[0].startswith(
        f"warning: {REL}/release.en.md:{line_of(en, attendees)}: [tm-review] the source of this text was "
        "deleted (“참석자들은 부스를 돌며"
    )
    seg = next(s for s in segments(en) if s["src"] == "폴란드 대표단도 창원특례시를 찾았다.")
    assert seg["tgt"] == polish and seg["origin"] == "machine"
    # accepting the deletion removes the translator's paragraph, and nothing else changes
    code, _, err = run(["review", "accept", f"{en}:{line_of(en, attendees)}"])
    assert code == 0, err
    assert body(en) == [b for b in after if b != attendees]
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out")])
    assert code == 0, err
    assert body(en) == [b for b in after if b != attendees] and "[tm-" not in err
    code, stdout, err = run(["build", "releases/", "--out", str(tmp_path / "out"), "--check"])
    assert code == 0, stdout + err


def test_swapped_paragraphs_then_source_change_drops_and_doubles_nothing(
    machine: Path, tmp_path: Path
) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    paras = body(en)
    # the translator swaps the second and third paragraphs and edits the (now) second one
    text = en.read_text("utf-8")
    swapped = text.replace(paras[1] + "\n\n" + paras[2], paras[2] + "\n\n" + paras[1])
    human = "Some 250 people from the defense sector attended the forum."
    swapped = swapped.replace(paras[2], human)
    en.write_text(swapped, "utf-8")
    # the author changes the paragraph that is now third in the translation
    edit(ko, "세계적 관심이 크게 높아졌다.", "세계적 관심이 한층 높아졌다.")
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out")])
    assert code == 0, err
    after = body(en)
    assert len(after) == len(paras) and len(set(after)) == len(after)
    assert after[1] == human  # where the translator put it
    assert after[2] == paras[1].replace("세계적 관심이 크게 높아졌다.", "세계적 관심이 한층 높아졌다.")
    assert after[3:] == paras[3:]
    code, stdout, err = run(["build", "releases/", "--out", str(tmp_path / "out"), "--check"])
    assert code == 0, stdout + err


@pytest.mark.parametrize(
    "change",
    [
        "human-split",
        "human-merge",
        "human-add",
        "human-delete",
        "source-add",
        "source-delete",
        "source-move",
        "source-split",
        "source-merge",
    ],
)
def test_paragraph_structure_changes_on_either_side(machine: Path, tmp_path: Path, change: str) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    paras, src = body(en), body(ko)
    p0, p1 = paras[0], paras[1]
    s0, s1 = src[0], src[1]
    first_en = p0[: p0.index("논의했다.") + len("논의했다.")]
    first_ko = s0[: s0.index("논의했다.") + len("논의했다.")]
    expect = list(paras)
    if change == "human-split":
        edit(en, p0, first_en + "\n\n" + p0[len(first_en) + 1 :])
        expect[0:1] = [first_en, p0[len(first_en) + 1 :]]
    elif change == "human-merge":
        edit(en, p0 + "\n\n" + p1, p0 + " " + p1)
        expect[0:2] = [p0 + " " + p1]
    elif change == "human-add":
        edit(en, p1 + "\n", p1 + "\n\nA note for English readers, written by the translator.\n")
        expect.insert(2, "A note for English readers, written by the translator.")
    elif change == "human-delete":
        edit(en, "\n" + p1 + "\n", "")
        del expect[1]
    elif change == "source-add":
        edit(ko, s1 + "\n", s1 + "\n\n새로 추가한 문단이다.\n")
        expect.insert(2, "새로 추가한 문단이다.")
    elif change == "source-delete":
        edit(ko, "\n" + s1 + "\n", "")
        del expect[1]
    elif change == "source-move":
        edit(ko, s0 + "\n\n" + s1, s1 + "\n\n" + s0)
        expect[0:2] = [p1, p0]
    elif change == "source-split":
        edit(ko, s0, first_ko + "\n\n" + s0[len(first_ko) + 1 :])
        expect[0:1] = [first_en, p0[len(first_en) + 1 :]]
    elif change == "source-merge":
        edit(ko, s0 + "\n\n" + s1, s0 + " " + s1)
        expect[0:2] = [p0 + " " + p1]
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out")])
    assert code == 0, err
    assert body(en) == expect
    assert "[tm-" not in err
    code, stdout, err = run(["build", "releases/", "--out", str(tmp_path / "out"), "--check"])
    assert code == 0, stdout + err


def test_translator_split_sentences_are_aligned_and_still_checked(machine: Path) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    # one Korean sentence, two English ones — with a number typo in the second
    old = body(en)[2]
    edit(
        en,
        old,
        "Some 250 people from the defense sector attended the forum. Among them were Hong Nampyo, Mayor "
        "of Changwon Special City, and 26 other officials.",
    )
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0, err
    line = line_of(en, "Some 250 people")
    assert f"{en}:{line}: [number-mismatch] numbers differ between source and translation" in err
    assert "only in translation: 26" in err
    seg = next(s for s in segments(en) if s["tgt"].startswith("Some 250 people"))
    assert seg["src"].startswith("이날 포럼에는 홍남표") and seg["origin"] == "human"
    # one paragraph aligned n:m does not switch QA off for the rest: a term dropped elsewhere
    edit(en, "Changwon Convention Center에서", "the convention hall에서")
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0, err
    assert (
        f"error: {en}:{line_of(en, 'the convention hall')}: [term-missing] '창원컨벤션센터' must be "
        "translated as 'Changwon Convention Center'"
    ) in err
    assert f"{en}:{line}: [number-mismatch]" in err


def test_hand_written_translation_with_other_sentence_counts_is_adopted_n_to_m(
    project: Path, copy_models: Path
) -> None:
    folder = project / "releases" / "2026-12-01-hand"
    folder.mkdir()
    (folder / "release.ko.md").write_text(
        "---\ntitle: 창원특례시 포럼 개최\ndate: 2026-12-01\nlang: ko\n---\n\n"
        "창원특례시는 1일 포럼을 열었다. 참석자는 250명이었다.\n\n"
        "시는 방산 수출을 돕는다.\n",
        "utf-8",
    )
    (folder / "release.en.md").write_text(
        "---\ntitle: Changwon Special City holds forum\ndate: 2026-12-01\nlang: en\ntranslation_of: ko\n"
        "---\n\nChangwon Special City held a forum on Dec. 1, and 250 people attended it.\n\n"
        "The city supports defense exports. It helps local companies sell abroad.\n",
        "utf-8",
    )
    code, _, err = run(["translate", str(folder / "release.ko.md"), "--to", "en"])
    assert code == 0, err
    assert "[tm-" not in err and "[number-mismatch]" not in err
    segs = segments(folder / "release.en.md")
    pairs = [(s["src"], s["tgt"]) for s in segs]
    assert (
        "창원특례시는 1일 포럼을 열었다. 참석자는 250명이었다.",
        "Changwon Special City held a forum on Dec. 1, and 250 people attended it.",
    ) in pairs  # 2:1
    assert (
        "시는 방산 수출을 돕는다.",
        "The city supports defense exports. It helps local companies sell abroad.",
    ) in pairs  # 1:2
    assert all(s["origin"] == "human" for s in segs)


def test_a_translator_s_rewrite_is_recorded_by_whole_sentences(
    project: Path, copy_models: Path, tmp_path: Path
) -> None:
    # presspack translated the forum release, then a person replaced the whole file with their own
    # English: approved terms that both texts hold must not cut a sentence (or a line) in two
    folder = project / "releases" / "2026-11-05-rewritten"
    folder.mkdir()
    sample = project / "releases" / FORUM
    (folder / "release.ko.md").write_bytes((sample / "release.ko.md").read_bytes())
    for photo in sample.glob("*.jpg"):
        (folder / photo.name).write_bytes(photo.read_bytes())
    en = folder / "release.en.md"
    code, _, err = run(["translate", str(folder / "release.ko.md"), "--to", "en"])
    assert code == 0, err
    en.write_bytes((sample / "release.en.md").read_bytes())
    code, _, err = run(["build", str(folder), "--out", str(tmp_path / "out")])
    assert code == 0, err
    assert "[term-missing]" not in err and "[number-mismatch]" not in err, err
    segs = segments(en)
    assert [s["tgt"] for s in segs if not s["src"]] == []  # no text without a source
    human = {s["src"]: s["tgt"] for s in segs if s["origin"] == "human"}
    assert human[
        "러시아-우크라이나 전쟁과 중동 정세 불안 이후 방위산업에 대한 세계적 관심이 크게 높아졌다."
    ] == (
        "Interest in the defense industry has risen sharply around the world since the Russia-Ukraine "
        "war and the instability in the Middle East."
    )
    assert human["시는 이러한 흐름을 창원 방산기업의 새로운 기회로 삼고자 이번 포럼을 기획했다."] == (
        "The city planned the forum to turn this shift into new opportunities for Changwon's defense "
        "companies."
    )
    assert human["창원특례시 방위산업과 방산육성팀"] == (
        "Defense Industry Promotion Team, Defense Industry Division, Changwon Special City"
    )
    assert human["창원특례시 소개"] == "About Changwon Special City"
    assert human[
        "창원기술정밀, 영풍전자, 키프코우주항공 등 방산 중소기업 28개사는 이곳에서 주력 제품을 선보였다."
    ] == (
        "There, 28 defense SMEs, including Changwon Technology Precision, Youngpoong Electronics and KIFCO "
        "Aerospace, showcased their flagship products."
    )
    mayor = [t for src, t in human.items() if src.startswith("홍남표 창원특례시장은")]
    assert mayor == [block(en, "“Changwon has solid defense infrastructure").split(" He added")[0]]
    # every record is whole sentences of the file
    text = en.read_text("utf-8")
    for s in segs:
        assert s["tgt"] in text, s
    code, stdout, err = run(["build", str(folder), "--out", str(tmp_path / "out"), "--check"])
    assert code == 0, stdout + err


def test_a_post_edit_of_text_the_source_has_twice_is_a_change_of_that_copy(
    project: Path, copy_models: Path, tmp_path: Path
) -> None:
    # "개회와 환영사" is a list item and a table cell; the translator post-edits the list item
    folder = project / "releases" / "2026-11-05-program"
    folder.mkdir()
    ko, en = folder / "release.ko.md", folder / "release.en.md"
    ko.write_text(
        "---\ntitle: 포럼 개최\ndate: 2026-11-05\ndateline: 창원\nlang: ko\norganization: 창원특례시\n---\n\n"
        "포럼은 다음 순서로 진행됐다.\n\n1. 개회와 환영사\n2. 주제 발표\n\n"
        "| 시간 | 프로그램 |\n|:---|:---|\n| 14:00 | 개회와 환영사 |\n| 14:30 | 주제 발표 |\n",
        "utf-8",
    )
    out = str(tmp_path / "out")
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 0, err
    edit(en, "\n1. 개회와 환영사\n", "\n1. Opening and welcome address\n")
    translated = en.read_text("utf-8")
    code, _, err = run(["build", str(folder), "--out", out])
    assert code == 0, err
    assert en.read_text("utf-8") == translated
    pairs = [(s["src"], s["tgt"], s["origin"]) for s in segments(en)]
    assert ("개회와 환영사", "Opening and welcome address", "human") in pairs
    assert ("개회와 환영사", "개회와 환영사", "machine") in pairs  # the table cell
    assert all(s and t for s, t, _ in pairs), pairs
    # the author edits the list item: the translator's text is kept and flagged, the table untouched
    edit(ko, "\n1. 개회와 환영사\n", "\n1. 개회 및 환영사\n")
    code, _, err = run(["build", str(folder), "--out", out])
    assert code == 0, err
    assert en.read_text("utf-8") == translated
    review = [ln for ln in err.splitlines() if "[tm-review]" in ln]
    assert len(review) == 1, err
    assert review[0].startswith(
        f"warning: {en}:{line_of(en, 'Opening and welcome address')}: [tm-review] the source changed "
        "under a person's translation; presspack kept it: “Opening and welcome address”. "
        "New source: “개회 및 환영사” (was “개회와 환영사”)"
    )
    code, stdout, err = run(["build", str(folder), "--out", out, "--check"])
    assert code == 0, stdout + err


def test_paragraphs_differing_without_memory_leave_the_file_untouched(project: Path, tmp_path: Path) -> None:
    folder = project / "releases" / FORUM
    en = folder / "release.en.md"
    (folder / "release.en.tm.json").unlink()
    edit(en, "\n" + body(en)[1] + "\n", "")  # one paragraph fewer than the source
    before = en.read_bytes()
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out")])
    assert code == 1
    assert re.search(
        rf"error: {REL}/release.en.md:\d+: \[tm-structure\] the translation's paragraphs do not match", err
    )
    assert "Error: 1 translation file(s) left untouched" in err
    assert en.read_bytes() == before
    assert not (folder / "release.en.tm.json").exists()  # no empty memory to complain about later
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out")])
    assert code == 1 and "[tm-structure]" in err and "memory" not in err.split("[tm-structure]")[0]


def test_a_copy_added_by_hand_makes_the_update_ambiguous(machine: Path) -> None:
    en, ko = machine / "release.en.md", machine / "release.ko.md"
    p = block(en, "참석자들은 부스를 돌며")
    edit(en, p + "\n", p + "\n\n" + p + " (copy)\n")
    edit(en, p + " (copy)", p)  # now the same text twice
    edit(ko, "의견을 나눴다.", "의견을 주고받았다.")
    before = en.read_bytes()
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 1
    assert f"error: {en}:" in err and "[tm-structure] this text appears more than once" in err
    assert en.read_bytes() == before


# --------------------------------------------------------------------------- the memory file


def test_corrupt_memory_is_an_error_and_never_overwritten(machine: Path, tmp_path: Path) -> None:
    ko, en = machine / "release.ko.md", machine / "release.en.md"
    tm = machine / "release.en.tm.json"
    tm.write_text('{"format": 2, "units": [', "utf-8")
    edit(ko, "의견을 나눴다.", "의견을 주고받았다.")
    before_en = en.read_bytes()
    code, _, err = run(["translate", str(ko), "--to", "en"])
    assert code == 1
    assert err.startswith(f"Error: {tm}: unreadable translation memory: not valid JSON")
    assert err.rstrip().endswith(
        "— restore it from version control (git checkout -- FILE), or delete it to adopt the "
        "translation as it is written now"
    )
    assert tm.read_text("utf-8") == '{"format": 2, "units": ['
    assert en.read_bytes() == before_en
    # the build says the same, builds the other release, and exits 1
    out = tmp_path / "out"
    code, _, err = run(["build", "releases/", "--out", str(out)])
    assert code == 1
    assert f"Error: {REL}/release.en.tm.json: unreadable translation memory" in err
    assert f"built {MOU}" in err and f"built {FORUM}" not in err
    assert tm.read_text("utf-8") == '{"format": 2, "units": ['


def test_memory_from_a_newer_presspack_is_refused(machine: Path) -> None:
    tm = machine / "release.en.tm.json"
    data = json.loads(tm.read_text("utf-8"))
    data["format"] = 3
    tm.write_text(json.dumps(data), "utf-8")
    code, _, err = run(["translate", str(machine / "release.ko.md"), "--to", "en"])
    assert code == 1
    assert err.strip() == (
        f"Error: {tm}: written by a newer presspack (format 3) — upgrade presspack (pip install -U presspack)"
    )


def test_format_1_memory_is_read_and_upgraded(project: Path, tmp_path: Path) -> None:
    """Memories committed by earlier versions: their text counts as the translator's."""
    folder = project / "releases" / FORUM
    tm = folder / "release.en.tm.json"
    data = json.loads(tm.read_text("utf-8"))
    data["format"] = 1
    for unit in data["units"]:
        for seg in unit["segments"]:
            seg.pop("origin", None)
    tm.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out"), "--check"])
    assert code == 1 and "release.en.tm.json would change" in err + _
    code, _, err = run(["build", "releases/", "--out", str(tmp_path / "out"), "--strict"])
    assert code == 0, err
    upgraded = json.loads(tm.read_text("utf-8"))
    assert upgraded["format"] == 2
    assert {s["origin"] for u in upgraded["units"] for s in u["segments"]} == {"human"}
    # the memory now records exactly what the approved file says, sentence by sentence
    text = " ".join((folder / "release.en.md").read_text("utf-8").split())
    assert all(s["tgt"] in text for u in upgraded["units"] for s in u["segments"])
    assert len([s for u in upgraded["units"] for s in u["segments"]]) == len(
        [s for u in data["units"] for s in u["segments"]]
    )


def test_imported_post_edits_go_through_the_same_sync(machine: Path) -> None:
    """The hook importers (XLIFF, review DOCX) use: their text counts as a person's edit."""
    from dataclasses import replace

    from toolkit.sources import load_release
    from toolkit.translation.filesync import apply_sync, read_snapshot, sync_file

    en, ko = machine / "release.en.md", machine / "release.ko.md"
    old = block(en, "참석자들은 부스를 돌며")
    before = en.read_text("utf-8")

    def post_edit(release):  # type: ignore[no-untyped-def]
        body = tuple(
            replace(b, text="Attendees toured the booths.") if b.text == old else b for b in release.body
        )
        return replace(release, body=body)

    source_snap = read_snapshot(ko)
    plan = sync_file(
        load_release(ko, data=source_snap.data).release,
        source_snap,
        en,
        "en",
        matcher=None,
        translate=lambda: lambda batch, n: [[s] * n for s in batch],
        edit_target=post_edit,
    )
    assert plan.diff.count("\n-") == 1 and "+Attendees toured the booths." in plan.diff
    assert apply_sync(plan) == [en, machine / "release.en.tm.json"]
    after = en.read_text("utf-8")
    assert after == before.replace(old, "Attendees toured the booths.")
    seg = next(s for s in segments(en) if s["tgt"] == "Attendees toured the booths.")
    assert seg["origin"] == "human" and seg["src"] == old  # the copy model's text was the source
