"""Keeping a translation in step with its source without losing human edits.

See :mod:`toolkit.translation.memory` for what the memory records.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.document import Finding, Lang, Release
from toolkit.core.inline import plain
from toolkit.mt.enforce import TranslateFn, machine_translate
from toolkit.translation.checks import qa_findings
from toolkit.translation.memory import (
    Memory,
    SegmentMemory,
    Unit,
    UnitMemory,
    join_segments,
    memory_path,
    release_from_units,
    segments_of,
    units_of,
)

if TYPE_CHECKING:
    from toolkit.terminology.matcher import Matcher


def _expected_terms(src: str, matcher: Matcher | None) -> list[list[str]]:
    if matcher is None:
        return []
    return [[m.source_term, m.target_term] for m in matcher.find(plain(src))]


@dataclass
class SyncResult:
    release: Release
    memory: Memory
    findings: list[Finding]
    translated: int  # segments sent to the engine
    kept: int  # segments whose current translation was kept
    term_updates: int  # glossary term replacements applied in place
    # what the engine pass reported (repairs, lost terms) while translating now;
    # not part of the pack: the QA findings above are recomputed on every build
    engine_findings: list[Finding] = field(default_factory=list)


@dataclass
class _Current:
    """The current target text of one memory unit, mapped to its segments where possible."""

    unit: UnitMemory
    texts: list[str] | None  # per segment, or None when edited as a whole
    blob: str  # the whole current text of the unit
    edited: bool


def _current_units(memory: Memory, target: Release | None, tgt: str) -> list[_Current] | None:
    if target is None:
        return [_Current(u, [s.tgt for s in u.segments], u.target_text, False) for u in memory.units]
    cur_units = units_of(target)
    if [u.id for u in cur_units] != [u.id for u in memory.units]:
        return None
    result: list[_Current] = []
    for mem, cur in zip(memory.units, cur_units, strict=True):
        if cur.text == mem.target_text:
            result.append(_Current(mem, [s.tgt for s in mem.segments], cur.text, False))
            continue
        parts = segments_of(cur.text, tgt)
        if len(parts) == len(mem.segments):
            result.append(_Current(mem, parts, cur.text, True))
        elif len(mem.segments) == 1:
            result.append(_Current(mem, [cur.text], cur.text, True))
        else:
            result.append(_Current(mem, None, cur.text, True))
    return result


def _replace_term(text: str, old: str, new: str, keep: Sequence[str] = ()) -> tuple[str, bool]:
    """Replace the old approved term with the new one, as a whole word only and
    never inside another approved term of the sentence ("Changwon City" must not
    change inside "Changwon City Council")."""
    if not old or old == new:
        return text, True
    protected: list[tuple[int, int]] = []
    for other in keep:
        if other and old in other and other != old:
            protected.extend((m.start(), m.end()) for m in re.finditer(re.escape(other), text))
    word = r"[^\W_]"
    pattern = re.compile(
        (rf"(?<!{word})" if re.match(word, old[0]) else "")
        + re.escape(old)
        + (rf"(?!{word})" if re.match(word, old[-1]) and not _is_hangul(old[-1]) else "")
    )
    hits = [m for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in protected)]
    if not hits:
        return text, False
    for m in reversed(hits):
        text = text[: m.start()] + new + text[m.end() :]
    return text, True


def _is_hangul(ch: str) -> bool:
    # a Korean term may carry a particle right after it (창원시는)
    return "\uac00" <= ch <= "\ud7a3"


@dataclass(frozen=True)
class _Seg:
    """One source sentence of the new source and the translation to keep (None: translate it)."""

    src: str
    kept: str | None
    terms: tuple[tuple[str, str], ...] = ()
    mt: str = ""  # the engine's original output, kept for reference


@dataclass(frozen=True)
class _PlannedUnit:
    unit: Unit
    segs: tuple[_Seg, ...]
    review: bool = False  # source moved on under a paragraph edited as a whole
    whole: bool = False  # segs[0].kept is the whole unit text (sentences unknown)


def _terms(pairs: Sequence[Sequence[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in pairs)


def _adopt(
    source_units: Sequence[Unit],
    target: Release,
    src_lang: str,
    tgt: str,
    matcher: Matcher | None,
    source_file: str,
) -> Memory | None:
    """A memory for an approved translation that has none yet (e.g. written by hand).

    Sentences are paired where the counts agree, otherwise the paragraph is
    kept as one unit, so nothing a person wrote is ever re-translated.
    """
    cur_units = units_of(target)
    if [u.id for u in cur_units] != [u.id for u in source_units]:
        return None
    memory = Memory(src_lang, tgt, source_file, [])
    for su, tu in zip(source_units, cur_units, strict=True):
        src_segs = segments_of(su.text, src_lang)
        tgt_segs = segments_of(tu.text, tgt)
        if len(src_segs) == len(tgt_segs):
            segs = [
                SegmentMemory(s, t, terms=_expected_terms(s, matcher))
                for s, t in zip(src_segs, tgt_segs, strict=True)
            ]
        else:
            segs = [SegmentMemory(join_segments(src_segs), tu.text, terms=_expected_terms(su.text, matcher))]
        memory.units.append(UnitMemory(su.id, segs))
    return memory


def _pair_units(old_keys: list[tuple[str, str]], new_keys: list[tuple[str, str]]) -> dict[int, int]:
    """Map new unit index → old unit index: equal units, and changed units of the same kind."""
    pairs: dict[int, int] = {}
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(a1 - a0):
                pairs[b0 + k] = a0 + k
        elif tag == "replace":
            olds = list(range(a0, a1))
            for b in range(b0, b1):
                for a in olds:
                    if old_keys[a][0] == new_keys[b][0]:
                        pairs[b] = a
                        olds.remove(a)
                        break
    return pairs


def _plan_unit(unit: Unit, src_segs: list[str], cur: _Current | None, src_lang: str) -> _PlannedUnit:
    if cur is None:
        return _PlannedUnit(unit, tuple(_Seg(s, None) for s in src_segs))
    old_src = [s.src for s in cur.unit.segments]
    if old_src == src_segs and cur.texts is not None and not cur.unit.review:
        kept = zip(src_segs, cur.texts, cur.unit.segments, strict=True)
        return _PlannedUnit(unit, tuple(_Seg(s, t, _terms(m.terms), m.mt) for s, t, m in kept))
    merged = len(old_src) == 1 and len(segments_of(old_src[0], src_lang)) > 1
    if cur.texts is None or merged:
        # edited as a whole: keep the text; flag when its source moved on
        same = join_segments(old_src) == join_segments(src_segs)
        still_review = cur.unit.review and cur.blob == cur.unit.target_text
        seg = _Seg(join_segments(src_segs), cur.blob, _terms(_merge_terms(cur.unit)))
        return _PlannedUnit(unit, (seg,), review=(not same) or still_review, whole=True)
    kept_at: dict[int, int] = {}
    for tag, a0, a1, b0, _b1 in difflib.SequenceMatcher(a=old_src, b=src_segs, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(a1 - a0):
                kept_at[b0 + k] = a0 + k
    segs = []
    for j, s in enumerate(src_segs):
        if j in kept_at:
            i = kept_at[j]
            old = cur.unit.segments[i]
            segs.append(_Seg(s, cur.texts[i], _terms(old.terms), old.mt))
        else:
            segs.append(_Seg(s, None))
    return _PlannedUnit(unit, tuple(segs))


def _update_terms(
    text: str, seg: _Seg, expected: list[list[str]], unit: Unit, target_path: str, findings: list[Finding]
) -> tuple[str, int]:
    """Swap old approved target terms for new ones in place; report what can't be swapped."""
    updates = 0
    old_map = dict(seg.terms)
    unchanged = [new for src, new in expected if old_map.get(src) == new]
    for src_term, new_term in expected:
        old_term = old_map.get(src_term)
        if old_term is None or old_term == new_term:
            continue
        text, ok = _replace_term(text, old_term, new_term, keep=unchanged)
        if ok:
            updates += 1
            continue
        findings.append(
            Finding(
                check="term-update",
                severity="warning",
                message=(
                    f"glossary now says '{src_term}' → '{new_term}' (was '{old_term}'), but "
                    f"'{old_term}' is not in the edited translation; update it by hand"
                ),
                file=target_path,
                line=unit.line,
                segment=seg.src,
            )
        )
    return text, updates


