"""Glossary enforcement through machine translation — the reason presspack exists.

Strategy, in three steps:

1. **Inline injection** (:func:`protect`). Each source term is replaced in the
   source segment by its approved target term before translation. NMT models
   copy spans they cannot translate (Latin script inside Korean, Hangul inside
   English) far more reliably than they restore placeholders: argos decoding
   eats underscores and models mangle ``__T0__``-style tokens, so no
   placeholders are used.

   * ko→en: the Korean particle stays attached to the injected English term
     ("창원시는" → "Changwon Special City는") so the model still sees the
     sentence grammar; it is *not* re-chosen for the English reading (the
     model drops it when translating; with a copy model it comes back as
     sent: "…(DAPA)과").
   * en→ko: a possessive after the term becomes 의
     ("Changwon Special City's forum" → "창원시의 forum"), the natural Korean
     genitive; a hyphen suffix ("-based") stays for the model to render.
   * Abbreviations (:mod:`toolkit.terminology.abbrev`): an entry with ``abbr``
     is injected as "full (ABBR)" at its first mention in the release and as
     "ABBR" after it (house style; ``abbreviations = "off"`` writes the full
     name every time). When the source already gives it — 방위사업청(DAPA),
     사드(THAAD) — the bracket is consumed, so nothing is doubled.

2. **n-best selection** (:func:`select`). The engine returns several
   hypotheses; the first that keeps every injected term exactly (the right
   number of times) wins, else the one keeping most, ties → earliest.

3. **Verify / repair** (:func:`repair`). A missing term is restored when a
   clear mangled variant exists — a case or spacing variant of the target
   term, or the source term left untranslated — and reported (info
   ``term-repaired``); otherwise a ``term-missing`` error is reported, never
   hidden. Korean particles right after Korean target terms are re-chosen for
   the term (창원특례시으로 → 창원특례시로, 서울으로 → 서울로) silently: that is
   grammar, not content.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from toolkit.core.document import Finding
from toolkit.core.errors import ModelError, Problem
from toolkit.core.normalize import for_matching
from toolkit.terminology.abbrev import FIRST_MENTION, Mentions, target_forms
from toolkit.terminology.glossary import Glossary
from toolkit.terminology.josa import fix_particle
from toolkit.terminology.matcher import PARTICLES, Matcher, TermMatch, check_at, is_delimiter

TranslateFn = Callable[[list[str], int], list[list[str]]]
Translate = TranslateFn  # (segments, num_hypotheses) -> hypotheses per segment

_MAX_TAIL = max(len(p) for p in PARTICLES) + 1


@dataclass(frozen=True)
class Protected:
    """A source segment prepared for the engine, with the terms injected into it."""

    source: str
    text: str  # to send to the engine
    terms: tuple[TermMatch, ...]
    targets: tuple[str, ...]  # the form injected for each match, in order ("DAPA" or the full name)


_BRACKET = re.compile(r"\s?[(（]([^()（）]{1,80})[)）]")


def _given_in_brackets(segment: str, match: TermMatch, glossary: Glossary) -> int:
    """End of a bracket right after the term that names it again, else 0.

    사드(THAAD), 방위사업청(DAPA) and 방위사업청(방사청) give the abbreviation or a
    short form of the same name: the injected form already says it.
    """
    bracket = _BRACKET.match(segment, match.end)
    if bracket is None:
        return 0
    inside = " ".join(for_matching(bracket.group(1))[0].split()).casefold()
    forms = {f.casefold() for f in target_forms(match.entry)}
    forms |= {e.ko.casefold() for e in glossary.entries if e.en == match.entry.en}
    return bracket.end() if inside in forms else 0


def protect(segment: str, matcher: Matcher, tgt_lang: str, mentions: Mentions | None = None) -> Protected:
    """Inject the approved target term of every match into ``segment``.

    ``mentions`` (English targets) decides "full (ABBR)" or "ABBR" for entries
    with an abbreviation and records each mention; without it every mention is
    a first mention.
    """
    if tgt_lang == matcher.src_lang:
        raise ValueError(f"target language {tgt_lang!r} equals the matcher's source language")
    matches = tuple(matcher.find(segment))
    parts: list[str] = []
    targets: list[str] = []
    skipped: set[TermMatch] = set()  # inside a consumed bracket
    position = 0
    for match in matches:
        if match in skipped:
            targets.append("")
            continue
        parts.append(segment[position : match.start])
        target = match.target_term
        if tgt_lang == "en":
            target = (mentions or Mentions()).next_form(match.entry)
        targets.append(target)
        if tgt_lang == "ko" and match.particle in ("'s", "’s"):
            parts.append(target + "의")
            position = match.particle_end
            continue
        parts.append(target)
        position = match.end
        given = 0
        if tgt_lang == "en" and match.particle == "":
            given = _given_in_brackets(segment, match, matcher.glossary)
        if given:
            position = given  # the source's own "(DAPA)": the injected form already says it
            skipped.update(m for m in matches if match.end <= m.start < given)
    parts.append(segment[position:])
    kept = tuple(m for m in matches if m not in skipped)
    kept_targets = tuple(t for m, t in zip(matches, targets, strict=True) if m not in skipped)
    return Protected(source=segment, text="".join(parts), terms=kept, targets=kept_targets)


# --------------------------------------------------------------------------- counting


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """A Latin-edged term must not touch Latin letters/digits (Hangul may follow)."""
    if start > 0 and _is_ascii_alnum(text[start]) and _is_ascii_alnum(text[start - 1]):
        return False
    return not (end < len(text) and _is_ascii_alnum(text[end - 1]) and _is_ascii_alnum(text[end]))


def locate(text: str, targets: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Non-overlapping spans of each distinct target in ``text``, longest target first."""
    taken = bytearray(len(text))
    spans: dict[str, list[tuple[int, int]]] = {}
    for target in sorted(set(targets), key=lambda t: (-len(t), t)):
        found: list[tuple[int, int]] = []
        index = text.find(target) if target else -1
        while index >= 0:
            end = index + len(target)
            if not any(taken[index:end]) and _boundary_ok(text, index, end):
                found.append((index, end))
                taken[index:end] = b"\x01" * len(target)
            index = text.find(target, index + 1)
        spans[target] = found
    return spans


