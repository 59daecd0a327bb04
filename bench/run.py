"""presspack benchmarks with budgets.

    python bench/run.py --quick --json   # CI: JSON list on stdout, exit 1 if a budget is missed
    python bench/run.py                  # full: more repetitions, writes BENCHMARKS.md

Every command is timed in a fresh (cold) process, the way a user starts it;
inputs are generated into a temporary folder (the repository's releases/ and
out/ are only read, never written). See bench/README.md for what each metric
means and why the budgets are what they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_core import BUDGETS, Metric, exit_code, median, metric, skipped, table  # noqa: E402
from bench_data import (  # noqa: E402
    CORPUS_DIR,
    english_sentences,
    korean_prose,
    korean_sentences,
    make_releases,
    realistic_terms,
)

BATCH_SIZE = 100
GLOSSARY_SIZE = 20_000
SMALL_GLOSSARY = 200


@dataclass(frozen=True)
class Reps:
    cli: int
    glossary: int
    pack: int
    batch: int
    noop: int
    translate: int
    first_run: int


QUICK = Reps(cli=7, glossary=5, pack=3, batch=1, noop=2, translate=3, first_run=1)
FULL = Reps(cli=21, glossary=15, pack=9, batch=2, noop=5, translate=5, first_run=2)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Proc:
    wall: float
    returncode: int
    maxrss_mb: float  # peak RSS of the process and the descendants it waited for
    stdout: bytes
    stderr: bytes

    def tail(self, lines: int = 5) -> str:
        text = self.stderr.decode("utf-8", "replace").strip().splitlines()
        return " | ".join(text[-lines:])


def run(cmd: Sequence[str], env: dict[str, str], cwd: Path) -> Proc:
    """Run ``cmd`` in a fresh process; wall time and peak RSS from ``wait4``.

    ``wait4`` gives this child's own rusage, so earlier children never leak
    into the peak (``RUSAGE_CHILDREN`` would report the maximum over all).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Proc(wall, proc.returncode, usage.ru_maxrss / 1024, out.read(), err.read())


def console_script() -> Path:
    """The venv's ``presspack`` next to the running interpreter."""
    path = Path(sys.executable).parent / "presspack"
    if not path.exists():
        raise SystemExit(f"Error: {path} not found — run 'pip install -e .' in this venv first")
    return path


_GUARD = '''\
"""Loaded by the bench's translate processes: any non-local connection fails loudly."""
import socket

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _allowed(sock, address):
    return sock.family == getattr(socket, "AF_UNIX", None)


def _deny_connect(self, address):
    if not _allowed(self, address):
        raise OSError(f"network access blocked by the presspack bench: {address!r}")
    return _connect(self, address)


def _deny_connect_ex(self, address):
    if not _allowed(self, address):
        raise OSError(f"network access blocked by the presspack bench: {address!r}")
    return _connect_ex(self, address)


socket.socket.connect = _deny_connect
socket.socket.connect_ex = _deny_connect_ex
'''


