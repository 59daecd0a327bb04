"""One translation file kept in step with its source: the single path every command uses.

``presspack build``, ``translate``, ``--dry-run``/``--check`` and ``review``
all go through :func:`sync_file` (read, align, decide — nothing written) and
:func:`apply_sync` (write). Between the two, a person may save the file in
an editor, so every file is read once, as bytes, and parsed from exactly
those bytes; right before each ``os.replace`` the bytes on disk are compared
with what was read, under a lock per release folder that ``build`` and
``translate`` share. If anything changed, nothing of that release is
written: ``Error: <file>: changed while presspack was running — run the
build again``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.core.atomic import unified_diff, write_bytes_atomic
from toolkit.core.document import Finding, Lang, Release
from toolkit.core.errors import PresspackError, SourceError, problem
from toolkit.core.limits import (
    MEMORY_BYTES,
    SOURCE_BYTES,
    ZIP_TOTAL_BYTES,
    Limit,
    LimitExceeded,
    read_bounded,
)
from toolkit.translation.memory import MemoryFileError, Unit, memory_path, read_memory, units_of

if TYPE_CHECKING:
    from toolkit.mt.enforce import TranslateFn
    from toolkit.sources import LoadedRelease
    from toolkit.terminology.matcher import Matcher

__all__ = [
    "ChangedWhileRunning",
    "FileSync",
    "Snapshot",
    "apply_sync",
    "load_snapshot",
    "read_snapshot",
    "release_lock",
    "sync_file",
    "unit_lines",
    "units_at",
]

LOCK_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Snapshot:
    """A file as read once: its bytes (None when absent) and their hash."""

    path: Path
    data: bytes | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else ""


def read_snapshot(path: Path, limit: Limit | None = None) -> Snapshot:
    """The bytes of ``path`` (None when it does not exist), bounded like every other read:
    a text release by ``source_bytes``, a Word/Hancom file by ``zip_total_bytes``, a memory
    by ``memory_bytes``."""
    if limit is None:
        limit = ZIP_TOTAL_BYTES if path.suffix.lower() in (".docx", ".hwpx") else SOURCE_BYTES
    try:
        return Snapshot(path, read_bounded(path, limit, subject="the file"))
    except FileNotFoundError:
        return Snapshot(path, None)
    except LimitExceeded as exc:
        if limit is MEMORY_BYTES:
            raise MemoryFileError([problem(path, None, exc.what, exc.limit.fix)]) from None
        raise SourceError(problem(path, None, exc.what, exc.limit.fix)) from None
    except OSError as exc:
        raise SourceError(
            problem(path, None, f"cannot read file ({exc.strerror})", "check the path and permissions")
        ) from exc


class LazyEngine:
    """The engine of one sync, loaded only when a segment really needs machine translation.

    ``load`` gives the translate function and the model id; both are asked of the
    same load, so a release that needs no MT never imports or opens a model.
    """

    def __init__(self, load: Callable[[], tuple[TranslateFn, str]]) -> None:
        self._load = load
        self._loaded: tuple[TranslateFn, str] | None = None

    def translate(self) -> TranslateFn:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded[0]

    def model_id(self) -> str:
        self.translate()
        assert self._loaded is not None
        return self._loaded[1]


class ChangedWhileRunning(PresspackError):
    """A file presspack planned from was changed by someone else before it could write."""

    def __init__(self, path: Path, again: str = "run the build again") -> None:
        super().__init__(problem(path, None, "changed while presspack was running", again))
        self.path = path


def load_snapshot(snap: Snapshot, *, again: str = "run the build again", **kwargs: Any) -> LoadedRelease:
    """The release in the bytes read (``load_release`` of ``snap.data``).

    An editor that saves in place empties the file first: bytes read at that moment do not
    read as a release, and saying "file is empty" of a release that is not would send the
    author to fix nothing. When the bytes on disk are no longer the ones read, the file is
    being saved: :class:`ChangedWhileRunning`, not the reading's errors.
    """
    from toolkit.sources import load_release

    try:
        return load_release(snap.path, data=snap.data, **kwargs)
    except PresspackError:
        if snap.data is not None and _being_saved(snap):
            raise ChangedWhileRunning(snap.path, again) from None
        raise


def _being_saved(snap: Snapshot) -> bool:
    time.sleep(0.1)  # only on the error path: the editor's write after its truncation
    try:
        return read_snapshot(snap.path).data != snap.data
    except PresspackError:
        return False


def _lock_path(folder: Path) -> Path:
    key = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:32]
    owner = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    base = Path(
        os.environ.get("PRESSPACK_LOCK_DIR") or Path(tempfile.gettempdir()) / f"presspack-locks-{owner}"
    )
    base.mkdir(parents=True, exist_ok=True)
    return base / f"{key}.lock"


@contextmanager
def release_lock(folder: Path) -> Iterator[None]:
    """Held by ``build`` and ``translate`` while they check and write one release's files.

    Kept outside the release folder (a lock file there would show up in ``git
    status`` and get committed); editors do not take it — the content check does.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(_lock_path(folder)), timeout=LOCK_TIMEOUT_S)
    try:
        with lock:
            yield
    except Timeout:
        raise PresspackError(
            problem(
                folder, None, "another presspack run has been writing here for minutes", "try again later"
            )
        ) from None


