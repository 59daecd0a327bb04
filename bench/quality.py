"""Terminology and QA quality on real text: the three figures of the glossary section.

    python bench/quality.py            # report (table) on stderr, JSON on stdout
    python bench/quality.py --keep     # keep the generated releases for inspection

1. **False alarms** — the 173 correct human translations of
   ``../shared/corpus/parallel_news`` built as 9 releases (Korean source
   ``release.ko.md`` + English ``release.en.md`` with ``translation_of: ko``)
   through the real CLI (``presspack build --json``). Every warning/error
   finding on them is a false alarm (a correct translation is correct by
   definition; the few cases where the human dropped a fact are listed in
   :data:`KNOWN_HUMAN_OMISSIONS` and reported separately).
2. **Seeded errors** — the same releases with one error seeded into each of
   many English paragraphs (wrong number, wrong magnitude, missing or wrong
   approved term, Hangul left). A seeded error is *caught* when a finding of
   the expected check appears on that paragraph and was not there before.
3. **Term matching** — the four ``korean_news`` articles, hand-annotated in
   ``bench/data/korean_news_terms.json`` with every glossary name they contain;
   recall = annotated names matched, false hits = matches not annotated.

Nothing here is timed; the test suite runs the same functions
(tests/test_quality.py) and asserts the budgets of the issue.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
PARALLEL = SHARED / "corpus" / "parallel_news" / "kepark_news_koen_sample173.tsv"
NEWS_DIR = SHARED / "corpus" / "korean_news"
NEWS_TERMS = HERE / "data" / "korean_news_terms.json"
RELEASES = 9

BUDGETS = {"false_alarms": 10, "seeded_caught_ratio": 0.95, "news_recall": 0.97, "news_false_hits": 0}


# --------------------------------------------------------------------------- corpus → releases


@dataclass(frozen=True)
class Pair:
    key: str  # "test:38"
    ko: str
    en: str


def read_pairs(path: Path = PARALLEL) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Pair(f"{r['orig_split']}:{r['orig_line_no']}", r["ko"], r["en"]) for r in rows]


def chunks(pairs: Sequence[Pair], n: int = RELEASES) -> list[list[Pair]]:
    """``n`` consecutive groups of nearly equal size (corpus order = article order)."""
    size, extra = divmod(len(pairs), n)
    groups: list[list[Pair]] = []
    start = 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        groups.append(list(pairs[start:end]))
        start = end
    return groups


def _escape_md(text: str) -> str:
    """Body text as literal Markdown: markup characters backslash-escaped."""
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    text = re.sub(r"^#", r"\\#", text)  # not a heading
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)  # not an ordered list
    return re.sub(r"^([-+=~])", r"\\\1", text)  # not a bullet or setext underline


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def release_files(
    group: Sequence[Pair], number: int, en_texts: Sequence[str] | None = None
) -> dict[str, str]:
    """``release.ko.md`` and ``release.en.md`` of one group: one paragraph per pair.

    The title is a neutral label (no corpus sentence), so every pair is a body
    paragraph checked in full.
    """
    ens = list(en_texts) if en_texts is not None else [p.en for p in group]
    ko = [
        "---",
        f"title: {_yaml(f'병렬 뉴스 말뭉치 {number}')}",
        "lang: ko",
        "date: 2008-01-01",
        "---",
        "",
    ]
    en = [
        "---",
        f"title: {_yaml(f'Parallel news corpus {number}')}",
        "lang: en",
        "translation_of: ko",
        "date: 2008-01-01",
        "---",
        "",
    ]
    for pair, text in zip(group, ens, strict=True):
        ko += [_escape_md(pair.ko), ""]
        en += [_escape_md(text), ""]
    return {"release.ko.md": "\n".join(ko), "release.en.md": "\n".join(en)}


def write_releases(base: Path, groups: Sequence[Sequence[Pair]], en: dict[str, str] | None = None) -> Path:
    """Write the releases under ``base/releases``; ``en`` overrides English texts by pair key."""
    folder = base / "releases"
    for number, group in enumerate(groups, 1):
        rel = folder / f"corpus-{number:02d}"
        rel.mkdir(parents=True, exist_ok=True)
        texts = [en.get(p.key, p.en) if en else p.en for p in group]
        for name, text in release_files(group, number, texts).items():
            (rel / name).write_text(text, "utf-8")
    return folder


def build_findings(releases: Path, out: Path, glossary: Path) -> list[dict[str, Any]]:
    """Run ``presspack build --json`` (the real CLI) and return its findings."""
    from click.testing import CliRunner

    from toolkit.cli import main

    result = CliRunner().invoke(
        main, ["build", str(releases), "--out", str(out), "--glossary", str(glossary), "--json"]
    )
    if result.exit_code != 0:
        raise RuntimeError(f"build failed ({result.exit_code}): {result.stderr}\n{result.stdout[-2000:]}")
    data = json.loads(result.stdout)
    findings: list[dict[str, Any]] = data["findings"]
    return findings


def serious(findings: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["severity"] in ("error", "warning")]


# --------------------------------------------------------------------------- seeded errors

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w,]|\.\d)")
_SCALE_WORD = re.compile(r"\b(thousand|million|billion|trillion)\b")
_NEXT_SCALE = {"thousand": "million", "million": "billion", "billion": "trillion", "trillion": "billion"}
_ENGLISH_WORD = re.compile(r"\b[a-z]{5,}\b")


@dataclass(frozen=True)
class Seed:
    key: str  # pair key
    kind: str  # wrong-number | wrong-magnitude | missing-term | wrong-term | hangul-left
    expect: str  # the check that must catch it
    before: str
    after: str


def _wrong_number(en: str) -> str | None:
    for hit in _NUMBER.finditer(en):
        digits = hit.group(1)
        value = int(digits.replace(",", ""))
        if 1900 <= value <= 2100:
            continue  # years are seeded too, but not first
        changed = str(value + 3) if value < 1000 else f"{value + 1000:,}"
        return en[: hit.start(1)] + changed + en[hit.end(1) :]
    for hit in _NUMBER.finditer(en):
        return en[: hit.start(1)] + str(int(hit.group(1).replace(",", "")) + 1) + en[hit.end(1) :]
    return None


_GROUPED = re.compile(r"(?<![\w.,])(\d{1,3}),(\d{3})(?![\d,])")


def _wrong_magnitude(en: str) -> str | None:
    """A scale word one step off (million → billion), or a thousand written as a million."""
    hit = _SCALE_WORD.search(en)
    if hit is not None:
        return en[: hit.start()] + _NEXT_SCALE[hit.group()] + en[hit.end() :]
    grouped = _GROUPED.search(en)
    if grouped is not None:  # 3,000 ships → 3 million ships
        return en[: grouped.start()] + f"{grouped.group(1)} million" + en[grouped.end() :]
    return None


KINDS = ("wrong-number", "wrong-magnitude", "missing-term", "wrong-term", "hangul-left")
EXPECT = {
    "wrong-number": "number-mismatch",
    "wrong-magnitude": "number-mismatch",
    "missing-term": "term-missing",
    "wrong-term": "term-missing",
    "hangul-left": "hangul-in-english",
}


def seed_errors(
    groups: Sequence[Sequence[Pair]], glossary: Path, skip: frozenset[str] = frozenset()
) -> list[Seed]:
    """At most one error per paragraph, the least used kind that applies, deterministically.

    What counts as an error follows the QA's own definition of a correct
    translation (see toolkit.translation.checks): a *wrong term* replaces the
    only rendering of an approved name in the paragraph by another approved
    name of the same category; a *missing term* removes the only rendering of
    a name at its first mention in the release (later mentions may be "it");
    a *wrong number* changes a digit group; a *wrong magnitude* swaps a scale
    word (million → billion); *Hangul left* puts a Korean word of the source
    in place of an English word. Paragraphs the QA already flags (``skip``)
    are not seeded: a catch there would mean nothing.
    """
    from toolkit.terminology.abbrev import concept
    from toolkit.terminology.glossary import load_glossary
    from toolkit.terminology.matcher import Matcher

    g = load_glossary(glossary)
    matcher = Matcher(g, "ko")
    by_category: dict[str, list[str]] = {}
    for e in g.entries:
        names = by_category.setdefault(e.category, [])
        if e.en not in names and any(c.isupper() for c in e.en):
            names.append(e.en)
    used: Counter[str] = Counter()
    seeds: list[Seed] = []
    for group in groups:
        earlier: set[str] = set()
        for pair in group:
            matches = matcher.find(pair.ko)
            licensed = {concept(m.entry) for m in matches}
            if pair.key not in skip:
                options: dict[str, str] = {}
                for kind in KINDS:
                    after = _seed(kind, pair, matches, licensed, earlier, by_category, len(seeds))
                    if after is not None and after != pair.en:
                        options[kind] = after
                if options:
                    kind = min(options, key=lambda k: (used[k], KINDS.index(k)))
                    used[kind] += 1
                    seeds.append(Seed(pair.key, kind, EXPECT[kind], pair.en, options[kind]))
            earlier |= licensed
    return seeds


def _seed(
    kind: str,
    pair: Pair,
    matches: Sequence[Any],
    licensed: set[str],
    earlier: set[str],
    by_category: dict[str, list[str]],
    salt: int,
) -> str | None:
    en = pair.en
    if kind == "wrong-number":
        return _wrong_number(en)
    if kind == "wrong-magnitude":
        return _wrong_magnitude(en)
    if kind == "hangul-left":
        word = _ENGLISH_WORD.search(en)
        hangul = re.findall(r"[\uac00-\ud7a3]{2,}", pair.ko)
        if word and hangul:
            return en[: word.start()] + hangul[len(hangul) // 2] + en[word.end() :]
        return None
    for match in matches:
        entry = match.entry
        if not any(c.isupper() or c.isdigit() for c in entry.en):
            continue  # generic words are guidance, not names
        spans = _renderings(en, entry)
        if len(spans) != 1:
            continue  # rendered twice (or by a pronoun): removing one is no error
        start, end = spans[0]
        if kind == "missing-term" and entry.en not in earlier:
            return en[:start] + "it" + en[end:]
        if kind == "wrong-term":
            others = [
                t
                for t in by_category.get(entry.category, [])
                if t != entry.en and t not in en and t not in licensed and not _renderings(t, entry)
            ]  # another name, not one the QA accepts for this one (한국 may be "Seoul")
            if others:
                return en[:start] + others[salt % len(others)] + en[end:]
    return None


def _renderings(en: str, entry: Any) -> list[tuple[int, int]]:
    """Non-overlapping spans of every accepted English rendering of ``entry`` in ``en``."""
    from toolkit.terminology.abbrev import target_forms
    from toolkit.translation.checks import (
        _spans_en,  # the QA's own reading of a form
        automatic_variants,
    )

    forms = [*target_forms(entry), *entry.en_variants, *automatic_variants(entry.en)]
    taken: list[tuple[int, int]] = []
    for form in sorted(set(forms), key=len, reverse=True):
        for start, end in _spans_en(en, form, True):
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
    return sorted(taken)


# --------------------------------------------------------------------------- news term matching


def news_matching(glossary: Path, annotations: Path = NEWS_TERMS) -> dict[str, Any]:
    """Recall and false hits of the matcher on the annotated Korean news articles."""
    from toolkit.core.normalize import nfc
    from toolkit.terminology.glossary import load_glossary
    from toolkit.terminology.matcher import Matcher

    matcher = Matcher(load_glossary(glossary), "ko")
    gold = json.loads(annotations.read_text("utf-8"))
    present = matched = 0
    false_hits: list[str] = []
    missed: list[str] = []
    for name, expected in gold["articles"].items():
        text = nfc((NEWS_DIR / name).read_text("utf-8"))
        found = Counter((text[m.start : m.end], m.target_term) for m in matcher.find(text))
        want = Counter((surface, en) for surface, en, *_ in expected)
        present += sum(want.values())
        hit = found & want
        matched += sum(hit.values())
        missed += [f"{name}: {s} → {e}" for (s, e), n in (want - found).items() for _ in range(n)]
        false_hits += [f"{name}: {s} → {e}" for (s, e), n in (found - want).items() for _ in range(n)]
    return {
        "present": present,
        "matched": matched,
        "recall": matched / present if present else 1.0,
        "false_hits": false_hits,
        "missed": missed,
    }


# --------------------------------------------------------------------------- report

# Human translations that really dropped or changed a fact of the Korean
# source (documented in docs/glossary-sources.md, "QA on the parallel corpus"):
# a finding there is a true alarm, not a false one.
KNOWN_HUMAN_OMISSIONS: dict[str, str] = {
    "test:122": "the English carries a further sentence ('One of the officials told Reuters … the 1994 "
    "Agreed Framework') that this Korean sentence does not have: 1994 is not in the source",
    "test:1197": "'replaced seven top aides': the source says 대통령실장과 수석비서관 전원 (the chief of "
    "staff and all senior secretaries); 'seven' is not in it",
    "test:1590": "the English stops at 'a news conference with U.S.' (the corpus split the sentence): the "
    "second half, that North Korea should submit its declaration soon, is not translated here",
    "test:1822": "misaligned pair: the English (Taliban demands, 21 hostages, two prisoners) translates "
    "another sentence than the Korean (18 women and 3 men aged 20-30 remain)",
    "test:1875": "'to be held at 11 a.m.': the time is not in the Korean sentence",
    "test:1878": "the bill named '제주특별자치도' (Jeju Special Self-Governing Province) becomes 'a bill to "
    "delegate autonomy to Jeju Island', and '정기 국회 내에' (within the regular session of the National "
    "Assembly) is dropped",
    "test:1967": "'한국의 한 국회 의원이' (a Korean lawmaker) becomes 'The nation´s top policymaker'",
}


@dataclass
class Report:
    pairs: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    true_alarms: list[dict[str, Any]] = field(default_factory=list)
    index: dict[str, str] = field(default_factory=dict)  # Korean text → pair key
    seeds: list[Seed] = field(default_factory=list)
    caught: list[Seed] = field(default_factory=list)
    missed: list[Seed] = field(default_factory=list)
    news: dict[str, Any] = field(default_factory=dict)

    def figures(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "false_alarms": len(self.false_alarms),
            "true_alarms": len(self.true_alarms),
            "seeded_errors": len(self.seeds),
            "seeded_caught": len(self.caught),
            "seeded_caught_ratio": round(len(self.caught) / len(self.seeds), 4) if self.seeds else 0.0,
            "seeded_by_kind": dict(sorted(Counter(s.kind for s in self.seeds).items())),
            "news_names_present": self.news.get("present", 0),
            "news_names_matched": self.news.get("matched", 0),
            "news_recall": round(self.news.get("recall", 0.0), 4),
            "news_false_hits": len(self.news.get("false_hits", [])),
        }


def _segment_key(finding: dict[str, Any], index: dict[str, str]) -> str:
    """The corpus pair a finding is about (its segment may be one sentence of the pair)."""
    segment = " ".join(str(finding.get("segment", "")).split())
    if segment in index:
        return index[segment]
    return next((key for ko, key in index.items() if segment and segment in ko), "?")


def measure(work: Path, glossary: Path = ROOT / "glossary.csv", log: Callable[[str], None] = print) -> Report:
    """All three measurements; ``work`` is an empty scratch folder."""
    report = Report()
    pairs = read_pairs()
    groups = chunks(pairs)
    report.pairs = len(pairs)
    index = {" ".join(p.ko.split()): p.key for p in pairs}
    report.index = index

    log(f"building {len(groups)} releases of {len(pairs)} human translations")
    clean = work / "clean"
    findings = build_findings(write_releases(clean, groups), clean / "out", glossary)
    report.findings = findings
    for f in serious(findings):
        key = _segment_key(f, index)
        (report.true_alarms if key in KNOWN_HUMAN_OMISSIONS else report.false_alarms).append(f)
    baseline = {(_segment_key(f, index), f["check"]) for f in serious(findings)}

    flagged = frozenset(key for key, _ in baseline)
    seeds = seed_errors(groups, glossary, skip=flagged)
    report.seeds = seeds
    log(f"building the same releases with {len(seeds)} seeded errors")
    seeded = work / "seeded"
    en = {s.key: s.after for s in seeds}
    found = build_findings(write_releases(seeded, groups, en), seeded / "out", glossary)
    got = {(_segment_key(f, index), f["check"]) for f in found if f["severity"] in ("error", "warning")}
    for s in seeds:
        ok = (s.key, s.expect) in got and (s.key, s.expect) not in baseline
        (report.caught if ok else report.missed).append(s)

    if NEWS_TERMS.is_file() and NEWS_DIR.is_dir():
        report.news = news_matching(glossary)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the generated releases")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every false alarm and miss")
    args = parser.parse_args(argv)
    if not PARALLEL.is_file():
        print(f"the shared corpus is missing ({PARALLEL})", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="presspack-quality-"))

    def log(text: str) -> None:
        print(text, file=sys.stderr)

    try:
        report = measure(work, log=log)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    figures = report.figures()
    for name, value in figures.items():
        log(f"{name:>22}: {value}")
    if args.verbose:
        for f in report.false_alarms:
            log(f"false alarm: {f.get('file')}:{f.get('line')} [{f['check']}] {f['message']}")
        for s in report.missed:
            log(f"missed seed {s.key} {s.kind}: {s.after[:140]}")
        for item in report.news.get("missed", []):
            log(f"news missed: {item}")
        for item in report.news.get("false_hits", []):
            log(f"news false hit: {item}")
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    ok = (
        figures["false_alarms"] <= BUDGETS["false_alarms"]
        and figures["seeded_caught_ratio"] >= BUDGETS["seeded_caught_ratio"]
        and figures["news_recall"] >= BUDGETS["news_recall"]
        and figures["news_false_hits"] <= BUDGETS["news_false_hits"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
