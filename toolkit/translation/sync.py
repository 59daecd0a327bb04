"""Keeping a translation in step with its source without losing human work.

A three-way merge per section (title, contact lines, body, about…): the
memory is the common ancestor, the new source is the author's side, the
translation file is the translator's side.

1. :func:`~toolkit.translation.align.map_segments` finds every remembered
   segment in the new source and in the file, by content.
2. Each segment (or group of segments whose boundary moved) is decided:

   ============================  ==================  ==========================================
   source                        file                result
   ============================  ==================  ==========================================
   unchanged                     any                 the file's text is kept (edited → human)
   changed                       presspack's text    machine-translated again
   changed                       a person's text     kept, ``tm-review`` with a fresh suggestion
   deleted                       presspack's text    removed
   deleted                       a person's text     kept, ``tm-review`` (delete it or keep it)
   new                           —                   machine-translated and inserted
   any                           removed by a person stays removed
   ============================  ==================  ==========================================

3. The output keeps the *file's* structure (a translator's split, merged,
   moved or added paragraphs stay as they are); the author's structure changes
   are applied on top: new paragraphs go after their predecessor's
   translation, and a paragraph the translator left as presspack wrote it
   follows the source when it is moved, split, merged or changes kind.

Only text presspack wrote itself, found word for word, is ever replaced or
removed. Where even that is ambiguous (the same text appears again in
something a person added) nothing is written and a ``tm-structure`` error
names the place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from toolkit.core.document import Finding, Lang, Release
from toolkit.mt.enforce import TranslateFn, machine_translate
from toolkit.mt.segmentation import split_sentences
from toolkit.translation.align import (
    Group,
    Mapping,
    Span,
    align_sentences,
    longest_increasing,
    map_segments,
    normalized,
    related,
)
from toolkit.translation.checks import has_numbers, numbers_agree, qa_segments
from toolkit.translation.memory import (
    Memory,
    Origin,
    SegmentMemory,
    State,
    Unit,
    UnitMemory,
    join_segments,
    units_of,
)
from toolkit.translation.units import Placed, assemble_release

if TYPE_CHECKING:
    from toolkit.terminology.glossary import Entry, Glossary
    from toolkit.terminology.matcher import Matcher

__all__ = ["SyncResult", "adopt", "sync_translation"]


@dataclass
class SyncResult:
    release: Release  # the translation as it should be now
    memory: Memory
    findings: list[Finding]  # line numbers filled in by the caller (see ``units`` / ``placed``)
    translated: int  # segments sent to the engine
    kept: int  # segments whose current text was kept
    term_updates: int  # glossary term replacements applied in place
    # what the engine pass reported (repairs, lost terms) while translating now;
    # not part of the pack: the QA findings above are recomputed on every build
    engine_findings: list[Finding] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)  # the output units, in file order
    placed: list[int | None] = field(default_factory=list)  # output unit of each finding
    blocked: bool = False  # nothing may be written (a tm-structure error says why)
    accepted: int = 0  # reviews resolved by accept/keep
    review_units: list[int] = field(default_factory=list)  # input file units holding a pending review

    def located(self, lines: Sequence[int]) -> list[Finding]:
        """The findings with the line of their output unit (``lines[i]`` = line of unit i)."""
        out: list[Finding] = []
        for f, idx in zip(self.findings, self.placed, strict=True):
            line = lines[idx] if idx is not None and idx < len(lines) else 0
            out.append(replace(f, line=line) if line and not f.line else f)
        return out


# --------------------------------------------------------------------------- helpers


def _expected_terms(src: str, matcher: Matcher | None) -> tuple[tuple[str, str], ...]:
    if matcher is None or not src:
        return ()
    return tuple((m.source_term, m.target_term) for m in matcher.find(src))


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
    latin = r"[^\W_\uac00-\ud7a3]"  # a letter or digit that is not Hangul
    # a Latin-edged term must not touch other Latin letters ("Changwon Cityscape"), but a
    # Korean particle may follow it ("Changwon City는"); a Hangul-edged term must not
    # start inside a Korean word (신창원시) and may carry a particle after it (창원시는)
    before = (rf"(?<!{word})" if _is_hangul(old[0]) else rf"(?<!{latin})") if re.match(word, old[0]) else ""
    after = rf"(?!{latin})" if re.match(word, old[-1]) and not _is_hangul(old[-1]) else ""
    pattern = re.compile(before + re.escape(old) + after)
    hits = [m for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in protected)]
    if not hits:
        return text, False
    for m in reversed(hits):
        text = text[: m.start()] + new + text[m.end() :]
    return text, True


def _is_hangul(ch: str) -> bool:
    # a Korean term may carry a particle right after it (창원시는)
    return "\uac00" <= ch <= "\ud7a3"


_BLOCK_SECTIONS = ("body", "about", "attachments")  # sections of blocks (paragraphs may come and go)


def _section(unit_id: str) -> str:
    return unit_id.split(":", 1)[0]


# inline Markdown a sentence must not end inside: links, code spans, bold and italic runs
_CONSTRUCT = re.compile(
    r"\[(?:[^\]\\]|\\.)*\]\([^)]*\)|`+[^`]*`+|\*\*(?:[^*\\]|\\.)+\*\*|\*(?:[^*\\]|\\.)+\*"
)


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (stripped), each valid inline Markdown.

    Sentences are cut out of the unit's own text (so a memory segment is always
    a piece of it), never inside a link, a code span or an emphasis run: a
    boundary there joins the two sentences.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in split_sentences(text, lang):
        core = piece.strip()
        if core:
            start = pos + (len(piece) - len(piece.lstrip()))
            spans.append((start, start + len(core)))
        pos += len(piece)
    if "[" not in text and "`" not in text and "*" not in text:
        return spans
    inside = [(m.start(), m.end()) for m in _CONSTRUCT.finditer(text)]
    joined: list[tuple[int, int]] = []
    for a, b in spans:
        if joined and any(x < a and joined[-1][1] < y for x, y in inside):
            joined[-1] = (joined[-1][0], b)  # the previous sentence ended inside a construct
        else:
            joined.append((a, b))
    return joined


def split_units(text: str, lang: str) -> list[str]:
    """The sentences of a unit as pieces of its text (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text, lang)]


