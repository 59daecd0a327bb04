"""The glossary columns added for real text: abbr, en_variants, not_near, only_near."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import main
from toolkit.terminology.glossary import Entry, fingerprint, lint_glossary, load_glossary

HEADER = "ko,en,category,note,abbr,en_variants,not_near,only_near\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "glossary.csv"
    path.write_text(HEADER + body, "utf-8")
    return path


def test_columns_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "방위사업청,Defense Acquisition Program Administration,org,,DAPA,,,\n"
        "국방부,Ministry of National Defense,org,,MND,Defense Ministry; the ministry,@foreign ~,\n"
        "서구,Seo-gu,place,,,,,@metro ~; ~ 주민\n",
    )
    dapa, mnd, seo = load_glossary(path).entries
    assert (dapa.en, dapa.abbr) == ("Defense Acquisition Program Administration", "DAPA")
    assert mnd.en_variants == ("Defense Ministry", "the ministry")
    assert mnd.not_near == ("@foreign ~",)
    assert seo.only_near == ("@metro ~", "~ 주민")
    assert lint_glossary(path) == []


def test_lint_reports_every_rule_and_abbreviation_problem_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "방위사업청,Defense Acquisition Program Administration (DAPA),org,,DAPA,,,\n"  # 2: doubled
        "합동참모본부,Joint Chiefs of Staff (JCS),defense,,,,,\n"  # 3: bracket in en, no abbr
        "해군,Navy,defense,,,,@nations ~,\n"  # 4: unknown set
        "대전,Daejeon,place,,,,세계 ~ ~,\n"  # 5: two ~
        "제주,Jeju,place,,,,한라산,\n"  # 6: no ~ and not the term
        "서구,Seo-gu,place,,,,,~\n"  # 7: nothing but ~
        "창원,Changwon,place,,,창원시,,\n",  # 8: Hangul in en_variants
    )
    problems = lint_glossary(path)
    got = [(p.line, p.severity, p.what.split(":")[0] if ":" in p.what else p.what) for p in problems]
    assert [(line, severity) for line, severity, _ in got] == [
        (2, "error"),
        (3, "warning"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "error"),
        (8, "error"),
    ]
    messages = [p.format() for p in problems]
    assert "already ends with '(DAPA)'" in messages[0]
    assert "move it to the abbr column" in messages[1]
    assert "unknown word set '@nations'" in messages[2] and "@foreign, @metro" in messages[2]
    assert "more than one '~'" in messages[3]
    assert "does not start with the term '제주'" in messages[4]
    assert "has no words besides '~'" in messages[5]
    assert "contains Hangul" in messages[6]
    assert all(m.startswith(f"{path}:") for m in messages)
    # the CLI reports them all at once and fails
    result = CliRunner().invoke(main, ["glossary", "lint", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("Error: ") == 6 and result.stderr.count("Warning: ") == 1


def test_nfd_cells_are_read_as_nfc_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, unicodedata.normalize("NFD", "창원시,Changwon Special City,place,,,,,\n"))
    (entry,) = load_glossary(path).entries
    assert entry.ko == "창원시"
    (problem,) = lint_glossary(path)
    assert problem.severity == "warning" and problem.line == 2 and "NFD" in problem.what


def test_spacing_variant_rows_are_flagged_as_unneeded(tmp_path: Path) -> None:
    path = write(tmp_path, "K9 자주포,K9 Thunder,defense,,,,,\nK9자주포,K9 Thunder,defense,,,,,\n")
    (problem,) = lint_glossary(path)
    assert (problem.line, problem.severity) == (3, "warning")
    assert "spacing variant of 'K9 자주포' (line 2)" in problem.what


def test_fingerprint_covers_abbreviations_and_rules() -> None:
    plain = Entry("방위사업청", "Defense Acquisition Program Administration", "org")
    assert fingerprint([plain]) != fingerprint([Entry(plain.ko, plain.en, "org", abbr="DAPA")])
    assert fingerprint([plain]) != fingerprint([Entry(plain.ko, plain.en, "org", not_near=("미 ~",))])
    assert fingerprint([plain]) == fingerprint([Entry(plain.ko, plain.en, "org", note="changed", line=9)])


def test_project_glossary_has_the_rules_and_names_the_trial_asked_for() -> None:
    g = load_glossary(Path(__file__).resolve().parents[1] / "glossary.csv")
    by_ko = {e.ko: e for e in g.entries}
    for ko in (
        "북한",
        "한반도",
        "미군",
        "성주",
        "성주군청",
        "김해공항",
        "낙동강",
        "경전선",
        "대법원",
        "헌법재판소",
    ):
        assert ko in by_ko and by_ko[ko].note, ko
    assert {"국토교통부", "국방위", "외통위", "청와대", "오산 공군기지", "부전–마산 복선전철"} <= set(by_ko)
    assert by_ko["사드"].abbr == "THAAD" and by_ko["국방부"].abbr == "MND"
    assert by_ko["해군"].not_near == ("@foreign ~",)
    assert by_ko["서구"].only_near and by_ko["제주"].not_near == ("제주도",)
    assert not any("(" in e.en and e.en.endswith(f"({e.abbr})") for e in g.entries if e.abbr)