def count_targets(text: str, targets: Sequence[str]) -> Counter[str]:
    """How often each distinct target occurs in ``text`` (see :func:`locate`)."""
    return Counter({t: len(s) for t, s in locate(text, targets).items()})


def select(
    hypotheses: Sequence[str], protected: Protected, accept: Callable[[str], bool] | None = None
) -> str:
    """First hypothesis keeping every target the right number of times, else the best.

    ``accept`` (the markup check of :mod:`toolkit.mt.markup`) breaks ties:
    terms come first (approved names are the promise), then a hypothesis
    whose tags survived, then the earliest.
    """
    if not hypotheses:
        raise ValueError("no hypotheses to select from")
    if not protected.targets and accept is None:
        return hypotheses[0]
    required = count_targets(protected.text, protected.targets)
    best, best_score = hypotheses[0], (-1, False)
    for hypothesis in hypotheses:
        found = count_targets(hypothesis, protected.targets)
        ok = accept(hypothesis) if accept is not None else True
        if found == required and ok:
            return hypothesis
        score = (sum(min(found[t], n) for t, n in required.items()), ok)
        if score > best_score:
            best, best_score = hypothesis, score
    return best


# --------------------------------------------------------------------------- repair


@lru_cache(maxsize=4096)
def _variant_pattern(target: str) -> re.Pattern[str]:
    """Case/spacing variants: 'changwon special  city', 'ChangwonSpecial City', '창원 특례시'."""
    words = target.split()
    pieces: list[str] = []
    for word in words:
        chunks = re.split(r"[-\u2010\u2011]", word)
        parts = []
        for chunk in chunks:
            if all("\uac00" <= c <= "\ud7a3" for c in chunk):
                parts.append(r"\s?".join(re.escape(c) for c in chunk))  # 창원 특례시
            else:
                parts.append(re.escape(chunk))
        pieces.append(r"[\s\-\u2010\u2011]?".join(parts))
    return re.compile(r"[\s\-\u2010\u2011]*".join(pieces), re.IGNORECASE)


def _free_span(
    text: str, pattern: re.Pattern[str], exact: str, taken: list[tuple[int, int]]
) -> tuple[int, int] | None:
    for hit in pattern.finditer(text):
        start, end = hit.span()
        if hit.group() == exact or any(s < end and start < e for s, e in taken):
            continue
        if _boundary_ok(text, start, end):
            return start, end
    return None


