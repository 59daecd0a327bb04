"""The benchmark harness's cheap parts: budgets, JSON shape, inputs, process timing.

The benchmarks themselves take minutes (python bench/run.py --quick); nothing
here builds a release or loads a model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench_core  # noqa: E402
import bench_data  # noqa: E402
import run as bench_run  # noqa: E402
from bench_core import BUDGETS, Metric, exit_code, failed, metric, table  # noqa: E402


def test_every_registered_benchmark_has_a_budget_and_every_budget_a_benchmark() -> None:
    measured = [name for g in bench_run.GROUPS.values() for name in g.metrics]
    assert sorted(measured) == sorted(BUDGETS)
    assert len(measured) == len(set(measured))
    with pytest.raises(KeyError, match="no budget for made_up_s"):
        bench_run.group("made_up", "made_up_s")(lambda ctx: [])
    assert "made_up" not in bench_run.GROUPS


def test_readme_budget_table_matches_the_code() -> None:
    """bench/README.md documents each metric's budget; it must say what run.py enforces."""
    readme = (BENCH / "README.md").read_text("utf-8")
    rows = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`") and cells[0].endswith("`"):
            rows[cells[0].strip("`")] = cells[1]
    for name, (_unit, op, budget) in BUDGETS.items():
        symbol = "≤" if op == "<=" else "≥"
        shown = f"{budget:,.0f}" if budget >= 1000 else f"{budget:g}"
        assert rows[name].startswith(f"{symbol} {shown}"), (name, rows.get(name))


def test_skipped_metric_is_neither_pass_nor_miss() -> None:
    skip = bench_core.skipped("translate_vs_argos_ratio", "argostranslate is not installed")
    assert skip.ok is None
    assert exit_code([skip, metric("cli_start_s", 0.1)]) == 0
    assert exit_code([skip, metric("cli_start_s", 9.0)]) == 1
    assert skip.to_json()["skipped"] == "argostranslate is not installed"
    assert skip.to_json()["ok"] is None
    assert table([skip]).splitlines()[1].split()[-1] == "skipped"


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("cli_start_s", 0.29, True),
        ("cli_start_s", BUDGETS["cli_start_s"][2], True),  # the budget itself passes
        ("cli_start_s", 0.31, False),
        ("glossary_match_chars_per_s", 3_000_000, True),
        ("glossary_match_chars_per_s", 2_999_999, False),
        ("glossary_match_chars_per_s", 6_000_000, True),
        ("peak_rss_mb", None, False),  # not measured = missed
    ],
)
def test_budget_direction(name: str, value: float | None, ok: bool) -> None:
    assert metric(name, value).ok is ok


def test_unknown_operator_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown budget operator"):
        _ = Metric("x", 1.0, "s", 1.0, op="<").ok


def test_exit_code_and_failed_list() -> None:
    good = [metric("cli_start_s", 0.1), metric("glossary_match_chars_per_s", 4e6)]
    assert exit_code(good) == 0
    bad = [*good, metric("pack_build_s", 1.2), metric("peak_rss_mb", None, "build failed")]
    assert exit_code(bad) == 1
    assert [m.name for m in failed(bad)] == ["pack_build_s", "peak_rss_mb"]


def test_json_shape() -> None:
    data = json.loads(
        json.dumps(
            [metric("cli_start_s", 0.123456, "median of 7").to_json(), metric("pack_build_s", 2.0).to_json()]
        )
    )
    assert data == [
        {
            "name": "cli_start_s",
            "value": 0.1235,
            "unit": "s",
            "budget": 0.3,
            "op": "<=",
            "ok": True,
            "detail": "median of 7",
        },
        {"name": "pack_build_s", "value": 2.0, "unit": "s", "budget": 0.5, "op": "<=", "ok": False},
    ]
    assert metric("peak_rss_mb", None).to_json()["value"] is None


def test_table_plain_and_markdown() -> None:
    metrics = [metric("cli_start_s", 0.0612), metric("glossary_match_chars_per_s", 6_071_271.0)]
    plain = table(metrics).splitlines()
    assert plain[0].split() == ["metric", "value", "unit", "budget", "pass"]
    assert plain[1].split() == ["cli_start_s", "0.061", "s", "<=", "0.300", "yes"]
    assert plain[2].split() == [
        "glossary_match_chars_per_s",
        "6,071,271",
        "chars/s",
        ">=",
        "3,000,000",
        "yes",
    ]
    md = table([metric("pack_build_s", 1.5)], markdown=True).splitlines()
    assert md[0] == "| metric | value | unit | budget | pass |"
    assert md[2] == "| pack_build_s | 1.500 | s | <= 0.500 | NO |"
    assert bench_core.fmt_value(None) == "n/a"


