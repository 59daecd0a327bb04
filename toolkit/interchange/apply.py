"""Importing: the targets of an exchange file become a person's post-edits, through the one sync.

The imported text is put into the translation as read (``sync_file(...,
edit_target=…)``) and the sync then treats it exactly like an edit made in an
editor: recorded as ``origin: human``, kept by every later build, written only
where lines change, under the same lock and "changed while presspack was
running" guard. A reviewer's state goes into the memory on top: ``final``
approves a segment; confirming machine output or a flagged segment as
translated without changing it makes it the person's (machine text) or
resolves the review (like ``presspack review keep``).

Refused, each with a finding naming the unit (everything else is applied):

* ``import-stale`` — the unit's source changed since the export (its id or
  source hash is not in the release any more);
* ``import-conflict`` — its translation was edited in ``release.<lang>.md``
  since the export (the target hash differs) and the file's text wins;
* ``import-removed`` — a translator removed it from the file (state ``new``);
  an import does not put text back;
* ``import-structure`` — a paragraph break was added or lost inside a segment;
* ``import-empty`` (error) — its target is empty and so is every other segment of its
  paragraph or field (an import does not remove a paragraph), or its text runs over a
  paragraph break.

An emptied target of a presspack export (a CAT tool's join of two segments empties
one) removes that segment's text and is counted as ``emptied``; a unit with no target
at all was not translated in the CAT tool, is left as it was and counted as
``untranslated``.

Warnings that still import: ``import-tags`` (formatting the text had was
dropped; a link URL or code the file changed was put back to the exported native
code, or one it added was left out — see :func:`tags.native_only`), ``import-empty``
(an empty target in another tool's memory leaves the text as it is).
Bad files — not an exchange file, another release, duplicate ids — are
errors: nothing is written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.core.document import Finding, Lang, Release
from toolkit.core.errors import PresspackError, problem
from toolkit.core.inline import parse_inline, plain, to_inline
from toolkit.interchange.segments import (
    Current,
    Incoming,
    IncomingUnit,
    Place,
    _no_engine,
    current_state,
    is_markup,
    place_segments,
    release_path,
    resolve_release,
    segment_ids,
    sha,
)
from toolkit.interchange.tags import (
    PARAGRAPH,
    NativeChange,
    dropped_tags,
    events_of,
    matched_ids,
    native_only,
    resolve,
    tags_of,
    text_of,
)
from toolkit.interchange.unit_texts import with_unit_texts
from toolkit.interchange.xmlio import ExchangeError
from toolkit.translation.filesync import FileSync, apply_sync, sync_file
from toolkit.translation.memory import Memory, SegmentMemory, UnitMemory, read_memory, units_of

__all__ = ["ImportResult", "apply_incoming"]


@dataclass
class ImportResult:
    file: Path
    format: str = ""
    translations: list[Path] = field(default_factory=list)
    edited: int = 0  # units whose text changed
    emptied: int = 0  # units whose target was emptied (their text merged into a neighbour)
    untranslated: int = 0  # units with text but no target in the file (left as they were)
    approved: int = 0  # units set to final
    confirmed: int = 0  # units confirmed as translated without a change
    unchanged: int = 0
    refused: int = 0
    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    diff: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.file),
            "format": self.format,
            "translations": [str(p) for p in self.translations],
            "edited": self.edited,
            "emptied": self.emptied,
            "untranslated": self.untranslated,
            "approved": self.approved,
            "confirmed": self.confirmed,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "written": [str(p) for p in self.written],
            "findings": [f.to_json() for f in self.findings],
        }


_RANK = {"new": 0, "machine": 0, "needs-review": 0, "translated": 1, "final": 2}


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _exported_state(seg: SegmentMemory) -> str:
    if not seg.tgt:
        return "new"
    if seg.state == "needs-review":
        return "needs-review"
    if seg.state == "final":
        return "final"
    return "machine" if seg.origin == "machine" else "translated"


def apply_incoming(
    incoming: Incoming,
    given: Path | None,
    result: ImportResult,
    *,
    glossary: Path | None,
    dry_run: bool,
) -> None:
    """Apply one translation's units of ``incoming`` (see the module docstring)."""
    where = release_path(incoming, given)
    source_path, target_path, tgt = resolve_release(where, _primary(incoming.target_lang) or None)
    _check_release(incoming, source_path, target_path, tgt, given)
    current = current_state(source_path, target_path, tgt, glossary=glossary, action="import into")
    if incoming.source_lang and _primary(incoming.source_lang) != current.source.lang:
        raise ExchangeError(
            problem(
                incoming.path,
                None,
                f"its source language is '{incoming.source_lang}', but {source_path.name} is "
                f"'{current.source.lang}'",
                "import it into the release it was exported from",
            )
        )
    result.translations.append(target_path)
    duplicates = sorted(k for k, n in Counter(u.id for u in incoming.units if u.id).items() if n > 1)
    if duplicates:
        raise ExchangeError(
            problem(
                incoming.path,
                None,
                f"unit id {duplicates[0]!r} appears more than once"
                + (f" ({len(duplicates)} ids do)" if len(duplicates) > 1 else ""),
                "every unit must keep the id it was exported with; export the file again",
            )
        )
    flat = [s for u in current.memory.units for s in u.segments]
    unit_of_flat = [u.id for u in current.memory.units for _ in u.segments]
    ids = segment_ids(current.memory)
    index = {seg_id: k for k, seg_id in enumerate(ids) if seg_id is not None}
    # units of a memory another tool wrote (no ids): matched by their source text, every
    # segment with that source (a table's repeated "대회의실" cells are one entry of a TM)
    by_source: dict[str, list[int]] = {}
    for n, remembered in enumerate(flat):
        if remembered.src:
            by_source.setdefault(" ".join(plain(remembered.src).split()), []).append(n)

    def lookup(unit: IncomingUnit) -> list[int]:
        if unit.id:
            return [index[unit.id]] if unit.id in index else []
        return by_source.get(" ".join(unit.source.split()), [])

    known = [u for u in incoming.units if lookup(u)]
    if incoming.units and not known:
        raise ExchangeError(
            problem(
                incoming.path,
                None,
                f"none of its {len(incoming.units)} units is in {target_path} — it was exported from another "
                "release, or every source sentence changed since",
                "import it into the release it was exported from (presspack import FILE RELEASE), "
                "or export again",
            )
        )
    edits: dict[int, str] = {}
    finals: set[int] = set()
    confirms: set[int] = set()
    edited_by: dict[int, IncomingUnit] = {}

    docx = incoming.format == "review DOCX"

    def finding(check: str, severity: str, unit: IncomingUnit, message: str, src: str = "") -> None:
        name = unit.id or _excerpt(unit.source, 40)
        row = f" (table row {unit.line})" if docx and unit.line else ""
        result.findings.append(
            Finding(
                check=check,
                severity=severity,  # type: ignore[arg-type]
                message=f"unit {name}{row}: {message}",
                file=str(incoming.path),
                line=0 if docx else unit.line,
                segment=src,
            )
        )

    units_by_id = {u.id: u for u in incoming.units}

    def finding_for(seg_id: str, check: str, severity: str, src: str) -> None:
        unit = units_by_id.get(seg_id) or IncomingUnit(id=seg_id, events=None)
        finding(
            check,
            severity,
            unit,
            "its text was imported, but its state could not be recorded (the sync joined it with the "
            "sentence next to it); set it again in the next export",
            src,
        )

    def apply_to(unit: IncomingUnit, k: int | None) -> None:
        """Check one unit of the file against segment ``k`` of the release and note what to do."""
        seg = flat[k] if k is not None else None
        if seg is None and not unit.id:
            result.unchanged += 1  # another release's sentence in a shared memory
            return
        if seg is None or (unit.src_sha and unit.src_sha != sha(seg.src)):
            text = text_of(unit.events or (), markup=True) if unit.events else ""
            as_plain = text_of(unit.events or (), markup=False) if unit.events else ""
            if not text or (unit.tgt_sha and unit.tgt_sha in (sha(text), sha(as_plain))):
                result.unchanged += 1  # nothing of the translator's would be lost
                return
            result.refused += 1
            finding(
                "import-stale",
                "error",
                unit,
                f"its source {_excerpt(unit.source)} changed in {source_path.name} since the export (or "
                f"was removed), so its translation {_excerpt(plain(text))} was not imported — export "
                "again and translate the new source",
                unit.source,
            )
            return
        assert k is not None
        markup = is_markup(unit_of_flat[k])
        if unit.events is None:
            if seg.tgt:
                result.untranslated += 1  # not translated in the CAT tool: reported, left as it was
            else:
                result.unchanged += 1
            return
        exported_events = events_of(seg.tgt, markup=markup)
        source_events = events_of(seg.src, markup=markup)
        # the ids the file's tags have: the review DOCX numbers them in the target's own order
        known_tags = tags_of(exported_events if docx else matched_ids(exported_events, source_events))
        known_tags += tags_of(source_events)
        events = resolve(unit.events, known_tags)
        if markup:
            events, changes = native_only(events, known_tags, code=not docx)
            for change in changes:
                finding("import-tags", "warning", unit, _native_message(change, target_path.name), seg.src)
        text = text_of(events, markup=markup)
        for note in unit.extra:
            finding("import-tags", "warning", unit, note, seg.src)
        if not seg.tgt:
            if text:
                result.refused += 1
                finding(
                    "import-removed",
                    "error",
                    unit,
                    f"a translator removed this sentence from {target_path.name}; an import does not put "
                    f"text back, so {_excerpt(plain(text))} was not imported — add it to "
                    f"{target_path.name} by hand",
                    seg.src,
                )
            else:
                result.unchanged += 1
            return
        if not text and not unit.id:
            result.unchanged += 1  # another tool's memory says nothing about this release's text
            finding(
                "import-empty",
                "warning",
                unit,
                f"its target is empty; the translation {_excerpt(plain(seg.tgt))} was kept",
                seg.src,
            )
            return
        same = _loose(text) == _loose(seg.tgt)
        if unit.tgt_sha and unit.tgt_sha != sha(seg.tgt) and not same:
            if sha(text) == unit.tgt_sha:
                result.unchanged += 1  # untouched in the file; the translation file moved on
                return
            result.refused += 1
            finding(
                "import-conflict",
                "error",
                unit,
                f"its translation was edited in {target_path.name} since the export (now "
                f"{_excerpt(plain(seg.tgt))}); presspack kept that and did not import "
                f"{_excerpt(plain(text))} — merge the two by hand",
                seg.src,
            )
            return
        if not unit.tgt_sha and seg.origin == "human" and not same:
            result.refused += 1  # no hash of what was exported: a person's text is never replaced blind
            finding(
                "import-conflict",
                "error",
                unit,
                f"{target_path.name} has a person's translation here ({_excerpt(plain(seg.tgt))}) and this "
                f"file does not say what it was exported from, so {_excerpt(plain(text))} was not "
                "imported — edit the translation by hand, or export and import with presspack",
                seg.src,
            )
            return
        if not text and PARAGRAPH in seg.tgt:
            result.refused += 1
            finding(
                "import-empty",
                "error",
                unit,
                f"its target is empty, but its text {_excerpt(plain(seg.tgt))} runs over a paragraph "
                "break; an import does not join paragraphs, so it was kept — delete it in "
                f"{target_path.name} itself",
                seg.src,
            )
            return
        if not same and text.count(PARAGRAPH) != seg.tgt.count(PARAGRAPH):
            result.refused += 1
            finding(
                "import-structure",
                "error",
                unit,
                "the paragraph break inside this segment was "
                + ("added" if text.count(PARAGRAPH) > seg.tgt.count(PARAGRAPH) else "removed")
                + f"; {_excerpt(plain(text))} was not imported — keep the paragraph break tag, or split "
                f"and join paragraphs in {target_path.name} itself",
                seg.src,
            )
            return
        exported = _exported_state(seg)
        if not same:
            edits[k] = text
            edited_by[k] = unit
            if not text:
                return  # emptied: the translator merged its text into a neighbour (no state to set)
            if markup:
                for tag in dropped_tags(seg.tgt, text):
                    what = {"link": f"the link to {tag.data}", "code": f"the code `{tag.data}`"}.get(
                        tag.kind,
                        {"bold": "bold", "italic": "italics", "break": "the line break"}.get(tag.kind, ""),
                    )
                    finding(
                        "import-tags",
                        "warning",
                        unit,
                        f"the new translation lost {what} of the text it replaces; imported without it",
                        seg.src,
                    )
            if unit.state == "final":
                finals.add(k)
            return
        if unit.state == "final" and exported != "final":
            finals.add(k)
        elif unit.state == "translated" and _RANK[exported] < 1:
            confirms.add(k)
        else:
            result.unchanged += 1

    for unit in incoming.units:
        matches: list[int | None] = [*lookup(unit)] or [None]
        for k in matches:  # another tool's entry: every segment with its source
            apply_to(unit, k)
    if not edits and not finals and not confirms:
        return
    places = place_segments(units_of(current.target), current.memory)
    for k in _emptying(current, flat, places, edits, incoming):
        result.refused += 1
        finals.discard(k)
        edits.pop(k)
        kind = _kind_of(unit_of_flat[k])
        finding(
            "import-empty",
            "error",
            edited_by[k],
            f"its target is empty, and so is every other segment of its {kind}; an import does not "
            f"remove {_a(kind)} from {target_path.name}, so it was kept — delete it in "
            f"{target_path.name} itself",
            flat[k].src,
        )
    if not edits and not finals and not confirms:
        return
    plan = _plan_edits(current, flat, places, edits, incoming)
    while (misread := _first_misread(plan)) is not None:
        # the file would not read back as the translation planned (a heading that no longer
        # opens its section, say): the edits that caused it are refused, the others go in
        touching = _touching(places, edits, misread.index)
        culprits = touching or [_trigger(current, flat, places, edits, incoming)]
        for k in culprits:
            unit = edited_by[k]
            result.refused += 1
            finals.discard(k)
            finding(
                "import-structure",
                "error",
                unit,
                _misread_message(misread, edits.pop(k), target_path.name, touching=bool(touching)),
                flat[k].src,
            )
        if not edits and not finals and not confirms:
            return
        plan = _plan_edits(current, flat, places, edits, incoming)
    memory_data = plan.memory_bytes if plan.memory_bytes is not None else plan.memory_file.data
    memory = read_memory(plan.memory_file.path, memory_data)
    assert memory is not None
    memory = _realign(memory, current.memory, edits)
    by_id = {seg_id: k for k, seg_id in enumerate(segment_ids(memory)) if seg_id is not None}
    wanted = {ids[k]: k for k in set(edits) | finals | confirms}
    updated: dict[int, SegmentMemory] = {}
    new_flat = [s for u in memory.units for s in u.segments]
    for seg_id, k in sorted(wanted.items(), key=lambda item: item[1]):
        j = by_id.get(seg_id or "")
        if edits.get(k):
            result.edited += 1
        elif k in edits:
            result.emptied += 1
        if j is None:
            if k in finals or k in confirms:  # the text went in, but its segment is not one of its own
                finding_for(seg_id or "", "import-state", "warning", flat[k].src)
            continue
        s = new_flat[j]
        if k in finals:
            s = replace(s, state="final", was="")
            result.approved += 1
        elif k in confirms:
            result.confirmed += 1
            s = replace(s, state="translated", was="", origin="human")
        updated[j] = s
    memory = _with_segments(memory, updated)
    memory_bytes = memory.to_json().encode("utf-8")
    plan = replace(plan, memory_bytes=None if memory_bytes == plan.memory_file.data else memory_bytes)
    if dry_run:
        result.diff += plan.diff
        return
    result.written.extend(apply_sync(plan, again="run 'presspack import' again"))


