"""Release packs: sources → validated releases → DOCX + PDF + HWPX + manifest.json.

Like ``mkdocs build``: read everything, validate all, then write. A release
is rebuilt only when one of its inputs changed (a content-hash key, never
mtimes); outputs are written atomically and the cache last, so a crash
leaves the previous pack intact and the next build redoes the work.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.build import fast
from toolkit.build._fork import Worker, can_fork
from toolkit.build.cache import Output, cached_outputs, read_cache, sha256_bytes, write_cache
from toolkit.build.fast import FastHit
from toolkit.build.plan import (
    BuildOptions,
    ReleaseJob,
    ReleasePlan,
    issuer_warnings,
    load_release_set,
    portable,
)
from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.config import usable_cores
from toolkit.core.document import LANGS, Finding, Lang, Release
from toolkit.core.errors import PresspackError, Problem, SourceError, problem
from toolkit.sources import LoadedRelease, ReleaseSet, discover
from toolkit.translation.filesync import ChangedWhileRunning, Snapshot

if TYPE_CHECKING:
    from toolkit.render.style import HouseStyle

__all__ = ["BuildOptions", "BuildResult", "Output", "ReleaseJob", "build"]

LOCK_NAME = ".presspack.lock"


MANIFEST_NAME = "manifest.json"


FORMATS = ("docx", "pdf", "hwpx")  # every format a pack can hold, in manifest order


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # with --check / --dry-run
    diffs: list[str] = field(default_factory=list)  # translation-file changes (dry run)
    errors: list[Problem] = field(default_factory=list)  # releases that could not be built now (exit 1)
    blocked: list[str] = field(default_factory=list)  # translation files left untouched (exit 1)

    def to_json(self) -> dict[str, Any]:
        return {
            "outputs": [o.to_json() for o in self.outputs],
            "findings": [f.to_json() for f in self.findings],
            "warnings": [
                {"file": w.file, "line": w.line, "message": w.what, "fix": w.fix} for w in self.warnings
            ],
            "errors": [
                {"file": e.file, "line": e.line, "message": e.what, "fix": e.fix} for e in self.errors
            ],
            "built": self.built,
            "up_to_date": self.up_to_date,
            "stale": self.stale,
        }


def render_release(
    release: Release, templates: Path, style_name: str, formats: Sequence[str] = FORMATS
) -> dict[str, bytes]:
    """The release in each of ``formats`` (renderers imported only when asked for)."""
    from toolkit.render.style import load_style

    return _render(release, load_style(templates, style_name), formats)


def _render(release: Release, style: HouseStyle, formats: Sequence[str]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "docx":
            from toolkit.render.docx import render_docx

            out[fmt] = render_docx(release, style)
        elif fmt == "pdf":
            from toolkit.render.pdf import render_pdf

            out[fmt] = render_pdf(release, style)
        elif fmt == "hwpx":
            from toolkit.render.hwpx import render_hwpx

            out[fmt] = render_hwpx(release, style)
    return out


def _render_job(args: tuple[ReleaseJob, HouseStyle, tuple[str, ...]]) -> dict[str, dict[str, bytes]]:
    """One pack's renders; the house style is read once per build, not once per release."""
    job, style, formats = args
    return {r.lang: _render(r, style, formats) for r in job.releases}


# The renderers whose one-time setup is worth doing early, in the children that render them.
_EARLY_GROUPS: tuple[tuple[str, ...], ...] = (("docx",), ("pdf",))


def _warm(formats: tuple[str, ...], style: HouseStyle, langs: tuple[Lang, ...]) -> None:
    if "pdf" in formats:
        from toolkit.render.pdf import warm as warm_pdf

        warm_pdf(style)
    if "docx" in formats:
        from toolkit.render.docx import warm as warm_docx

        warm_docx(style, langs)


if TYPE_CHECKING:
    _Work = tuple[ReleaseJob, HouseStyle, tuple[str, ...]]  # one pack's renders: what, how, which formats