def _quote(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


# --------------------------------------------------------------------------- working records


@dataclass
class _Seg:
    """A segment of the result: memory fields plus where its text sits in the output."""

    src: str
    mt: str = ""
    origin: Origin = "machine"
    state: State = "translated"
    was: str = ""
    terms: tuple[tuple[str, str], ...] = ()
    unit: int = -1  # new source unit (section-local); -1: text with no source
    offset: float = 0.0  # where its source starts in that unit (orders the memory)
    fragments: list[str] = field(default_factory=list)  # its text, one entry per output unit holding it
    translate: tuple[str, ...] = ()  # sentences to machine-translate
    fill: bool = False  # the machine translation becomes the text (else: it is the review suggestion)
    kept: bool = False  # its text is the file's (term updates aside)
    old_terms: tuple[tuple[str, str], ...] = ()


@dataclass
class _Chunk:
    seg: int | None  # None: what lies between segments (whitespace)
    text: str = ""
    fragment: int = 0  # which fragment of the segment this chunk shows


@dataclass
class _Out:
    """An output unit being laid out: chunks of segment text and the space between them."""

    id: str
    chunks: list[_Chunk]
    file_index: int | None  # the input file unit it continues (global index); None: new
    source_index: int | None = None  # the source unit it translates (global index), where known

    def seg_ids(self) -> list[int]:
        return list(dict.fromkeys(c.seg for c in self.chunks if c.seg is not None))


def _render(o: _Out, segs: Sequence[_Seg]) -> str:
    """The text of an output unit; a removed segment takes one neighbouring space with it."""
    parts: list[str] = []
    gap: str | None = None
    for chunk in o.chunks:
        if chunk.seg is None:
            if gap is None or len(chunk.text) > len(gap):
                gap = chunk.text
            continue
        frags = segs[chunk.seg].fragments
        text = frags[chunk.fragment] if chunk.fragment < len(frags) else ""
        if not text:
            continue
        parts.append(gap if gap is not None else (" " if parts else ""))
        parts.append(text)
        gap = None
    return "".join(parts).strip()


@dataclass
class _Plan:
    """One release's sync, being worked out."""

    segs: list[_Seg] = field(default_factory=list)
    outs: list[list[_Out]] = field(default_factory=list)  # per section, in output order
    memory: list[list[tuple[str, list[int]]]] = field(default_factory=list)  # per section: units
    notes: list[tuple[Finding, int | None]] = field(default_factory=list)  # this run only (finding, segment)
    accepted: int = 0
    review_files: set[int] = field(default_factory=set)  # input file units with a pending review

    def seg(self, **fields: object) -> int:
        self.segs.append(_Seg(**fields))  # type: ignore[arg-type]
        return len(self.segs) - 1


class _Blocked(Exception):
    def __init__(self, finding: Finding, file_index: int | None) -> None:
        super().__init__(finding.message)
        self.finding = finding
        self.file_index = file_index


# --------------------------------------------------------------------------- adoption


def _pairing_evidence(
    matcher: Matcher | None, tgt: str
) -> tuple[Callable[[str, str], float], Callable[[str, str], bool]]:
    """How a pairing of source and target sentences is judged: the anchors of
    :func:`~toolkit.translation.align.align_sentences`, and whether QA would accept a pair."""

    def anchors(src: str, tgt_text: str) -> float:
        """Numbers and glossary terms that agree pull a pairing together; missing ones push it apart."""
        cost = 0.0
        if has_numbers(src) or has_numbers(tgt_text):
            cost += -1.0 if numbers_agree(src, tgt_text) else 2.0
        for _, term in _expected_terms(src, matcher):
            cost += -0.5 if term in tgt_text else 1.0
        return cost

    def agrees(src: str, tgt_text: str) -> bool:
        """What QA would accept: the same numbers, every approved term (in one of its forms)."""
        if not numbers_agree(src, tgt_text):
            return False
        if matcher is None:
            return True
        return all(
            any(form in tgt_text for form in approved_forms(m.entry, matcher.glossary, tgt))
            for m in matcher.find(src)
        )

    return anchors, agrees


def adopt(source: Release, target: Release, matcher: Matcher | None, source_file: str) -> Memory | None:
    """A memory for a translation that has none yet (written by hand, or before presspack).

    Paragraphs are paired in order and must match the source's; sentences are
    paired n:m by length, numbers and glossary terms, or the paragraph is kept
    as one segment. Every segment counts as a person's text: nothing in it is
    ever replaced without review. None when the paragraphs do not pair up.
    """
    src_units = units_of(source)
    tgt_units = units_of(target)
    if [u.id for u in src_units] != [u.id for u in tgt_units]:
        return None

    anchors, agrees = _pairing_evidence(matcher, target.lang)
    units: list[UnitMemory] = []
    for su, tu in zip(src_units, tgt_units, strict=True):
        src_segs = split_units(su.text, source.lang)
        tgt_segs = split_units(tu.text, target.lang)
        beads = align_sentences(src_segs, tgt_segs, anchors) if src_segs and tgt_segs else None
        whole = (0, len(src_segs), 0, len(tgt_segs))
        if beads is not None and agrees(su.text, tu.text):
            # a pairing that would make QA complain about a paragraph that is right as a whole is
            # a wrong pairing: the paragraph stays one segment (QA still checks it, quietly)
            pairs = [(join_segments(src_segs[a:b]), join_segments(tgt_segs[c:d])) for a, b, c, d in beads]
            if not all(agrees(s, t) for s, t in pairs):
                beads = None
        if beads is None:
            beads = [whole]
        segs = []
        for i0, i1, j0, j1 in beads:
            src, text = join_segments(src_segs[i0:i1]), join_segments(tgt_segs[j0:j1])
            if src or text:
                segs.append(SegmentMemory(src, text, origin="human", terms=_expected_terms(src, matcher)))
        units.append(UnitMemory(su.id, tuple(segs)))
    return Memory(source.lang, target.lang, source_file, tuple(units))


# --------------------------------------------------------------------------- the sync


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
    accept: Collection[int] = (),
    keep: Collection[int] = (),
    abbreviations: str = "first-mention",
) -> SyncResult:
    """Bring a translation up to date with its source without losing edits.

    ``translate`` is a factory so the engine is loaded only when at least one
    segment really needs machine translation. ``accept`` / ``keep`` name input
    file units (indices into ``units_of(target)``) whose pending reviews are
    resolved: take the machine suggestion, or keep the person's text as reviewed.
    ``abbreviations`` is the house style for glossary abbreviations; which mention
    is the first is judged in document order over kept and new text alike.
    """
    src_lang = source.lang
    source_file = Path(source.source_path).name
    new_units = units_of(source)
    if target is not None and memory is None:
        memory = adopt(source, target, matcher, source_file)
        if memory is None:
            return _blocked_result(
                target,
                Memory(src_lang, tgt, source_file, ()),
                Finding(
                    check="tm-structure",
                    severity="error",
                    message=(
                        "the translation's paragraphs do not match its source's and it has no memory "
                        "yet, so presspack cannot tell which paragraph translates which; it left the "
                        "file untouched — give it the same fields, paragraphs, headings and list items "
                        "as the source, in the same order (or delete it to start from a machine "
                        "translation)"
                    ),
                    file=target_path,
                ),
                _first_difference(new_units, units_of(target)),
            )
    mem_units = list(memory.units) if memory is not None else []
    if target is not None:
        file_units = units_of(target)
    else:  # the file is gone but its memory is not: write what the memory holds
        file_units = [
            Unit(u.id, join_segments([s.tgt.replace("\n\n", " ") for s in u.segments]))
            for u in mem_units
            if any(s.tgt for s in u.segments)
        ]

    plan = _Plan()
    ids = [u.id for u in new_units] + [u.id for u in file_units] + [u.id for u in mem_units]
    order = [_section(i) for i in ids]
    try:
        for section in dict.fromkeys(order):
            _SectionSync(
                plan,
                new=[u for u in new_units if _section(u.id) == section],
                new_index=[i for i, u in enumerate(new_units) if _section(u.id) == section],
                mem=[u for u in mem_units if _section(u.id) == section],
                files=[(i, u) for i, u in enumerate(file_units) if _section(u.id) == section],
                src_lang=src_lang,
                tgt_lang=tgt,
                matcher=matcher,
                target_path=target_path,
            ).run(set(accept), set(keep))
    except _Blocked as blocked:
        assert target is not None and memory is not None
        return _blocked_result(target, memory, blocked.finding, blocked.file_index)

    # machine translation, in document order so "full name (ABBR)" comes at the first mention:
    # the text that goes into the file in one engine call, then the review suggestions
    reading = _document_order(plan)
    engine_findings: list[Finding] = []
    engine: list[TranslateFn] = []
    translated = 0

    def run_engine(segs: Sequence[int], texts: Callable[[int], list[str]]) -> None:
        nonlocal translated
        need: list[str] = []
        before: list[list[str]] = [[]]
        wanted = set(segs)
        for k in reading:
            if k in wanted:
                for sentence in plan.segs[k].translate:
                    need.append(sentence)
                    before.append([])
            else:
                before[-1].extend(texts(k))
        if not need:
            return
        if not engine:
            engine.append(translate())
        # units are inline Markdown: formatting, links and code ride through as tags
        outs, mt_findings = machine_translate(
            need, engine[0], matcher, tgt, abbreviations=abbreviations, before=before[:-1], markup=True
        )
        engine_findings.extend(replace(f, file=f.file or target_path) for f in mt_findings)
        translated += len(need)
        it = iter(outs)
        for k in reading:
            if k in wanted:
                seg = plan.segs[k]
                seg.mt = join_segments([next(it, "") for _ in seg.translate])
                if seg.fill:
                    seg.fragments = [seg.mt]

    in_file = [k for k in reading if plan.segs[k].translate and plan.segs[k].fill]
    run_engine(in_file, lambda k: [f for f in plan.segs[k].fragments if f])
    suggest = [k for k in reading if plan.segs[k].translate and not plan.segs[k].fill]
    run_engine(suggest, lambda k: [f for f in plan.segs[k].fragments if f])
    asked = set(in_file) | set(suggest)
    for k, seg in enumerate(plan.segs):  # nothing in the file asks for these any more
        if seg.translate and k not in asked:
            seg.translate = ()

    # what happened in this run only (not stored in the pack: the next run would not repeat it)
    engine_findings.extend(f for f, _ in plan.notes)
    findings: list[tuple[Finding, int | None]] = []
    term_updates = _update_terms(plan.segs, matcher, tgt, target_path, findings)
    for seg in plan.segs:
        if seg.origin == "machine" and seg.fragments:
            seg.mt = "\n\n".join(f for f in seg.fragments if f)

    # the output units (file order) and the memory (source order)
    out_units: list[Unit] = []
    out_placed: list[Placed] = []
    # the units of the file presspack writes take their block from the translator's file; when only
    # the memory is left, from the source if the memory still has the source's units one to one
    file_template: Literal["source", "target"] | None = "target" if target is not None else None
    if target is None and [u.id for u in file_units] == [u.id for u in new_units]:
        file_template = "source"
    seg_out: dict[int, int] = {}
    seg_rank: dict[int, tuple[int, int]] = {}  # (output unit, place in it): findings in document order
    for section_outs in plan.outs:
        for o in section_outs:
            text = _render(o, plan.segs)
            if not text:
                continue
            for place, k in enumerate(o.seg_ids()):
                seg_out.setdefault(k, len(out_units))
                seg_rank.setdefault(k, (len(out_units), place))
            out_units.append(Unit(o.id, text))
            if o.file_index is not None and file_template is not None:
                out_placed.append(Placed(out_units[-1], file_template, o.file_index))
            elif o.source_index is not None:
                out_placed.append(Placed(out_units[-1], "source", o.source_index))
            else:
                out_placed.append(Placed(out_units[-1]))
    mem_out: list[UnitMemory] = []
    for section_units in plan.memory:
        for uid, seg_ids in section_units:
            segs = tuple(_memory_segment(plan.segs[k]) for k in seg_ids)
            segs = tuple(s for s in segs if s.src or s.tgt)
            if segs:
                mem_out.append(UnitMemory(uid, segs))

    # findings: pending reviews, then QA of every segment pair, in document order
    for k, seg in enumerate(plan.segs):
        if seg.state == "needs-review" and any(seg.fragments):
            findings.append((_review_finding(seg, target_path), k))
    pairs = [
        (
            k,
            plan.segs[k].src,
            " ".join(f for f in plan.segs[k].fragments if f),
            plan.segs[k].origin == "machine",
        )
        for k in reading
    ]
    pairs = [p for p in pairs if p[1].strip() and p[2].strip()]
    checked = qa_segments(
        [(src, text, machine) for _, src, text, machine in pairs], src_lang, tgt, matcher, target_path
    )
    for (k, _, _, _), found in zip(pairs, checked, strict=True):
        findings.extend((f, k) for f in found)
    findings.sort(key=lambda p: seg_rank.get(p[1], (-1, 0)) if p[1] is not None else (-1, 0))
    placed = [(f, seg_out.get(k) if k is not None else None) for f, k in findings]

    copyright_text = target.meta.copyright if target is not None else ""
    release = assemble_release(
        source, target, out_placed, tgt, copyright_text=copyright_text, path=target_path
    )
    new_memory = Memory(
        source_lang=src_lang,
        target_lang=tgt,
        source_file=source_file,
        units=tuple(mem_out),
        model=model_id() if translated else (memory.model if memory is not None else ""),
    )
    return SyncResult(
        release=release,
        memory=new_memory,
        findings=[f for f, _ in placed],
        translated=translated,
        kept=sum(1 for s in plan.segs if s.kept and any(s.fragments)),
        term_updates=term_updates,
        engine_findings=engine_findings,
        units=out_units,
        placed=[i for _, i in placed],
        accepted=plan.accepted,
        review_units=sorted(plan.review_files),
    )