def _native_message(change: NativeChange, target_name: str) -> str:
    if change.kind == "link":
        if change.kept:
            return (
                f"the link target in the file was changed to {change.given}; link targets are not "
                f"translatable, so the link to {change.kept} was kept — change a link in {target_name} itself"
            )
        return (
            f"the file links part of the text to {change.given}, which is not a link of the exported "
            f"segment; link targets are not translatable, so the text was imported without that link — "
            f"add a link in {target_name} itself"
        )
    if change.kept:
        return (
            f"the code in the file was changed to `{change.given}`; code is not translatable, so "
            f"`{change.kept}` was kept — change code in {target_name} itself"
        )
    return (
        f"the file adds the code `{change.given}`, which is not in the exported segment; code is not "
        f"translatable, so it was left out — add code in {target_name} itself"
    )


def _primary(lang: str) -> str:
    """``en-US`` / ``ko_KR`` → ``en`` / ``ko``: CAT tools write regional codes."""
    return lang.replace("_", "-").split("-")[0].lower()


def _check_release(
    incoming: Incoming, source_path: Path, target_path: Path, tgt: Lang, given: Path | None
) -> None:
    folder = source_path.resolve().parent.name
    if given is not None and incoming.name and incoming.name != folder:
        raise ExchangeError(
            problem(
                incoming.path,
                None,
                f"it was exported from release '{incoming.name}', not '{folder}'",
                "import it into the release it was exported from",
            )
        )
    if incoming.target_lang and _primary(incoming.target_lang) != tgt:
        raise ExchangeError(
            problem(
                incoming.path,
                None,
                f"its target language is '{incoming.target_lang}', but {target_path.name} is '{tgt}'",
                "import it into the translation it was exported from",
            )
        )


