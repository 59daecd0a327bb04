"""One unpunctuated 100,000-character paragraph through ``presspack translate`` (copy model).

    python bench/bench_long_paragraph.py          # table; exit 1 if a budget is missed
    python bench/bench_long_paragraph.py --json   # JSON list like bench/run.py

The hostile-input issue: translating one long paragraph without sentence
punctuation grew faster than its length (6,000 characters 37 s, 15,000
characters 227 s). Segments over the token budget are now split at clause
boundaries or at the budget in linear time (tests/test_segmentation.py counts
the work; this file only times it). Each run is a fresh process in an
isolated argos home with the ko→en and en→ko copy models of toolkit.testing
and the project glossary, so enforcement and QA run as in real use.

Metrics (registered in bench/run.py as the ``long_paragraph`` group; budgets in
bench_core.BUDGETS; ``--quick`` times the Korean direction only):

* ``long_paragraph_100k_s`` (<= 60 s): the slower of a Korean paragraph
  (words and connective endings, no full stops) and an English one (words
  only: no clause boundary at all, so every cut is a budget cut).
* ``long_paragraph_linearity`` (<= 1.3): time(100k) / (4 × time(25k)) for the
  same inputs; 1.0 is linear, the old splitter was about 2.5 at this size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_core import Metric, exit_code, metric, table  # noqa: E402

KO_TEXT = (
    "창원특례시는 방산 기업과 함께 세계 시장에 진출하고 수출 경쟁력을 높이는 사업을 추진하며 "
    "지역 중소기업의 기술 개발을 지원하고 인력 양성과 기술 이전에 힘을 모으며"
)
EN_TEXT = (
    "the city and local defense companies will enter global markets together with steady export "
    "growth in aerospace parts and training programs for young engineers"
)
KO_WORDS, EN_WORDS = KO_TEXT.split(" "), EN_TEXT.split(" ")


def paragraph(words: list[str], n: int) -> str:
    """``n`` characters of words, no punctuation (deterministic)."""
    out: list[str] = []
    size = 0
    i = 0
    while size < n:
        word = words[(i * 7 + i // 5) % len(words)]
        out.append(word)
        size += len(word) + 1
        i += 1
    return " ".join(out)[:n].rstrip()


def _presspack() -> list[str]:
    return [sys.executable, "-m", "toolkit"]


def _env(work: Path) -> dict[str, str]:
    from toolkit.testing import isolated_argos_env

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESSPACK_", "ARGOS_"))}
    env.update(isolated_argos_env(work / "iso"))
    env["PRESSPACK_CACHE_DIR"] = str(work / "cache")
    return env


def _translate(env: dict[str, str], text: str, src: str, tgt: str) -> float:
    cmd = [
        *_presspack(),
        "translate",
        "-",
        "--from",
        src,
        "--to",
        tgt,
        "--glossary",
        str(ROOT / "glossary.csv"),
    ]
    started = time.monotonic()
    proc = subprocess.run(cmd, input=text, capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.monotonic() - started
    if proc.returncode != 0 or len(proc.stdout) < len(text) // 2:
        raise RuntimeError(f"presspack translate failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed


def measure(work: Path | None = None, langs: tuple[str, ...] = ("ko", "en")) -> list[Metric]:
    """Build the copy models, then time 25k and 100k characters in each direction of ``langs``."""
    from toolkit.testing import build_copy_package

    with tempfile.TemporaryDirectory(prefix="presspack-bench-long-") as tmp:
        base = work or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        env = _env(base)
        for src, tgt in (("ko", "en"), ("en", "ko")):
            package = build_copy_package(base / "models" / f"{src}{tgt}", src, tgt)
            subprocess.run(
                [*_presspack(), "models", "install", str(package)], env=env, check=True, capture_output=True
            )
        times: dict[tuple[str, int], float] = {}
        for lang in langs:
            words = KO_WORDS if lang == "ko" else EN_WORDS
            other = "en" if lang == "ko" else "ko"
            for n in (25_000, 100_000):
                times[(lang, n)] = _translate(env, paragraph(words, n) + "\n", lang, other)
                print(f"[bench] long paragraph {lang} {n:,} chars: {times[(lang, n)]:.1f} s", file=sys.stderr)
    worst = max(times[(lang, 100_000)] for lang in langs)
    linearity = max(times[(lang, 100_000)] / (4 * times[(lang, 25_000)]) for lang in langs)
    detail = (
        "presspack translate - (stdin) with the project glossary and the toolkit.testing copy model, "
        "fresh process each: "
        + ", ".join(f"{lang} {n // 1000}k chars {t:.1f} s" for (lang, n), t in sorted(times.items()))
    )
    return [
        metric("long_paragraph_100k_s", worst, detail),
        metric("long_paragraph_linearity", linearity, detail),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    args = parser.parse_args(argv)
    metrics = measure()
    if args.json:
        print(json.dumps([m.to_json() for m in metrics], indent=2))
    else:
        print(table(metrics), end="")
    return exit_code(metrics)


if __name__ == "__main__":
    raise SystemExit(main())