def _document_order(plan: _Plan) -> list[int]:
    """Every segment that has text in the file (or is about to), in reading order."""
    order: list[int] = []
    seen: set[int] = set()
    for section_outs in plan.outs:
        for o in section_outs:
            for k in o.seg_ids():
                if k not in seen:
                    seen.add(k)
                    order.append(k)
    return order


def _blocked_result(target: Release, memory: Memory, finding: Finding, file_index: int | None) -> SyncResult:
    """Nothing is written: the file stays as the person left it, with an error naming the place."""
    return SyncResult(
        release=target,
        memory=memory,
        findings=[finding],
        translated=0,
        kept=0,
        term_updates=0,
        units=units_of(target),
        placed=[file_index],
        blocked=True,
    )


def _first_difference(src: Sequence[Unit], tgt: Sequence[Unit]) -> int | None:
    for i, (a, b) in enumerate(zip(src, tgt, strict=False)):
        if a.id != b.id:
            return i
    return min(len(src), len(tgt)) - 1 if tgt else None


def approved_forms(entry: Entry, glossary: Glossary, tgt: str) -> tuple[str, ...]:
    """Every target form that is right for ``entry``'s concept: in English the full name,
    "full name (ABBR)" and the abbreviation; in Korean every row with the same English."""
    from toolkit.terminology.abbrev import target_forms

    if tgt == "en":
        return target_forms(entry)
    return tuple(dict.fromkeys([entry.ko] + [e.ko for e in glossary.entries if e.en == entry.en]))


