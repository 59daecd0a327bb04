"""`presspack glossary …` commands, as translators use them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def test_project_glossary_lints_clean_and_is_big_enough() -> None:
    code, _, err = run(["glossary", "lint", str(ROOT / "glossary.csv")])
    assert code == 0, err
    from toolkit.terminology.glossary import load_glossary

    g = load_glossary(ROOT / "glossary.csv")
    assert len(g.entries) >= 400
    cats = [e.category for e in g.entries]
    assert cats.count("defense") + cats.count("org") >= 100
    by_ko = {e.ko: e.en for e in g.entries}
    assert by_ko["창원특례시"] == "Changwon Special City"
    assert by_ko["강원특별자치도"] == "Gangwon State"
    assert by_ko["전북특별자치도"] == "Jeonbuk State"
    assert by_ko["방위사업청"] == "Defense Acquisition Program Administration"
    assert {e.ko: e.abbr for e in g.entries}["방위사업청"] == "DAPA"  # written at the first mention
    assert by_ko["K-방산"] == "K-Defense"
    assert g.preferred_ko("Changwon Special City") == "창원특례시"
    assert "양산" not in by_ko  # "mass production", not Yangsan


def test_lint_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ko,en,category,note\n"
        "창원시,Changwon Special City,place,\n"
        "창원시,Changwon City,place,conflict\n"
        ",Empty Korean,place,\n"
        "김해시,Gimhae-si,planet,\n",
        "utf-8",
    )
    code, _, err = run(["glossary", "lint", str(bad)])
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.startswith(("Error", "Warning"))]
    assert any(ln.startswith(f"Error: {bad}:3:") and "Changwon City" in ln for ln in lines)
    assert any(ln.startswith(f"Error: {bad}:4:") for ln in lines)
    assert any(ln.startswith(f"Error: {bad}:5:") and "planet" in ln for ln in lines)
    assert err.rstrip().endswith(f"in {bad}")


def test_lint_excel_file_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + "ko,en,category,note\r\n창원시,Changwon Special City,place,\r\n".encode()
    )
    assert run(["glossary", "lint", str(path)])[0] == 0


def test_find_shows_matches_and_near_misses() -> None:
    text = "신창원역 앞에서 창원시장은 창원시에서 방위사업청과 만났다"
    args = ["glossary", "find", text, "--glossary", str(ROOT / "glossary.csv")]
    code, out, _ = run([*args, "--json"])
    assert code == 0
    data = json.loads(out)
    assert [(m["term"], m["particle"]) for m in data["matches"]] == [
        ("창원시장", "은"),
        ("창원시", "에서"),
        ("방위사업청", "과"),
    ]
    # 창원 inside 신창원역 (a station, not the city) is reported, not matched
    assert [(n["term"], text[n["start"] : n["end"]], n["reason"]) for n in data["near_misses"]] == [
        ("창원", "창원", "not at the start of the word")
    ]
    assert data["near_misses"][0]["start"] == text.index("창원")
    code, out, _ = run(args)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("창원시장 (+은) → Mayor of Changwon Special City  [title, ")
    (near,) = [ln for ln in lines if ln.startswith("near-miss:")]
    assert "'창원'" in near and near.endswith(": not at the start of the word")


def test_export_then_import_round_trip(tmp_path: Path) -> None:
    csv_path = tmp_path / "g.csv"
    csv_path.write_text("ko,en,category,note\n창원시,Changwon Special City,place,\n", "utf-8")
    tbx = tmp_path / "g.tbx"
    code, _, err = run(["glossary", "export", "--format", "tbx", "--glossary", str(csv_path), "-o", str(tbx)])
    assert code == 0, err
    assert b'type="TBX-Basic"' in tbx.read_bytes()
    other = tmp_path / "other.csv"
    other.write_text("ko,en,category,note\n창원시,Changwon City,place,\n김해시,Gimhae-si,place,\n", "utf-8")
    code, out, err = run(["glossary", "import", str(other), "--glossary", str(csv_path)])
    assert code == 1  # a conflict is reported, the approved row is kept
    assert "added: 김해시 → Gimhae-si" in out
    assert "'창원시' is 'Changwon City' here but 'Changwon Special City'" in err
    text = csv_path.read_text("utf-8")
    assert "창원시,Changwon Special City" in text and "김해시,Gimhae-si" in text
    assert "Changwon City," not in text


def test_find_reads_a_file_stdin_and_text_starting_with_a_dash(tmp_path: Path) -> None:
    glossary = ["--glossary", str(ROOT / "glossary.csv")]
    release = tmp_path / "release.txt"
    release.write_text("제목\n\n창원특례시는 탄도 미사일을 공개했다.\n", "utf-8")
    code, out, _ = run(["glossary", "find", str(release), *glossary])
    assert code == 0
    assert out.splitlines() == [
        f"{release}:3:1: 창원특례시 (+는) → Changwon Special City  "
        f"[place, {ROOT / 'glossary.csv'}:{_line('창원특례시')}]",
        f"{release}:3:8: 탄도 미사일 (= 탄도미사일) (+을) → ballistic missile  "
        f"[defense, {ROOT / 'glossary.csv'}:{_line('탄도미사일')}]",
    ]
    stdin = "첫 줄\nK9\u00a0자주포를\n"
    result = CliRunner().invoke(main, ["glossary", "find", "-", *glossary, "--json"], input=stdin)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["source"] == "<stdin>"
    assert [(m["text"], m["term"], m["text_line"], m["text_column"]) for m in data["matches"]] == [
        ("K9\u00a0자주포", "K9 자주포", 2, 1)
    ]
    code, out, err = run(["glossary", "find", "- 창원시는 방문했다", *glossary])
    assert code == 0, err
    assert out.startswith("창원시 (+는) → Changwon Special City")


def test_find_of_a_mistyped_file_name_says_so(tmp_path: Path) -> None:
    """A file name that does not exist was searched as text: 'no glossary terms found', exit 0."""
    missing = tmp_path / "typo" / "release.ko.md"
    code, out, err = run(["glossary", "find", str(missing), "--glossary", str(ROOT / "glossary.csv")])
    assert (code, out) == (1, "")
    assert err == (
        f"Error: {missing}: no such file — check the path (text to search cannot end in a file "
        "suffix such as .md)\n"
    )


def test_find_near_miss_says_which_word_contains_the_term() -> None:
    code, out, _ = run(["glossary", "find", "부산물이 많다", "--glossary", str(ROOT / "glossary.csv")])
    assert code == 0
    assert out == (
        "near-miss: '부산물이' contains '부산' but is not it: followed by '물이', which is not a particle\n"
    )


def _line(ko: str) -> int:
    from toolkit.terminology.glossary import load_glossary

    return next(e.line for e in load_glossary(ROOT / "glossary.csv").entries if e.ko == ko)
