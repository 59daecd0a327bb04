"""QA a translator can trust: quiet on what translators legitimately do, loud on errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.terminology.glossary import load_glossary
from toolkit.terminology.matcher import Matcher
from toolkit.translation.checks import QAContext, run_checks
from toolkit.translation.numbers import read_quantities

ROOT = Path(__file__).resolve().parents[1]
PROJECT = load_glossary(ROOT / "glossary.csv")
HUMAN = QAContext("ko", "en", Matcher(PROJECT, "ko"), file="r.en.md", line=9, machine=False)
EN_KO = QAContext("en", "ko", Matcher(PROJECT, "en"), file="r.ko.md", line=4, machine=False)


def serious(source: str, target: str, ctx: QAContext = HUMAN) -> list[tuple[str, str]]:
    return [(f.check, f.message) for f in run_checks(source, target, ctx) if f.severity != "info"]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("총 1조 2000억 원 규모다.", "It is worth 1.2 trillion won."),
        ("1억 5,279만원이 지급된다.", "152.79 million won will be paid."),
        ("1억 5,279만원이 지급된다.", "About 153 million won will be paid."),  # rounded
        ("6자 회담이 재개된다.", "The six-party talks resume."),
        ("4월에 수입을 재개했다.", "Imports resumed in April."),
        ("21일(현지시간) 추락했다고 밝혔다.", "It crashed on Monday, he said."),  # the day named by weekday
        ("12월 12일 위원회를 구성했다.", "It set up a committee yesterday."),
        ("약 48km 떨어진 곳", "about 30 miles away"),  # a correct unit conversion
        ("1천억원을 기부했다.", "It donated 100 billion won ($105 million)."),  # currency gloss
        ("세 군데 도로가 폐쇄되었다.", "Three streets were closed."),
        ("사흘 동안 머물렀다.", "He stayed for three days."),
        ("첫째 날 회의", "the first day of the meeting"),
        ("6.15 남북공동선언 5주년 기념식", "the fifth anniversary of the June 15 joint declaration"),
        ("14%로 줄인다.", "It cuts it to 14 percent."),
        ("50년 이상의 긴장", "more than five decades of tension"),
        ("오후 3시에 시작한다.", "It starts at 15:00."),
        ("새벽 1시 40분경 추락했다.", "It crashed at about 0140."),
        ("남북은 회담을 가졌다.", "The two Koreas held talks."),
        ("4년 징역형", "a four-year jail term"),
        ("60대 여성", "a woman in her late 60s"),
        ("문의: 055-225-0001", "Inquiries: +82-55-225-0001"),  # the same phone number
    ],
)
def test_numbers_quiet_on_correct_translations(source: str, target: str) -> None:
    assert serious(source, target) == []


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("총 1조 2000억 원 규모다.", "It is worth 1.2 billion won.", "1.2 billion"),
        ("참석자 250명", "300 attendees", "only in translation: 300"),
        ("14%로 줄인다.", "It cuts it to 41 percent.", "41"),
        ("약 48km 떨어진 곳", "about 40 miles away", "check the conversion: 48km is not 40 miles"),
        ("6월 21일-24일 서울에서", "in Seoul June 24-24", "only in translation: 24"),
        ("9.11 테러", "the 12.11 attacks", "only in translation: 12"),
        ("2005년 9월 작성한 합의문", "the statement signed in September 2008", "2008"),
        ("1천억원을 기부했다.", "It donated 100 million won.", "missing in translation: 1천억원"),
    ],
)
def test_numbers_catch_wrong_values_and_magnitudes(source: str, target: str, expected: str) -> None:
    ((check, message),) = serious(source, target)
    assert check == "number-mismatch"
    assert expected in message


def test_numbers_both_directions() -> None:
    assert serious("It is worth 1.2 trillion won.", "1조 2000억 원 규모다.", EN_KO) == []
    assert serious("Three people were hurt on Nov. 5.", "5일 세 명이 다쳤다.", EN_KO) == []
    ((check, _),) = serious("Three people were hurt.", "네 명이 다쳤다.", EN_KO)
    assert check == "number-mismatch"


def test_korean_native_numerals_and_ordinals_are_read() -> None:
    values = [
        (q.text, int(q.value)) for q in read_quantities("세 군데, 두 집단, 열두 척, 사흘, 첫째, 제2차 회담")
    ]
    assert values == [("세 군데", 3), ("두", 2), ("열두 척", 12), ("사흘", 3), ("첫째", 1), ("2차", 2)]


def test_terms_quiet_on_accepted_renderings() -> None:
    quiet = [
        ("국방부는 밝혔다.", "The Defense Ministry said."),  # listed variant
        ("경기도 북부에 있는 기지", "bases in northern Gyeonggi Province"),  # RR unit suffix dropped
        ("경상남도에 상륙한다.", "It will hit South Gyeongsang Province."),  # -nam-do
        ("여수시와 제주도를 강타했다.", "It pounded the city of Yeosu and Jeju Island."),
        ("공군 대변인이 밝혔다.", "an Air Force spokesman said"),  # Republic of Korea X → X
        ("주한미군의 사드 체계", "the U.S. Forces Korea THAAD system"),
        ("북한 선박들은 통과한다.", "North Korean ships pass."),  # demonym
        ("잠수함들이 입항했다.", "The submarines entered port."),  # plural of a generic word
    ]
    for source, target in quiet:
        assert serious(source, target) == [], (source, target)


def test_a_name_mentioned_before_may_become_a_pronoun_but_never_a_wrong_name() -> None:
    named = frozenset({"Changwon Special City", "Ministry of National Defense"})
    later = QAContext("ko", "en", HUMAN.matcher, file="r.en.md", line=12, machine=False, earlier=named)
    assert serious("국방부는 덧붙였다.", "It added.", later) == []
    ((check, message),) = serious("창원특례시는 밝혔다.", "Changwon City said.", later)
    assert check == "term-missing" and "has 'Changwon' instead" in message  # 창원 is approved as Changwon
    ((check, message),) = serious("창원특례시는 밝혔다.", "Changwon's city government said.", later)
    assert check == "term-missing" and "has 'Changwon' instead" in message
    ((check, message),) = serious("창원특례시는 밝혔다.", "Gimhae-si said.", later)
    assert "the translation has 'Gimhae-si' instead" in message
    # at its first mention a name must be there
    ((check, _),) = serious("국방부는 덧붙였다.", "It added.", HUMAN)
    assert check == "term-missing"


def test_machine_text_must_keep_every_occurrence() -> None:
    machine = QAContext("ko", "en", HUMAN.matcher)
    source = "창원특례시와 창원특례시"
    assert [f.check for f in run_checks(source, "Changwon Special City and the city", machine)].count(
        "term-missing"
    ) == 1
    assert serious(source, "Changwon Special City and the city") == []  # a person may say "the city"


def test_en_to_ko_accepts_any_korean_row_and_spacing() -> None:
    assert serious("Changwon Special City hosted it.", "창원시가 개최했다.", EN_KO) == []
    assert serious("The K9 Thunder was shown.", "K9자주포가 전시됐다.", EN_KO) == []
    ((check, message),) = serious("Changwon Special City hosted it.", "김해시가 개최했다.", EN_KO)
    assert check == "term-missing" and "'창원특례시'" in message


def test_info_hints_only_on_machine_text() -> None:
    source, target = "잠수함 사령부의 10개국 교육 과정", "the training course"
    assert [f.check for f in run_checks(source, target, HUMAN) if f.severity == "info"] == []
    machine = run_checks(source, target, QAContext("ko", "en", HUMAN.matcher))
    assert {f.check for f in machine} >= {"term-missing", "number-omitted"}


def test_build_findings_say_file_and_line(tmp_path: Path) -> None:
    """Through the real CLI: a correct human translation is quiet, a seeded error is reported
    at the line of the English paragraph that carries it."""
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "release.ko.md").write_text(
        "---\ntitle: 협약\nlang: ko\norganization: 창원특례시\n---\n\n"
        "창원특례시는 19일 방위사업청과 협약을 맺었다.\n\n"
        "참석자는 250명이었다.\n",
        "utf-8",
    )
    correct = (
        "---\ntitle: Agreement\nlang: en\ntranslation_of: ko\norganization: Changwon Special City\n---\n\n"
        "Changwon Special City signed an agreement with the Defense Acquisition Program Administration "
        "(DAPA) on Monday.\n\n"
        "{line}\n"
    )
    en = folder / "release.en.md"
    en.write_text(correct.format(line="There were 250 participants."), "utf-8")
    glossary = str(ROOT / "glossary.csv")
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--glossary",
                                       glossary, "--dry-run", "--json", "--strict"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["findings"] == []
    en.write_text(correct.format(line="There were 520 participants."), "utf-8")
    (folder / "release.en.tm.json").unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--glossary",
                                       glossary, "--dry-run", "--strict"])  # fmt: skip
    assert result.exit_code == 1
    assert (
        f"warning: {en}:10: [number-mismatch] numbers differ between source and translation " in result.stderr
    )


def test_a_korean_particle_glued_to_a_name_leaves_the_name_found() -> None:
    """A copy model (or a weak engine) leaves 는/을 after the injected names: the names are
    there; what is wrong is the Hangul, and only that is reported."""
    machine = QAContext("ko", "en", HUMAN.matcher)
    findings = run_checks("K9 자주포와 ＫＦ－２１을 공개했다.", "K9 Thunder와 KF-21을 공개했다.", machine)
    assert [f.check for f in findings if f.severity != "info"] == ["hangul-in-english"]