def sync_translation(
    source: Release,
    target: Release | None,
    memory: Memory | None,
    tgt: Lang,
    *,
    matcher: Matcher | None,
    translate: Callable[[], TranslateFn],
    target_path: str = "",
    model_id: Callable[[], str] = lambda: "",
    abbreviations: str = "first-mention",
) -> SyncResult:
    """Bring a translation up to date with its source without losing edits.

    ``translate`` is a factory so the engine is loaded only when at least one
    segment really needs machine translation. ``abbreviations`` is the house
    style for glossary abbreviations; which mention is the first is judged in
    document order over kept and new text alike.
    """
    src_lang = source.lang
    source_file = Path(source.source_path).name
    findings: list[Finding] = []
    new_units = units_of(source)
    if target is not None and memory is None:
        memory = _adopt(new_units, target, src_lang, tgt, matcher, source_file)
        if memory is None:
            findings.append(
                Finding(
                    check="tm-structure",
                    severity="warning",
                    message="translation's paragraphs differ from its source's; left as written",
                    file=target_path,
                )
            )
            return SyncResult(target, Memory(src_lang, tgt, source_file, []), findings, 0, 0, 0)
    current = _current_units(memory, target, tgt) if memory is not None else []
    if current is None:
        assert target is not None and memory is not None
        tm_name = memory_path(Path(target_path)).name if target_path else "the .tm.json file"
        findings.append(
            Finding(
                check="tm-structure",
                severity="error",
                message=(
                    "the translation's paragraphs no longer match its memory (added or removed by hand); "
                    "presspack left it untouched — keep one paragraph per source paragraph, or delete "
                    f"{tm_name} to start over"
                ),
                file=target_path,
            )
        )
        return SyncResult(target, memory, findings, 0, 0, 0)

    old_keys = [(c.unit.id, c.unit.source_text) for c in current]
    new_segs = [segments_of(u.text, src_lang) for u in new_units]
    pairs = _pair_units(
        old_keys, [(u.id, join_segments(segs)) for u, segs in zip(new_units, new_segs, strict=True)]
    )
    plan = [
        _plan_unit(unit, segs, current[pairs[b]] if b in pairs else None, src_lang)
        for b, (unit, segs) in enumerate(zip(new_units, new_segs, strict=True))
    ]

    # machine-translate everything new in ONE engine call; ``before[i]`` is the kept
    # text the reader sees before need[i] (abbreviations: first mention wins)
    need: list[str] = []
    before: list[list[str]] = [[]]
    for p in plan:
        for seg in p.segs:
            if seg.kept is None:
                need.append(seg.src)
                before.append([])
            else:
                before[-1].append(seg.kept)
    outs: list[str] = []
    engine_findings: list[Finding] = []
    if need:
        # units are inline Markdown: formatting, links and code ride through as tags
        outs, mt_findings = machine_translate(
            need, translate(), matcher, tgt, abbreviations=abbreviations, before=before[:-1], markup=True
        )
        engine_findings.extend(replace(f, file=f.file or target_path) for f in mt_findings)
    mt_iter = iter(outs)
    translated = kept_count = term_updates = 0
    result_units: list[Unit] = []
    mem_units: list[UnitMemory] = []
    for p in plan:
        mem_segs: list[SegmentMemory] = []
        texts: list[str] = []
        for seg in p.segs:
            expected = _expected_terms(seg.src, matcher)
            if seg.kept is None:
                out = next(mt_iter, "")
                translated += 1
                texts.append(out)
                mem_segs.append(SegmentMemory(seg.src, out, mt=out, terms=expected))
                continue
            kept_count += 1
            text, n = _update_terms(seg.kept, seg, expected, p.unit, target_path, findings)
            term_updates += n
            texts.append(text)
            mem_segs.append(SegmentMemory(seg.src, text, mt=seg.mt, terms=expected))
        if p.review:
            findings.append(
                Finding(
                    check="tm-review",
                    severity="warning",
                    message=(
                        "the source of this paragraph changed, but its translation was edited as a whole; "
                        "presspack kept the edited text — review it against the new source"
                    ),
                    file=target_path,
                    line=p.unit.line,
                    segment=p.unit.text,
                )
            )
        joined = texts[0] if p.whole else join_segments(texts)
        result_units.append(Unit(p.unit.id, joined, p.unit.line))
        mem_units.append(UnitMemory(p.unit.id, mem_segs, review=p.review))

    copyright_text = target.meta.copyright if target is not None else ""
    release = release_from_units(source, result_units, tgt, copyright_text=copyright_text, path=target_path)
    new_memory = Memory(
        source_lang=src_lang,
        target_lang=tgt,
        source_file=source_file,
        units=mem_units,
        model=model_id() if translated else (memory.model if memory else ""),
    )
    lines = _target_lines(target if target is not None else _as_written(release, src_lang), mem_units)
    findings.extend(qa_findings(new_memory, tgt, matcher, target_path, lines=lines))
    return SyncResult(release, new_memory, findings, translated, kept_count, term_updates, engine_findings)


