"""Translation QA: one small function per check, like translate-toolkit's filters.

Every check has the signature ``(source, target, ctx) -> list[Finding]`` and a
fixed severity, so the CLI can run them all (:func:`run_checks`), print them
and let ``--strict`` fail on warnings. Checks are pragmatic: they flag what a
reviewer should look at, they do not prove a translation right.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from toolkit.core.document import Finding, Severity
from toolkit.mt.enforce import count_targets, locate

if TYPE_CHECKING:
    from toolkit.translation.memory import Memory
from toolkit.terminology.matcher import Matcher


@dataclass(frozen=True)
class QAContext:
    """What every check needs besides the two texts."""

    src_lang: str
    tgt_lang: str
    matcher: Matcher  # built for src_lang
    file: str = ""
    line: int = 0


Check = Callable[[str, str, QAContext], list[Finding]]


def _finding(
    check: str,
    severity: Severity,
    message: str,
    source: str,
    ctx: QAContext,
    extra: dict[str, str] | None = None,
) -> Finding:
    return Finding(
        check=check,
        severity=severity,
        message=message,
        file=ctx.file,
        line=ctx.line,
        segment=source,
        extra=extra or {},
    )


def term_missing(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Error per source occurrence whose approved target term is absent from the target."""
    matches = ctx.matcher.find(source)
    if not matches:
        return []
    required = Counter(m.target_term for m in matches)
    found = count_targets(target, list(required))
    findings: list[Finding] = []
    for match in matches:
        term = match.target_term
        if found[term] > 0:
            found[term] -= 1
            continue
        findings.append(
            _finding(
                "term-missing",
                "error",
                f"'{match.source_term}' must be translated as '{term}', which is missing "
                f"from the translation",
                source,
                ctx,
                {"term": term, "source_term": match.source_term},
            )
        )
    return findings


def near_miss(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Warning where a glossary term appears in the source but was not applied."""
    return [
        _finding(
            "near-miss",
            "warning",
            f"'{miss.word}' contains glossary term '{miss.source_term}' but it was not "
            f"applied ({miss.reason}); add '{miss.word}' to the glossary if it needs a fixed "
            f"translation",
            source,
            ctx,
            {"term": miss.source_term, "word": miss.word},
        )
        for miss in ctx.matcher.near_misses(source)
    ]


_HANGUL_RUN = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]+")


def hangul_in_english(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Error when Hangul is left in an English translation."""
    if ctx.tgt_lang != "en":
        return []
    runs = list(dict.fromkeys(_HANGUL_RUN.findall(target)))
    if not runs:
        return []
    shown = ", ".join(f"'{r}'" for r in runs[:5]) + (" …" if len(runs) > 5 else "")
    return [
        _finding(
            "hangul-in-english",
            "error",
            f"Hangul left in the English translation: {shown}",
            source,
            ctx,
        )
    ]


_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
# A month name counts as a number only next to a day or year ("Nov. 5", "5 November").
_MONTH = re.compile(rf"\b{_MONTH_NAME}\b\.?(?=\s*\d)|(?<=\d\s){_MONTH_NAME}\b")
_NUMBER = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s?(thousand|million|billion|trillion)\b)?"
    r"(?:\s?(천|백)?(만|억|조)|\s?(천))?"
)
_SCALE = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "백": 100,
    "천": 1000,
    "만": 10**4,
    "억": 10**8,
    "조": 10**12,
}


def numbers(text: str) -> Counter[str]:
    """Multiset of numbers: '1,000' = '1000', '250명' → 250, '250억' = '25 billion'.

    Korean compounds with descending big units are summed ('1조 2천억' = 1.2 × 10¹²);
    English month names next to a day or year count as their month number.
    """
    merged: list[tuple[Decimal, int, int]] = []  # value, big unit (만/억/조), end
    for hit in _NUMBER.finditer(text):
        whole, fraction, en_scale, ko_small, ko_big, ko_thousand = hit.groups()
        value = Decimal(whole.replace(",", "") + (fraction or ""))
        for unit in (en_scale, ko_small, ko_thousand):
            if unit:
                value *= _SCALE[unit.lower()]
        big = _SCALE[ko_big] if ko_big else 0
        value *= big or 1
        if merged:
            prev_value, prev_big, prev_end = merged[-1]
            if big < prev_big and not text[prev_end : hit.start()].strip():
                merged[-1] = (prev_value + value, big, hit.end())  # 1조 2천억, 1만 5000
                continue
        merged.append((value, big, hit.end()))
    result: Counter[str] = Counter(_canonical(v) for v, _, _ in merged)
    for hit in _MONTH.finditer(text):
        result[str(_MONTHS[hit.group().rstrip(".")[:3].lower()])] += 1
    return result