def base_env(work: Path) -> dict[str, str]:
    """A private HOME/XDG/argos/font-cache world inside ``work``, proxies pointed nowhere."""
    from toolkit.testing import isolated_argos_env

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESSPACK_", "ARGOS_"))}
    env.update(isolated_argos_env(work / "iso"))
    env["PRESSPACK_CACHE_DIR"] = str(work / "presspack-cache")
    for key in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[key] = "http://127.0.0.1:9"  # discard port: any attempt fails fast
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    env["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
    env["PYTHONHASHSEED"] = "0"
    # Installed packages run from cached bytecode; this sandbox sets
    # PYTHONDONTWRITEBYTECODE, which would make every process recompile presspack.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _with_sitecustomize(env: dict[str, str], folder: Path, code: str) -> dict[str, str]:
    """``env`` whose processes load ``code`` as their sitecustomize (written to ``folder``)."""
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(code, "utf-8")
    out = dict(env)
    out["PYTHONPATH"] = str(folder) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return out


def guarded_env(env: dict[str, str], work: Path) -> dict[str, str]:
    """``env`` plus a sitecustomize that blocks sockets (used for both translate sides)."""
    return _with_sitecustomize(env, work / "netguard", _GUARD)


_RECORD = '''\
"""Loaded by the bench's one untimed recording run: writes what presspack hands its engine."""
import json
import os

import toolkit.mt.engine as _engine

_translate_batch = _engine.CTranslate2Translator.translate_batch
_calls = []


def _recording(self, sentences, *, num_hypotheses=1):
    _calls.append(list(sentences))
    with open(os.environ["BENCH_ENGINE_INPUT"], "w", encoding="utf-8") as fh:
        json.dump([s for call in _calls for s in call], fh, ensure_ascii=False)
    return _translate_batch(self, sentences, num_hypotheses=num_hypotheses)


_engine.CTranslate2Translator.translate_batch = _recording
'''


def recording_env(env: dict[str, str], work: Path, record: Path) -> dict[str, str]:
    """``env`` plus a sitecustomize that blocks sockets and records presspack's engine input."""
    out = _with_sitecustomize(env, work / "record", _GUARD + "\n" + _RECORD)
    out["BENCH_ENGINE_INPUT"] = str(record)
    return out


def build_cmd(*args: str) -> list[str]:
    return [
        str(console_script()),
        "build",
        *args,
        "--templates",
        str(ROOT / "templates"),
        "--glossary",
        str(ROOT / "glossary.csv"),
    ]


def spread(values: Sequence[float]) -> str:
    return f"min {min(values):.3f}, max {max(values):.3f}, n={len(values)}"


# --------------------------------------------------------------------------- registry


@dataclass
class Context:
    """What every benchmark group gets: the isolated env, a work folder, repetitions."""

    env: dict[str, str]
    work: Path
    reps: Reps
    _samples: tuple[list[Path], list[str]] | None = None

    def samples(self) -> tuple[list[Path], list[str]]:
        """Copies of the sample releases that build without MT (probed once; warms the font cache)."""
        if self._samples is None:
            self._samples = probe_samples(self.env, self.work)
        return self._samples


@dataclass(frozen=True)
class Group:
    name: str
    metrics: tuple[str, ...]
    run: Callable[[Context], list[Metric]]
    needs_samples: bool = False


#: Benchmark groups in run order. Adding a benchmark = its budget in
#: bench_core.BUDGETS plus one function decorated with @group here.
GROUPS: dict[str, Group] = {}


def group(
    name: str, *metrics: str, needs_samples: bool = False
) -> Callable[[Callable[[Context], list[Metric]]], Callable[[Context], list[Metric]]]:
    """Register a benchmark group measuring ``metrics`` (each must have a budget)."""

    def register(fn: Callable[[Context], list[Metric]]) -> Callable[[Context], list[Metric]]:
        unknown = [m for m in metrics if m not in BUDGETS]
        if unknown:
            raise KeyError(f"no budget for {', '.join(unknown)} in bench_core.BUDGETS")
        GROUPS[name] = Group(name, metrics, fn, needs_samples)
        return fn

    return register


# --------------------------------------------------------------------------- metrics


@group("cli_start_s", "cli_start_s")
def bench_cli_start(ctx: Context) -> list[Metric]:
    reps = ctx.reps.cli
    log(f"cli_start_s: presspack --help x{reps}")
    cmd = [str(console_script()), "--help"]
    warm = run(cmd, ctx.env, ctx.work)  # also writes the bytecode cache, as a first use would
    if warm.returncode != 0:
        return [metric("cli_start_s", None, f"presspack --help failed: {warm.tail()}")]
    times = [run(cmd, ctx.env, ctx.work).wall for _ in range(reps)]
    return [metric("cli_start_s", median(times), f"median of cold processes ({spread(times)})", times)]


@group("glossary", "glossary_match_chars_per_s", "glossary_scaling_ratio")
def bench_glossary(ctx: Context) -> list[Metric]:
    """In-process: Matcher built first, only ``find`` over ~1 MB of Korean is timed."""
    from toolkit.terminology.glossary import Entry, Glossary, load_glossary
    from toolkit.terminology.matcher import Matcher

    reps = ctx.reps.glossary
    log("glossary: generating text and a 20,000-entry glossary with realistic terms")
    real = list(load_glossary(ROOT / "glossary.csv").entries)
    synthetic = realistic_terms([e.ko for e in real], GLOSSARY_SIZE - len(real), {e.ko for e in real})
    first_line = max((e.line for e in real), default=1) + 1
    entries = real + [
        Entry(ko=ko, en=en, category="term", line=first_line + i) for i, (ko, en) in enumerate(synthetic)
    ]
    sentences, sources = korean_sentences(ROOT)
    text, inserted = korean_prose(sentences, [ko for ko, _ in synthetic])
    big = Matcher(Glossary(tuple(entries)), "ko")
    # The small glossary holds the entries this text really uses (most frequent
    # first, topped up with other real entries), so both runs do the same
    # matching work and the ratio isolates glossary *size*; a 200-entry list
    # that never matches would measure the cost of the matches instead.
    used = Counter(m.entry for m in big.find(text))
    chosen = [e for e, _ in sorted(used.items(), key=lambda kv: (-kv[1], kv[0].line))][:SMALL_GLOSSARY]
    chosen_set = set(chosen)
    chosen += [e for e in real if e not in chosen_set][: SMALL_GLOSSARY - len(chosen)]
    small = Matcher(Glossary(tuple(chosen)), "ko")
    used_in_small = sum(1 for e in chosen if e in used)
    real_only = Matcher(Glossary(tuple(real)), "ko")  # diagnostic: real entries only
    heads = Counter(e.ko[:2] for e in entries)
    top_heads = ", ".join(f"{h} {n:,}" for h, n in heads.most_common(4))

    matchers = {"big": big, "small": small, "real": real_only}
    log(f"glossary: find() x{reps} with {len(entries)} and {SMALL_GLOSSARY} entries, interleaved")
    for matcher in matchers.values():
        matcher.find(text)  # warm-up (the first call pays one-off costs)
    times: dict[str, list[float]] = {name: [] for name in matchers}
    counts: dict[str, int] = {}
    for _ in range(reps):  # interleaved: a burst of load on a shared machine hits all three alike
        for name, matcher in matchers.items():
            start = time.perf_counter()
            counts[name] = len(matcher.find(text))
            times[name].append(time.perf_counter() - start)
    big_times, big_found = times["big"], counts["big"]
    small_times, small_found = times["small"], counts["small"]
    real_times, real_found = times["real"], counts["real"]
    chars = len(text)
    corpus = "with" if CORPUS_DIR.is_dir() else "without"
    throughput = metric(
        "glossary_match_chars_per_s",
        chars / median(big_times),
        (
            f"{chars:,} chars ({len(text.encode()):,} UTF-8 bytes) from {len(sentences)} sentences of "
            f"{len(sources)} files ({corpus} the shared news corpus), {inserted:,} synthetic-term "
            f"insertions; {len(entries):,} entries, synthetic ones shaped like the real glossary "
            f"({len(heads):,} distinct first-two-syllable heads; biggest: {top_heads}); "
            f"{big_found:,} matches; median find() {median(big_times) * 1000:.1f} ms "
            f"(best {min(big_times) * 1000:.1f} ms, n={reps})"
        ),
        big_times,
    )
    ratio = metric(
        "glossary_scaling_ratio",
        min(big_times) / min(small_times),
        (
            f"best-of-{reps} find(): {min(big_times) * 1000:.1f} ms with {len(entries):,} entries "
            f"({big_found:,} matches) / {min(small_times) * 1000:.1f} ms with {SMALL_GLOSSARY} entries, "
            f"{used_in_small} of them among the {len(used)} entries the text uses "
            f"({small_found:,} matches); for comparison all "
            f"{len(real)} real entries: {min(real_times) * 1000:.1f} ms ({real_found:,} matches), "
            f"20,000 vs {len(real)}: {min(big_times) / min(real_times):.2f}x"
        ),
    )
    return [throughput, ratio]


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".presspack.lock"
    }