@dataclass(frozen=True)
class FileSync:
    """One translation file brought up to date — planned, not written."""

    target_path: Path
    source: Snapshot
    target: Snapshot
    memory_file: Snapshot
    release: Release  # the translation as it will be (what the pack renders)
    findings: tuple[Finding, ...]  # with line numbers of the file as it will be
    engine_findings: tuple[Finding, ...] = ()
    target_bytes: bytes | None = None  # new content, None when unchanged
    memory_bytes: bytes | None = None
    translated: int = 0
    kept: int = 0
    term_updates: int = 0
    accepted: int = 0
    blocked: bool = False  # a tm-structure error: nothing may be written
    review_lines: tuple[int, ...] = ()  # lines of the file as read that hold a pending review
    unit_starts: tuple[int, ...] = ()  # first line of every unit of the file as read
    extra_inputs: dict[str, str] = field(default_factory=dict)  # name -> sha256 after writing

    @property
    def writes(self) -> list[tuple[Path, bytes]]:
        out: list[tuple[Path, bytes]] = []
        if self.target_bytes is not None:
            out.append((self.target_path, self.target_bytes))
        if self.memory_bytes is not None:
            out.append((self.memory_file.path, self.memory_bytes))
        return out

    @property
    def diff(self) -> str:
        if self.target_bytes is None:
            return ""
        return unified_diff(self.target_path, self.target.data, self.target_bytes)


def _front_matter_lines(text: str) -> dict[str, int]:
    """1-based line of each front matter key (contact: the key's line)."""
    lines = text.split("\n")
    found: dict[str, int] = {}
    if not lines or lines[0].strip() != "---":
        return found
    for i, line in enumerate(lines[1:], 2):
        if line.strip() in ("---", "..."):
            break
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if m:
            found.setdefault(m.group(1), i)
    return found


def unit_lines(text: str, units: Sequence[Unit]) -> list[int]:
    """The line of each unit in ``text`` (block units carry it; front matter fields are looked up)."""
    keys = _front_matter_lines(text)
    lines: list[int] = []
    contact_seen = 0
    all_lines = text.split("\n")
    for u in units:
        if u.line:
            lines.append(u.line)
        elif u.id == "contact":
            base = keys.get("contact", 0)
            literal = base and base <= len(all_lines) and all_lines[base - 1].rstrip().endswith("|")
            lines.append(base + 1 + contact_seen if literal else base)
            contact_seen += 1
        elif u.id in ("about_title", "attachments_title"):  # their headings
            lines.append(
                next(
                    (
                        i
                        for i, ln in enumerate(all_lines, 1)
                        if re.match(r"^#{1,6}\s+" + re.escape(u.text), ln)
                    ),
                    0,
                )
            )
        else:
            lines.append(keys.get(u.id, 0))
    return lines


def units_at(lines: Sequence[int], wanted: Collection[int]) -> tuple[set[int], set[int]]:
    """Units holding each wanted line: the last unit starting at or before it. Returns
    (unit indices, lines that fall before every unit)."""
    order = sorted((ln, i) for i, ln in enumerate(lines) if ln)
    found: set[int] = set()
    missing: set[int] = set()
    for line in wanted:
        hit = [i for ln, i in order if ln <= line]
        if hit:
            found.add(hit[-1])
        else:
            missing.add(line)
    return found, missing