def test_synthetic_terms_are_deterministic_unique_hangul() -> None:
    terms = bench_data.synthetic_terms(500, exclude={"창원"})
    assert terms == bench_data.synthetic_terms(500, exclude={"창원"})
    kos = [ko for ko, _ in terms]
    assert len(set(kos)) == 500 and "창원" not in kos
    assert all(2 <= len(ko) <= 6 and all("\uac00" <= c <= "\ud7a3" for c in ko) for ko in kos)
    assert all(en.isascii() and en.strip() == en and en for _, en in terms)


def test_korean_prose_size_and_determinism() -> None:
    sentences = ["창원특례시는 협약을 맺었다.", "방위사업청과 국방부가 참석했다."]
    text, inserted = bench_data.korean_prose(sentences, ["가나다"], target_bytes=10_000, term_every=5)
    assert len(text.encode("utf-8")) >= 10_000
    assert (text, inserted) == bench_data.korean_prose(
        sentences, ["가나다"], target_bytes=10_000, term_every=5
    )
    assert text.count("가나다") == inserted > 0
    with pytest.raises(ValueError):
        bench_data.korean_prose([], [])


def test_vary_release_changes_title_date_and_numbers_consistently() -> None:
    ko = (
        '---\ntitle: "창원특례시, 포럼 개최"\ndate: 2026-11-05\nlang: ko\n'
        "contact: |\n  전화 055-225-0000\n---\n\n방산 중소기업 28개사와 250여 명이 참석했다. 2024년 시작.\n"
    )
    en = (
        '---\ntitle: "Changwon Hosts Forum"\ndate: 2026-11-05\nlang: en\ntranslation_of: ko\n---\n\n'
        "Some 250 people and 28 SMEs attended; call +82-55-225-0000. Started in 2024.\n"
    )
    out_ko = bench_data.vary_release(ko, 7, "2027-01-07")
    out_en = bench_data.vary_release(en, 7, "2027-01-07")
    assert 'title: "창원특례시, 포럼 개최 (제7차)"' in out_ko
    assert 'title: "Changwon Hosts Forum (No. 7)"' in out_en
    assert "date: 2027-01-07" in out_ko and "date: 2027-01-07" in out_en
    assert "35개사와 257여 명" in out_ko and "2024년" in out_ko and "055-225-0000" in out_ko
    assert "Some 257 people and 35 SMEs" in out_en and "+82-55-225-0000" in out_en and "2024." in out_en


def test_make_releases_names_and_count(tmp_path: Path) -> None:
    sample = tmp_path / "2026-11-05-forum"
    sample.mkdir()
    (sample / "release.ko.md").write_text(
        '---\ntitle: "포럼"\ndate: 2026-11-05\nlang: ko\n---\n\n본문 12개.\n'
    )
    folders = bench_data.make_releases([sample], tmp_path / "out", 3)
    assert [f.name for f in folders] == [
        "2027-01-01-forum-001",
        "2027-01-02-forum-002",
        "2027-01-03-forum-003",
    ]
    assert (folders[2] / "release.ko.md").read_text() == (
        '---\ntitle: "포럼 (제3차)"\ndate: 2027-01-03\nlang: ko\n---\n\n본문 15개.\n'
    )


def test_run_reports_exit_code_time_and_peak_rss(tmp_path: Path) -> None:
    code = "import sys; b = bytearray(64 * 1024 * 1024); print('hi'); sys.exit(3)"
    proc = bench_run.run([sys.executable, "-c", code], {"PATH": "/usr/bin:/bin"}, tmp_path)
    assert proc.returncode == 3
    assert proc.stdout == b"hi\n"
    assert proc.maxrss_mb >= 64
    assert 0 < proc.wall < 30


def test_machine_description_keys() -> None:
    assert set(bench_run.machine()) == {
        "CPU",
        "cores",
        "RAM",
        "Python",
        "OS",
        "load average (1/5/15 min, at the end)",
    }


def test_realistic_terms_share_the_real_glossarys_prefixes() -> None:
    from collections import Counter

    real = ["창원시", "창원특례시", "국방부", "국방과학연구소", "경상남도", "한국항공우주산업", "마산합포구"]
    terms = bench_data.realistic_terms(real, 2000, exclude=set(real))
    assert terms == bench_data.realistic_terms(real, 2000, exclude=set(real))
    kos = [ko for ko, _ in terms]
    assert len(set(kos)) == 2000 and not set(kos) & set(real)
    assert all(len(ko) >= 3 and all("\uac00" <= c <= "\ud7a3" for c in ko) for ko in kos)
    heads = Counter(ko[:2] for ko in kos)
    # crowded buckets: the three prefixes the brief names hold a large share
    assert heads["창원"] + heads["국방"] + heads["경상"] > 0.3 * len(kos)
    assert {ko[-1] for ko in kos} <= {t[-1] for t in real}