def _month_names(text: str) -> Counter[str]:
    return Counter(str(_MONTHS[hit.group().rstrip(".")[:3].lower()]) for hit in _MONTH.finditer(text))


def _canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _without_terms(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def numbers_mismatch(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Warning when the numbers (and dates) differ between source and target.

    Digits inside glossary terms are ignored on both sides (K9 ↔ 케이나인 is the
    glossary's business, not a number error).
    """
    matches = ctx.matcher.find(source)
    src_text = _without_terms(source, [(m.start, m.end) for m in matches])
    located = locate(target, [m.target_term for m in matches])
    tgt_spans = [span for spans in located.values() for span in spans]
    tgt_text = _without_terms(target, tgt_spans)
    src_numbers, tgt_numbers = numbers(src_text), numbers(tgt_text)
    if src_numbers == tgt_numbers:
        return []
    # Korean releases often give only the day ("5일") where English names the
    # month ("Nov. 5"): a month written as a word may appear on one side only.
    missing = sorted((src_numbers - tgt_numbers - _month_names(src_text)).elements())
    added = sorted((tgt_numbers - src_numbers - _month_names(tgt_text)).elements())
    if not missing and not added:
        return []
    parts = []
    if missing:
        parts.append("missing in translation: " + ", ".join(missing))
    if added:
        parts.append("only in translation: " + ", ".join(added))
    return [
        _finding(
            "number-mismatch",
            "warning",
            "numbers differ between source and translation (" + "; ".join(parts) + ")",
            source,
            ctx,
        )
    ]


def untranslated(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Warning when the target is the source unchanged (for text with real words)."""
    if ctx.src_lang == ctx.tgt_lang or " ".join(source.split()) != " ".join(target.split()):
        return []
    matches = ctx.matcher.find(source)
    rest = _without_terms(source, [(m.start, m.particle_end) for m in matches])
    if sum(1 for c in rest if c.isalpha()) < 3:
        return []  # numbers, codes, a lone glossary term: identical output is fine
    return [
        _finding(
            "untranslated",
            "warning",
            "translation is identical to the source",
            source,
            ctx,
        )
    ]


CHECKS: tuple[tuple[str, Check], ...] = (
    ("term-missing", term_missing),
    ("near-miss", near_miss),
    ("hangul-in-english", hangul_in_english),
    ("number-mismatch", numbers_mismatch),
    ("untranslated", untranslated),
)


def run_checks(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """All checks, in the stable order of :data:`CHECKS`."""
    if ctx.matcher.src_lang != ctx.src_lang:
        raise ValueError("QAContext.matcher must be built for QAContext.src_lang")
    findings: list[Finding] = []
    for _, check in CHECKS:
        findings.extend(check(source, target, ctx))
    return findings


def qa_findings(memory: Memory, tgt: str, matcher: Matcher | None, file: str) -> list[Finding]:
    """Run the QA checks on every segment pair of a translation (on their visible text)."""
    from toolkit.core.inline import plain

    matcher = matcher if matcher is not None else empty_matcher(memory.source_lang)
    findings: list[Finding] = []
    for unit in memory.units:
        for seg in unit.segments:
            if not seg.src.strip():
                continue
            ctx = QAContext(src_lang=memory.source_lang, tgt_lang=tgt, matcher=matcher, file=file, line=0)
            findings.extend(run_checks(plain(seg.src), plain(seg.tgt), ctx))
    return findings


def empty_matcher(src_lang: str) -> Matcher:
    """A matcher with no terms: the QA checks that need no glossary still run."""
    from toolkit.terminology.glossary import Glossary
    from toolkit.terminology.matcher import Matcher

    return Matcher(Glossary(entries=()), src_lang)
