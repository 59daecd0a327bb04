"""Release packs: sources → validated releases → DOCX + PDF + manifest.json.

Like ``mkdocs build``: read everything, validate all, then write. A release
is rebuilt only when one of its inputs changed (a content-hash key, never
mtimes); outputs are written atomically and the cache last, so a crash
leaves the previous pack intact and the next build redoes the work.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.atomic import write_bytes_atomic
from toolkit.document import LANGS, Finding, Release
from toolkit.errors import PresspackError, Problem, SourceError, problem
from toolkit.sources import LoadedRelease, ReleaseSet, discover, load_release

CACHE_NAME = ".presspack-cache.json"
LOCK_NAME = ".presspack.lock"
MANIFEST_NAME = "manifest.json"
FORMATS = ("docx", "pdf")


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


@dataclass(frozen=True)
class Output:
    release: str
    lang: str
    format: str
    path: Path
    sha256: str

    def to_json(self) -> dict[str, str]:
        return {
            "release": self.release,
            "lang": self.lang,
            "format": self.format,
            "path": str(self.path),
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class ReleaseJob:
    """Everything needed to render one release pack; picklable for --jobs."""

    name: str
    releases: tuple[Release, ...]
    inputs: tuple[tuple[str, str], ...]  # (name, sha256) of every input
    key: str
    findings: tuple[Finding, ...] = ()


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # with --check / --dry-run
    diffs: list[str] = field(default_factory=list)  # translation-file changes (dry run)

    def to_json(self) -> dict[str, Any]:
        return {
            "outputs": [o.to_json() for o in self.outputs],
            "findings": [f.to_json() for f in self.findings],
            "warnings": [
                {"file": w.file, "line": w.line, "message": w.what, "fix": w.fix} for w in self.warnings
            ],
            "built": self.built,
            "up_to_date": self.up_to_date,
            "stale": self.stale,
        }


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- loading


def load_release_set(rs: ReleaseSet) -> tuple[dict[str, LoadedRelease], list[Problem]]:
    """Load every language file of a release; collect problems instead of stopping."""
    loaded: dict[str, LoadedRelease] = {}
    problems: list[Problem] = []
    for lang, path in rs.files.items():
        try:
            lr = load_release(path, expected_lang=lang or None)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        loaded[lr.release.lang] = lr
    for lang, lr in loaded.items():
        if lr.translation_of and lr.translation_of not in loaded:
            problems.append(
                problem(
                    lr.release.source_path,
                    None,
                    f"translation_of: {lr.translation_of}, but the release has no {lr.translation_of} source",
                    f"add release.{lr.translation_of}.md or remove translation_of",
                )
            )
        _ = lang
    return loaded, problems


def source_lang_of(loaded: dict[str, LoadedRelease]) -> str:
    for lang, lr in sorted(loaded.items()):
        if lr.translation_of is None:
            return lang
    return sorted(loaded)[0]


# --------------------------------------------------------------------------- rendering


def render_release(release: Release, templates: Path, style_name: str) -> dict[str, bytes]:
    from toolkit.render_docx import render_docx
    from toolkit.render_pdf import render_pdf
    from toolkit.style import load_style

    style = load_style(templates, style_name)
    return {"docx": render_docx(release, style), "pdf": render_pdf(release, style)}


def _render_job(args: tuple[ReleaseJob, Path, str]) -> dict[str, dict[str, bytes]]:
    job, templates, style_name = args
    return {r.lang: render_release(r, templates, style_name) for r in job.releases}


def portable(finding: Finding) -> Finding:
    """A finding as stored in a pack: file names relative to the release folder,
    so the same release gives the same manifest wherever it is built."""
    return replace(finding, file=Path(finding.file).name) if finding.file else finding


def output_path(out: Path, name: str, lang: str, fmt: str) -> Path:
    return out / name / f"{name}.{lang}.{fmt}"


def write_pack(job: ReleaseJob, rendered: dict[str, dict[str, bytes]], out: Path) -> list[Output]:
    outputs: list[Output] = []
    for lang in sorted(rendered):
        for fmt in FORMATS:
            data = rendered[lang][fmt]
            path = output_path(out, job.name, lang, fmt)
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


# --------------------------------------------------------------------------- cache


def _read_cache(out: Path) -> dict[str, Any]:
    """A corrupt or foreign cache is ignored (rebuilt), never trusted."""
    path = out / CACHE_NAME
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("releases"), dict):
        return {}
    return data


def _write_cache(out: Path, cache: dict[str, Any]) -> None:
    cache["format"] = 1
    data = json.dumps(cache, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes_atomic(out / CACHE_NAME, data.encode("utf-8"))


def _cached_outputs_valid(out: Path, name: str, entry: Any, key: str) -> list[Output] | None:
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    outputs: list[Output] = []
    for item in entry.get("outputs", []):
        try:
            path = out / name / str(item["file"])
            digest = str(item["sha256"])
            if not path.is_file() or sha256_file(path) != digest:
                return None
            outputs.append(Output(name, str(item.get("lang", "")), str(item["format"]), path, digest))
        except (KeyError, TypeError, OSError):
            return None
    return outputs or None


# --------------------------------------------------------------------------- build


def build(
    paths: Sequence[Path],
    options: BuildOptions,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Build release packs for PATHS into ``options.out``."""
    from toolkit.inputs import BuildInputs

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

    # 1. read and validate everything before writing anything
    problems: list[Problem] = []
    per_release: list[tuple[ReleaseSet, dict[str, LoadedRelease]]] = []
    for rs in sets:
        loaded, errs = load_release_set(rs)
        problems.extend(errs)
        per_release.append((rs, loaded))
        for lr in loaded.values():
            result.warnings.extend(lr.warnings)
    if problems:
        raise SourceError(problems)

    # 2. decide what each release needs (translation, rendering) and its cache key
    from toolkit.regenerate import plan_release

    plans = []
    for rs, loaded in per_release:
        plan = plan_release(rs, loaded, options, inputs)
        plans.append(plan)
        result.findings.extend(plan.findings)
        result.diffs.extend(plan.diffs)

    # 3. skip what is up to date, render the rest (optionally in parallel)
    from filelock import FileLock

    options.out.mkdir(parents=True, exist_ok=True)
    with FileLock(str(options.out / LOCK_NAME)):
        cache = _read_cache(options.out)
        releases_cache: dict[str, Any] = cache.setdefault("releases", {})
        todo: list[ReleaseJob] = []
        for plan in plans:
            job = plan.job
            valid = _cached_outputs_valid(options.out, job.name, releases_cache.get(job.name), job.key)
            if valid is not None and not plan.writes and not plan.needs_mt:
                result.up_to_date.append(job.name)
                result.outputs.extend(valid)
            else:
                todo.append(job)
                if options.check or options.dry_run:
                    reasons = [f"{p.name} would change" for p, _ in plan.writes if p.suffix == ".md"]
                    reasons += plan.needs_mt
                    if not reasons or valid is None:
                        reasons.append("pack out of date")
                    result.stale.append(f"{job.name}: {'; '.join(reasons)}")
        if options.check or options.dry_run:
            return result
        for plan in plans:
            plan.apply()  # translation files and their memories, atomically
        rendered_all: list[dict[str, dict[str, bytes]]]
        work = [(job, options.templates, options.style) for job in todo]
        if options.jobs > 1 and len(todo) > 1:
            with ProcessPoolExecutor(max_workers=options.jobs) as pool:
                rendered_all = []
                for done, (job, rendered) in enumerate(
                    zip(todo, pool.map(_render_job, work), strict=True), 1
                ):
                    rendered_all.append(rendered)
                    if progress:
                        progress(done, len(todo), job.name)
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
            _write_cache(options.out, cache)
    result.outputs.sort(key=lambda o: (o.release, o.lang, o.format))
    return result


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


__all__ = [
    "BuildOptions",
    "BuildResult",
    "Output",
    "ReleaseJob",
    "build",
    "default_jobs",
    "replace",
]