def _norm(text: str) -> str:
    return " ".join(text.split())


def _loose(text: str) -> str:
    """Inline Markdown as a reader sees it: a run of whitespace is one space, none at the ends
    of a line. A review DOCX read back from Word shows text this way; whitespace nobody
    can see is not an edit."""
    pieces: list[str] = []
    for piece in text.split(PARAGRAPH):
        spans = [
            s if s.line_break else replace(s, text=re.sub(r"\s+", " ", s.text)) for s in parse_inline(piece)
        ]
        for i, span in enumerate(spans):
            if span.line_break:
                continue
            value = span.text
            if i == 0 or spans[i - 1].line_break:
                value = value.lstrip()
            if i == len(spans) - 1 or spans[i + 1].line_break:
                value = value.rstrip()
            spans[i] = replace(span, text=value)
        pieces.append(to_inline([s for s in spans if s.line_break or s.text]))
    return PARAGRAPH.join(pieces)


def _realign(memory: Memory, before: Memory, edits: dict[int, str]) -> Memory:
    """Each imported text back in the segment it was imported for.

    The sync works by content, so it can only see where a translator's text changed,
    not which sentence it belongs to: neighbouring sentences rewritten together become
    one segment, words added before a unit's first sentence a segment with no source.
    The import knows which text belongs to which source; where the sync's segments of a
    unit hold the same source and the same text as the import's, the import's
    segmentation is recorded (a sentence the sync kept keeps what the sync gave it).
    """
    if len(memory.units) != len(before.units) or any(
        a.id != b.id for a, b in zip(memory.units, before.units, strict=True)
    ):
        return memory  # not the same units: the sync's alignment stands
    units: list[UnitMemory] = []
    k = 0
    for unit, old in zip(memory.units, before.units, strict=True):
        flat_ids = range(k, k + len(old.segments))
        k += len(old.segments)
        if not any(n in edits for n in flat_ids):
            units.append(unit)
            continue
        wanted = [(m.src, edits.get(n, m.tgt)) for n, m in zip(flat_ids, old.segments, strict=True)]
        got = [(s.src, s.tgt) for s in unit.segments]
        if [(_norm(a), _norm(b)) for a, b in got] == [(_norm(a), _norm(b)) for a, b in wanted]:
            units.append(unit)
            continue
        if _norm(" ".join(a for a, _ in got)) != _norm(" ".join(a for a, _ in wanted)) or _norm(
            " ".join(b for _, b in got)
        ) != _norm(" ".join(b for _, b in wanted)):
            units.append(unit)  # the sync saw more than the imported texts: its alignment stands
            continue
        kept = {s.src: s for s in unit.segments if s.src}
        segs: list[SegmentMemory] = []
        for n, m in zip(flat_ids, old.segments, strict=True):
            if n not in edits:
                same = kept.get(m.src)
                segs.append(same if same is not None and same.tgt == m.tgt else m)
            elif m.src in kept and _norm(kept[m.src].tgt) == _norm(edits[n]):
                segs.append(kept[m.src])
            else:
                segs.append(SegmentMemory(m.src, edits[n], origin="human", terms=m.terms))
        units.append(UnitMemory(unit.id, tuple(segs)))
    return replace(memory, units=tuple(units))