def _source_span(
    text: str, sources: Sequence[str], src_lang: str, taken: list[tuple[int, int]]
) -> tuple[int, int, int] | None:
    """An untranslated source term left in the output: (start, end, particle_end)."""
    for source in sorted(set(sources), key=len, reverse=True):
        index = text.find(source)
        while index >= 0:
            end = index + len(source)
            verdict = check_at(text, index, end, src_lang)
            if not isinstance(verdict, str) and not any(s < end and index < e for s, e in taken):
                particle, particle_end = verdict
                possessive = particle in ("'s", "’s")
                return index, end, particle_end if possessive else end
            index = text.find(source, index + 1)
    return None


def _fix_korean_particles(text: str, targets: Sequence[str]) -> str:
    """Re-choose the particle right after each Korean target (창원특례시으로 → 창원특례시로)."""
    edits: list[tuple[int, int, str]] = []
    for target, spans in locate(text, targets).items():
        for _, end in spans:
            stop = end
            while stop < len(text) and stop - end < _MAX_TAIL and not is_delimiter(text[stop]):
                stop += 1
            tail = text[end:stop]
            if tail in PARTICLES:
                fixed = fix_particle(target, tail)
                if fixed != tail:
                    edits.append((end, stop, fixed))
    for start, stop, fixed in sorted(edits, reverse=True):
        text = text[:start] + fixed + text[stop:]
    return text


def repair(output: str, protected: Protected, tgt_lang: str) -> tuple[str, list[Finding]]:
    """Restore or report every injected term missing from ``output``; fix Korean particles."""
    findings: list[Finding] = []
    if not protected.targets:
        return output, findings
    src_lang = "en" if tgt_lang == "ko" else "ko"
    required = count_targets(protected.text, protected.targets)
    order = list(dict.fromkeys(protected.targets))
    for target in order:
        pairs = zip(protected.terms, protected.targets, strict=True)
        sources = [m.source_term for m, injected in pairs if injected == target]
        missing = required[target] - count_targets(output, protected.targets)[target]
        while missing > 0:
            taken = [span for spans in locate(output, protected.targets).values() for span in spans]
            span = _free_span(output, _variant_pattern(target), target, taken)
            replacement = target
            if span is None:
                source_span = _source_span(output, sources, src_lang, taken)
                if source_span is not None:
                    start, end, stop = source_span
                    span = (start, stop)
                    if stop != end:
                        replacement = target + "의"
            if span is None:
                break
            start, stop = span
            wrote = output[start:stop]
            findings.append(
                Finding(
                    check="term-repaired",
                    severity="info",
                    message=f"restored approved term '{target}' (engine wrote '{wrote}')",
                    segment=protected.source,
                    extra={"term": target},
                )
            )
            output = output[:start] + replacement + output[stop:]
            missing -= 1
        if missing > 0:
            total = required[target]
            findings.append(
                Finding(
                    check="term-missing",
                    severity="error",
                    message=(
                        f"approved term '{target}' (for '{sources[0]}') is missing from the "
                        f"translation ({missing} of {total} occurrence{'s' if total > 1 else ''})"
                    ),
                    segment=protected.source,
                    extra={"term": target, "source_term": sources[0]},
                )
            )
    if tgt_lang == "ko":
        output = _fix_korean_particles(output, protected.targets)
    return output, findings