def _update_terms(
    segs: Sequence[_Seg],
    matcher: Matcher | None,
    tgt: str,
    target_path: str,
    findings: list[tuple[Finding, int | None]],
) -> int:
    """Swap old approved target terms for new ones in place in kept text; report what can't be swapped.

    A recorded target that is still an approved form of the entry's concept (``Defense
    Acquisition Program Administration (DAPA)`` next to the full name and ``DAPA``;
    방산진흥회 next to 한국방위산업진흥회) is no change. A real change keeps the
    form: a first mention "full name (ABBR)" stays one.
    """
    from toolkit.terminology.abbrev import first_form

    updates = 0
    for k, seg in enumerate(segs):
        if not seg.kept or not seg.src or not any(seg.fragments):
            continue
        old_map = dict(seg.old_terms)
        entries = {m.source_term: m.entry for m in matcher.find(seg.src)} if matcher is not None else {}
        unchanged = [t for s, t in seg.terms if old_map.get(s) == t]
        failed: dict[str, str] = {}
        for src_term, new_term in dict(seg.terms).items():
            old_term = old_map.get(src_term)
            if old_term is None or old_term == new_term:
                continue
            entry = entries.get(src_term)
            if matcher is not None and entry is not None:
                if old_term in approved_forms(entry, matcher.glossary, tgt):
                    continue  # still approved: only the way the glossary writes it changed
                if tgt == "en" and entry.abbr and old_term.endswith(")"):
                    new_term = first_form(entry)
            done = False
            for f, frag in enumerate(seg.fragments):
                text, ok = _replace_term(frag, old_term, new_term, keep=unchanged)
                if ok and text != frag:
                    seg.fragments[f] = text
                    done = True
            if seg.mt:
                seg.mt = _replace_term(seg.mt, old_term, new_term, keep=unchanged)[0]
            if done:
                updates += 1
                continue
            if any(new_term in frag for frag in seg.fragments):
                continue  # someone already wrote the new term
            failed[src_term] = old_term  # still to do: asked again on every sync until it is
            findings.append(
                (
                    Finding(
                        check="term-update",
                        severity="warning",
                        message=(
                            f"glossary now says '{src_term}' → '{new_term}' (was '{old_term}'), but "
                            f"'{old_term}' is not in the edited translation; update it by hand"
                        ),
                        file=target_path,
                        segment=seg.src,
                    ),
                    k,
                )
            )
        if failed:
            seg.terms = tuple((src, failed.get(src, tgt)) for src, tgt in seg.terms)
    return updates


def _memory_segment(seg: _Seg) -> SegmentMemory:
    tgt = "\n\n".join(f for f in seg.fragments if f)
    return SegmentMemory(
        src=seg.src,
        tgt=tgt,
        mt=seg.mt if seg.mt or seg.origin == "human" else tgt,
        origin=seg.origin,
        state=seg.state,
        was=seg.was if seg.state == "needs-review" else "",
        terms=seg.terms,
    )


def _review_finding(seg: _Seg, target_path: str) -> Finding:
    kept = " ".join(f for f in seg.fragments if f)
    if not seg.src:
        message = (
            f"the source of this text was deleted ({_quote(seg.was)}); presspack kept your translation "
            f"{_quote(kept)} — delete it, or run 'presspack review accept' on this line to delete it "
            "('presspack review keep' keeps it)"
        )
    else:
        was = f" (was {_quote(seg.was)})" if seg.was else ""
        message = (
            f"the source changed under a person's translation; presspack kept it: {_quote(kept)}. "
            f"New source: {_quote(seg.src)}{was}. Machine suggestion: {_quote(seg.mt)} — edit the text, "
            "or run 'presspack review accept' on this line to take the suggestion "
            "('presspack review keep' keeps yours)"
        )
    return Finding(
        check="tm-review",
        severity="warning",
        message=message,
        file=target_path,
        segment=seg.src or seg.was,
        extra={"kept": kept, "suggestion": seg.mt, "was": seg.was},
    )


# --------------------------------------------------------------------------- one section


def _find(parent: dict[int, int], a: int) -> int:
    root = a
    while parent.setdefault(root, root) != root:
        root = parent[root]
    while parent[a] != root:
        parent[a], a = root, parent[a]
    return root