def _with_segments(memory: Memory, updated: dict[int, SegmentMemory]) -> Memory:
    units: list[UnitMemory] = []
    k = 0
    for unit in memory.units:
        segs = []
        for s in unit.segments:
            segs.append(updated.get(k, s))
            k += 1
        units.append(UnitMemory(unit.id, tuple(segs)))
    return replace(memory, units=tuple(units))


@dataclass(frozen=True)
class _Misread:
    index: int  # the first unit that reads back differently
    planned: str  # its id as planned ("about_title")
    read: str  # its id as the written file reads ("body:heading:2"; "" when gone)
    text: str = ""  # its text as planned


def _first_misread(plan: FileSync) -> _Misread | None:
    """The first unit of the planned translation file that would not read back as planned.

    The sync writes what it planned; an imported text can still make Markdown mean
    something else once written (an "About …" heading translated into words that no
    longer open the closing section), which the next build would take as a person's
    restructuring. None: the file reads back unit for unit.
    """
    from toolkit.sources import load_release

    if plan.target_bytes is None:
        return None
    want = [(u.id, " ".join(u.text.split())) for u in units_of(plan.release)]
    try:
        written = load_release(plan.target_path, data=plan.target_bytes).release
    except PresspackError:
        return _Misread(0, *(want[0] if want else ("", "")))
    got = [(u.id, " ".join(u.text.split())) for u in units_of(written)]
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return _Misread(i, b[0], a[0], b[1])
    if len(got) == len(want):
        return None
    i = min(len(got), len(want))
    planned, text = want[i] if i < len(want) else ("", "")
    return _Misread(i, planned, got[i][0] if i < len(got) else "", text)


