"""QA checks: one function per check, fixed severities, stable order."""

from __future__ import annotations

from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.matcher import Matcher
from toolkit.translation.checks import (
    QAContext,
    hangul_in_english,
    near_miss,
    numbers,
    numbers_mismatch,
    run_checks,
    term_missing,
    untranslated,
)

GLOSSARY = Glossary(
    (
        Entry("창원시", "Changwon Special City", "place", line=2),
        Entry("방위사업청", "DAPA", "org", line=3),
        Entry("케이나인", "K9", "product", line=4),
    )
)
KO_EN = QAContext("ko", "en", Matcher(GLOSSARY, "ko"), file="r.md", line=7)
EN_KO = QAContext("en", "ko", Matcher(GLOSSARY, "en"))


def checks(findings: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f.check, f.severity) for f in findings]


def test_term_missing_counts_per_occurrence() -> None:
    source = "창원시와 창원시, 방위사업청"
    findings = term_missing(source, "Changwon Special City and the city, DAPA", KO_EN)
    assert checks(findings) == [("term-missing", "error")]
    assert findings[0].message == (
        "'창원시' must be translated as 'Changwon Special City', which is missing from the translation"
    )
    assert (findings[0].file, findings[0].line, findings[0].segment) == ("r.md", 7, source)
    assert term_missing(source, "Changwon Special City, Changwon Special City, DAPA", KO_EN) == []
    assert len(term_missing(source, "nothing", KO_EN)) == 3


def test_near_miss() -> None:
    findings = near_miss("창원시장은 방문했다", "The mayor visited", KO_EN)
    assert checks(findings) == [("near-miss", "info")]
    assert "'창원시장은' contains glossary term '창원시'" in findings[0].message


def test_hangul_in_english() -> None:
    findings = hangul_in_english("창원시는", "Changwon Special City는 좋다", KO_EN)
    assert checks(findings) == [("hangul-in-english", "error")]
    assert findings[0].message == "Hangul left in the English translation: '는', '좋다'"
    assert hangul_in_english("x", "창원", EN_KO) == []
    assert hangul_in_english("x", "All English.", KO_EN) == []


def test_numbers_normalisation() -> None:
    assert numbers("2026년 11월 5일 250명, 1,000원 3.5%") == numbers(
        "Nov. 5, 2026, 250 people, 1000 won, 3.50 percent"
    )
    assert numbers("250억 원") == numbers("25 billion won")
    assert numbers("1조 2천억") == numbers("1.2 trillion")
    assert numbers("1만 5000명") == numbers("15,000")
    assert numbers("May I help?") == numbers("")


def test_numbers_mismatch() -> None:
    ok = numbers_mismatch("2026년 11월 5일 창원시", "Nov. 5, 2026 Changwon Special City", KO_EN)
    assert ok == []
    findings = numbers_mismatch("참석자 250명", "300 attendees", KO_EN)
    assert checks(findings) == [("number-mismatch", "warning")]
    assert findings[0].message == (
        "numbers differ between source and translation "
        "(missing in translation: 250; only in translation: 300)"
    )
    # digits inside glossary terms are the glossary's business
    assert numbers_mismatch("the K9 arrived", "케이나인 도착", EN_KO) == []


def test_untranslated() -> None:
    assert checks(untranslated("The forum opens", "The forum opens", EN_KO)) == [("untranslated", "warning")]
    assert untranslated("K9", "K9", EN_KO) == []
    assert untranslated("2026", "2026", EN_KO) == []
    assert untranslated("The forum", "포럼", EN_KO) == []


def test_run_checks_stable_order() -> None:
    source = "창원시장은 창원시에서 250명을 만났다"
    target = "창원시장은 창원시에서 250명을 만났다"
    assert checks(run_checks(source, target, KO_EN)) == [
        ("term-missing", "error"),
        ("near-miss", "info"),
        ("hangul-in-english", "error"),
        ("untranslated", "warning"),
    ]
    assert run_checks("창원시는", "Changwon Special City is", KO_EN) == []


def test_month_name_on_one_side_only_is_not_a_number_mismatch() -> None:
    from toolkit.terminology.glossary import Glossary
    from toolkit.terminology.matcher import Matcher
    from toolkit.translation.checks import QAContext, numbers_mismatch

    ctx = QAContext(src_lang="ko", tgt_lang="en", matcher=Matcher(Glossary(entries=()), "ko"))
    assert numbers_mismatch("5일 포럼을 열었다.", "It held the forum on Nov. 5.", ctx) == []
    (finding,) = numbers_mismatch("5일 포럼을 열었다.", "It held the forum on Nov. 6.", ctx)
    assert "missing in translation: 5" in finding.message and "only in translation: 6" in finding.message