def probe_samples(env: dict[str, str], work: Path) -> tuple[list[Path], list[str]]:
    """Sample releases that build without MT (copies; the first run also warms the font cache)."""
    usable: list[Path] = []
    notes: list[str] = []
    base = work / "samples"
    for sample in sorted(p for p in (ROOT / "releases").iterdir() if list(p.glob("release.*.md"))):
        copy = base / sample.name
        shutil.copytree(sample, copy, ignore=shutil.ignore_patterns("*.tm.json"))
        log(f"probe: building sample {sample.name} (warm-up)")
        result = run(build_cmd(str(copy), "--out", str(work / "probe-out")), env, work)
        if result.returncode == 0:
            usable.append(copy)
        else:
            notes.append(f"sample {sample.name} excluded: it does not build without MT ({result.tail(1)})")
            log(notes[-1])
    return usable, notes


@group("first_run_fonts_s", "first_run_fonts_s", needs_samples=True)
def bench_first_run(ctx: Context) -> list[Metric]:
    """A new user's first `presspack build` of every sample: empty font cache, fonts made on the way."""
    samples, _ = ctx.samples()
    times: list[float] = []
    same = True
    for i in range(ctx.reps.first_run):
        env = dict(ctx.env, PRESSPACK_CACHE_DIR=str(ctx.work / f"first-run-cache-{i}"))
        out = ctx.work / f"first-run-out-{i}"
        log(
            f"first_run_fonts_s: presspack build of {len(samples)} samples with an empty font cache ({i + 1})"
        )
        result = run(build_cmd(*map(str, samples), "--out", str(out)), env, ctx.work)
        if result.returncode != 0:
            return [metric("first_run_fonts_s", None, f"first build failed: {result.tail()}")]
        times.append(result.wall)
        digest = {k: v for k, v in _tree_digest(out).items() if k.endswith((".pdf", ".docx"))}
        probe = {k: v for k, v in _tree_digest(ctx.work / "probe-out").items() if k in digest}
        same = same and digest == probe and bool(digest)
    made = sorted(p.name for p in (ctx.work / "first-run-cache-0" / "fonts").glob("*.ttf"))
    return [
        metric(
            "first_run_fonts_s",
            median(times),
            (
                f"one 'presspack build' of {', '.join(s.name for s in samples)} (ko+en, DOCX+PDF) in a "
                f"fresh process with an empty PRESSPACK_CACHE_DIR; median ({spread(times)}); font "
                f"instances made: {', '.join(made)}; PDFs and DOCX byte-identical to those built "
                f"with the warm cache in other processes: {'yes' if same else 'NO'}"
            ),
            times,
        )
    ]