def _touching(places: Sequence[list[Place] | None], edits: dict[int, str], index: int) -> list[int]:
    """The edits whose text is in file unit ``index``."""
    return sorted(k for k in edits if any(ui == index for ui, _, _ in places[k] or ()))


def _trigger(
    current: Current,
    flat: Sequence[SegmentMemory],
    places: Sequence[list[Place] | None],
    edits: dict[int, str],
    incoming: Incoming,
) -> int:
    """An edit without which the file reads back as planned, though it is not in the unit
    that reads differently (a new organization name no longer matches the "<organization>
    소개" heading). Bisection over the edits in document order: with none of them the
    file reads back (it is in step), with all of them it does not, so some edit turns one
    into the other; about log2(edits) plans."""
    order = sorted(edits)
    lo, hi = 0, len(order)  # the first lo edits read back; the first hi do not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        plan = _plan_edits(current, flat, places, {k: edits[k] for k in order[:mid]}, incoming)
        if _first_misread(plan) is None:
            lo = mid
        else:
            hi = mid
    return order[hi - 1]


_SECTION_HEADINGS = {  # what the reader looks for, and what the translator can do
    "about_title": (
        "the closing section",
        "starts with 'About' or is “<organization> 소개”",
        "start it with 'About'",
    ),
    "attachments_title": (
        "the attachments",
        "is 'Attachments' or 'Annex' (in Korean: 붙임 or 첨부)",
        "start it with 'Attachments'",
    ),
}


