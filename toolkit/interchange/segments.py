"""What an export holds: the memory's segments of one translation, with ids, states and notes.

Every exchange format (XLIFF 1.2/2.1, the review DOCX, TMX) is written from
an :class:`Exchange` and read back into an :class:`Incoming`, so ids, states,
hashes and the release they belong to mean the same in all of them.

* **Segments** are the translation memory's, in memory order: one per source
  sentence (or the few sentences a person aligned with a different number of
  target sentences). Text with no source (a translator's own addition) has
  nothing to translate and is not exported.
* **Ids** are stable: derived from the section (title, body, about…) and the
  source text, with ``.2``, ``.3`` for a repeated sentence — so an author's
  new paragraph or a moved one leaves every other id as it was, and a segment
  whose source changed no longer has its old id.
* **Hashes**: each segment carries the sha256 (16 hex digits) of its source
  and of its target as exported. Import refuses a unit whose source changed
  since the export, and a unit whose translation was edited in
  ``release.<lang>.md`` meanwhile (the person's edit is never overwritten).
* **States** (see :data:`STATE_LABELS`): ``machine`` (engine output nobody has
  touched), ``translated`` (a person's text), ``final`` (approved),
  ``needs-review`` (the source changed under a person's text; the fresh
  machine suggestion and the old source go with it) and ``new`` (a person
  removed the text from the translation; it has no target).

An export is only made from, and an import only applied to, a translation
in step with its source: if ``presspack build`` would change
``release.<lang>.md`` (sentences to translate again, glossary updates), the
command says so and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from toolkit.core.document import Finding, Lang, Release
from toolkit.core.errors import PresspackError, Problem, SourceError, problem
from toolkit.core.inline import plain
from toolkit.interchange.tags import PARAGRAPH, Event
from toolkit.interchange.xmlio import ExchangeError
from toolkit.translation.filesync import FileSync, Snapshot, read_snapshot, sync_file
from toolkit.translation.memory import Memory, Origin, SegmentMemory, Terms, Unit, units_of

if TYPE_CHECKING:
    from toolkit.terminology.matcher import Matcher

__all__ = [
    "STATE_LABELS",
    "Current",
    "Exchange",
    "ExchangeSegment",
    "ExchangeState",
    "Incoming",
    "IncomingState",
    "IncomingUnit",
    "Place",
    "current_state",
    "exchange_of",
    "is_markup",
    "is_the_source",
    "place_segments",
    "resolve_release",
    "segment_ids",
    "sha",
]

ExchangeState = Literal["new", "machine", "needs-review", "translated", "final"]
# what a reviewer's file says about a unit: approved, confirmed as translated, or still open
IncomingState = Literal["final", "translated", "open"]

STATE_LABELS: dict[ExchangeState, str] = {
    "new": "new",
    "machine": "machine translation",
    "needs-review": "needs review",
    "translated": "translated",
    "final": "final",
}

# Meta fields are plain text in the memory (block texts are inline Markdown).
_PLAIN_UNITS = frozenset(
    {"title", "subtitle", "dateline", "organization", "department", "manager", "contact_person", "contact"}
)


def is_markup(unit_id: str) -> bool:
    """Whether a memory unit's text is inline Markdown (blocks; meta fields too where the memory
    holds them escaped) or plain text (meta fields)."""
    from toolkit.interchange.unit_texts import meta_is_markup

    return unit_id not in _PLAIN_UNITS or meta_is_markup()


def sha(text: str) -> str:
    """The short content hash import checks (16 hex digits of sha256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def section_of(unit_id: str) -> str:
    return unit_id.split(":", 1)[0]


@dataclass(frozen=True)
class ExchangeSegment:
    id: str
    unit: str  # memory unit id ("title", "body:paragraph:0", …)
    group: int  # index of its memory unit: segments of one paragraph share it
    where: str  # "body 3.2 (paragraph)": for people
    source: str
    target: str
    state: ExchangeState
    origin: Origin
    suggestion: str = ""  # needs-review: the machine translation of the new source
    was: str = ""  # needs-review: the source the text was written for
    terms: Terms = ()
    findings: tuple[Finding, ...] = ()
    line: int = 0  # line of its text in the translation file

    @property
    def markup(self) -> bool:
        return is_markup(self.unit)

    @property
    def src_sha(self) -> str:
        return sha(self.source)

    @property
    def tgt_sha(self) -> str:
        return sha(self.target)

    @property
    def paragraphs(self) -> int:
        return self.target.count(PARAGRAPH) + 1


@dataclass(frozen=True)
class Exchange:
    """One translation's segments, and the release they belong to."""

    release: str  # the source file as recorded (relative to the folder of the export)
    name: str  # the release folder's name
    source_file: str  # "release.ko.md"
    target_file: str  # "release.en.md"
    source_lang: Lang
    target_lang: Lang
    date: dt.date | None
    segments: tuple[ExchangeSegment, ...]


@dataclass(frozen=True)
class IncomingUnit:
    """One unit as read from an exchange file."""

    id: str
    events: tuple[Event, ...] | None  # the target as text and tags; None: no target given
    state: IncomingState | None = None  # None: the file does not say
    src_sha: str = ""
    tgt_sha: str = ""
    source: str = ""  # the source as the file shows it (for messages)
    line: int = 0  # line (XLIFF, TMX) or table row (DOCX) in the file
    extra: tuple[str, ...] = ()  # problems noticed while reading it (for findings)


@dataclass(frozen=True)
class Incoming:
    """What one exchange file says about one translation."""

    path: Path
    format: str  # "XLIFF 1.2", "XLIFF 2.1", "review DOCX", "TMX 1.4b"
    release: str  # the source file as recorded at export ("" when the file does not say)
    name: str  # the release folder's name ("" when unknown)
    source_lang: str
    target_lang: str
    units: tuple[IncomingUnit, ...]
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- which files


def recorded_path(path: Path) -> str:
    """``path`` as an export records it: relative to the current folder when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def resolve_release(path: Path, tgt: str | None) -> tuple[Path, Path, Lang]:
    """(source file, translation file, target language) for a RELEASE argument: a release
    folder, its source file or its translation file."""
    from toolkit.sources import load_release
    from toolkit.sources.discover import discover
    from toolkit.translation.files import default_output
    from toolkit.translation.review import source_of

    if not path.exists():
        raise SourceError(problem(path, None, "no such file or folder", "give a release folder or file"))
    if path.is_dir():
        sets = discover([path])
        if len(sets) != 1 or sets[0].folder.resolve() != path.resolve():
            raise SourceError(
                problem(
                    path, None, "is not one release folder", "give one release folder (holding release.ko.md)"
                )
            )
        files = sets[0].files
        translations: dict[str, Path] = {}
        sources: dict[str, Path] = {}
        for lang, file in files.items():
            snap = read_snapshot(file)
            loaded = load_release(file, expected_lang=lang or None, data=snap.data)
            (translations if loaded.translation_of else sources)[loaded.release.lang] = file
        if tgt is None:
            if len(translations) != 1:
                raise PresspackError(
                    problem(
                        path,
                        None,
                        "has no translation yet" if not translations else "has more than one translation",
                        "name the language with --to en (or --to ko)",
                    )
                )
            tgt = next(iter(translations))
        if tgt in translations:
            target = translations[tgt]
            src_lang = load_release(target, data=read_snapshot(target).data).translation_of or ""
            return source_of(target, src_lang), target, _lang(tgt)
        if not sources:
            raise SourceError(problem(path, None, "has no source file", "add release.ko.md"))
        source = next(iter(sources.values()))
        return source, default_output(source, tgt), _lang(tgt)
    snap = read_snapshot(path)
    loaded = load_release(path, data=snap.data)
    if loaded.translation_of:
        if tgt is not None and tgt != loaded.release.lang:
            raise PresspackError(
                problem(path, None, f"is the '{loaded.release.lang}' translation, not '{tgt}'", "drop --to")
            )
        return source_of(path, loaded.translation_of), path, loaded.release.lang
    lang = tgt or ("en" if loaded.release.lang == "ko" else "ko")
    if lang == loaded.release.lang:
        raise PresspackError(is_the_source(path, lang))
    return path, default_output(path, lang), _lang(lang)


def is_the_source(path: Path, lang: str) -> Problem:
    other = "en" if lang == "ko" else "ko"
    return problem(path, None, f"is the '{lang}' source itself, not a translation", f"give --to {other}")


def _lang(value: str) -> Lang:
    return "ko" if value == "ko" else "en"


# --------------------------------------------------------------------------- the translation now


class _NeedsEngine(Exception):
    """The sync would machine-translate: the translation is behind its source."""


def _no_engine() -> Callable[[list[str], int], list[list[str]]]:
    raise _NeedsEngine


@dataclass(frozen=True)
class Current:
    """A translation as it stands, planned through the sync (nothing written)."""

    source_path: Path
    target_path: Path
    source: Release
    source_snapshot: Snapshot
    target_snapshot: Snapshot
    target: Release  # the translation file as read
    memory: Memory  # the memory as the sync has it now (hand edits in the file recorded)
    plan: FileSync
    matcher: Matcher | None
    abbreviations: str


def _behind(target_path: Path, source_path: Path, action: str) -> PresspackError:
    return PresspackError(
        problem(
            target_path,
            None,
            f"is not up to date with {source_path.name}, so presspack cannot {action} it safely",
            f"run 'presspack build {target_path.parent}' (or 'presspack translate {source_path}') first; "
            "'presspack build --dry-run' shows what it would change",
        )
    )


def current_state(
    source_path: Path, target_path: Path, tgt: Lang, *, glossary: Path | None, action: str
) -> Current:
    """The translation now, with the glossary and house style the build uses.

    Refuses (``action`` = "export" / "import into") a translation the sync would change.
    """
    from toolkit.sources import load_release
    from toolkit.translation.files import _abbreviation_style, _load_matcher
    from toolkit.translation.memory import read_memory

    source_snap = read_snapshot(source_path)
    if source_snap.data is None:
        raise SourceError(problem(source_path, None, "no such file", "check the release folder"))
    source = load_release(source_path, data=source_snap.data).release
    target_snap = read_snapshot(target_path)
    if target_snap.data is None:
        raise PresspackError(
            problem(
                target_path,
                None,
                "no translation yet",
                f"run 'presspack translate {source_path} --to {tgt}' (or 'presspack build') first",
            )
        )
    loaded = load_release(target_path, data=target_snap.data)
    if loaded.translation_of != source.lang:
        raise PresspackError(
            problem(
                target_path,
                None,
                f"is not a translation of {source_path.name} (translation_of: {loaded.translation_of})",
                f"add 'translation_of: {source.lang}' to its front matter",
            )
        )
    matcher = _load_matcher(glossary, source.lang)
    abbreviations = _abbreviation_style()
    try:
        plan = sync_file(
            source,
            source_snap,
            target_path,
            tgt,
            matcher=matcher,
            translate=_no_engine,
            target_snapshot=target_snap,
            target_release=loaded.release,
            abbreviations=abbreviations,
        )
    except _NeedsEngine:
        raise _behind(target_path, source_path, action) from None
    if plan.blocked:
        raise PresspackError(
            [problem(f.file, f.line or None, f.message) for f in plan.findings if f.check == "tm-structure"]
        )
    if plan.target_bytes is not None:
        raise _behind(target_path, source_path, action)
    data = plan.memory_bytes if plan.memory_bytes is not None else plan.memory_file.data
    memory = read_memory(plan.memory_file.path, data)
    if memory is None:  # an adopted translation: the sync made its first memory
        raise _behind(target_path, source_path, action)
    return Current(
        source_path=source_path,
        target_path=target_path,
        source=source,
        source_snapshot=source_snap,
        target_snapshot=target_snap,
        target=loaded.release,
        memory=memory,
        plan=plan,
        matcher=matcher,
        abbreviations=abbreviations,
    )


# --------------------------------------------------------------------------- ids and places


def segment_ids(memory: Memory) -> list[str | None]:
    """The stable id of every segment of ``memory`` (flat, memory order); None: no source."""
    ids: list[str | None] = []
    seen: dict[str, int] = {}
    for unit in memory.units:
        for seg in unit.segments:
            if not seg.src:
                ids.append(None)
                continue
            base = hashlib.sha256(f"{section_of(unit.id)}\x1f{seg.src}".encode()).hexdigest()[:10]
            seen[base] = seen.get(base, 0) + 1
            ids.append(base if seen[base] == 1 else f"{base}.{seen[base]}")
    return ids


Place = tuple[int, int, int]  # (file unit index, start, end) of one fragment of a segment's text


def place_segments(file_units: Sequence[Unit], memory: Memory) -> list[list[Place] | None]:
    """Where each memory segment's text is in the translation file (flat, memory order).

    Within each section, segments are looked for in order from where the previous one
    ended, then (a translator moved text) anywhere not yet taken if that is unambiguous.
    A text continued across paragraphs must end one unit and start the next. None:
    not found (or the segment has no text).
    """
    units_by_section: dict[str, list[int]] = {}
    for i, u in enumerate(file_units):
        units_by_section.setdefault(section_of(u.id), []).append(i)
    taken: dict[int, list[tuple[int, int]]] = {}
    pointer: dict[str, tuple[int, int]] = {}
    out: list[list[Place] | None] = []
    for unit in memory.units:
        section = section_of(unit.id)
        candidates = units_by_section.get(section, [])
        for seg in unit.segments:
            if not seg.tgt:
                out.append(None)
                continue
            frags = seg.tgt.split(PARAGRAPH)
            found = _find(frags, file_units, candidates, pointer.get(section, (0, 0)), taken)
            if found is None:
                found = _find_anywhere(frags, file_units, candidates, taken)
            out.append(found)
            if found:
                for ui, a, b in found:
                    taken.setdefault(ui, []).append((a, b))
                last = found[-1]
                pointer[section] = (candidates.index(last[0]), last[2])
    return out


def _at_boundary(text: str, a: int, b: int) -> bool:
    return (a == 0 or text[a - 1].isspace()) and (b == len(text) or text[b].isspace())


def _free(taken: dict[int, list[tuple[int, int]]], ui: int, a: int, b: int) -> bool:
    return all(b <= x or a >= y for x, y in taken.get(ui, []))


def _rest(
    frags: Sequence[str], file_units: Sequence[Unit], candidates: Sequence[int], ci: int, a: int
) -> list[Place] | None:
    """The places of a text whose first fragment starts at ``a`` in candidate unit ``ci``."""
    first = file_units[candidates[ci]].text
    places = [(candidates[ci], a, a + len(frags[0]))]
    if len(frags) == 1:
        return places
    if first[a + len(frags[0]) :].strip():
        return None
    for k, frag in enumerate(frags[1:], 1):
        if ci + k >= len(candidates):
            return None
        text = file_units[candidates[ci + k]].text
        if not text.startswith(frag) or (k < len(frags) - 1 and text[len(frag) :].strip()):
            return None
        places.append((candidates[ci + k], 0, len(frag)))
    return places


def _find(
    frags: Sequence[str],
    file_units: Sequence[Unit],
    candidates: Sequence[int],
    start: tuple[int, int],
    taken: dict[int, list[tuple[int, int]]],
) -> list[Place] | None:
    ci0, offset = start
    for ci in range(ci0, len(candidates)):
        text = file_units[candidates[ci]].text
        pos = offset if ci == ci0 else 0
        while True:
            a = text.find(frags[0], pos)
            if a < 0:
                break
            b = a + len(frags[0])
            if _at_boundary(text, a, b) and _free(taken, candidates[ci], a, b):
                places = _rest(frags, file_units, candidates, ci, a)
                if places is not None:
                    return places
            pos = a + 1
    return None


def _find_anywhere(
    frags: Sequence[str],
    file_units: Sequence[Unit],
    candidates: Sequence[int],
    taken: dict[int, list[tuple[int, int]]],
) -> list[Place] | None:
    hits: list[list[Place]] = []
    for ci in range(len(candidates)):
        text = file_units[candidates[ci]].text
        pos = 0
        while True:
            a = text.find(frags[0], pos)
            if a < 0:
                break
            b = a + len(frags[0])
            if _at_boundary(text, a, b) and _free(taken, candidates[ci], a, b):
                places = _rest(frags, file_units, candidates, ci, a)
                if places is not None:
                    hits.append(places)
            pos = a + 1
    return hits[0] if len(hits) == 1 else None


# --------------------------------------------------------------------------- the export


def _state(seg: SegmentMemory) -> ExchangeState:
    if not seg.tgt:
        return "new"
    if seg.state == "needs-review":
        return "needs-review"
    if seg.state == "final":
        return "final"
    return "machine" if seg.origin == "machine" else "translated"


def _label(unit_id: str, index: int, count: int, segment: int, segments: int) -> str:
    parts = unit_id.split(":")
    base = parts[0] if count == 1 else f"{parts[0]} {index}"
    if segments > 1:
        base += f".{segment}" if count > 1 else f" {segment}"
    if len(parts) > 1:
        base += f" ({parts[1].replace('_', ' ')})"
    return base


def exchange_of(current: Current) -> Exchange:
    """The segments of a translation as every exchange format writes them."""
    memory = current.memory
    ids = segment_ids(memory)
    file_units = units_of(current.target)
    places = place_segments(file_units, memory)
    lines = current.plan.unit_starts
    by_segment: dict[str, list[Finding]] = {}
    for f in current.plan.findings:
        if f.segment and f.check != "tm-structure":
            by_segment.setdefault(f.segment, []).append(f)
    per_section: dict[str, int] = {}
    section_count: dict[str, int] = {}
    for unit in memory.units:
        section_count[unit.id.split(":")[0]] = section_count.get(unit.id.split(":")[0], 0) + 1
    segments: list[ExchangeSegment] = []
    k = 0
    for group, unit in enumerate(memory.units):
        section = unit.id.split(":")[0]
        per_section[section] = per_section.get(section, 0) + 1
        sourced = [s for s in unit.segments if s.src]
        n = 0
        for seg in unit.segments:
            seg_id, place = ids[k], places[k]
            k += 1
            if seg_id is None:
                continue
            n += 1
            findings = by_segment.get(seg.src, []) + by_segment.get(plain(seg.src), [])
            if seg.was:
                findings += by_segment.get(seg.was, [])
            line = lines[place[0][0]] if place and place[0][0] < len(lines) else 0
            segments.append(
                ExchangeSegment(
                    id=seg_id,
                    unit=unit.id,
                    group=group,
                    where=_label(unit.id, per_section[section], section_count[section], n, len(sourced)),
                    source=seg.src,
                    target=seg.tgt,
                    state=_state(seg),
                    origin=seg.origin,
                    suggestion=seg.mt if seg.state == "needs-review" else "",
                    was=seg.was,
                    terms=seg.terms,
                    findings=tuple(dict.fromkeys(f for f in findings if f.check != "tm-review")),
                    line=line,
                )
            )
    source_path = current.source_path
    return Exchange(
        release=recorded_path(source_path),
        name=source_path.resolve().parent.name,
        source_file=source_path.name,
        target_file=current.target_path.name,
        source_lang=current.source.lang,
        target_lang=current.target.lang,
        date=current.source.meta.date,
        segments=tuple(segments),
    )


def release_path(incoming: Incoming, given: Path | None) -> Path:
    """The source file an import goes to: the RELEASE given, else the one the file records."""
    if given is not None:
        return given
    if not incoming.release:
        raise ExchangeError(
            problem(
                incoming.path,
                None,
                f"this {incoming.format} file does not say which release it belongs to",
                "name it: presspack import FILE RELEASE",
            )
        )
    path = Path(incoming.release)
    if not path.is_absolute():
        path = Path(os.path.normpath(path))
    if not path.exists():
        raise ExchangeError(
            problem(
                incoming.path,
                None,
                f"it was exported from {incoming.release}, which is not here",
                "run the import in the folder you exported from, or name the release: "
                "presspack import FILE RELEASE",
            )
        )
    return path