@group("pack_build_s", "pack_build_s", needs_samples=True)
def bench_pack(ctx: Context) -> list[Metric]:
    from toolkit.core.config import default_jobs

    samples, _ = ctx.samples()
    ko_first = sorted(samples, key=lambda s: "translation_of" in (s / "release.ko.md").read_text("utf-8"))
    sample, reps = ko_first[0], ctx.reps.pack
    log(f"pack_build_s: presspack build {sample.name} x{reps} (cold process, fresh --out)")
    times: list[float] = []
    for i in range(reps):
        result = run(build_cmd(str(sample), "--out", str(ctx.work / f"pack-out-{i}")), ctx.env, ctx.work)
        if result.returncode != 0:
            return [metric("pack_build_s", None, f"build failed: {result.tail()}")]
        times.append(result.wall)
    # The timed builds find the DOCX font subsets of this very text in the cache (the
    # probe made them), as a rebuild or an edit without new characters does. A release
    # with new characters makes its subsets first: measured too, and reported beside it.
    subsets = Path(ctx.env["PRESSPACK_CACHE_DIR"]) / "font-subsets"
    cold: list[float] = []
    for i in range(max(1, reps // 3)):
        shutil.rmtree(subsets, ignore_errors=True)
        result = run(build_cmd(str(sample), "--out", str(ctx.work / f"pack-cold-{i}")), ctx.env, ctx.work)
        if result.returncode != 0:
            return [metric("pack_build_s", None, f"build failed: {result.tail()}")]
        cold.append(result.wall)
    serial: list[float] = []
    for i in range(max(1, reps // 3)):
        args = (str(sample), "--out", str(ctx.work / f"pack-serial-{i}"), "--jobs", "1")
        result = run(build_cmd(*args), ctx.env, ctx.work)
        if result.returncode != 0:
            return [metric("pack_build_s", None, f"build failed: {result.tail()}")]
        serial.append(result.wall)
    langs = sorted(p.name.split(".")[1] for p in sample.glob("release.*.md"))
    return [
        metric(
            "pack_build_s",
            median(times),
            f"{sample.name} ({'+'.join(langs)}, DOCX+PDF+HWPX, no MT, user cache warm: fonts and "
            f"their metrics, prepared DOCX template), default --jobs ({default_jobs()} here); median "
            f"({spread(times)}); with --jobs 1 (one process): median {median(serial):.3f} s "
            f"({spread(serial)}); the same build with no cached DOCX font subsets (a release with "
            f"characters not seen before): median {median(cold):.3f} s ({spread(cold)})",
            times,
        )
    ]


@dataclass(frozen=True)
class BatchRun:
    jobs: int
    proc: Proc
    out: Path
    src: Path


def _batch_once(env: dict[str, str], work: Path, samples: list[Path], jobs: int, tag: str) -> BatchRun:
    # Same source path for every run: findings in manifests name their file, so
    # comparing --jobs 1 with --jobs 2 needs identical paths as well as identical bytes.
    src, out = work / "batch" / "src", work / "batch" / f"out-{tag}-j{jobs}"
    if src.exists():
        shutil.rmtree(src)  # fresh sources: the first build also writes translation memories
    make_releases(samples, src, BATCH_SIZE)
    log(f"batch: {BATCH_SIZE} releases, --jobs {jobs} ({tag})")
    proc = run(build_cmd(str(src), "--out", str(out), "--jobs", str(jobs), "--json"), env, work)
    return BatchRun(jobs, proc, out, src)


def _built_count(proc: Proc) -> tuple[int, int]:
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return -1, -1
    return len(data.get("built", [])), len(data.get("up_to_date", []))


@group("batch", "batch_build_per_release_s", "noop_rebuild_100_s", "peak_rss_mb", needs_samples=True)
def bench_batch(ctx: Context) -> list[Metric]:
    env, work, reps = ctx.env, ctx.work, ctx.reps
    samples, _ = ctx.samples()
    runs: list[BatchRun] = []
    for r in range(reps.batch):
        for jobs in (1, 2):
            run_ = _batch_once(env, work, samples, jobs, f"r{r}")
            if run_.proc.returncode != 0 or _built_count(run_.proc)[0] != BATCH_SIZE:
                why = run_.proc.tail()
                return [
                    metric(name, None, f"--jobs {jobs} build of {BATCH_SIZE} releases failed: {why}")
                    for name in ("batch_build_per_release_s", "noop_rebuild_100_s", "peak_rss_mb")
                ]
            runs.append(run_)
    one = [r for r in runs if r.jobs == 1]
    two = [r for r in runs if r.jobs == 2]
    t1 = median([r.proc.wall for r in one])
    t2 = median([r.proc.wall for r in two])
    same = _tree_digest(one[0].out) == _tree_digest(two[0].out)
    names = sorted({s.name for s in samples})
    detail = (
        f"{BATCH_SIZE} generated variants of {', '.join(names)}; one 'presspack build DIR --jobs 1' "
        f"process: {t1:.2f} s total (median of {reps.batch}), reported; for comparison --jobs 2: "
        f"{t2:.2f} s ({t2 / BATCH_SIZE:.3f} s/release); outputs of --jobs 1 and 2 "
        f"{'byte-identical' if same else 'DIFFER'}"
    )
    batch = metric("batch_build_per_release_s", t1 / BATCH_SIZE if same else None, detail)

    log(f"noop_rebuild_100_s: unchanged rebuild x{reps.noop}")
    noop_times: list[float] = []
    target = one[0]
    for _ in range(reps.noop):
        proc = run(build_cmd(str(target.src), "--out", str(target.out), "--json"), env, work)
        built, fresh = _built_count(proc)
        if proc.returncode != 0 or built != 0 or fresh != BATCH_SIZE:
            noop = metric(
                "noop_rebuild_100_s",
                None,
                f"rebuild was not a no-op (built {built}, up to date {fresh}): {proc.tail()}",
            )
            break
        noop_times.append(proc.wall)
    else:
        noop = metric(
            "noop_rebuild_100_s",
            median(noop_times),
            f"second run over the same {BATCH_SIZE} releases, all up to date; median ({spread(noop_times)})",
            noop_times,
        )

    rss1 = max(r.proc.maxrss_mb for r in one)
    rss2 = max(r.proc.maxrss_mb for r in two)
    rss = metric(
        "peak_rss_mb",
        rss1,
        f"max RSS of the --jobs 1 build of {BATCH_SIZE} releases (wait4 rusage); with --jobs 2 the "
        f"largest single process peaked at {rss2:.0f} MB (parent and 2 workers run at once)",
    )
    return [batch, noop, rss]


_ARGOS_SIDE = '''\
"""argostranslate's own translate() on a Korean release, offline (bench helper).

argostranslate 1.11 has no offline sentence splitter for a package without a
bundled SBD model: ARGOS_CHUNK_TYPE=ARGOSTRANSLATE/DEFAULT and MINISBD use
MiniSBD, which downloads ko.onnx on first use; STANZA downloads stanza
resources; SPACY needs spacy plus a downloaded model; NONE raises
NotImplementedError. So MiniSBDSentencizer.split_sentences (lazy: it downloads
only when called) is replaced by a trivial regex splitter. Everything else -
imports, package discovery, CTranslate2 translator, tokenization, beam
search, detokenization - is argos' own code path.
"""
import re
import sys

import argostranslate.sbd
import argostranslate.translate

_BREAK = re.compile(r"(?<=[.?!])\\s+")


def split_sentences(self, text):
    return [s for s in _BREAK.split(text) if s.strip()]


argostranslate.sbd.MiniSBDSentencizer.split_sentences = split_sentences

text = open(sys.argv[1], encoding="utf-8").read()
out = argostranslate.translate.translate(text, "ko", "en")
sys.stdout.write(out + "\\n")
'''


def _plain_text(release_md: Path) -> str:
    """Title, subtitle and body of a Markdown release as plain paragraphs (argos' input)."""
    from toolkit.sources import load_release

    release = load_release(release_md).release
    parts = [release.meta.title, release.meta.subtitle or ""]
    parts += [b.text for b in release.body]
    if release.about_title:
        parts.append(release.about_title)
    parts += [b.text for b in release.about]
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


_CT2_SIDE = '''\
"""The floor for presspack translate: the same sentences through bare CTranslate2 (bench helper).

Fresh process: import ctranslate2 + sentencepiece, load the package, encode,
translate_batch with presspack's beam size and threads, decode, print.
"""
import json
import sys

import ctranslate2
import sentencepiece

package, sentences_file, threads, beam = sys.argv[1:5]
with open(sentences_file, encoding="utf-8") as fh:
    sentences = json.load(fh)
sp = sentencepiece.SentencePieceProcessor(model_file=package + "/sentencepiece.model")
model = ctranslate2.Translator(package + "/model", device="cpu", inter_threads=1, intra_threads=int(threads))
results = model.translate_batch(sp.encode(sentences, out_type=str), beam_size=int(beam))
sys.stdout.write("\\n".join(sp.decode(r.hypotheses[0]) for r in results) + "\\n")
'''

ARGOS_MISSING = (
    "argostranslate is not installed in this venv (it is the optional extra presspack[argos], "
    "which pulls torch). For this metric use a separate bench venv: python3 -m venv .venv-bench "
    "&& . .venv-bench/bin/activate && pip install torch==2.13.0 && pip install -e '.[argos,test]' "
    "&& python bench/run.py --only translate (an unpinned torch is a 5 GB CUDA build)"
)


def _bench_cache() -> Path:
    """Where the realistic model is kept between runs (the real user's cache, not the sandbox's)."""
    env = os.environ.get("PRESSPACK_BENCH_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "presspack-bench"


def _sentences(release_md: Path) -> list[str]:
    """The Korean sentences presspack sends to the engine for this release."""
    from toolkit.sources import load_release
    from toolkit.translation.memory import segments_of, units_of

    release = load_release(release_md).release
    return [seg for u in units_of(release) for seg in segments_of(u.text, "ko") if seg.strip()]


def _timed_pairs(
    cmds: dict[str, list[str]], env: dict[str, str], cwd: Path, reps: int
) -> tuple[dict[str, list[float]], str]:
    """Median-ready wall times of each command, interleaved, after one warm-up round each."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for i in range(reps + 1):
        for name, cmd in cmds.items():
            proc = run(cmd, env, cwd)
            if proc.returncode != 0 or not proc.stdout.strip():
                return times, f"{name} failed: {proc.tail()}"
            if i:  # the first round only warms the OS file cache
                times[name].append(proc.wall)
    return times, ""


@group("translate", "translate_overhead_vs_ct2_ratio", "translate_vs_argos_ratio", needs_samples=True)
def bench_translate(ctx: Context) -> list[Metric]:
    import importlib.util

    import bench_model

    from toolkit.mt.engine import DEFAULT_BEAM_SIZE

    names = ("translate_overhead_vs_ct2_ratio", "translate_vs_argos_ratio")
    samples, _ = ctx.samples()
    ko_sources = [s for s in samples if "translation_of" not in (s / "release.ko.md").read_text("utf-8")]
    if not ko_sources:
        return [metric(n, None, "no Korean-source sample release builds") for n in names]
    folder = ctx.work / "translate"
    folder.mkdir()
    source = folder / "release.ko.md"
    shutil.copyfile(ko_sources[0] / "release.ko.md", source)
    plain = folder / "release.ko.txt"
    plain.write_text(_plain_text(source), "utf-8")
    sentences = _sentences(source)
    (folder / "sentences.json").write_text(json.dumps(sentences, ensure_ascii=False), "utf-8")
    (folder / "argos_side.py").write_text(_ARGOS_SIDE, "utf-8")
    (folder / "ct2_side.py").write_text(_CT2_SIDE, "utf-8")

    corpus, _ = korean_sentences(ROOT)
    english, _ = english_sentences(ROOT)
    package, shape = bench_model.cached_package(_bench_cache(), corpus + english, log)
    tenv = guarded_env(ctx.env, ctx.work)
    installed = run([str(console_script()), "models", "install", str(package)], tenv, folder)
    if installed.returncode != 0:
        return [metric(n, None, f"models install failed: {installed.tail()}") for n in names]
    pkg_dir = Path(tenv["ARGOS_PACKAGES_DIR"]) / "translate-ko_en-1_1"
    threads = str(min(4, os.cpu_count() or 1))  # what presspack's engine uses
    presspack_cmd = [
        str(console_script()),
        "translate",
        str(source),
        "--to",
        "en",
        "-o",
        "-",
        "--glossary",
        str(ROOT / "glossary.csv"),
    ]
    # What presspack hands the engine: the sentences with the approved English names
    # already in place of the Korean ones. The copy model decodes its input, so the
    # floor must decode these very sentences, or it would decode the (shorter) Korean
    # names and charge presspack for decoding the longer English ones.
    engine_input = folder / "engine_input.json"
    recorded = run(presspack_cmd, recording_env(ctx.env, ctx.work, engine_input), folder)
    if recorded.returncode != 0 or not engine_input.is_file():
        failed = f"recording presspack's engine input failed: {recorded.tail()}"
        return [metric(n, None, failed) for n in names]
    engine_sentences = json.loads(engine_input.read_text("utf-8"))

    def bare(sentences_file: Path) -> list[str]:
        return [
            sys.executable,
            str(folder / "ct2_side.py"),
            str(pkg_dir),
            str(sentences_file),
            threads,
            str(DEFAULT_BEAM_SIZE),
        ]

    cmds = {
        "presspack translate": presspack_cmd,
        "bare ctranslate2": bare(engine_input),
        "bare ctranslate2 (source sentences)": bare(folder / "sentences.json"),
    }
    has_argos = importlib.util.find_spec("argostranslate") is not None
    if has_argos:
        cmds["argostranslate"] = [sys.executable, str(folder / "argos_side.py"), str(plain)]
    reps = ctx.reps.translate
    log(f"translate: {', '.join(cmds)} x{reps} (+1 warm-up each), fresh processes")
    times, error = _timed_pairs(cmds, tenv, folder, reps)
    if error:
        return [metric(n, None, error) for n in names]
    model = (
        f"realistic-size ko→en model built by bench/bench_model.py ({shape['layers']}+{shape['layers']} "
        f"layers, d{shape['d_model']}, {shape['heads']} heads, FFN {shape['ffn']}, "
        f"{shape['vocab']:,}-piece SentencePiece, int8), whose output is its input so every tool "
        f"decodes the same length; {ko_sources[0].name}/release.ko.md, {len(sentences)} sentences; "
        f"sockets blocked"
    )
    pp = median(times["presspack translate"])
    ct2 = median(times["bare ctranslate2"])
    ct2_source = median(times["bare ctranslate2 (source sentences)"])
    out = [
        metric(
            "translate_overhead_vs_ct2_ratio",
            pp / ct2,
            (
                f"{model}; presspack translate FILE --to en -o - --glossary glossary.csv (glossary "
                f"enforcement with {DEFAULT_BEAM_SIZE} hypotheses checked, QA, Markdown out): median "
                f"{pp:.3f} s; bare translate_batch of the same {len(sentences)} sentences, beam "
                f"{DEFAULT_BEAM_SIZE}, {threads} threads, in a fresh process incl. imports and model "
                f"load, given the {len(engine_sentences)} sentences presspack's engine receives (the "
                f"approved English names already substituted): median {ct2:.3f} s (n={reps}); the same "
                f"on the Korean source sentences, where the copy model decodes the shorter Korean "
                f"names instead: median {ct2_source:.3f} s (ratio {pp / ct2_source:.2f})"
            ),
            times["presspack translate"],
        )
    ]
    if not has_argos:
        out.append(skipped("translate_vs_argos_ratio", ARGOS_MISSING))
        return out
    ar = median(times["argostranslate"])
    out.append(
        metric(
            "translate_vs_argos_ratio",
            pp / ar,
            (
                f"{model}; presspack translate: median {pp:.3f} s; argostranslate.translate."
                f"translate(text, 'ko', 'en') on the same title/subtitle/body as plain paragraphs, "
                f"fresh process, MiniSBD splitter replaced by a regex split because argos 1.11 has "
                f"no offline splitter for this package: median {ar:.3f} s (n={reps})"
            ),
            times["presspack translate"],
        )
    )
    return out


# --------------------------------------------------------------------------- report


def _versions() -> dict[str, str]:
    result: dict[str, str] = {}
    for name in ("presspack", "ctranslate2", "reportlab", "python-docx", "argostranslate", "sentencepiece"):
        try:
            result[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            result[name] = "not installed"
    return result


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version(),
        "OS": platform.platform(),
        "load average (1/5/15 min, at the end)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_benchmarks_md(metrics: Sequence[Metric], path: Path) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `python bench/run.py` (full mode). Budgets and metric definitions: "
        "[bench/README.md](bench/README.md).",
        "",
        f"Measured on {dt.datetime.now(dt.UTC).date().isoformat()} at commit `{_git_head()}` "
        "(plus any uncommitted changes in the tree).",
        "",
        table(metrics, markdown=True).rstrip(),
        "",
        "## Details",
        "",
    ]
    lines += [f"- **{m.name}**: {m.skipped or m.detail}" for m in metrics if m.detail or m.skipped]
    lines += ["", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in machine().items()]
    lines += ["- packages: " + ", ".join(f"{k} {v}" for k, v in _versions().items())]
    lines += [
        "",
        "## Reproduce",
        "",
        "```bash",
        ". .venv/bin/activate",
        "python bench/run.py                 # full run, rewrites BENCHMARKS.md",
        "python bench/run.py --quick --json  # CI variant (< 3 min), JSON on stdout, exit 1 on a miss",
        "```",
        "",
    ]
    path.write_text("\n".join(lines), "utf-8")


@group("long_paragraph", "long_paragraph_100k_s", "long_paragraph_linearity")
def bench_long_paragraph(ctx: Context) -> list[Metric]:
    """One unpunctuated 100,000-character paragraph through the copy model (bench_long_paragraph.py)."""
    import bench_long_paragraph

    langs = ("ko",) if ctx.reps == QUICK else ("ko", "en")  # Korean is the slower direction
    return bench_long_paragraph.measure(ctx.work / "long-paragraph", langs=langs)


@group("pdf_long_paragraph", "pdf_long_paragraph_160k_s", "pdf_long_paragraph_linearity")
def bench_pdf_long_paragraph(ctx: Context) -> list[Metric]:
    """In-process: the PDF of a Korean release whose body is one paragraph of 40,000 and of
    160,000 characters (about 25 and 100 pages), fonts loaded first; only render_pdf is timed.

    Reportlab wrapped a paragraph again from each page break on (8 s for 160,000 characters,
    quadratic); the renderer now lays it out once in pieces of lines (pdf._in_pieces).
    """
    from toolkit.core.document import Block, Meta, Release
    from toolkit.core.inline import escape
    from toolkit.render.pdf import render_pdf
    from toolkit.render.style import load_style

    style = load_style(ROOT / "templates")
    sentences, _ = korean_sentences(ROOT)

    def release(chars: int) -> Release:
        words: list[str] = []
        size = 0
        for i in itertools.count():
            sentence = sentences[i % len(sentences)]
            words.append(sentence)
            size += len(sentence) + 1
            if size >= chars:
                break
        meta = Meta(
            title="긴 문단", lang="ko", date=dt.date(2026, 11, 5), organization="창원특례시", dateline="창원"
        )
        return Release(meta=meta, body=(Block("paragraph", escape(" ".join(words)), 8),))

    render_pdf(release(2_000), style)  # fonts and reportlab's parses loaded, as in a build
    reps = max(1, ctx.reps.pack // 3)
    times: dict[int, float] = {}
    for chars in (40_000, 160_000):
        doc = release(chars)
        runs = []
        for _ in range(reps):
            started = time.perf_counter()
            render_pdf(doc, style)
            runs.append(time.perf_counter() - started)
        times[chars] = median(runs)
    log(f"pdf_long_paragraph: 40k {times[40_000]:.2f} s, 160k {times[160_000]:.2f} s")
    return [
        metric(
            "pdf_long_paragraph_160k_s", times[160_000], f"median of {reps}; one 160,000-character paragraph"
        ),
        metric(
            "pdf_long_paragraph_linearity",
            times[160_000] / (4 * times[40_000]),
            "time(160k) / (4 x time(40k)); 1.0 is linear",
        ),
    ]


# --------------------------------------------------------------------------- main


def measure(reps: Reps, only: set[str], work: Path) -> list[Metric]:
    ctx = Context(base_env(work), work, reps)
    metrics: list[Metric] = []
    for g in GROUPS.values():
        if g.name not in only:
            continue
        if g.needs_samples:
            samples, notes = ctx.samples()
            note = ("; " + "; ".join(notes)) if notes else ""
            if not samples:
                metrics.extend(
                    metric(n, None, "no sample release builds without MT" + note) for n in g.metrics
                )
                continue
        else:
            note = ""
        for m in g.run(ctx):
            metrics.append(replace(m, detail=m.detail + note) if m.detail else m)
    return metrics


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="presspack benchmarks with budgets")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI, < 3 min)")
    parser.add_argument("--json", action="store_true", help="print only a JSON list on stdout")
    parser.add_argument("--only", default="", help=f"comma list of groups: {','.join(GROUPS)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()} or set(GROUPS)
    unknown = only - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")
    reps = QUICK if args.quick else FULL
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="presspack-bench-"))
    try:
        metrics = measure(reps, only, work)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log(f"done in {time.perf_counter() - started:.1f} s")
    if args.json:
        print(json.dumps([m.to_json() for m in metrics], ensure_ascii=False, indent=2))
    else:
        print(table(metrics), end="")
        for m in metrics:
            if m.detail or m.skipped:
                print(f"- {m.name}: {m.skipped or m.detail}")
    if not args.quick and only == set(GROUPS):
        write_benchmarks_md(metrics, ROOT / "BENCHMARKS.md")
        log(f"wrote {ROOT / 'BENCHMARKS.md'}")
    return exit_code(metrics)


if __name__ == "__main__":
    sys.exit(main())
