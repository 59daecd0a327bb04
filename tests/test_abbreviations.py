"""Abbreviations as data: "full (ABBR)" at the first mention of a release, "ABBR" after it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.mt.enforce import machine_translate, protect
from toolkit.terminology.abbrev import Mentions, form_for, mentioned
from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.matcher import Matcher
from toolkit.translation.checks import QAContext, run_checks

FULL = "Defense Acquisition Program Administration"
DAPA = Entry("방위사업청", FULL, "defense", abbr="DAPA", line=2)
GLOSSARY = Glossary(
    (
        DAPA,
        Entry("방사청", FULL, "defense", abbr="DAPA", line=3),
        Entry("사드", "Terminal High Altitude Area Defense", "defense", abbr="THAAD", line=4),
        Entry("창원시", "Changwon Special City", "place", line=5),
    )
)
KO = Matcher(GLOSSARY, "ko")
EN = Matcher(GLOSSARY, "en")


def copy(texts: list[str], n: int) -> list[list[str]]:
    return [[t] * n for t in texts]


def test_first_mention_full_then_abbreviation_across_segments() -> None:
    out, findings = machine_translate(
        ["방위사업청은 발표했다.", "방사청과 창원시는 협약을 맺었다.", "방위사업청은 환영했다."],
        copy,
        KO,
        "en",
    )
    assert out == [
        f"{FULL} (DAPA)은 발표했다.",
        "DAPA과 Changwon Special City는 협약을 맺었다.",
        "DAPA은 환영했다.",
    ]
    assert findings == []


def test_house_style_off_writes_the_full_name_every_time() -> None:
    out, _ = machine_translate(["방위사업청은", "방위사업청은"], copy, KO, "en", abbreviations="off")
    assert out == [f"{FULL}은", f"{FULL}은"]


def test_kept_human_text_before_counts_as_a_mention() -> None:
    """The sync translates only changed sentences: what the reader already saw decides."""
    kept = [f"The {FULL} (DAPA) opened the forum."]
    out, _ = machine_translate(["방위사업청은 발표했다."], copy, KO, "en", before=[kept])
    assert out == ["DAPA은 발표했다."]
    out, _ = machine_translate(["방위사업청은 발표했다."], copy, KO, "en", before=[["Nothing yet."]])
    assert out == [f"{FULL} (DAPA)은 발표했다."]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("사드(THAAD) 체계를 배치했다.", "Terminal High Altitude Area Defense (THAAD) 체계를 배치했다."),
        ("방위사업청(DAPA)은 밝혔다.", f"{FULL} (DAPA)은 밝혔다."),
        ("방위사업청 (Defense Acquisition Program Administration)은", f"{FULL} (DAPA)은"),
        ("방위사업청(방사청)은 밝혔다.", f"{FULL} (DAPA)은 밝혔다."),  # a short form in brackets
        (
            "사드(미국 체계)",
            "Terminal High Altitude Area Defense (THAAD)(미국 체계)",
        ),  # another bracket stays
    ],
)
def test_the_source_own_abbreviation_is_not_doubled(source: str, expected: str) -> None:
    assert protect(source, KO, "en").text == expected


def test_a_bracketed_repetition_is_one_mention_for_qa() -> None:
    machine = QAContext("ko", "en", KO)
    assert run_checks("방위사업청(방사청)은 밝혔다.", f"The {FULL} (DAPA) said.", machine) == []


def test_en_to_ko_recognises_every_form() -> None:
    for text in (f"the {FULL} (DAPA) said", f"the {FULL} said", "DAPA said"):
        (match,) = EN.find(text)
        assert match.target_term == "방위사업청", text
    assert protect(f"{FULL} (DAPA) and DAPA", EN, "ko").text == "방위사업청 and 방위사업청"


def test_mentions_api_for_the_sync() -> None:
    assert mentioned(["… DAPA said …"], [DAPA]) == {FULL}
    assert mentioned([f"the {FULL} said"], [DAPA]) == {FULL}
    assert mentioned(["DAPAS and adapa"], [DAPA]) == set()  # whole words only
    state = Mentions((DAPA,))
    assert form_for(DAPA, state) == f"{FULL} (DAPA)"
    assert state.next_form(DAPA) == f"{FULL} (DAPA)"
    assert state.next_form(DAPA) == "DAPA"
    assert form_for(DAPA, state, "off") == FULL


def test_qa_accepts_the_abbreviation_after_the_first_mention() -> None:
    first = QAContext("ko", "en", KO, file="r.en.md", line=3, machine=False)
    later = QAContext("ko", "en", KO, file="r.en.md", line=5, machine=False, mentioned=frozenset({FULL}))
    assert run_checks("방위사업청은 밝혔다.", f"The {FULL} said.", first) == []
    assert run_checks("방위사업청은 밝혔다.", f"The {FULL} (DAPA) said.", first) == []
    assert run_checks("방위사업청은 밝혔다.", "DAPA said.", later) == []
    # machine text gets the house-style hint; never an error
    hint = run_checks("방위사업청은 밝혔다.", "DAPA said.", QAContext("ko", "en", KO))
    assert [(f.check, f.severity) for f in hint] == [("abbreviation-first", "info")]
    missing = run_checks("방위사업청은 밝혔다.", "The agency said.", first)
    assert [(f.check, f.file, f.line) for f in missing] == [("term-missing", "r.en.md", 3)]
    assert "'Defense Acquisition Program Administration' or 'DAPA'" in missing[0].message


@pytest.mark.usefixtures("copy_models")
def test_translate_release_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text(
        "ko,en,category,note,abbr\n방위사업청,Defense Acquisition Program Administration,defense,,DAPA\n",
        "utf-8",
    )
    release = tmp_path / "r" / "release.ko.md"
    release.parent.mkdir()
    release.write_text(
        "---\ntitle: 협약 체결\nlang: ko\n---\n\n방위사업청은 협약을 맺었다.\n\n방위사업청은 환영했다.\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["translate", str(release), "--to", "en", "--glossary", str(glossary)])
    assert result.exit_code == 0, result.stderr
    body = (tmp_path / "r" / "release.en.md").read_text("utf-8").split("---\n")[-1]
    assert body.count(f"{FULL} (DAPA)") == 1
    assert body.index(f"{FULL} (DAPA)") < body.index("DAPA은 환영했다")


@pytest.mark.usefixtures("copy_models")
def test_house_style_switch_in_style_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "templates" / "default").mkdir(parents=True)
    (tmp_path / "templates" / "default" / "style.toml").write_text(
        '[terminology]\nabbreviations = "off"\n', "utf-8"
    )
    glossary = tmp_path / "g.csv"
    glossary.write_text(
        "ko,en,category,note,abbr\n방위사업청,Defense Acquisition Program Administration,defense,,DAPA\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main,
        ["translate", "-", "--to", "en", "--glossary", str(glossary)],
        input="방위사업청은\n방위사업청은\n",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{FULL}은\n{FULL}은\n"


def test_unknown_abbreviation_style_is_a_style_error(tmp_path: Path) -> None:
    from toolkit.core.errors import PresspackError
    from toolkit.render.style import load_style

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "style.toml").write_text('[terminology]\nabbreviations = "sometimes"\n', "utf-8")
    with pytest.raises(PresspackError) as info:
        load_style(tmp_path, "x")
    (problem,) = info.value.problems
    assert problem.line == 2 and "'sometimes'" in problem.what and '"first-mention" or "off"' in problem.fix


def test_tbx_round_trip_keeps_abbreviation_and_variants(tmp_path: Path) -> None:
    from toolkit.terminology.tbx import export_tbx, read_terms

    glossary = Glossary(
        (
            Entry(
                "국방부",
                "Ministry of National Defense",
                "defense",
                abbr="MND",
                en_variants=("Defense Ministry",),
            ),
        )
    )
    data = export_tbx(glossary)
    assert b'<termNote type="termType">abbreviation</termNote>' in data
    path = tmp_path / "g.tbx"
    path.write_bytes(data)
    (entry,) = read_terms(path)
    assert (entry.en, entry.abbr, entry.en_variants) == (
        "Ministry of National Defense",
        "MND",
        ("Defense Ministry",),
    )