class _EarlyRenderers:
    """One release built with ``--jobs`` > 1: its heavy renders beside its planning.

    As soon as the build knows that a single release needs a full plan, forked
    children do the one-time setup of the heavy renderers (python-docx's import and
    template, reportlab's fonts: ~140 ms of work) on the other core while this process
    reads and plans; then they render the DOCX and PDF files while this process renders
    the rest (HWPX). A child that fails leaves its formats to this process, which then
    raises the real error, if there is one; the bytes are the same either way.
    """

    def __init__(self) -> None:
        self._workers: list[tuple[tuple[str, ...], Worker[_Work, dict[str, dict[str, bytes]]]]] = []
        self._name: str | None = None

    def start(
        self, rs: ReleaseSet, style: HouseStyle, formats: tuple[str, ...], langs: tuple[str, ...] | None
    ) -> None:
        from toolkit.render.fonts import fonts_cached

        groups = [g for g in (tuple(f for f in group if f in formats) for group in _EARLY_GROUPS) if g]
        # A first run makes the font instances on every core first (_prepare_fonts).
        if not groups or not can_fork() or not fonts_cached():
            return
        from toolkit.core.inline import markdown_parser

        # Made here, before the fork, as reading the sources needs it next anyway:
        # every renderer reads inline Markdown too, and would make its own (~25 ms).
        markdown_parser()
        warm_langs = tuple(lang for lang in LANGS if lang in (langs or rs.files))
        self._name = rs.name
        for group in groups:
            self._workers.append((group, Worker(partial(_warm, group, style, warm_langs), _render_job)))

    def serves(self, job: ReleaseJob) -> bool:
        return bool(self._workers) and job.name == self._name

    def render(self, args: _Work) -> dict[str, dict[str, bytes]]:
        job, style, formats = args
        mine = [(tuple(f for f in group if f in formats), w) for group, w in self._workers]
        for group, worker in mine:
            worker.send((job, style, group))
        theirs = {f for group, _ in mine for f in group}
        parts = [_render_job((job, style, tuple(f for f in formats if f not in theirs)))]
        for group, worker in mine:
            got = worker.result()
            parts.append(got if got is not None else _render_job((job, style, group)))
        self.close()
        merged = {lang: {f: d for part in parts for f, d in part[lang].items()} for lang in parts[0]}
        return {lang: {f: merged[lang][f] for f in formats} for lang in merged}

    def close(self) -> None:
        for _, worker in self._workers:
            worker.close()
        self._workers.clear()