def _misread_message(misread: _Misread, text: str, target_name: str, *, touching: bool) -> str:
    quoted = _excerpt(plain(text))
    if misread.planned in _SECTION_HEADINGS and touching:
        section, rule, fix = _SECTION_HEADINGS[misread.planned]
        return (
            f"presspack finds {section} of {target_name} by a heading that {rule}; {quoted} is not one, "
            f"so it was not imported — {fix}"
        )
    if misread.planned in _SECTION_HEADINGS:
        section, rule, _ = _SECTION_HEADINGS[misread.planned]
        return (
            f"with {quoted} here, presspack would no longer find {section} of {target_name} by its heading "
            f"{_excerpt(plain(misread.text))} (a heading that {rule}), so it was not imported — change "
            f"the two together in {target_name}"
        )
    if misread.read in _SECTION_HEADINGS:
        section, rule, _ = _SECTION_HEADINGS[misread.read]
        return (
            f"a heading that {rule} starts {section}, so {quoted} would move the text after it there; "
            "it was not imported — word the heading differently"
        )
    return (
        f"{target_name} would not read back as the same paragraphs with {quoted} in it (it would "
        "start or end a section, list or heading), so it was not imported — edit this sentence in "
        f"{target_name} itself"
    )


def _plan_edits(
    current: Current,
    flat: Sequence[SegmentMemory],
    places: Sequence[list[Place] | None],
    edits: dict[int, str],
    incoming: Incoming,
) -> FileSync:
    """The sync of the translation with the imported texts in place (nothing written)."""
    if not edits:
        return current.plan
    texts = _edited_texts(current, flat, places, edits, incoming)

    def edit(release: Release) -> Release:
        return with_unit_texts(release, texts)

    plan = sync_file(
        current.source,
        current.source_snapshot,
        current.target_path,
        current.target.lang,
        matcher=current.matcher,
        translate=_no_engine,
        target_snapshot=current.target_snapshot,
        target_release=current.target,
        edit_target=edit,
        abbreviations=current.abbreviations,
    )
    if plan.blocked:
        raise PresspackError(
            [problem(f.file, f.line or None, f.message) for f in plan.findings if f.check == "tm-structure"]
        )
    return plan


