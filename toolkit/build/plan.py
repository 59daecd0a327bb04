"""Planning one release's rebuild: which languages, which translation-file
changes, and the content key that decides whether its pack is stale.

Nothing here writes: a plan's writes are applied by the builder only after
every release was read and validated (and never with ``--check``/``--dry-run``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.document import Block, Finding, Lang, Release
from toolkit.core.errors import ModelError, PresspackError, Problem, problem
from toolkit.sources import LoadedRelease, ReleaseSet
from toolkit.translation.filesync import (
    FileSync,
    Snapshot,
    apply_sync,
    load_snapshot,
    read_snapshot,
    sync_file,
)
from toolkit.translation.memory import MemoryFileError

if TYPE_CHECKING:
    from toolkit.build.inputs import BuildInputs
    from toolkit.mt.enforce import TranslateFn
    from toolkit.render.style import HouseStyle


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    langs: tuple[str, ...] | None = None
    templates: Path = Path("templates")
    style: str = "default"
    glossary: Path | None = None
    check: bool = False  # report what is stale, write nothing
    dry_run: bool = False  # like check, but also show translation-file diffs
    jobs: int = 1
    allow_mt: bool = True  # fill in missing languages with the engine when asked
    formats: tuple[str, ...] | None = None  # None: the house style's output.formats


@dataclass(frozen=True)
class ReleaseJob:
    """Everything needed to render one release pack; picklable for --jobs."""

    name: str
    releases: tuple[Release, ...]
    inputs: tuple[tuple[str, str], ...]  # (name, sha256) of every input
    key: str
    findings: tuple[Finding, ...] = ()


_ISSUER_FIX = {
    ".md": "add 'organization: …' to its front matter",
    ".markdown": "add 'organization: …' to its front matter",
    ".docx": "type a '보도자료 | <issuer>' table row at the top of the document",
}


def issuer_warnings(loaded: dict[str, LoadedRelease], house: HouseStyle) -> dict[str, LoadedRelease]:
    """A release that names no issuer is printed under the house style's: say so.

    The house default suits the press office's own releases, but a file from another
    body (a company's release to publish alongside) went out under the city's name with
    no word. An HWPX source says it itself when it reads one without an issuer.
    """
    out: dict[str, LoadedRelease] = {}
    for lang, lr in loaded.items():
        path = Path(lr.release.source_path)
        suffix = path.suffix.lower()
        if lr.release.meta.organization.strip() or suffix == ".hwpx":
            out[lang] = lr
            continue
        name = house.for_lang(lr.release.lang).organization
        what = f"names the house style's '{name}' as the issuer" if name else "names no issuer"
        fix = _ISSUER_FIX.get(suffix, "write it in Markdown with 'organization: …' in its front matter")
        line = 1 if suffix in (".md", ".markdown") else None
        warning = Problem(str(path), line, f"no organization: the pack {what}", fix, severity="warning")
        out[lang] = replace(lr, warnings=(*lr.warnings, warning))
    return out


def load_release_set(
    rs: ReleaseSet, snapshots: dict[str, Snapshot] | None = None
) -> tuple[dict[str, LoadedRelease], list[Problem]]:
    """Load every language file of a release; collect problems instead of stopping.

    Each file is read once: ``snapshots`` (when given) receives the bytes that were
    parsed, so the sync later compares the file on disk with exactly what it planned from.
    """
    loaded: dict[str, LoadedRelease] = {}
    problems: list[Problem] = []
    for lang, path in rs.files.items():
        try:
            snap = read_snapshot(path)
            lr = load_snapshot(snap, expected_lang=lang or None)
        except PresspackError as exc:
            problems.extend(exc.problems)
            continue
        loaded[lr.release.lang] = lr
        if snapshots is not None:
            snapshots[lr.release.lang] = snap
    for lr in loaded.values():
        if lr.translation_of and lr.translation_of not in loaded:
            problems.append(
                problem(
                    lr.release.source_path,
                    None,
                    f"translation_of: {lr.translation_of}, but the release has no {lr.translation_of} source",
                    f"add release.{lr.translation_of}.md or remove translation_of",
                )
            )
    return loaded, problems


def source_lang_of(loaded: dict[str, LoadedRelease]) -> str:
    for lang, lr in sorted(loaded.items()):
        if lr.translation_of is None:
            return lang
    return sorted(loaded)[0]


def portable(finding: Finding) -> Finding:
    """A finding as stored in a pack: file names relative to the release folder,
    so the same release gives the same manifest wherever it is built."""
    return replace(finding, file=Path(finding.file).name) if finding.file else finding


@dataclass
class ReleasePlan:
    job: ReleaseJob
    findings: list[Finding] = field(default_factory=list)
    syncs: list[FileSync] = field(default_factory=list)  # translation files to write
    diffs: list[str] = field(default_factory=list)
    needs_mt: list[str] = field(default_factory=list)  # with --check/--dry-run and no model
    errors: list[Problem] = field(default_factory=list)  # this release cannot be built now
    blocked: list[str] = field(default_factory=list)  # translation files left untouched (tm-structure)
    # files the plan read, by name in the release folder → sha256 as on disk once applied
    files: dict[str, str] = field(default_factory=dict)
    used_engine: bool = False  # a sentence was machine-translated: the plan depends on the model

    @property
    def writes(self) -> list[tuple[Path, bytes]]:
        return [w for fs in self.syncs for w in fs.writes]

    def apply(self) -> list[Path]:
        """Write the translation files and memories; nothing of this release if one changed."""
        written: list[Path] = []
        for fs in self.syncs:
            written.extend(apply_sync(fs))
        return written


def release_digest(release: Release) -> str:
    """Content hash of everything a renderer sees (not the file path)."""
    m = release.meta
    data = {
        "meta": [
            m.title,
            m.lang,
            m.subtitle,
            m.date.isoformat() if m.date else "",
            m.dateline,
            m.organization,
            m.copyright,
            m.contact,
            m.embargo,
            m.department,
            m.manager,
            m.manager_phone,
            m.contact_person,
            m.contact_phone,
            m.contact_email,
            m.release_time,
            m.distribution,
        ],
        "body": [_block_digest(b) for b in release.body],
        "about_title": release.about_title,
        "about": [_block_digest(b) for b in release.about],
        "attachments_title": release.attachments_title,
        "attachments": [_block_digest(b) for b in release.attachments],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _block_digest(b: Block) -> list[object]:
    rows = [list(r) for r in b.rows]
    return [b.kind, b.level, b.text, b.ordered, b.number, rows, list(b.align), b.src, b.title]


def plan_release(
    rs: ReleaseSet,
    loaded: dict[str, LoadedRelease],
    options: BuildOptions,
    inputs: BuildInputs,
    snapshots: dict[str, Snapshot] | None = None,
) -> ReleasePlan:
    snapshots = snapshots if snapshots is not None else {}
    src_lang = source_lang_of(loaded)
    source = loaded[src_lang].release
    langs = list(options.langs) if options.langs else sorted(loaded)
    findings: list[Finding] = []
    syncs: list[FileSync] = []
    diffs: list[str] = []
    needs_mt: list[str] = []
    errors: list[Problem] = []
    blocked: list[str] = []
    reported: list[Finding] = []  # shown to the user, not stored in the pack
    used_engine = False
    releases: dict[str, Release] = {}
    # every input as it will be on disk after this plan is applied
    input_hashes: dict[str, str] = {}
    for lang, loaded_release in sorted(loaded.items()):
        snap = snapshots.get(lang) or read_snapshot(Path(loaded_release.release.source_path))
        snapshots[lang] = snap
        input_hashes[snap.path.name] = snap.sha256

    for lang in langs:
        lr = loaded.get(lang)
        if lr is not None and lr.translation_of is None:
            releases[lang] = lr.release  # a source (or an independent original)
            continue
        # A single source file has no release folder to keep a translation in:
        # its translation goes into the pack only (run 'presspack translate' to
        # keep an editable translation file).
        in_memory_only = lr is None and "" in rs.files
        if lr is not None:
            target_path = Path(lr.release.source_path)
        elif in_memory_only:
            from toolkit.translation.files import default_output

            target_path = default_output(rs.files[""], lang)
        else:
            target_path = rs.folder / f"release.{lang}.md"
        tgt: Lang = "ko" if lang == "ko" else "en"
        if lr is None and not options.allow_mt:
            raise PresspackError(
                [
                    problem(
                        rs.folder,
                        None,
                        f"release has no '{lang}' translation",
                        "drop it from --lang or allow translation",
                    )
                ]
            )

        def translate_factory(src: str = src_lang, t: str = tgt) -> TranslateFn:
            translator = inputs.translator(src, t)

            def run(batch: list[str], n: int) -> list[list[str]]:
                return translator.translate_batch(batch, num_hypotheses=n)

            return run

        def model_id(src: str = src_lang, t: str = tgt) -> str:
            return inputs.translator(src, t).model_id

        try:
            fs = sync_file(
                source,
                snapshots[src_lang],
                target_path,
                tgt,
                matcher=inputs.matcher(src_lang),
                translate=translate_factory,
                model_id=model_id,
                target_snapshot=snapshots.get(lang) if lr is not None else None,
                target_release=lr.release if lr is not None else None,
                write=not in_memory_only,
                abbreviations=inputs.abbreviations,
            )
        except ModelError:
            if not (options.check or options.dry_run):
                raise
            # --check/--dry-run must work without a model: it is enough to know
            # that sentences need machine translation.
            needs_mt.append(f"{target_path.name} needs machine translation of changed sentences")
            if lr is not None:
                releases[lang] = lr.release
            continue
        except MemoryFileError as exc:
            errors.extend(exc.problems)  # never written over: a person must look at it
            continue
        findings.extend(fs.findings)
        reported.extend(fs.engine_findings)
        used_engine = used_engine or bool(fs.translated or fs.engine_findings)
        releases[lang] = fs.release
        if fs.blocked:
            blocked.append(f"{target_path.name} was left untouched (see the tm-structure error)")
            if lr is not None:
                input_hashes[target_path.name] = snapshots[lang].sha256
            continue
        if in_memory_only:
            continue
        syncs.append(fs)
        if fs.target_bytes is not None:
            diffs.append(fs.diff)
        input_hashes.update(fs.extra_inputs)

    # photos are inputs too: a replaced photo rebuilds the pack (and is named in the manifest)
    for lang in sorted(releases):
        for name, digest in _photo_hashes(releases[lang]):
            input_hashes[name] = digest
    files = dict(input_hashes)  # before the glossary's entry, which is not a file of the release
    key_h = hashlib.sha256(inputs.base_key().encode())
    key_h.update(("formats:" + ",".join(options.formats or ()) + "\0").encode())
    for lang in sorted(releases):
        key_h.update(f"{lang}:{release_digest(releases[lang])}\0".encode())
    if inputs.glossary_path is not None and inputs.glossary is not None:
        input_hashes[inputs.glossary_path.name] = _glossary_used_fp(inputs, source)
    key_h.update(json.dumps(sorted(input_hashes.items())).encode())
    key_h.update(
        json.dumps([portable(f).to_json() for f in findings], ensure_ascii=False, sort_keys=True).encode()
    )
    job = ReleaseJob(
        name=rs.name,
        releases=tuple(releases[lang] for lang in sorted(releases)),
        inputs=tuple(sorted(input_hashes.items())),
        key=key_h.hexdigest(),
        findings=tuple(findings),
    )
    return ReleasePlan(
        job=job,
        findings=findings + reported,
        syncs=syncs,
        diffs=[d for d in diffs if d],
        needs_mt=needs_mt,
        errors=errors,
        blocked=blocked,
        files=files,
        used_engine=used_engine,
    )


def _photo_hashes(release: Release) -> list[tuple[str, str]]:
    """(path relative to the release folder, sha256) of every photo file the release shows."""
    from toolkit.sources.images import ImageError, image_blocks, resolve

    folder = Path(release.source_path).parent if release.source_path else Path(".")
    out = []
    for block in image_blocks(release):
        name = block.src.partition("#")[0]
        try:
            path = resolve(folder, name)
            out.append((name, hashlib.sha256(path.read_bytes()).hexdigest()))
        except (ImageError, OSError):
            continue  # reported when the release was read
    return out


def _glossary_used_fp(inputs: BuildInputs, source: Release) -> str:
    """Fingerprint of the glossary entries this release's source uses.

    Only those entries count, and only what changes a translation (see
    :func:`toolkit.terminology.glossary.fingerprint`): editing a note or
    another release's term rebuilds nothing.
    """
    from toolkit.core.inline import plain
    from toolkit.terminology.glossary import fingerprint
    from toolkit.translation.memory import units_of

    matcher = inputs.matcher(source.lang)
    if matcher is None:
        return ""
    # units are inline Markdown: terms are matched in the visible text
    return fingerprint(m.entry for unit in units_of(source) for m in matcher.find(plain(unit.text)))
