"""Release packs: sources → validated releases → DOCX + PDF + HWPX + manifest.json.

Like ``mkdocs build``: read everything, validate all, then write. A release
is rebuilt only when one of its inputs changed (a content-hash key, never
mtimes); outputs are written atomically and the cache last, so a crash
leaves the previous pack intact and the next build redoes the work.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.build.cache import Output, cached_outputs, read_cache, sha256_bytes, write_cache
from toolkit.build.plan import BuildOptions, ReleaseJob, load_release_set, portable
from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.document import LANGS, Finding, Release
from toolkit.core.errors import PresspackError, Problem, SourceError, problem
from toolkit.sources import LoadedRelease, ReleaseSet, discover
from toolkit.translation.filesync import ChangedWhileRunning, Snapshot

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

    style = load_style(templates, style_name)
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


def _render_job(args: tuple[ReleaseJob, Path, str, tuple[str, ...]]) -> dict[str, dict[str, bytes]]:
    job, templates, style_name, formats = args
    return {r.lang: render_release(r, templates, style_name, formats) for r in job.releases}


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
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


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


def build(
    paths: Sequence[Path],
    options: BuildOptions,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Build release packs for PATHS into ``options.out``."""
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
    if options.formats is None:
        from toolkit.render.style import load_style

        options = replace(options, formats=load_style(options.templates, options.style).output.formats)
    formats: tuple[str, ...] = options.formats or FORMATS

    # 1. read and validate everything before writing anything
    problems: list[Problem] = []
    per_release: list[tuple[ReleaseSet, dict[str, LoadedRelease], dict[str, Snapshot]]] = []
    for rs in sets:
        snapshots: dict[str, Snapshot] = {}
        loaded, errs = load_release_set(rs, snapshots)
        problems.extend(errs)
        per_release.append((rs, loaded, snapshots))
        for lr in loaded.values():
            result.warnings.extend(lr.warnings)
    if problems:
        raise SourceError(problems)

    # 2. decide what each release needs (translation, rendering) and its cache key
    from toolkit.build.plan import plan_release

    plans = []
    for rs, loaded, snapshots in per_release:
        plan = plan_release(rs, loaded, options, inputs, snapshots)
        result.findings.extend(plan.findings)
        result.errors.extend(plan.errors)
        result.blocked.extend(f"{rs.name}: {b}" for b in plan.blocked)
        if plan.errors:
            continue  # nothing of this release is written or rendered
        plans.append(plan)
        result.diffs.extend(plan.diffs)

    # 3. skip what is up to date, render the rest (optionally in parallel)
    from filelock import FileLock

    options.out.mkdir(parents=True, exist_ok=True)
    with FileLock(str(options.out / LOCK_NAME)):
        cache = read_cache(options.out)
        releases_cache: dict[str, Any] = cache.setdefault("releases", {})
        todo: list[ReleaseJob] = []
        for plan in plans:
            job = plan.job
            valid = cached_outputs(options.out, job.name, releases_cache.get(job.name), job.key)
            if valid is not None and not plan.writes and not plan.needs_mt and not plan.blocked:
                result.up_to_date.append(job.name)
                result.outputs.extend(valid)
            else:
                todo.append(job)
                if options.check or options.dry_run:
                    reasons = [f"{p.name} would change" for p, _ in plan.writes] + plan.needs_mt
                    reasons += plan.blocked
                    if valid is None:
                        reasons.append("pack out of date")
                    result.stale.append(f"{job.name}: {'; '.join(reasons)}")
        if options.check or options.dry_run:
            return result
        for plan in plans:
            try:
                plan.apply()  # translation files and their memories: guarded, atomic
            except ChangedWhileRunning as exc:
                result.errors.extend(exc.problems)  # someone saved meanwhile: this release waits
                todo = [job for job in todo if job is not plan.job]
        rendered_all: list[dict[str, dict[str, bytes]]]
        work = [(job, options.templates, options.style, formats) for job in todo]
        if options.jobs > 1 and len(todo) > 1:
            from concurrent.futures import ProcessPoolExecutor  # 25 ms of imports: only when used

            with ProcessPoolExecutor(max_workers=options.jobs, initializer=_worker_init) as pool:
                rendered_all = []
                try:
                    for done, (job, rendered) in enumerate(
                        zip(todo, pool.map(_render_job, work), strict=True), 1
                    ):
                        rendered_all.append(rendered)
                        if progress:
                            progress(done, len(todo), job.name)
                except BaseException:  # Ctrl-C: drop queued renders instead of waiting for them
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        else:
            rendered_all = []
            for done, item in enumerate(work, 1):
                rendered_all.append(_render_job(item))
                if progress:
                    progress(done, len(todo), item[0].name)
        for job, rendered in zip(todo, rendered_all, strict=True):
            outs = write_pack(job, rendered, options.out)
            result.outputs.extend(outs)
            result.built.append(job.name)
            releases_cache[job.name] = {
                "key": job.key,
                "outputs": [
                    {"file": o.path.name, "lang": o.lang, "format": o.format, "sha256": o.sha256}
                    for o in outs
                ],
            }
            write_cache(options.out, cache)
    result.outputs.sort(key=lambda o: (o.release, o.lang, o.format))
    return result