def parse_formats(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``"docx,hwpx"`` → ``("docx", "hwpx")`` in manifest order; None/empty → the style's default."""
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    wanted = [p.strip().lower() for p in parts if p.strip()]
    if not wanted:
        return None
    bad = [f for f in wanted if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown format '{bad[0]}'; use any of {','.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in wanted)


def _worker_init() -> None:
    """Render workers leave Ctrl-C to the parent (which reports it once), instead of each
    printing a KeyboardInterrupt traceback; they only render, the parent writes."""
    from toolkit.core.interrupts import release_after_fork

    release_after_fork()


def output_path(out: Path, name: str, lang: str, fmt: str) -> Path:
    return out / name / f"{name}.{lang}.{fmt}"


def write_pack(job: ReleaseJob, rendered: dict[str, dict[str, bytes]], out: Path) -> list[Output]:
    outputs: list[Output] = []
    for lang in sorted(rendered):
        for fmt in FORMATS:
            path = output_path(out, job.name, lang, fmt)
            if fmt not in rendered[lang]:
                # a format no longer asked for: an old file would be stale output
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            data = rendered[lang][fmt]
            write_bytes_atomic(path, data)
            outputs.append(Output(job.name, lang, fmt, path, sha256_bytes(data)))
    manifest = {
        "toolkit": {"name": "presspack", "version": __version__},
        "release": job.name,
        "languages": sorted(rendered),
        "inputs": [{"name": n, "sha256": s} for n, s in job.inputs],
        "outputs": [
            {"file": o.path.name, "lang": o.lang, "format": o.format, "sha256": o.sha256} for o in outputs
        ],
        "findings": [portable(f).to_json() for f in job.findings],
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")
    mpath = out / job.name / MANIFEST_NAME
    write_bytes_atomic(mpath, data)
    outputs.append(Output(job.name, "", "manifest", mpath, sha256_bytes(data)))
    return outputs


@dataclass
class _Release:
    """One release of this run: found up to date from its recorded inputs, or planned."""

    rs: ReleaseSet
    hit: FastHit | None = None
    loaded: dict[str, LoadedRelease] = field(default_factory=dict)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    folder_names: list[str] = field(default_factory=list)  # listing before anything was read
    sidecars: dict[str, str] = field(default_factory=dict)  # YAML beside an HWPX source: name → sha256
    plan: ReleasePlan | None = None


def build(
    paths: Sequence[Path],
    options: BuildOptions,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Build release packs for PATHS into ``options.out``."""
    early = _EarlyRenderers()
    try:
        return _build(paths, options, early, progress)
    finally:
        early.close()  # unused, or Ctrl-C/an error on the way: the children are stopped


def _build(
    paths: Sequence[Path],
    options: BuildOptions,
    early: _EarlyRenderers,
    progress: Callable[[int, int, str], None] | None,
) -> BuildResult:
    from toolkit.build.inputs import BuildInputs

    result = BuildResult()
    sets = discover(paths)
    names = [rs.name for rs in sets]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SourceError(
            [
                problem(
                    rs.folder,
                    None,
                    f"two releases are named '{rs.name}'",
                    "rename one of the folders",
                )
                for rs in sets
                if rs.name in dupes
            ]
        )
    if options.langs:
        bad = [lang for lang in options.langs if lang not in LANGS]
        if bad:
            raise PresspackError(f"unknown language {bad[0]!r}; use ko, en or ko,en")

    inputs = BuildInputs.create(options.templates, options.style, options.glossary)
    house = inputs.house
    if options.formats is None:
        options = replace(options, formats=house.output.formats)
    formats: tuple[str, ...] = options.formats or FORMATS

    # 0. a release whose recorded inputs are unchanged is up to date without being read
    run = fast.run_key(
        [
            inputs.base_key(),
            "formats:" + ",".join(formats),
            "langs:" + ",".join(options.langs or ()),
            f"allow_mt:{options.allow_mt}",
        ],
        inputs.glossary_path,
    )
    known = read_cache(options.out).get("releases", {})
    releases = [_Release(rs, fast.lookup(run, rs, known.get(rs.name), options.out)) for rs in sets]
    pending = [r for r in releases if r.hit is None]
    if len(pending) == 1 and options.jobs > 1 and not (options.check or options.dry_run):
        early.start(pending[0].rs, house, formats, options.langs)
    if pending:
        _ = inputs.glossary  # a broken glossary is reported before anything else is read

    # 1. read and validate everything before writing anything
    problems: list[Problem] = []
    for r in releases:
        if r.hit is not None:
            result.warnings.extend(r.hit.warnings)
            continue
        r.folder_names = fast.listing(r.rs.folder)
        for path in r.rs.files.values():
            for name in fast.sidecars(path):
                digest = fast.file_sha256(r.rs.folder / name) if name in r.folder_names else None
                if digest is not None:
                    r.sidecars[name] = digest
        r.loaded, errs = load_release_set(r.rs, r.snapshots)
        r.loaded = issuer_warnings(r.loaded, house)  # recorded with the others for no-op rebuilds
        problems.extend(errs)
        for lr in r.loaded.values():
            result.warnings.extend(lr.warnings)
    if problems:
        raise SourceError(problems)

    # 2. decide what each release needs (translation, rendering) and its cache key
    from toolkit.build.plan import plan_release

    for r in releases:
        if r.hit is not None:
            result.findings.extend(r.hit.findings)
            continue
        plan = plan_release(r.rs, r.loaded, options, inputs, r.snapshots)
        result.findings.extend(plan.findings)
        result.errors.extend(plan.errors)
        result.blocked.extend(f"{r.rs.name}: {b}" for b in plan.blocked)
        if plan.errors:
            continue  # nothing of this release is written or rendered
        r.plan = plan
        result.diffs.extend(plan.diffs)
    planned = [r for r in releases if r.plan is not None or r.hit is not None]

    # 3. skip what is up to date, render the rest (optionally in parallel)
    from filelock import FileLock

    options.out.mkdir(parents=True, exist_ok=True)
    with FileLock(str(options.out / LOCK_NAME)):
        cache = read_cache(options.out)
        releases_cache: dict[str, Any] = cache.setdefault("releases", {})
        todo: list[_Release] = []
        fresh: list[_Release] = []  # up to date after a full plan: their record may be new
        for r in planned:
            if r.hit is not None:
                result.up_to_date.append(r.rs.name)
                result.outputs.extend(r.hit.outputs)
                continue
            plan = _plan(r)
            job = plan.job
            valid = cached_outputs(options.out, job.name, releases_cache.get(job.name), job.key)
            if valid is not None and not plan.writes and not plan.needs_mt and not plan.blocked:
                result.up_to_date.append(job.name)
                result.outputs.extend(valid)
                fresh.append(r)
            else:
                todo.append(r)
                if options.check or options.dry_run:
                    reasons = [f"{p.name} would change" for p, _ in plan.writes] + plan.needs_mt
                    reasons += plan.blocked
                    if valid is None:
                        reasons.append("pack out of date")
                    result.stale.append(f"{job.name}: {'; '.join(reasons)}")
        if options.check or options.dry_run:
            return result
        applied: list[_Release] = []
        for r in todo:
            try:
                _plan(r).apply()  # translation files and their memories: guarded, atomic
                applied.append(r)
            except ChangedWhileRunning as exc:
                result.errors.extend(exc.problems)  # someone saved meanwhile: this release waits
        todo = applied
        dirty = False
        for r in fresh:
            entry = releases_cache.get(r.rs.name)
            recorded = _record(run, r)
            if isinstance(entry, dict) and entry.get("fast") != recorded:
                entry["fast"] = recorded
                if recorded is None:
                    del entry["fast"]
                dirty = True
        rendered_all: list[dict[str, dict[str, bytes]]]
        work = [(_plan(r).job, house, formats) for r in todo]
        if todo and ("pdf" in formats or "docx" in formats):
            _prepare_fonts()
        if options.jobs > 1 and len(todo) > 1:
            from concurrent.futures import ProcessPoolExecutor  # 25 ms of imports: only when used

            from toolkit.core.interrupts import interrupts_held_for_fork

            with ProcessPoolExecutor(max_workers=options.jobs, initializer=_worker_init) as pool:
                rendered_all = []
                try:
                    with interrupts_held_for_fork():  # the first submit forks every worker
                        renders = pool.map(_render_job, work)
                    for done, (r, rendered) in enumerate(zip(todo, renders, strict=True), 1):
                        rendered_all.append(rendered)
                        if progress:
                            progress(done, len(todo), r.rs.name)
                except BaseException:  # Ctrl-C: drop queued renders instead of waiting for them
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        else:
            rendered_all = []
            for done, item in enumerate(work, 1):
                rendered_all.append(early.render(item) if early.serves(item[0]) else _render_job(item))
                if progress:
                    progress(done, len(todo), item[0].name)
        last_write = time.monotonic()
        for r, rendered in zip(todo, rendered_all, strict=True):
            job = _plan(r).job
            outs = write_pack(job, rendered, options.out)
            result.outputs.extend(outs)
            result.built.append(job.name)
            entry = {
                "key": job.key,
                "outputs": [
                    {"file": o.path.name, "lang": o.lang, "format": o.format, "sha256": o.sha256}
                    for o in outs
                ],
            }
            recorded = _record(run, r)
            if recorded is not None:
                entry["fast"] = recorded
            releases_cache[job.name] = entry
            dirty = True
            # the cache is written last, after the pack it describes; every second is
            # enough (a crash loses at most that much, which the next build redoes)
            if time.monotonic() - last_write >= CACHE_WRITE_INTERVAL_S:
                write_cache(options.out, cache)
                last_write, dirty = time.monotonic(), False
        if dirty:
            write_cache(options.out, cache)
    result.outputs.sort(key=lambda o: (o.release, o.lang, o.format))
    return result


CACHE_WRITE_INTERVAL_S = 1.0


def _prepare_fonts() -> None:
    """A first run's font instances, made on every core this process may use (one-time
    setup, whatever ``--jobs``: the renders would otherwise make them one after another)."""
    from toolkit.render.fonts import fonts_cached, prepare_instances

    if not fonts_cached():
        prepare_instances(usable_cores())


def _plan(r: _Release) -> ReleasePlan:
    assert r.plan is not None
    return r.plan


def _record(run: str | None, r: _Release) -> dict[str, Any] | None:
    """The recorded inputs of a release planned in full, or None when its plan depends on
    more than files (the engine) or did not come through whole."""
    plan = r.plan
    if run is None or plan is None or plan.used_engine or plan.errors or plan.blocked or plan.needs_mt:
        return None
    folder = Path(r.rs.folder)
    written = [p.name for p, _ in plan.writes if p.parent == folder]
    warnings = [w for lr in r.loaded.values() for w in lr.warnings]
    files = {**plan.files, **r.sidecars}
    return fast.record(run, r.rs, files, [*r.folder_names, *written], plan.findings, warnings)