def sync_file(
    source: Release,
    source_snapshot: Snapshot,
    target_path: Path,
    tgt: Lang,
    *,
    matcher: Matcher | None,
    translate: Callable[[], TranslateFn],
    model_id: Callable[[], str] = lambda: "",
    target_snapshot: Snapshot | None = None,
    target_release: Release | None = None,
    write: bool = True,
    accept: Collection[int] | None = None,
    keep: Collection[int] | None = None,
    accept_all: bool = False,
    keep_all: bool = False,
    edit_target: Callable[[Release], Release] | None = None,
    abbreviations: str = "first-mention",
) -> FileSync:
    """Plan the sync of one translation file (see the module docstring).

    ``accept`` / ``keep`` are line numbers of the file as it is now whose pending
    reviews are resolved (``accept_all`` / ``keep_all``: every one). With ``write=False`` the
    translation is only computed (for a pack), its files are neither read nor planned.

    ``target_release`` is the translation parsed from ``target_snapshot`` when the caller
    has it already (the build reads every file once). ``edit_target`` changes the
    translation as read before the sync sees it: imported
    post-edits (XLIFF, review DOCX) go in this way and are then treated exactly like a
    person's edits of the file — kept, recorded as human, written only where they change
    lines, and not at all if the file changed meanwhile.
    """
    from toolkit.sources import load_release
    from toolkit.sources.markdown import dump_markdown, encode_like, patch_markdown
    from toolkit.translation.sync import sync_translation

    if write:
        target_snap = target_snapshot if target_snapshot is not None else read_snapshot(target_path)
        mem_snap = read_snapshot(memory_path(target_path), MEMORY_BYTES)
    else:
        target_snap, mem_snap = Snapshot(target_path, None), Snapshot(memory_path(target_path), None)
    memory = read_memory(mem_snap.path, mem_snap.data)
    target: Release | None = None
    old_text = ""
    if target_snap.data is not None:
        target = (
            target_release
            if target_release is not None and target_snapshot is not None
            else load_release(target_path, data=target_snap.data).release
        )
        old_text = target_snap.data.decode("utf-8-sig", "replace").replace("\r\n", "\n")
    read_as = target
    if edit_target is not None and target is not None:
        target = edit_target(target)
    in_units = units_of(read_as) if read_as is not None else []
    in_lines = unit_lines(old_text, in_units) if target is not None else []
    accept_units: set[int] = set()
    keep_units: set[int] = set()
    if accept_all:
        accept_units = set(range(len(in_units)))
    if keep_all:
        keep_units = set(range(len(in_units)))
    if accept:
        accept_units |= units_at(in_lines, accept)[0]
    if keep:
        keep_units |= units_at(in_lines, keep)[0]

    result = sync_translation(
        source,
        target,
        memory,
        tgt,
        matcher=matcher,
        translate=translate,
        target_path=str(target_path),
        model_id=model_id,
        accept=accept_units,
        keep=keep_units,
        abbreviations=abbreviations,
    )
    review_lines = tuple(sorted({in_lines[i] for i in result.review_units if i < len(in_lines)}))
    if result.blocked:
        return FileSync(
            target_path,
            source_snapshot,
            target_snap,
            mem_snap,
            release=result.release,
            findings=tuple(result.located(in_lines)),
            blocked=True,
            review_lines=review_lines,
            unit_starts=tuple(in_lines),
        )
    new_bytes: bytes | None = None
    unchanged = read_as is not None and [(u.id, u.text) for u in result.units] == [
        (u.id, u.text) for u in in_units
    ]
    if unchanged and target_snap.data is not None:
        new_bytes, lines = target_snap.data, in_lines  # nothing to patch, nothing to parse again
    else:
        if read_as is not None and target_snap.data is not None:
            patched = patch_markdown(old_text, read_as, result.release)
            text = (
                patched if patched is not None else dump_markdown(result.release, translation_of=source.lang)
            )
            new_bytes = encode_like(text, target_snap.data)
        else:
            text = dump_markdown(result.release, translation_of=source.lang)
            new_bytes = text.encode("utf-8")
        try:
            written = load_release(target_path, data=new_bytes).release
            lines = unit_lines(text, units_of(written))
        except PresspackError:
            lines = []
    memory_bytes = result.memory.to_json().encode("utf-8")
    target_bytes = new_bytes if new_bytes != target_snap.data else None
    if not write:
        target_bytes = None
        memory_bytes = b""
    return FileSync(
        target_path,
        source_snapshot,
        target_snap,
        mem_snap,
        release=result.release,
        findings=tuple(result.located(lines)),
        engine_findings=tuple(result.engine_findings),
        target_bytes=target_bytes,
        memory_bytes=None if (not write or memory_bytes == mem_snap.data) else memory_bytes,
        translated=result.translated,
        kept=result.kept,
        term_updates=result.term_updates,
        accepted=result.accepted,
        review_lines=review_lines,
        unit_starts=tuple(in_lines),
        extra_inputs=(
            {
                target_path.name: hashlib.sha256(new_bytes).hexdigest(),
                mem_snap.path.name: hashlib.sha256(result.memory.to_json().encode("utf-8")).hexdigest(),
            }
            if write
            else {}
        ),
    )


def apply_sync(plan: FileSync, *, again: str = "run the build again") -> list[Path]:
    """Write a planned sync, unless a file it was planned from has changed meanwhile.

    The translation file goes first, its memory second: if the process dies in
    between, the next sync sees presspack's new text as a person's edit — kept,
    never lost (the other order could make stale text look reviewed).
    """
    writes = plan.writes
    if not writes or plan.blocked:
        return []
    planned = {
        plan.source.path: (plan.source.data, None),
        plan.target.path: (plan.target.data, plan.target_bytes),
        plan.memory_file.path: (plan.memory_file.data, plan.memory_bytes),
    }

    def now(path: Path) -> bytes | None:
        try:
            return read_snapshot(path, MEMORY_BYTES if path == plan.memory_file.path else None).data
        except PresspackError:
            return b"\0"  # grown past a cap (or unreadable): certainly not what was planned from

    def unchanged(path: Path) -> bool:
        before, ours = planned[path]
        current = now(path)
        return current == before or (ours is not None and current == ours)

    def guard() -> None:
        for path in planned:
            if not unchanged(path):
                raise ChangedWhileRunning(path, again)

    written: list[Path] = []
    with release_lock(plan.target_path.parent):
        guard()
        for path, data in writes:
            if now(path) == data:
                continue  # another run already wrote exactly this
            write_bytes_atomic(path, data, check=guard)
            written.append(path)
    return written