def _as_written(release: Release, src_lang: str) -> Release | None:
    """The release as its new translation file will read back (for line numbers)."""
    from toolkit.sources.decode import SourceFile
    from toolkit.sources.markdown import _load_markdown, dump_markdown

    text = dump_markdown(release, translation_of=src_lang)
    try:
        return _load_markdown(SourceFile(Path(release.source_path or "x.md"), text, "utf-8"), None).release
    except Exception:  # pragma: no cover - the writer's output always reads back
        return None


def _target_lines(target: Release | None, units: Sequence[UnitMemory]) -> list[int] | None:
    """Line of each unit in the translation file (QA findings say file:line), when known.

    The lines are those of the translation as read; a unit presspack writes anew
    keeps the line of the unit it replaces. Without a translation file yet, None.
    """
    if target is None:
        return None
    current = units_of(target)
    if [u.id for u in current] != [u.id for u in units]:
        return None
    lines = [u.line for u in current]
    last = 0
    for i, line in enumerate(lines):  # meta fields have no line of their own: the front matter
        lines[i] = line or (last if last else 1)
        last = lines[i]
    return lines


def _merge_terms(unit: UnitMemory) -> list[list[str]]:
    out: list[list[str]] = []
    for s in unit.segments:
        out.extend(s.terms)
    return out