def enforce(
    segments: Sequence[str],
    translate: Translate,
    matcher: Matcher,
    tgt_lang: str,
    *,
    num_hypotheses: int = 4,
    abbreviations: str = FIRST_MENTION,
    before: Sequence[Sequence[str]] | None = None,
    accept: Sequence[Callable[[str], bool] | None] | None = None,
) -> tuple[list[str], list[Finding]]:
    """Protect, translate (one call for the batch), select and repair every segment.

    ``segments`` are in document order; ``before[i]`` holds the target texts
    kept as written (human sentences) that come right before ``segments[i]``
    in the document, so abbreviations follow what the reader has already seen.
    ``accept[i]`` optionally vets hypotheses of segment ``i`` (markup kept).
    """
    mentions = Mentions(tuple(e for e in matcher.glossary.entries if e.abbr), abbreviations)
    protected: list[Protected] = []
    for index, segment in enumerate(segments):
        if before is not None and index < len(before):
            mentions.read(before[index])
        protected.append(protect(segment, matcher, tgt_lang, mentions))
    results = translate([p.text for p in protected], num_hypotheses) if protected else []
    if len(results) != len(protected):
        raise ModelError(
            Problem(
                "translator",
                None,
                f"engine returned {len(results)} results for {len(protected)} segments",
                "this is a bug in the translation backend; please report it",
            )
        )
    outputs: list[str] = []
    findings: list[Finding] = []
    for number, (prot, hypotheses) in enumerate(zip(protected, results, strict=True), 1):
        if not hypotheses:
            raise ModelError(
                Problem(
                    "translator",
                    None,
                    f"engine returned no hypothesis for segment {number}",
                    "check the model package (presspack models verify)",
                )
            )
        vet = accept[number - 1] if accept is not None else None
        text, found = repair(select(hypotheses, prot, vet), prot, tgt_lang)
        outputs.append(text)
        findings.extend(found)
    return outputs, findings


def machine_translate(
    segments: Sequence[str],
    translate: TranslateFn,
    matcher: Matcher | None,
    tgt: str,
    *,
    num_hypotheses: int = 4,
    abbreviations: str = FIRST_MENTION,
    before: Sequence[Sequence[str]] | None = None,
    markup: bool = False,
) -> tuple[list[str], list[Finding]]:
    """Translate a batch of segments in one engine call, enforcing the glossary.

    For the sync: pass the segments to translate in document order and, in
    ``before[i]``, the kept target texts between ``segments[i-1]`` and
    ``segments[i]`` (``before[0]``: everything kept before the first one), so
    "full name (ABBR)" is written exactly once per release — at the first
    mention, whoever wrote it.

    ``markup=True``: the segments are inline Markdown; the engine sees their
    visible text with tags (:mod:`toolkit.mt.markup`) and the results are
    inline Markdown again — URLs and code never translated, formatting kept
    when any hypothesis keeps it, else dropped with a ``markup-lost`` warning.
    """
    if not segments:
        return [], []
    if markup:
        return _translate_marked(segments, translate, matcher, tgt, num_hypotheses, abbreviations, before)
    if matcher is None:
        outs = translate(list(segments), 1)
        return [hyps[0] if hyps else "" for hyps in outs], []
    return enforce(
        segments,
        translate,
        matcher,
        tgt,
        num_hypotheses=num_hypotheses,
        abbreviations=abbreviations,
        before=before,
    )


def _translate_marked(
    segments: Sequence[str],
    translate: TranslateFn,
    matcher: Matcher | None,
    tgt: str,
    num_hypotheses: int,
    abbreviations: str,
    before: Sequence[Sequence[str]] | None,
) -> tuple[list[str], list[Finding]]:
    from toolkit.core.inline import escape, plain
    from toolkit.mt.markup import Tagged, decode, encode, lost_markup, strip
    from toolkit.terminology.glossary import Glossary

    tagged = [encode(segment) for segment in segments]
    def keeps(t: Tagged) -> Callable[[str], bool]:
        return lambda hyp: decode(hyp, t) is not None

    accept: list[Callable[[str], bool] | None] = [keeps(t) if t.has_markup else None for t in tagged]
    wide = num_hypotheses if (matcher is not None or any(a is not None for a in accept)) else 1
    active = matcher if matcher is not None else Matcher(Glossary(entries=()), "en" if tgt == "ko" else "ko")
    texts = [t.text for t in tagged]
    seen = [[plain(text) for text in kept] for kept in before] if before is not None else None
    outs, findings = enforce(
        texts,
        translate,
        active,
        tgt,
        num_hypotheses=wide,
        abbreviations=abbreviations,
        before=seen,
        accept=accept,
    )
    results: list[str] = []
    for t, out in zip(tagged, outs, strict=True):
        if not t.has_markup:
            results.append(escape(out))
            continue
        decoded = decode(out, t)
        if decoded is None:
            decoded = strip(out, t)
            findings.append(
                Finding(
                    check="markup-lost",
                    severity="warning",
                    message=(
                        f"the translation engine did not keep the formatting ({lost_markup(t)}); "
                        "the words are kept without it — restore it by hand"
                    ),
                    segment=t.source,
                )
            )
        results.append(decoded)
    return results, findings
