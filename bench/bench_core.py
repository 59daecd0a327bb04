"""Benchmark results: the metric record, budget checks, JSON and table output.

Kept free of any measuring so it can be unit-tested in milliseconds.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: name -> (unit, op, budget). ``op`` says which side of the budget passes.
#: A new benchmark adds its name here and one ``@group`` function in run.py.
BUDGETS: dict[str, tuple[str, str, float]] = {
    "cli_start_s": ("s", "<=", 0.3),
    "glossary_match_chars_per_s": ("chars/s", ">=", 3_000_000),
    "glossary_scaling_ratio": ("ratio", "<=", 1.5),
    "pack_build_s": ("s", "<=", 0.5),
    "first_run_fonts_s": ("s", "<=", 10.0),
    "batch_build_per_release_s": ("s", "<=", 0.15),
    "noop_rebuild_100_s": ("s", "<=", 1.0),
    "peak_rss_mb": ("MB", "<=", 600),
    "translate_vs_argos_ratio": ("ratio", "<=", 0.5),
    "translate_overhead_vs_ct2_ratio": ("ratio", "<=", 1.3),
    "long_paragraph_100k_s": ("s", "<=", 60.0),
    "long_paragraph_linearity": ("ratio", "<=", 1.3),
    "pdf_long_paragraph_160k_s": ("s", "<=", 5.0),
    "pdf_long_paragraph_linearity": ("ratio", "<=", 1.5),
}


@dataclass(frozen=True)
class Metric:
    name: str
    value: float | None  # None: could not be measured (a miss) or skipped
    unit: str
    budget: float
    op: str = "<="
    detail: str = ""
    samples: tuple[float, ...] = field(default=(), compare=False)
    skipped: str = ""  # why it was not measured (neither a pass nor a miss)

    @property
    def ok(self) -> bool | None:
        """True/False against the budget; None when skipped."""
        if self.skipped:
            return None
        if self.value is None:
            return False
        if self.op == "<=":
            return self.value <= self.budget
        if self.op == ">=":
            return self.value >= self.budget
        raise ValueError(f"unknown budget operator {self.op!r}")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "value": None if self.value is None else round(self.value, 4),
            "unit": self.unit,
            "budget": self.budget,
            "op": self.op,
            "ok": self.ok,
        }
        if self.skipped:
            data["skipped"] = self.skipped
        if self.detail:
            data["detail"] = self.detail
        return data


def metric(name: str, value: float | None, detail: str = "", samples: Iterable[float] = ()) -> Metric:
    """A metric with the unit and budget registered for ``name``."""
    unit, op, budget = BUDGETS[name]
    return Metric(name, value, unit, budget, op, detail, tuple(samples))


def skipped(name: str, why: str) -> Metric:
    """A metric that could not be measured here for a reason outside the code (reported, not passed)."""
    unit, op, budget = BUDGETS[name]
    return Metric(name, None, unit, budget, op, skipped=why)


def failed(metrics: Sequence[Metric]) -> list[Metric]:
    return [m for m in metrics if m.ok is False]


def exit_code(metrics: Sequence[Metric]) -> int:
    """1 if any budget is missed (or a metric could not be measured), else 0; skips do not count."""
    return 1 if failed(metrics) else 0


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def fmt_value(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.3f}"


def table(metrics: Sequence[Metric], *, markdown: bool = False) -> str:
    """Readable table (plain text, or Markdown for BENCHMARKS.md)."""
    header = ("metric", "value", "unit", "budget", "pass")
    rows = [
        (
            m.name,
            fmt_value(m.value),
            m.unit,
            f"{m.op} {fmt_value(m.budget)}",
            "skipped" if m.ok is None else "yes" if m.ok else "NO",
        )
        for m in metrics
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---|---:|---|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"