def _union(parent: dict[int, int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _SourceGroup:
    """Old segments found together in the new source, and the new sentences they now cover."""

    members: list[int]
    spans: list[Span]
    exact: bool


def _snap_to_sentences(
    smap: Mapping, new_texts: Sequence[str], lang: str, old_src: Sequence[str]
) -> tuple[list[_SourceGroup], list[Span]]:
    """Widen source groups to whole new sentences (groups sharing a sentence become one);
    the new sentences no group covers are new source text."""
    sentences = [sentence_spans(t, lang) for t in new_texts]

    def widen(sp: Span) -> Span:
        start, end = sp.start, sp.end
        for a, b in sentences[sp.unit]:
            if a < sp.end and b > sp.start:
                start, end = min(start, a), max(end, b)
        return Span(sp.unit, start, end)

    groups = [_SourceGroup(list(g.members), [widen(sp) for sp in g.spans], g.exact) for g in smap.groups]
    parent: dict[int, int] = {}
    last: tuple[int, int, int] | None = None  # (unit, end, group) of the span before
    for unit, start, end, gi in sorted(
        (sp.unit, sp.start, sp.end, gi) for gi, g in enumerate(groups) for sp in g.spans
    ):
        _find(parent, gi)
        if last is not None and last[0] == unit and start < last[1]:
            _union(parent, last[2], gi)
            last = (unit, max(last[1], end), gi)
        else:
            last = (unit, end, gi)
    merged: dict[int, _SourceGroup] = {}
    for gi, g in enumerate(groups):
        m = merged.setdefault(_find(parent, gi), _SourceGroup([], [], True))
        m.members.extend(g.members)
        m.spans.extend(g.spans)
        m.exact = m.exact and g.exact
    result: list[_SourceGroup] = []
    covered: dict[int, list[tuple[int, int]]] = {}
    for g in merged.values():
        g.members.sort()
        joined: list[Span] = []
        for sp in sorted(set(g.spans), key=lambda sp: (sp.unit, sp.start)):
            if joined and joined[-1].unit == sp.unit and sp.start <= joined[-1].end:
                joined[-1] = Span(sp.unit, joined[-1].start, max(joined[-1].end, sp.end))
            else:
                joined.append(sp)
        g.spans = joined
        old = normalized(" ".join(old_src[m] for m in g.members))
        new = normalized(" ".join(new_texts[sp.unit][sp.start : sp.end] for sp in joined))
        g.exact = old == new and len({sp.unit for sp in joined}) == 1
        for sp in joined:
            covered.setdefault(sp.unit, []).append((sp.start, sp.end))
        result.append(g)
    result.sort(key=lambda g: g.members)
    extra = [
        Span(unit, a, b)
        for unit in range(len(new_texts))
        for a, b in sentences[unit]
        if not any(x < b and y > a for x, y in covered.get(unit, []))
    ]
    return result, extra


def _snap_file_to_sentences(tmap: Mapping, texts: Sequence[str], lang: str) -> Mapping:
    """Where remembered text was found in the file, in whole sentences of the file.

    The word diff between what presspack last wrote and a person's rewrite anchors on
    whatever words both still hold, an approved term above all ("Russia-Ukraine war"),
    so a rewritten text can come out cut inside a sentence: part of it the old
    segment's, the rest "added" text with no source, or two segments sharing a
    sentence. A sentence of the file that holds text of a changed segment is that
    segment's (groups sharing one become one group); only whole sentences nobody's
    text reaches stay text with no source. Sentences holding only exact text are
    left as they are.
    """
    if not tmap.extra and all(g.exact for g in tmap.groups):
        return tmap
    owners: dict[int, list[tuple[int, int, int]]] = {}  # unit -> (start, end, group); group -1: added
    for gi, g in enumerate(tmap.groups):
        for sp in g.spans:
            owners.setdefault(sp.unit, []).append((sp.start, sp.end, gi))
    for sp in tmap.extra:
        owners.setdefault(sp.unit, []).append((sp.start, sp.end, -1))
    parent: dict[int, int] = {gi: gi for gi in range(len(tmap.groups))}
    widened: dict[int, list[Span]] = {}  # group -> sentences it takes over
    loose: list[Span] = []
    for unit, pieces in sorted(owners.items()):
        text = texts[unit]
        for a, b in sentence_spans(text, lang):
            inside = [gi for x, y, gi in pieces if x < b and y > a]
            holders = sorted({gi for gi in inside if gi >= 0})
            changed = -1 in inside or any(not tmap.groups[gi].exact for gi in holders)
            if holders and changed:
                for gi in holders[1:]:
                    _union(parent, holders[0], gi)
                widened.setdefault(holders[0], []).append(Span(unit, a, b))
            elif not holders and -1 in inside:
                if loose and loose[-1].unit == unit and not text[loose[-1].end : a].strip():
                    loose[-1] = Span(unit, loose[-1].start, b)
                else:
                    loose.append(Span(unit, a, b))
    if not widened:
        return tmap
    merged: dict[int, tuple[list[int], list[Span], bool, int]] = {}
    for gi, g in enumerate(tmap.groups):
        root = _find(parent, gi)
        members, spans, exact, count = merged.get(root, ([], [], True, 0))
        merged[root] = (
            members + list(g.members),
            spans + list(g.spans) + widened.get(gi, []),
            exact and g.exact and gi not in widened,
            count + 1,
        )
    groups: list[Group] = []
    for members, spans, exact, count in merged.values():
        joined: list[Span] = []
        for sp in sorted(set(spans), key=lambda sp: (sp.unit, sp.start, sp.end)):
            last = joined[-1] if joined else None
            if (
                last is not None
                and last.unit == sp.unit
                and (sp.start <= last.end or not texts[sp.unit][last.end : sp.start].strip())
            ):
                joined[-1] = Span(sp.unit, last.start, max(last.end, sp.end))
            else:
                joined.append(sp)
        groups.append(Group(tuple(sorted(members)), tuple(joined), exact and count == 1))
    return Mapping(tuple(sorted(groups, key=lambda g: g.members)), tuple(loose))


class _SectionSync:
    """Decide every segment of one section (title, contact, body, …) and lay out its units."""

    def __init__(
        self,
        plan: _Plan,
        *,
        new: list[Unit],
        new_index: list[int],
        mem: list[UnitMemory],
        files: list[tuple[int, Unit]],
        src_lang: str,
        tgt_lang: str,
        matcher: Matcher | None,
        target_path: str,
    ) -> None:
        self.plan = plan
        self.segs = plan.segs
        self.first_seg = len(plan.segs)
        self.new = new
        self.new_index = new_index  # global index in units_of(source) of each unit of ``new``
        self.new_texts = [u.text for u in new]
        self.mem = mem
        self.files = files
        self.file_texts = [u.text for _, u in files]
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self.matcher = matcher
        self.target_path = target_path
        self.flat = [s for u in mem for s in u.segments]
        self.unit_of_flat = [ui for ui, u in enumerate(mem) for _ in u.segments]
        self.placed: list[list[tuple[int, int, int]]] = [
            [] for _ in files
        ]  # per file unit: (start, end, seg)
        self.inserts: dict[int, list[tuple[float, int]]] = {}  # new unit -> (offset, seg) to insert
        self.removed: list[int] = []  # segments with a source and no text (a person removed it)
        self.src_extra: list[Span] = []  # new source sentences no old segment accounts for
        self.absorbed: set[Span] = set()  # …of which part of a kept text's source now

    # -- steps --------------------------------------------------------------------------

    def run(self, accept: set[int], keep: set[int]) -> None:
        self.tmap = _snap_file_to_sentences(
            map_segments([[s.tgt for s in u.segments] for u in self.mem], self.file_texts),
            self.file_texts,
            self.tgt_lang,
        )
        # the source is compared with itself, so content says whether a paragraph in another's place
        # is that one edited or a different one (a deletion and an addition); fields and contact
        # lines are one text each, edited in place whatever they now say
        ids = [u.id for u in self.new] + [u.id for u in self.mem]
        blocks = any(_section(i) in _BLOCK_SECTIONS for i in ids)
        smap = map_segments(
            [[s.src for s in u.segments] for u in self.mem], self.new_texts, related if blocks else None
        )
        self.smap = smap
        sgroups, src_extra = _snap_to_sentences(
            smap, self.new_texts, self.src_lang, [s.src for s in self.flat]
        )
        self.src_extra = src_extra
        t_of = self.tmap.group_of()
        s_of = {m: g for g in sgroups for m in g.members}
        parent: dict[int, int] = {}
        for k in range(len(self.flat)):
            _find(parent, k)
        for members in [g.members for g in self.tmap.groups] + [g.members for g in sgroups]:
            for m in members[1:]:
                _union(parent, members[0], m)
        groups: dict[int, list[int]] = {}
        for k in range(len(self.flat)):
            groups.setdefault(_find(parent, k), []).append(k)

        # text in the file that no segment accounts for: a person's, kept as text with no source
        for sp in self.tmap.extra:
            k = self.plan.seg(src="", origin="human", kept=True)
            self.segs[k].fragments = [self.file_texts[sp.unit][sp.start : sp.end]]
            self.placed[sp.unit].append((sp.start, sp.end, k))
        self.added = {normalized(self.file_texts[sp.unit][sp.start : sp.end]) for sp in self.tmap.extra}

        for root in sorted(groups):
            self.decide(groups[root], t_of, s_of)
        for sp in src_extra:
            if sp in self.absorbed:
                continue
            sentence = self.new_texts[sp.unit][sp.start : sp.end]
            k = self.machine_seg(sentence, sp.unit, float(sp.start))
            self.inserts.setdefault(sp.unit, []).append((float(sp.start), k))
        self.resolve_reviews(accept, keep)
        outs = self.layout()
        self.insert_new(outs)
        self.follow_source_structure(outs)
        self.plan.outs.append(outs)
        self.plan.memory.append(self.memory_layout(outs))

    def machine_seg(self, sentence: str, unit: int, offset: float) -> int:
        return self.plan.seg(
            src=sentence,
            terms=_expected_terms(sentence, self.matcher),
            unit=unit,
            offset=offset,
            translate=(sentence,),
            fill=True,
        )

    def decide(self, members: list[int], t_of: dict[int, Group], s_of: dict[int, _SourceGroup]) -> None:
        """One group of old segments: keep, translate again, flag for review, or remove."""
        flat = self.flat
        segs = [flat[m] for m in members]
        t_groups = list({id(t_of[m]): t_of[m] for m in members if m in t_of}.values())
        s_groups = list({id(s_of[m]): s_of[m] for m in members if m in s_of}.values())
        t_spans = sorted({sp for g in t_groups for sp in g.spans}, key=lambda sp: (sp.unit, sp.start))
        s_spans = sorted({sp for g in s_groups for sp in g.spans}, key=lambda sp: (sp.unit, sp.start))
        had_src = any(s.src for s in segs)
        t_same = (
            bool(t_spans)
            and all(m in t_of for m in members if flat[m].tgt)
            and all(g.exact for g in t_groups)
        )
        s_same = (
            bool(s_spans)
            and all(m in s_of for m in members if flat[m].src)
            and all(g.exact for g in s_groups)
        )
        runs, grew = self.runs(s_spans)
        s_same = s_same and not grew
        machine = all(s.origin == "machine" and s.state == "translated" for s in segs if s.tgt)
        replaceable = machine and t_same  # presspack's text, word for word (wherever it was moved)
        s_spans = runs
        new_src = self.text(s_spans[0]) if s_spans else ""
        unit = s_spans[0].unit if s_spans else -1
        offset = float(s_spans[0].start) if s_spans else 0.0
        all_spans = t_spans
        t_spans, t_loose = self.paragraph_pieces(t_spans)
        fragments = [self.file_texts[sp.unit][sp.start : sp.end] for sp in t_spans]
        old_terms = tuple(t for s in segs for t in s.terms)
        was = next((s.was for s in segs if s.was), "") or join_segments([s.src for s in segs])

        def place(k: int) -> None:
            self.segs[k].fragments = list(fragments)
            for sp in t_spans:
                self.placed[sp.unit].append((sp.start, sp.end, k))
            main = self.segs[k]
            for sp in t_loose:  # further pieces in the same paragraph: kept as they are
                orphan = not main.src and main.state == "needs-review"
                k2 = self.plan.seg(
                    src="",
                    origin="human",
                    state="needs-review" if orphan else "translated",
                    was=main.was if orphan else "",
                    kept=True,
                )
                self.segs[k2].fragments = [self.file_texts[sp.unit][sp.start : sp.end]]
                self.placed[sp.unit].append((sp.start, sp.end, k2))

        def replace_all(k: int) -> None:
            """Seg ``k`` takes the place of the first piece; every other piece goes."""
            self.segs[k].fragments = []
            for sp in all_spans:
                self.placed[sp.unit].append((sp.start, sp.end, k))

        def check_unique() -> None:
            if normalized(fragments[0]) in self.added:
                raise _Blocked(_ambiguous(self.target_path), self.files[t_spans[0].unit][0])

        if not had_src or s_same:
            if not t_spans:
                if had_src:  # a person removed it: it stays out
                    for sp in s_spans:
                        self.removed_seg(self.text(sp), sp.unit, float(sp.start), "")
                return
            if t_same and len(members) > 1:
                for m in members:  # unchanged on both sides: each member keeps its own record
                    self.keep_member(m, t_of.get(m), s_of.get(m))
                return
            if had_src and not t_loose and self.by_sentence(members, t_spans, s_of):
                return
            single = t_same and len(segs) == 1
            # an edit resolves a review; a paragraph break added or removed in its very words
            # does not (the translator has not answered the source change)
            state: State = segs[0].state if single else "translated"
            if not single and len(segs) == 1 and segs[0].state == "needs-review" and all_spans:
                words = " ".join(self.file_texts[sp.unit][sp.start : sp.end] for sp in all_spans)
                if normalized(words) == normalized(segs[0].tgt):
                    state = "needs-review"
            k = self.plan.seg(
                src=self.cover(s_spans) if had_src else "",
                mt=segs[0].mt if single else "",
                origin=segs[0].origin if single else "human",
                state=state,
                was=segs[0].was if state == "needs-review" else "",
                terms=_expected_terms(new_src, self.matcher),
                old_terms=old_terms,
                unit=unit,
                offset=offset,
                kept=True,
            )
            place(k)
            return

        if s_spans:  # the source changed
            if not t_spans:
                for sp in s_spans:
                    self.removed_seg(self.text(sp), sp.unit, float(sp.start), "")
                self.plan.notes.append((_removed_note(new_src, self.target_path), None))
                return
            if replaceable:  # presspack's own text: translate the new source again
                check_unique()
                first = True
                for (u, start), sentence in _sentences_in(s_spans, self.new_texts, self.src_lang):
                    k = self.machine_seg(sentence, u, float(start))
                    if first:
                        replace_all(k)
                        first = False
                    else:
                        self.inserts.setdefault(u, []).append((float(start), k))
                return
            # a person's text under a changed source: keep it, suggest, ask for review
            k = self.plan.seg(
                src=self.cover(s_spans),
                origin="human",
                state="needs-review",
                was=was,
                terms=_expected_terms(new_src, self.matcher),
                old_terms=old_terms,
                unit=unit,
                offset=offset,
                translate=tuple(s for _, s in _sentences_in(s_spans[:1], self.new_texts, self.src_lang)),
                kept=True,
            )
            place(k)
            return

        # the source was deleted
        if not t_spans:
            return
        if replaceable:  # presspack's text goes with its source
            check_unique()
            replace_all(self.plan.seg(src=""))
            return
        k = self.plan.seg(src="", origin="human", state="needs-review", was=was, kept=True)
        place(k)

    def by_sentence(self, members: list[int], t_spans: list[Span], s_of: dict[int, _SourceGroup]) -> bool:
        """A person's text for several unchanged source sentences, as many sentences as they are
        and plausibly one for one (lengths, numbers, terms): one record per sentence pair.
        False (nothing done) otherwise: the text stays one record of all of them."""
        if len(members) < 2 or len(t_spans) != 1:
            return False
        sources = [s_of.get(m) for m in members]
        for g, m in zip(sources, members, strict=True):
            if g is None or g.members != [m] or not g.exact or not g.spans:
                return False  # each sentence its own unchanged source
        srcs = [self.flat[m].src for m in members]
        span = t_spans[0]
        text = self.file_texts[span.unit][span.start : span.end]
        cuts = sentence_spans(text, self.tgt_lang)
        if len(cuts) != len(members):
            return False
        anchors, agrees = _pairing_evidence(self.matcher, self.tgt_lang)
        beads = align_sentences(srcs, [text[a:b] for a, b in cuts], anchors)
        if beads is None or any(i1 - i0 != 1 or j1 - j0 != 1 for i0, i1, j0, j1 in beads):
            return False
        if agrees(join_segments(srcs), text) and not all(
            agrees(src, text[a:b]) for src, (a, b) in zip(srcs, cuts, strict=True)
        ):
            return False  # right as a whole, wrong in pieces: a wrong pairing
        for m, group, src, (a, b) in zip(members, sources, srcs, cuts, strict=True):
            assert group is not None
            where = group.spans[0]
            k = self.plan.seg(
                src=src,
                origin="human",
                terms=_expected_terms(src, self.matcher),
                old_terms=self.flat[m].terms,
                unit=where.unit,
                offset=float(where.start),
                kept=True,
            )
            self.segs[k].fragments = [text[a:b]]
            self.placed[span.unit].append((span.start + a, span.start + b, k))
        return True

    def text(self, sp: Span) -> str:
        return self.new_texts[sp.unit][sp.start : sp.end]

    def runs(self, spans: Sequence[Span]) -> tuple[list[Span], bool]:
        """Source spans as contiguous runs; new sentences lying between two pieces of one text
        become part of it (True when that happened: the source of that text grew)."""
        out: list[Span] = []
        grew = False
        for sp in spans:
            if out and out[-1].unit == sp.unit:
                prev = out[-1]
                inside = [
                    x
                    for x in self.src_extra
                    if x.unit == sp.unit and x.start >= prev.end and x.end <= sp.start
                ]
                gap = list(self.new_texts[sp.unit][prev.end : sp.start])
                for x in inside:
                    gap[x.start - prev.end : x.end - prev.end] = [" "] * (x.end - x.start)
                if not "".join(gap).strip():
                    self.absorbed.update(inside)
                    grew = grew or bool(inside)
                    out[-1] = Span(sp.unit, prev.start, sp.end)
                    continue
            out.append(sp)
        return out, grew

    def cover(self, runs: Sequence[Span]) -> str:
        """The source of one kept text: its first run; where the author has split it (into
        other paragraphs, or around other text), the other runs are covered by the same text."""
        for sp in runs[1:]:
            self.removed_seg(self.text(sp), sp.unit, float(sp.start), "")
        return self.text(runs[0])

    def paragraph_pieces(self, spans: Sequence[Span]) -> tuple[list[Span], list[Span]]:
        """The text of one record: pieces with only spaces between them are joined, and a text
        may continue from the end of one paragraph into the start of the next. Any other
        piece is returned apart and recorded on its own."""
        main: list[Span] = []
        loose: list[Span] = []
        for sp in spans:
            text = self.file_texts[sp.unit]
            if not main:
                main.append(sp)
                continue
            last = main[-1]
            if loose:
                loose.append(sp)
            elif last.unit == sp.unit and not text[last.end : sp.start].strip():
                main[-1] = Span(sp.unit, last.start, sp.end)
            elif (
                sp.unit == last.unit + 1
                and not self.file_texts[last.unit][last.end :].strip()
                and not text[: sp.start].strip()
            ):
                main.append(sp)
            else:
                loose.append(sp)
        return main, loose

    def keep_member(self, m: int, tg: Group | None, sg: _SourceGroup | None) -> None:
        s = self.flat[m]
        span = sg.spans[0] if sg is not None and sg.spans else None
        unit = span.unit if span else -1
        offset = float(span.start) + m * 1e-3 if span else 0.0
        if tg is None or not tg.spans:
            if s.src:
                self.removed_seg(s.src, unit, offset, s.mt)
            return
        k = self.plan.seg(
            src=s.src,
            mt=s.mt,
            origin=s.origin,
            state=s.state,
            was=s.was,
            terms=_expected_terms(s.src, self.matcher),
            old_terms=s.terms,
            unit=unit,
            offset=offset,
            kept=True,
        )
        self.segs[k].fragments = [self.file_texts[sp.unit][sp.start : sp.end] for sp in tg.spans]
        for sp in tg.spans:
            self.placed[sp.unit].append((sp.start, sp.end, k))

    def removed_seg(self, src: str, unit: int, offset: float, mt: str) -> None:
        k = self.plan.seg(
            src=src, mt=mt, origin="human", terms=_expected_terms(src, self.matcher), unit=unit, offset=offset
        )
        self.removed.append(k)

    def resolve_reviews(self, accept: set[int], keep: set[int]) -> None:
        for fi, (global_index, _) in enumerate(self.files):
            for _, _, k in self.placed[fi]:
                seg = self.segs[k]
                if seg.state != "needs-review":
                    continue
                self.plan.review_files.add(global_index)
                if global_index not in accept and global_index not in keep:
                    continue
                seg.state, seg.was = "translated", ""
                self.plan.accepted += 1
                if global_index not in accept:
                    continue
                if not seg.src:
                    seg.fragments = []  # accepting that its source was deleted
                    continue
                seg.origin = "machine"
                seg.kept = False
                if seg.translate:
                    seg.fill = True
                else:
                    seg.fragments = [seg.mt]

    def layout(self) -> list[_Out]:
        """The file's units, in file order, as chunks of segment text."""
        outs: list[_Out] = []
        for fi, (global_index, fu) in enumerate(self.files):
            chunks: list[_Chunk] = []
            pos = 0
            for start, end, k in sorted(set(self.placed[fi])):
                if start < pos:
                    continue
                chunks.append(_Chunk(None, fu.text[pos:start]))
                chunks.append(_Chunk(k))
                pos = end
            chunks.append(_Chunk(None, fu.text[pos:]))
            outs.append(_Out(fu.id, chunks, global_index))
        seen: dict[int, int] = {}
        for o in outs:  # a text continued across paragraphs shows one fragment per unit
            for chunk in o.chunks:
                if chunk.seg is not None:
                    chunk.fragment = seen.get(chunk.seg, 0)
                    seen[chunk.seg] = chunk.fragment + 1
        return outs

    def mine(self, k: int) -> bool:
        return k >= self.first_seg

    def insert_new(self, outs: list[_Out]) -> None:
        """New sentences go after their predecessor in the source; new paragraphs after theirs."""
        segs = self.segs
        pending_ids = {k for items in self.inserts.values() for _, k in items}
        for unit in sorted(self.inserts):
            pending = sorted(self.inserts[unit])
            # a text continued across paragraphs: new text after it goes after its last part,
            # new text before it before its first part (never between the two)
            last = {k: o for o in outs for k in o.seg_ids() if segs[k].unit == unit}
            first = {k: o for o in reversed(outs) for k in o.seg_ids() if segs[k].unit == unit}
            here = sorted(((segs[k].offset, k, o) for k, o in last.items()), key=lambda t: (t[0], t[1]))
            remembered = any(
                s.unit == unit for k, s in enumerate(segs) if self.mine(k) and k not in pending_ids
            )
            if not here and remembered:
                for _, k in pending:  # the translator removed this paragraph: its new text stays out
                    seg = segs[k]
                    seg.translate, seg.fill, seg.origin = (), False, "human"
                    self.removed.append(k)
                continue
            if not here:
                chunks: list[_Chunk] = []
                for _, k in pending:
                    chunks += [_Chunk(None, " "), _Chunk(k)]
                outs.insert(
                    _position_for(outs, segs, unit),
                    _Out(self.new[unit].id, chunks, None, self.new_index[unit]),
                )
                continue
            for offset, k in pending:
                before = [t for t in here if t[0] < offset]
                if before:
                    _, anchor, o = before[-1]
                    at = max(i for i, c in enumerate(o.chunks) if c.seg == anchor) + 1
                    o.chunks[at:at] = [_Chunk(None, " "), _Chunk(k)]
                else:
                    _, anchor, o = here[0]
                    o = first.get(anchor, o)
                    at = min(i for i, c in enumerate(o.chunks) if c.seg == anchor)
                    o.chunks[at:at] = [_Chunk(k), _Chunk(None, " ")]
                here = sorted([*here, (offset, k, o)], key=lambda t: (t[0], t[1]))

    def follow_source_structure(self, outs: list[_Out]) -> None:
        """Apply the author's moves, splits, merges and kind changes to units presspack laid out.

        A file unit is presspack's layout when it holds exactly the text of one
        remembered unit, and that unit's text is nowhere else (the translator
        did not split, merge or extend it).
        """
        segs = self.segs
        mem_of_file: dict[int, set[int]] = {}
        file_of_mem: dict[int, set[int]] = {}
        for g in self.tmap.groups:
            for sp in g.spans:
                for m in g.members:
                    mem_of_file.setdefault(sp.unit, set()).add(self.unit_of_flat[m])
                    file_of_mem.setdefault(self.unit_of_flat[m], set()).add(sp.unit)
        with_added = {sp.unit for sp in self.tmap.extra}
        clean: dict[int, int] = {}  # global file index -> memory unit
        for fi, ms in mem_of_file.items():
            if len(ms) == 1 and fi not in with_added:
                (m,) = ms
                if file_of_mem.get(m) == {fi}:
                    clean[self.files[fi][0]] = m

        def source_units(o: _Out) -> list[int]:
            return [
                segs[k].unit for k in o.seg_ids() if segs[k].unit >= 0 and (segs[k].fragments or segs[k].fill)
            ]

        def is_clean(o: _Out) -> bool:
            return o.file_index is not None and o.file_index in clean

        result: list[_Out] = []
        for o in outs:
            units = source_units(o)
            distinct = list(dict.fromkeys(units))
            if not is_clean(o) or not distinct:
                result.append(o)
                continue
            as_written = o.id == self.mem[clean[o.file_index or 0]].id  # the translator kept the kind
            if len(distinct) > 1 and units == sorted(units):
                # the author split the paragraph: split its translation at the same places
                parts: list[_Out] = []
                current: list[_Chunk] = []
                unit_now = distinct[0]
                for chunk in o.chunks:
                    u = segs[chunk.seg].unit if chunk.seg is not None else -1
                    if u >= 0 and u != unit_now:
                        parts.append(_Out(self.new[unit_now].id, current, None, self.new_index[unit_now]))
                        current, unit_now = [], u
                    current.append(chunk)
                parts.append(_Out(self.new[unit_now].id, current, None, self.new_index[unit_now]))
                parts[0].file_index = o.file_index
                if not as_written:
                    parts[0].id = o.id
                result.extend(parts)
                continue
            if len(distinct) == 1 and as_written:
                o.id = self.new[distinct[0]].id  # the author changed the kind (paragraph → list item…)
                o.source_index = self.new_index[distinct[0]]
            result.append(o)
        outs[:] = result

        # merges: neighbouring units of presspack's layout that now translate one source unit
        merged: list[_Out] = []
        for o in outs:
            if merged and is_clean(o) and is_clean(merged[-1]):
                prev_units = set(source_units(merged[-1]))
                if len(prev_units) == 1 and prev_units == set(source_units(o)):
                    merged[-1].chunks += [_Chunk(None, " "), *o.chunks]
                    continue
            merged.append(o)
        outs[:] = merged

        # moves: a paragraph the author moved goes after its new predecessor's translation
        first_new: dict[int, int] = {}
        for g in self.smap.groups:
            if g.spans:
                first_new.setdefault(self.unit_of_flat[g.members[0]], g.spans[0].unit)
        order = sorted(first_new)
        # units the author merged share their first new unit: equal is in order, not a move
        # (a strict order moved one of them before a paragraph the translator had put first)
        n = len(order)
        stays = {order[i] for i in longest_increasing([first_new[m] * n + i for i, m in enumerate(order)])}
        for m in order:
            if m in stays:
                continue
            unit = first_new[m]
            holders = [o for o in outs if is_clean(o) and set(source_units(o)) == {unit}]
            if len(holders) != 1:
                continue
            outs.remove(holders[0])
            outs.insert(_position_for(outs, segs, unit), holders[0])

    def memory_layout(self, outs: Sequence[_Out]) -> list[tuple[str, list[int]]]:
        """Memory units in source order; text with no source follows the segment before it in the file."""
        segs = self.segs
        by_unit: dict[int, list[tuple[float, int]]] = {}
        for k in self.removed:
            if segs[k].unit >= 0:
                by_unit.setdefault(segs[k].unit, []).append((segs[k].offset, k))
        loose: list[tuple[int, int, str, list[int]]] = []  # (after source unit, n, unit id, segments)
        anchor: tuple[int, float] = (-1, -1.0)
        seen: set[int] = set()
        for o in outs:
            before: list[int] = []  # text with no source before the first sourced segment of the unit
            sourced = False
            for k in o.seg_ids():
                s = segs[k]
                if k in seen or (not any(s.fragments) and not s.fill):
                    continue
                seen.add(k)
                if s.unit >= 0:
                    for n, b in enumerate(before):
                        by_unit.setdefault(s.unit, []).append((s.offset - 1e-6 * (len(before) - n), b))
                    before = []
                    sourced = True
                    by_unit.setdefault(s.unit, []).append((s.offset, k))
                    anchor = (s.unit, s.offset)
                elif sourced:
                    anchor = (anchor[0], anchor[1] + 1e-6)
                    by_unit.setdefault(anchor[0], []).append((anchor[1], k))
                else:
                    before.append(k)
            if before:
                loose.append((anchor[0], len(loose), o.id, before))
        layout: list[tuple[str, list[int]]] = [
            (u.id, [k for _, k in sorted(by_unit.get(i, []))]) for i, u in enumerate(self.new)
        ]
        for after, _, uid, ks in sorted(loose, reverse=True):
            layout.insert(after + 1, (uid, ks))
        return layout


def _position_for(outs: Sequence[_Out], segs: Sequence[_Seg], unit: int) -> int:
    """After the last unit holding text of an earlier source unit, else before the first later one."""
    best = -1
    for i, o in enumerate(outs):
        if any(0 <= segs[k].unit < unit for k in o.seg_ids()):
            best = i
    if best >= 0:
        pos = best + 1
    else:
        pos = next(
            (i for i, o in enumerate(outs) if any(segs[k].unit > unit for k in o.seg_ids())), len(outs)
        )
    # never between two paragraphs that hold one text (continued across a paragraph break)
    while 0 < pos < len(outs) and set(outs[pos - 1].seg_ids()) & set(outs[pos].seg_ids()):
        pos += 1
    return pos


def _sentences_in(
    spans: Sequence[Span], texts: Sequence[str], lang: str
) -> list[tuple[tuple[int, int], str]]:
    out: list[tuple[tuple[int, int], str]] = []
    for sp in spans:
        piece = texts[sp.unit][sp.start : sp.end]
        for a, b in sentence_spans(piece, lang):
            out.append(((sp.unit, sp.start + a), piece[a:b]))
    return out


def _ambiguous(target_path: str) -> Finding:
    return Finding(
        check="tm-structure",
        severity="error",
        message=(
            "this text appears more than once (a copy was added by hand), so presspack cannot tell which "
            "copy to update for the changed source; it left the file untouched — remove the extra copy "
            "or update the text by hand"
        ),
        file=target_path,
    )


def _removed_note(new_src: str, target_path: str) -> Finding:
    return Finding(
        check="tm-removed",
        severity="info",
        message=(
            f"the source of text removed from the translation changed (now {_quote(new_src)}); "
            "presspack did not put it back"
        ),
        file=target_path,
        segment=new_src,
    )
