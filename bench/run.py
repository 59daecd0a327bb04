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
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_core import Metric, exit_code, median, metric, table  # noqa: E402
from bench_data import (  # noqa: E402
    CORPUS_DIR,
    korean_prose,
    korean_sentences,
    make_releases,
    synthetic_terms,
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


QUICK = Reps(cli=7, glossary=5, pack=3, batch=1, noop=2, translate=3)
FULL = Reps(cli=21, glossary=15, pack=9, batch=2, noop=5, translate=7)


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
    return env


def guarded_env(env: dict[str, str], work: Path) -> dict[str, str]:
    """``env`` plus a sitecustomize that blocks sockets (used for both translate sides)."""
    guard = work / "netguard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(_GUARD, "utf-8")
    out = dict(env)
    out["PYTHONPATH"] = str(guard) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
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


# --------------------------------------------------------------------------- metrics


def bench_cli_start(env: dict[str, str], work: Path, reps: int) -> Metric:
    log(f"cli_start_s: presspack --help x{reps}")
    cmd = [str(console_script()), "--help"]
    warm = run(cmd, env, work)
    if warm.returncode != 0:
        return metric("cli_start_s", None, f"presspack --help failed: {warm.tail()}")
    times = [run(cmd, env, work).wall for _ in range(reps)]
    return metric("cli_start_s", median(times), f"median of cold processes ({spread(times)})", times)


def bench_glossary(reps: int) -> list[Metric]:
    """In-process: Matcher built first, only ``find`` over ~1 MB of Korean is timed."""
    from toolkit.terminology.glossary import Entry, Glossary, load_glossary
    from toolkit.terminology.matcher import Matcher

    log("glossary: generating text and a 20,000-entry glossary")
    real = list(load_glossary(ROOT / "glossary.csv").entries)
    synthetic = synthetic_terms(GLOSSARY_SIZE - len(real), {e.ko for e in real})
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
    real_only = Matcher(Glossary(tuple(real)), "ko")  # diagnostic: same hits, 35x fewer entries

    def timings(matcher: Matcher) -> tuple[list[float], int]:
        times: list[float] = []
        found = 0
        for _ in range(reps):
            start = time.perf_counter()
            found = len(matcher.find(text))
            times.append(time.perf_counter() - start)
        return times, found

    log(f"glossary: find() x{reps} with {len(entries)} and {SMALL_GLOSSARY} entries")
    timings(big)  # warm-up (first call pays one-off costs)
    big_times, big_found = timings(big)
    small_times, small_found = timings(small)
    real_times, real_found = timings(real_only)
    chars = len(text)
    corpus = "with" if CORPUS_DIR.is_dir() else "without"
    throughput = metric(
        "glossary_match_chars_per_s",
        chars / median(big_times),
        (
            f"{chars:,} chars ({len(text.encode()):,} UTF-8 bytes) from {len(sentences)} sentences of "
            f"{len(sources)} files ({corpus} the shared news corpus), {inserted:,} synthetic-term "
            f"insertions; {len(entries):,} entries; {big_found:,} matches; median find() "
            f"{median(big_times) * 1000:.1f} ms (best {min(big_times) * 1000:.1f} ms, n={reps})"
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


def bench_pack(env: dict[str, str], work: Path, sample: Path, reps: int) -> Metric:
    log(f"pack_build_s: presspack build {sample.name} x{reps} (cold process, fresh --out)")
    times: list[float] = []
    for i in range(reps):
        result = run(build_cmd(str(sample), "--out", str(work / f"pack-out-{i}")), env, work)
        if result.returncode != 0:
            return metric("pack_build_s", None, f"build failed: {result.tail()}")
        times.append(result.wall)
    langs = sorted(p.name.split(".")[1] for p in sample.glob("release.*.md"))
    return metric(
        "pack_build_s",
        median(times),
        f"{sample.name} ({'+'.join(langs)}, DOCX+PDF, no MT, font cache warm); median ({spread(times)})",
        times,
    )


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


def bench_batch(env: dict[str, str], work: Path, samples: list[Path], reps: Reps) -> list[Metric]:
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
    best_jobs, best = (1, t1) if t1 <= t2 or not same else (2, t2)
    names = sorted({s.name for s in samples})
    detail = (
        f"{BATCH_SIZE} generated variants of {', '.join(names)}; one 'presspack build DIR' process; "
        f"--jobs 1: {t1:.2f} s, --jobs 2: {t2:.2f} s total (median of {reps.batch}); reported --jobs "
        f"{best_jobs}; outputs of --jobs 1 and 2 {'byte-identical' if same else 'DIFFER (jobs 2 not used)'}"
    )
    batch = metric("batch_build_per_release_s", best / BATCH_SIZE, detail)

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


def _sentence_count(release_md: Path) -> int:
    from toolkit.sources import load_release
    from toolkit.translation.memory import segments_of, units_of

    release = load_release(release_md).release
    return sum(len(segments_of(u.text, "ko")) for u in units_of(release))


def bench_translate(env: dict[str, str], work: Path, samples: list[Path], reps: int) -> Metric:
    from toolkit.testing import build_copy_package

    ko_sources = [s for s in samples if "translation_of" not in (s / "release.ko.md").read_text("utf-8")]
    if not ko_sources:
        return metric("translate_vs_argos_ratio", None, "no Korean-source sample release builds")
    folder = work / "translate"
    folder.mkdir()
    source = folder / "release.ko.md"
    shutil.copyfile(ko_sources[0] / "release.ko.md", source)
    plain = folder / "release.ko.txt"
    plain.write_text(_plain_text(source), "utf-8")
    (folder / "argos_side.py").write_text(_ARGOS_SIDE, "utf-8")

    log("translate: building the ko→en copy model and installing it into the isolated argos dir")
    package = build_copy_package(work / "models", "ko", "en")
    tenv = guarded_env(env, work)
    installed = run([str(console_script()), "models", "install", str(package)], tenv, folder)
    if installed.returncode != 0:
        return metric("translate_vs_argos_ratio", None, f"models install failed: {installed.tail()}")

    pp_cmd = [
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
    argos_cmd = [sys.executable, str(folder / "argos_side.py"), str(plain)]
    pp_times: list[float] = []
    argos_times: list[float] = []
    log(f"translate: presspack translate vs argostranslate translate() x{reps} (+1 warm-up each)")
    for i in range(reps + 1):
        pp = run(pp_cmd, tenv, folder)
        ar = run(argos_cmd, tenv, folder)
        for name, proc in (("presspack translate", pp), ("argostranslate", ar)):
            if proc.returncode != 0 or not proc.stdout.strip():
                return metric("translate_vs_argos_ratio", None, f"{name} failed: {proc.tail()}")
        if i:  # the first round only warms the OS file cache
            pp_times.append(pp.wall)
            argos_times.append(ar.wall)
    pp_med, ar_med = median(pp_times), median(argos_times)
    return metric(
        "translate_vs_argos_ratio",
        pp_med / ar_med,
        (
            f"{ko_sources[0].name}/release.ko.md, {_sentence_count(source)} Korean sentences, ko→en copy "
            f"model (toolkit.testing) in an isolated ARGOS_PACKAGES_DIR, sockets blocked in both processes; "
            f"presspack translate FILE --to en -o - --glossary glossary.csv (project glossary, QA on): "
            f"median {pp_med:.3f} s; argostranslate.translate.translate(text, 'ko', 'en') on the same "
            f"title/subtitle/body as plain paragraphs, fresh process, MiniSBD splitter replaced by a "
            f"regex split because argos 1.11 has no offline splitter for this package: median "
            f"{ar_med:.3f} s (n={reps})"
        ),
        pp_times,
    )


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
    lines += [f"- **{m.name}**: {m.detail}" for m in metrics if m.detail]
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


# --------------------------------------------------------------------------- main

ALL = (
    "cli_start_s",
    "glossary",
    "pack_build_s",
    "batch",
    "translate_vs_argos_ratio",
)


def measure(reps: Reps, only: set[str], work: Path) -> list[Metric]:
    env = base_env(work)
    metrics: list[Metric] = []
    if "cli_start_s" in only:
        metrics.append(bench_cli_start(env, work, reps.cli))
    if "glossary" in only:
        metrics.extend(bench_glossary(reps.glossary))
    needs_samples = only & {"pack_build_s", "batch", "translate_vs_argos_ratio"}
    samples: list[Path] = []
    notes: list[str] = []
    if needs_samples:
        samples, notes = probe_samples(env, work)
    note = ("; " + "; ".join(notes)) if notes else ""

    def guarded(names: Sequence[str], fn: Callable[[], list[Metric]]) -> None:
        if not samples:
            metrics.extend(metric(n, None, "no sample release builds without MT" + note) for n in names)
            return
        for m in fn():
            metrics.append(Metric(m.name, m.value, m.unit, m.budget, m.op, m.detail + note, m.samples))

    if "pack_build_s" in only:
        ko_first = sorted(samples, key=lambda s: "translation_of" in (s / "release.ko.md").read_text("utf-8"))
        guarded(["pack_build_s"], lambda: [bench_pack(env, work, ko_first[0], reps.pack)])
    if "batch" in only:
        guarded(
            ["batch_build_per_release_s", "noop_rebuild_100_s", "peak_rss_mb"],
            lambda: bench_batch(env, work, samples, reps),
        )
    if "translate_vs_argos_ratio" in only:
        guarded(["translate_vs_argos_ratio"], lambda: [bench_translate(env, work, samples, reps.translate)])
    return metrics


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="presspack benchmarks with budgets")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI, < 3 min)")
    parser.add_argument("--json", action="store_true", help="print only a JSON list on stdout")
    parser.add_argument("--only", default="", help=f"comma list of groups: {','.join(ALL)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()} or set(ALL)
    unknown = only - set(ALL)
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
            if m.detail:
                print(f"- {m.name}: {m.detail}")
    if not args.quick and only == set(ALL):
        write_benchmarks_md(metrics, ROOT / "BENCHMARKS.md")
        log(f"wrote {ROOT / 'BENCHMARKS.md'}")
    return exit_code(metrics)


if __name__ == "__main__":
    sys.exit(main())