def _emptying(
    current: Current,
    flat: Sequence[SegmentMemory],
    places: Sequence[list[Place] | None],
    edits: dict[int, str],
    incoming: Incoming,
) -> list[int]:
    """The emptied segments that would leave a paragraph or field of the file with no text."""
    emptied = [k for k, text in edits.items() if not text]
    if not emptied:
        return []
    before = [u.text for u in units_of(current.target)]
    after = _edited_texts(current, flat, places, edits, incoming)
    pairs = enumerate(zip(before, after, strict=True))
    blank = {ui for ui, (old, new) in pairs if old.strip() and not new.strip()}
    return [k for k in emptied if any(ui in blank for ui, _, _ in places[k] or ())]


def _kind_of(unit_id: str) -> str:
    """``body:list_item:0`` → "list item"; a meta field (``subtitle``) → "field"."""
    parts = unit_id.split(":")
    return parts[1].replace("_", " ") if len(parts) > 1 else "field"


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _edited_texts(
    current: Current,
    flat: Sequence[SegmentMemory],
    places: Sequence[list[Place] | None],
    edits: dict[int, str],
    incoming: Incoming,
) -> list[str]:
    """The translation file's unit texts with the imported texts in place."""
    texts = [u.text for u in units_of(current.target)]
    changes: dict[int, list[tuple[int, int, str]]] = {}
    for k, text in sorted(edits.items()):
        place = places[k]
        if place is None:
            raise PresspackError(
                problem(
                    current.target_path,
                    None,
                    f"cannot find the text of {_excerpt(plain(flat[k].tgt))} in it, so {incoming.path} "
                    "cannot be imported safely",
                    "run 'presspack build' and export again",
                )
            )
        pieces = text.split(PARAGRAPH)
        for (ui, a, b), piece in zip(place, pieces, strict=True):
            changes.setdefault(ui, []).append((a, b, piece))
    for ui, items in changes.items():
        value = texts[ui]
        for a, b, piece in sorted(items, reverse=True):
            left, right = value[:a], value[b:]
            if not piece:  # an emptied segment takes one side's spaces with it
                if not left or left[-1].isspace():
                    right = right.lstrip(" \t")
                if not right or right[0] == "\n":
                    left = left.rstrip(" \t")
            value = left + piece + right
        texts[ui] = value
    return texts
