"""Translation QA: one small function per check, like translate-toolkit's filters.

Every check has the signature ``(source, target, ctx) -> list[Finding]`` and a
fixed severity, so the CLI can run them all (:func:`run_checks`), print them
and let ``--strict`` fail on warnings. Checks flag what a reviewer should
look at; on a correct human translation they must stay quiet, so what a
translator legitimately does — an accepted variant ("Gyeonggi Province" for
Gyeonggi-do), a date named by its weekday, a correct unit conversion, a
dropped count — is no finding at all, and the ``info`` checks (review hints)
run on machine-written text only (``QAContext.machine``):

==================  ========  =====================================================
check               severity  what
==================  ========  =====================================================
term-missing        error     an approved name has no trace in the translation
term-generic        info      a generic glossary word (submarine) is not used
abbreviation-first  info      the abbreviation alone at the first mention
near-miss           info      a term inside a longer word the glossary lacks
hangul-in-english   error     Hangul left in an English translation
number-mismatch     warning   a number only in the translation (a unit conversion
                              that does not add up included), or an amount,
                              percentage or measure missing from it
number-omitted      info      a count or ordinal the translation leaves out
untranslated        warning   the translation is the source unchanged
==================  ========  =====================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from toolkit.core.document import Finding, Severity
from toolkit.core.inline import plain
from toolkit.core.normalize import for_matching
from toolkit.terminology.abbrev import concept, mentioned, target_forms
from toolkit.terminology.glossary import Entry, Glossary
from toolkit.terminology.matcher import Matcher, TermMatch
from toolkit.terminology.words import NOT_AFTER_WORD, NOT_BEFORE_WORD, word_spans
from toolkit.translation import numbers as num

if TYPE_CHECKING:
    from toolkit.translation.memory import Memory


@dataclass(frozen=True)
class QAContext:
    """What every check needs besides the two texts."""

    src_lang: str
    tgt_lang: str
    matcher: Matcher  # built for src_lang
    file: str = ""
    line: int = 0
    # concepts (English full names) already mentioned earlier in the release's
    # translation: their abbreviation alone is fine here
    mentioned: frozenset[str] = field(default_factory=frozenset)
    # machine-written (unedited engine output): the info checks (review hints) run
    machine: bool = True
    # concepts the release's source named in earlier segments (a person may then
    # refer to them by "it", "the ministry" or not at all)
    earlier: frozenset[str] = field(default_factory=frozenset)


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


# --------------------------------------------------------------------------- terms

_RR_UNIT = re.compile(r"^(?P<core>[A-Z][a-z]+(?:[a-z]+)?)-(?P<unit>si|gun|gu|do|eup|myeon|dong|ri)$")
_HEAD_OF = re.compile(
    r"^(?P<head>Ministry|Department|Office|Bureau|Agency|Committee|Commission|Administration|Service)"
    r" of (?:the )?(?P<rest>.+)$"
)
_ROK = "Republic of Korea "
# First words that do not make a name recognisable on their own ("Ministry",
# "Republic"): only a distinctive first word (Changwon, Gyeonggi, Hanwha, K9)
# shows that a translation wrote the name, but wrongly (Changwon City).
_GENERIC_FIRST = frozenset(
    {"ministry", "minister", "republic", "korea", "korean", "national", "defense", "north", "south", "east"}
    | {"west", "united", "supreme", "constitutional", "joint", "chief", "chairman", "mayor", "governor"}
    | {"vice", "secretary", "commander", "commandant", "agency", "military", "enforcement", "local", "public"}
    | {"political", "first", "second", "terminal", "member", "the", "world", "armed", "air", "ground"}
    | {"submarine", "foreign", "export-import", "rok-u.s."}
)


def distinctive_word(en: str) -> str:
    """The word of an approved name that shows a translation meant it ('' if none)."""
    words = en.split()
    first = words[0] if words else ""
    core = _RR_UNIT.match(first)
    word = core.group("core") if core else first
    if not word[:1].isupper() or word.lower() in _GENERIC_FIRST or len(word) < 3:
        return ""
    return word


def automatic_variants(en: str) -> tuple[str, ...]:
    """Renderings of an approved English name a human translation may use instead.

    Rules, not lists: an RR unit suffix may be dropped (Yeosu-si → Yeosu,
    Gyeonggi-do → Gyeonggi [Province]; -nam-do/-buk-do → South/North …:
    Gyeongsangnam-do → South Gyeongsang), "Ministry of X" may be "X Ministry",
    "Republic of Korea X" may be "X", "ROK X" or "South Korean X", and
    "United States" may be "U.S.". Special cities are not shortened: the
    approved "Changwon Special City" is exactly what a translation must say.
    """
    found: list[str] = []
    unit = _RR_UNIT.match(en)
    if unit:
        core = unit.group("core")
        found.append(core)
        if unit.group("unit") == "do":
            for suffix, side in (("nam", "South"), ("buk", "North")):
                if core.endswith(suffix) and len(core) > len(suffix) + 2:
                    found.append(f"{side} {core[: -len(suffix)]}")
    head = _HEAD_OF.match(en)
    if head:
        rest = head.group("rest")
        found.append(f"{rest} {head.group('head')}")
        found.append(f"{rest.split()[-1]} {head.group('head')}")
    if en.startswith(_ROK) and len(en) > len(_ROK):
        rest = en[len(_ROK) :]
        found += [rest, f"ROK {rest}", f"South Korean {rest}", f"Korean {rest}"]
    if "United States" in en:
        found += [en.replace("United States", "U.S."), en.replace("United States", "US")]
    return tuple(dict.fromkeys(v for v in found if v and v != en))


@dataclass(frozen=True)
class _Concept:
    en: str
    abbr: str
    forms: tuple[str, ...]  # exact approved English forms
    ko_forms: tuple[str, ...]  # every Korean row of the concept (en→ko accepts any)
    variants: tuple[str, ...]  # accepted English renderings
    generic: bool  # a common noun (no capital letter, no digit): guidance, not a name
    listed: frozenset[str] = frozenset()  # the variants a row lists itself (en_variants)


def _is_generic(en: str) -> bool:
    return not any(c.isupper() or c.isdigit() for c in en)


@lru_cache(maxsize=32)
def _concepts(matcher: Matcher) -> dict[str, _Concept]:
    """Per English name: its forms in both languages and every variant any row gives.

    Cached per matcher (one per build and direction), not per glossary: hashing a
    glossary means hashing every row.
    """
    rows: dict[str, list[Entry]] = {}
    for entry in matcher.glossary.entries:
        rows.setdefault(concept(entry), []).append(entry)
    result: dict[str, _Concept] = {}
    for key, entries in rows.items():
        first = entries[0]
        abbr = next((e.abbr for e in entries if e.abbr), "")
        forms = target_forms(first) if not abbr or first.abbr else (f"{key} ({abbr})", key, abbr)
        variants = [v for e in entries for v in e.en_variants] + list(automatic_variants(key))
        ko_forms = tuple(dict.fromkeys(e.ko for e in entries))
        listed = frozenset(v for e in entries for v in e.en_variants)
        result[key] = _Concept(
            key, abbr, forms, ko_forms, tuple(dict.fromkeys(variants)), _is_generic(key), listed
        )
    return result


# Edges of English words. Not Hangul: machine output may carry a Korean particle glued
# to a name ("Changwon Special City는"), which does not make the name another word (the
# Hangul itself is hangul-in-english's business).


INFLECTIONS = ("s", "es", "n", "an", "ese", "ns", "ans")  # plural, demonym: Korea → Koreans


def _spans_en(text: str, form: str, insensitive: bool) -> list[tuple[int, int]]:
    """A form as a whole word, with free spacing and an inflection (plural, demonym) allowed;
    after a number, no other digit or letter."""
    return word_spans(
        text,
        form,
        spaced=True,
        suffixes=INFLECTIONS if form[-1:].isalpha() else (),
        right="number" if form[-1:].isdigit() else "word",
        insensitive=insensitive,
    )


def _spans_ko(text: str, form: str) -> list[tuple[int, int]]:
    """Spacing-insensitive occurrences of a Korean form (particles may follow)."""
    want = form.replace(" ", "")
    if not want:
        return []
    pattern = r"\s?".join(re.escape(c) for c in want)
    return [m.span() for m in re.finditer(pattern, text)]


def _overlaps(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in taken)


@lru_cache(maxsize=32)
def _reverse(matcher: Matcher) -> Matcher:
    """A matcher for the target language: which approved names a translation contains."""
    return Matcher(matcher.glossary, matcher.tgt_lang)


def _target_terms(target: str, matcher: Matcher) -> list[TermMatch]:
    return _reverse(matcher).find(target)


@dataclass
class _Found:
    """Occurrences of one concept in the target, consumed one per source mention."""

    exact: list[tuple[int, int, str]]  # span and the form
    variant: list[tuple[int, int, str]]


def _locate_concept(target: str, c: _Concept, ctx: QAContext, occupied: list[tuple[int, int]]) -> _Found:
    taken: list[tuple[int, int]] = []
    exact: list[tuple[int, int, str]] = []
    forms = c.forms if ctx.tgt_lang == "en" else c.ko_forms
    for form in sorted(forms, key=len, reverse=True):
        spans = _spans_en(target, form, c.generic) if ctx.tgt_lang == "en" else _spans_ko(target, form)
        for span in spans:
            if not _overlaps(span, taken):
                taken.append(span)
                exact.append((span[0], span[1], form))
    variant: list[tuple[int, int, str]] = []
    if ctx.tgt_lang == "en":
        candidates = [*c.forms, *c.variants] if not c.generic else list(c.variants)
        for form in sorted(dict.fromkeys(candidates), key=len, reverse=True):
            for span in _spans_en(target, form, True):
                if _overlaps(span, taken):
                    continue
                if _overlaps(span, occupied) and not (form in c.listed and span in occupied):
                    continue  # inside the approved name of something else: not this one
                    # (unless the row lists that very name: 한국 may be "Seoul")
                taken.append(span)
                variant.append((span[0], span[1], form))
    exact.sort()
    variant.sort()
    return _Found(exact, variant)


def _terms(source: str, target: str, ctx: QAContext) -> list[tuple[str, str, str, dict[str, str]]]:
    """(check, severity, message, extra) for every source term, in source order.

    Machine output must render every occurrence (an engine that drops the second
    of two names is wrong); a person may render a repeated name by a pronoun, so
    in human text one rendering per sentence and concept is enough.
    """
    matches = ctx.matcher.find(source)
    if not matches:
        return []
    concepts = _concepts(ctx.matcher)
    target_view = for_matching(target)[0]
    present = _target_terms(target_view, ctx.matcher)
    licensed = {concept(m.entry) for m in matches}
    occupied = [(m.start, m.end) for m in present if concept(m.entry) not in licensed]
    matches = _without_glosses(source, matches)
    located: dict[str, _Found] = {}
    results: list[tuple[str, str, str, dict[str, str]]] = []
    seen_here: set[str] = set()
    satisfied: set[str] = set()
    for match in matches:
        key = concept(match.entry)
        c = concepts[key]
        found = located.get(key)
        if found is None:
            found = located[key] = _locate_concept(target_view, c, ctx, occupied)
        extra = {"term": c.en, "source_term": match.source_term}
        first_mention = key not in ctx.mentioned and key not in seen_here
        seen_here.add(key)
        if not ctx.machine and key in satisfied:
            continue  # a person repeats a name with a pronoun: once per sentence is enough
        if found.exact:
            satisfied.add(key)
            _, _, form = found.exact.pop(0)
            if c.abbr and form == c.abbr and first_mention and ctx.tgt_lang == "en":
                results.append(
                    (
                        "abbreviation-first",
                        "info",
                        f"first mention of '{c.en}' as '{c.abbr}' alone; house style writes "
                        f"'{c.en} ({c.abbr})' first",
                        extra,
                    )
                )
            continue
        if found.variant:
            satisfied.add(key)
            found.variant.pop(0)  # an accepted rendering: quiet
            continue
        approved = _approved(c, ctx) if ctx.tgt_lang == "en" else match.target_term
        rivals = [
            m
            for m in present
            if concept(m.entry) not in licensed and m.entry.category == match.entry.category
        ]
        degraded = _degraded(target_view, c, ctx, [(m.start, m.end) for m in present])
        if not ctx.machine and key in ctx.earlier and not rivals and not degraded:
            continue  # named before: "it", "the ministry" or nothing at all is good English
        if c.generic:
            results.append(
                (
                    "term-generic",
                    "info",
                    f"'{match.source_term}': the glossary suggests '{approved}', which the translation "
                    "does not use",
                    extra,
                )
            )
            continue
        message = (
            f"'{match.source_term}' must be translated as '{approved}', which is missing from the translation"
        )
        if degraded and not rivals:
            message += f" (the translation writes '{degraded}')"
        if rivals:
            message += f" (the translation has '{target_view[rivals[0].start : rivals[0].end]}' instead)"
        results.append(("term-missing", "error", message, extra))
    return results


def _degraded(target: str, c: _Concept, ctx: QAContext, names: list[tuple[int, int]]) -> str:
    """A wrong form of the name in the target ('Changwon City' for 'Changwon Special City').

    ``names`` are the spans of every approved name in the target: a distinctive
    word inside one of them (Changwon Special City, Changwon City Hall) is fine.
    """
    if ctx.tgt_lang != "en" or c.generic:
        return ""
    word = distinctive_word(c.en)
    if not word:
        return ""
    for hit in re.finditer(NOT_AFTER_WORD + re.escape(word) + NOT_BEFORE_WORD, target):
        if _overlaps(hit.span(), names):
            continue  # inside an approved name (Changwon Special City, Changwon City Hall)
        end = hit.end()
        following = re.match(r"(?:\s[A-Z][\w-]*){0,2}", target[end:])
        return target[hit.start() : end + (following.end() if following else 0)]
    return ""


_GLOSS_OPEN = re.compile(r"\s?[(（]$")


def _without_glosses(source: str, matches: list[TermMatch]) -> list[TermMatch]:
    """Drop a name repeated in brackets right after itself (방위사업청(방사청)): one mention."""
    kept: list[TermMatch] = []
    for match in matches:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and concept(previous.entry) == concept(match.entry)
            and _GLOSS_OPEN.search(source[previous.end : match.start])
            and source[match.particle_end : match.particle_end + 1] in (")", "）")
        ):
            continue
        kept.append(match)
    return kept


def _approved(c: _Concept, ctx: QAContext) -> str:
    if ctx.tgt_lang != "en":
        return c.en
    return f"{c.en}' or '{c.abbr}" if c.abbr else c.en


def _term_check(name: str) -> Check:
    def check(source: str, target: str, ctx: QAContext) -> list[Finding]:
        return [
            _finding(kind, severity, message, source, ctx, extra)  # type: ignore[arg-type]
            for kind, severity, message, extra in _terms(source, target, ctx)
            if kind == name
        ]

    return check


term_missing = _term_check("term-missing")
term_missing.__doc__ = "Error per source occurrence of an approved name with no trace in the target."
term_generic = _term_check("term-generic")
term_generic.__doc__ = "Info where a generic glossary word is rendered otherwise."
abbreviation_first = _term_check("abbreviation-first")
abbreviation_first.__doc__ = "Info where the abbreviation alone stands at the first mention."


def near_miss(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Info where a glossary term appears inside a longer word the glossary lacks."""
    return [
        _finding(
            "near-miss",
            "info",
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


# --------------------------------------------------------------------------- numbers


def numbers(text: str) -> dict[str, int]:
    """Values of the numbers in ``text`` (any language), as canonical strings with counts.

    '1,000' = '1000', '250명' → 250, '250억' = '25 billion', '1조 2천억' =
    '1.2 trillion', month names next to a day or year count as their number.
    """
    counts: dict[str, int] = {}
    for q in num.read_quantities(text):
        if q.kind in (num.WEEKDAY, num.RELATIVE, num.TIME):
            continue
        key = num.canonical(q.value)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


@dataclass(frozen=True)
class _Comparison:
    mismatch: tuple[str, ...] = ()  # message parts for number-mismatch (warning)
    omitted: tuple[str, ...] = ()  # values for number-omitted (info)


_RELATIVE_YEAR = re.compile(
    r"작년|지난해|올해|금년|내년|지난 해|last year|this year|next year", re.IGNORECASE
)


def _rounds_to(exact: Decimal, rounded: num.Quantity) -> bool:
    """Is ``rounded`` the exact value rounded ("153 million" for 1억 5,279만)?

    Only to two or more significant digits, or to one when the translation
    says so ("about 50" for 48): 250 → 300 is a different number.
    """
    value = rounded.value
    if value == 0 or exact == value:
        return False
    _, digits, exponent = value.normalize().as_tuple()
    significant = len(digits)
    if significant < 2 and not rounded.approx:
        return False
    if significant >= len(exact.normalize().as_tuple().digits):
        return False  # not fewer digits: not a rounding
    step = Decimal(1).scaleb(int(exponent))
    return abs(exact - value) <= step / 2


def _shown(q: num.Quantity) -> str:
    if q.scaled or q.kind == num.TIME:
        return q.text
    return num.canonical(q.value)


@lru_cache(maxsize=4096)
def _compare(source: str, target: str) -> _Comparison:
    src = [q for q in num.read_quantities(source)]
    tgt = [q for q in num.read_quantities(target)]
    day_words_tgt = any(q.kind in (num.WEEKDAY, num.RELATIVE) for q in tgt)
    day_words_src = any(q.kind in (num.WEEKDAY, num.RELATIVE) for q in src)
    src = [q for q in src if q.kind not in (num.WEEKDAY, num.RELATIVE)]
    tgt = [q for q in tgt if q.kind not in (num.WEEKDAY, num.RELATIVE)]
    src_values = _values(src)
    tgt_values = _values(tgt)
    missing = [q for q in src if not q.weak and not any(r <= tgt_values for r in q.readings)]
    added = [q for q in tgt if not q.weak and not any(r <= src_values for r in q.readings)]
    added += _extra_copies(src, tgt)  # "June 24-24" for 6월 21일-24일
    # a day of the month named by its weekday or as "yesterday"
    if day_words_tgt:
        missing = [q for q in missing if q.kind != num.DAY]
    # rounding: 1억 5,279만원 → "about 153 million won"
    for t in list(added):
        for s in missing:
            if t.kind != num.TIME and s.kind != num.TIME and _rounds_to(s.value, t):
                added.remove(t)
                missing.remove(s)
                break
    conversions: list[str] = []
    src_currencies = {q.unit for q in src if q.kind == num.MONEY}
    src_months = any(q.kind == num.MONTH for q in src)
    relative_year = bool(_RELATIVE_YEAR.search(source))
    kept_added: list[num.Quantity] = []
    for t in added:
        partner = next((s for s in src if num.convertible(s, t)), None)
        if partner is not None:
            missing = [q for q in missing if q is not partner]  # a correct conversion: quiet
        elif t.kind == num.MEASURE and any(num.convertible(s, t, tolerance=10.0) for s in src):
            kept_added.append(t)  # converted, but the value is off: a wrong number
            original = next(s for s in src if num.convertible(s, t, tolerance=10.0))
            conversions.append(f"{original.text} is not {t.text}")
        elif t.kind == num.MONEY and src_currencies and t.unit not in src_currencies:
            continue  # "($105 million)": exchange rates change, nothing to check
        elif t.bracketed and t.kind in (num.TIME, num.MEASURE):
            continue  # "(7:45 p.m. ET Sunday)", "(four-inch)": a gloss in another unit or zone
        elif t.kind == num.MONTH and not src_months:
            continue  # the translation names the month the source leaves implicit
        elif t.kind == num.YEAR and relative_year:
            continue  # 작년 → "2007"
        elif t.value == 1 and t.kind in (num.COUNT, num.ORDINAL):
            continue  # "one of", "a", "the first"
        elif day_words_src and t.kind == num.COUNT and _after_month(target, t):
            continue  # 지난 월요일 → "on Nov. 5"
        else:
            kept_added.append(t)
    tgt_months = any(q.kind == num.MONTH for q in tgt)
    tgt_years = any(q.kind == num.YEAR for q in tgt)
    serious_missing = [q for q in missing if q.kind in (num.MONEY, num.PERCENT, num.MEASURE)]
    other_missing = [
        q
        for q in missing
        if q not in serious_missing
        and not (q.value == 1 and q.kind in (num.COUNT, num.ORDINAL))
        and not (q.kind == num.MONTH and not tgt_months)  # 9월에 … → "rose 0.6 percent"
        and not (q.kind == num.YEAR and not tgt_years)
        and q.kind not in (num.DAY, num.TIME)  # a dropped date or hour is the writer's choice
    ]
    if kept_added or serious_missing:
        parts = []
        context = [q for q in missing if not (q.value == 1 and q.kind in (num.COUNT, num.ORDINAL))]
        shown_missing = [_shown(q) for q in sorted(context, key=lambda q: q.start)]
        if shown_missing:
            parts.append("missing in translation: " + ", ".join(shown_missing))
        if kept_added:
            parts.append("only in translation: " + ", ".join(_shown(q) for q in kept_added))
        if conversions:
            parts.append("check the conversion: " + ", ".join(conversions))
        return _Comparison(mismatch=tuple(parts))
    return _Comparison(omitted=tuple(_shown(q) for q in other_missing))


def numbers_agree(source: str, target: str) -> bool:
    """No number-mismatch between the two (what the sync uses to pair sentences quietly)."""
    return not _compare(source, target).mismatch


def has_numbers(text: str) -> bool:
    return bool(num.read_quantities(text))


def _extra_copies(src: Sequence[num.Quantity], tgt: Sequence[num.Quantity]) -> list[num.Quantity]:
    """Translation numbers written more often than the source has them (one changed into another)."""
    def key(q: num.Quantity) -> tuple[str, Decimal]:
        return ("time" if q.kind == num.TIME else "num", q.value)

    counts: dict[tuple[str, Decimal], int] = {}
    for q in src:
        if not q.weak:
            counts[key(q)] = counts.get(key(q), 0) + 1
    extra: list[num.Quantity] = []
    for q in tgt:
        k = key(q)
        if q.weak or k not in counts:
            continue
        if counts[k] == 0:
            extra.append(q)
        counts[k] -= 1
    return extra


def _values(quantities: Sequence[num.Quantity]) -> frozenset[tuple[str, Decimal]]:
    """Every value any reading of the quantities stands for."""
    return frozenset(v for q in quantities for reading in q.readings for v in reading)


_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s$"
)


def _after_month(text: str, q: num.Quantity) -> bool:
    """Is the number the day of a date ("Nov. 5")?"""
    return bool(_MONTH_BEFORE.search(text[max(0, q.start - 12) : q.start]))


def _number_texts(source: str, target: str, ctx: QAContext) -> tuple[str, str]:
    """Both texts with glossary terms blanked: K9 ↔ 케이나인 is the glossary's business."""
    src_view = for_matching(source)[0]
    tgt_view = for_matching(target)[0]
    src_spans = [(m.start, m.end) for m in ctx.matcher.find(src_view)]
    tgt_spans = [(m.start, m.end) for m in _target_terms(tgt_view, ctx.matcher)]
    return _blank(src_view, src_spans), _blank(tgt_view, tgt_spans)


def numbers_mismatch(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Warning when the translation has a number the source lacks, or lacks an amount,
    percentage or measure (values compared: 1조 2000억 = 1.2 trillion, 4월 = April)."""
    result = _compare(*_number_texts(source, target, ctx))
    if not result.mismatch:
        return []
    message = "numbers differ between source and translation (" + "; ".join(result.mismatch) + ")"
    return [_finding("number-mismatch", "warning", message, source, ctx)]


def numbers_omitted(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Info when a count, date or ordinal of the source is not in the translation."""
    result = _compare(*_number_texts(source, target, ctx))
    if not result.omitted:
        return []
    message = "not in the translation: " + ", ".join(result.omitted)
    return [_finding("number-omitted", "info", message, source, ctx)]


def untranslated(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """Warning when the target is the source unchanged (for text with real words)."""
    if ctx.src_lang == ctx.tgt_lang or " ".join(source.split()) != " ".join(target.split()):
        return []
    matches = ctx.matcher.find(source)
    rest = _blank(source, [(m.start, m.particle_end) for m in matches])
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


CHECKS: tuple[tuple[str, Severity, Check], ...] = (
    ("term-missing", "error", term_missing),
    ("term-generic", "info", term_generic),
    ("abbreviation-first", "info", abbreviation_first),
    ("near-miss", "info", near_miss),
    ("hangul-in-english", "error", hangul_in_english),
    ("number-mismatch", "warning", numbers_mismatch),
    ("number-omitted", "info", numbers_omitted),
    ("untranslated", "warning", untranslated),
)


def run_checks(source: str, target: str, ctx: QAContext) -> list[Finding]:
    """All checks, in the stable order of :data:`CHECKS` (review hints on machine text only)."""
    if ctx.matcher.src_lang != ctx.src_lang:
        raise ValueError("QAContext.matcher must be built for QAContext.src_lang")
    findings: list[Finding] = []
    for _, severity, check in CHECKS:
        if severity == "info" and not ctx.machine:
            continue
        findings.extend(check(source, target, ctx))
    return findings


def qa_findings(
    memory: Memory,
    tgt: str,
    matcher: Matcher | None,
    file: str,
    *,
    lines: Sequence[int] | None = None,
) -> list[Finding]:
    """Run the QA checks on every segment pair of a translation, in document order.

    ``lines[i]`` is the line of unit ``i`` in ``file`` (findings say file:line);
    abbreviations are checked against what earlier segments already mention.
    """
    pairs: list[tuple[str, str, bool]] = []
    at: list[int] = []
    for index, unit in enumerate(memory.units):
        line = lines[index] if lines is not None and index < len(lines) else 0
        for seg in unit.segments:
            if seg.src.strip():
                pairs.append((seg.src, seg.tgt, bool(seg.mt) and seg.tgt == seg.mt))
                at.append(line)
    found = qa_segments(pairs, memory.source_lang, tgt, matcher, file)
    return [replace(f, line=line) if line else f for fs, line in zip(found, at, strict=True) for f in fs]


def qa_segments(
    pairs: Sequence[tuple[str, str, bool]], src_lang: str, tgt: str, matcher: Matcher | None, file: str
) -> list[list[Finding]]:
    """The findings of each (source, target, machine-written) pair, given in document order:
    what earlier pairs mention (abbreviations, concepts) is known to the later ones."""
    matcher = matcher if matcher is not None else empty_matcher(src_lang)
    abbreviated = tuple(e for e in matcher.glossary.entries if e.abbr)
    seen: set[str] = set()
    earlier: set[str] = set()
    result: list[list[Finding]] = []
    for src, text, machine in pairs:
        ctx = QAContext(
            src_lang=src_lang,
            tgt_lang=tgt,
            matcher=matcher,
            file=file,
            mentioned=frozenset(seen),
            machine=machine,
            earlier=frozenset(earlier),
        )
        # segments are inline Markdown: QA reads what is printed (not link targets)
        src, text = plain(src), plain(text)
        result.append(run_checks(src, text, ctx))
        if abbreviated and tgt == "en":
            seen |= mentioned([text], abbreviated)
        earlier |= {concept(m.entry) for m in matcher.find(src)}
    return result


def empty_matcher(src_lang: str) -> Matcher:
    """A matcher with no terms: the QA checks that need no glossary still run."""
    return Matcher(Glossary(entries=()), src_lang)
