"""Loading and linting glossary.csv as Excel writes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.core.errors import GlossaryError
from toolkit.terminology.glossary import Entry, Glossary, fingerprint, lint_glossary, load_glossary

GOOD = (
    "ko,en,category,note\r\n"
    "창원시,Changwon Special City,place,\r\n"
    "창원특례시,Changwon Special City,place,\r\n"
    '방위사업청,Defense Acquisition Program Administration (DAPA),org,"note, with comma"\r\n'
)


def write(tmp_path: Path, data: bytes | str, name: str = "glossary.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def messages(path: Path) -> list[str]:
    return [f"{p.severity}: {p.format()}" for p in lint_glossary(path)]


def test_load_utf8_bom_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    glossary = load_glossary(path)
    assert [(e.ko, e.en, e.category, e.line) for e in glossary.entries] == [
        ("창원시", "Changwon Special City", "place", 2),
        ("창원특례시", "Changwon Special City", "place", 3),
        ("방위사업청", "Defense Acquisition Program Administration (DAPA)", "org", 4),
    ]
    assert glossary.entries[2].note == "note, with comma"
    assert lint_glossary(path) == []


def test_load_cp949_is_decoded_not_mojibake(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.encode("cp949"))
    glossary = load_glossary(path)
    assert glossary.entries[0].ko == "창원시"
    assert messages(path) == [
        f"warning: {path}: file is CP949/EUC-KR encoded (read correctly this time) — "
        "save it as 'CSV UTF-8 (Comma delimited)' in Excel"
    ]


def test_columns_by_name_extra_columns_and_case(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        " EN ,Source,KO,Category,Case\n"
        "Republic of Korea,MOFA,대한민국,place,insensitive\n"
        "Gimhae,,김해,place,\n",
    )
    first, second = load_glossary(path).entries
    assert (first.ko, first.en, first.case_insensitive) == ("대한민국", "Republic of Korea", True)
    assert first.extra == (("source", "MOFA"),)
    assert second.case_insensitive is False


def test_lint_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ko,en,category,note\n"
        "창원시,Changwon Special City,place,\n"  # 2
        " 김해 ,Gimhae,place,\n"  # 3 trailing/leading spaces: warning
        "국방부,,org,\n"  # 4 empty en
        "양산시,Yangsan,city,\n"  # 5 unknown category
        "진해,Jinhae,place\n"  # 6 three fields
        "창원시,Changwon City,place,\n"  # 7 conflict with 2
        "부산\u00a0항,Busan Port,place,\n"  # 8 NBSP
        "마산,Masan\u200b,place,\n"  # 9 zero width
        "국방  부,MND,org,\n"  # 10 double space
        "창원시,Changwon Special City,place,\n"  # 11 exact duplicate of 2
        "국방부,Ministry of National Defense,org,\n"  # 12
        "해군,Ministry of National Defense,org,\n",  # 13 en→ko ambiguity
    )
    f = str(path)
    assert messages(path) == [
        f"warning: {f}:3: ko cell ' 김해 ' has leading/trailing whitespace (ignored) — "
        "delete the spaces around the text",
        f"error: {f}:4: empty en cell — fill in en or delete the row",
        f"error: {f}:5: unknown category 'city' — use one of: defense, event, org, person, "
        "place, policy, product, term, title, venue",
        f"error: {f}:6: row has 3 fields, the header has 4 — check for unquoted commas "
        "(quote the cell) or missing cells",
        f"error: {f}:7: ko '창원시' has conflicting translations: line 2 says 'Changwon Special "
        "City', line 7 says 'Changwon City' — keep one translation (lines 2 and 7)",
        f"error: {f}:8: ko cell '부산<U+00A0>항' contains a non-breaking or ideographic space — "
        "retype the space as an ordinary space",
        f"error: {f}:9: en cell 'Masan<U+200B>' contains invisible zero-width characters — "
        "retype the cell (copy-paste from the web brought them in)",
        f"error: {f}:10: ko cell '국방  부' contains double spaces — use single spaces between words",
        f"warning: {f}:11: duplicate of line 2 ('창원시' → 'Changwon Special City') — "
        "delete one of the two rows",
        f"warning: {f}:13: en 'Ministry of National Defense' also comes from '국방부' (line 12); "
        "en→ko will always use '국방부' — if '해군' should be preferred, move it above line 12",
    ]
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    lines = [p.line for p in info.value.problems]
    assert lines == [4, 5, 6, 7, 8, 9, 10]  # errors only, all of them, in order


def test_variants_sharing_an_english_term_are_not_flagged(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "방사청,Defense Acquisition Program Administration (DAPA),org,\n")
    assert lint_glossary(path) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "{f}:1: glossary is empty"),
        ("korean,english\n창원,Changwon\n".encode(), "{f}:1: header lacks column(s) 'ko', 'en', "),
        (b"ko;en;category\n", "(the file uses ';' or tabs"),
        (b"ko,en,category\n\x00\x01\x02", "{f}:2: file contains NUL bytes"),
        ("\ufeffko,en,category\n".encode("utf-16"), "{f}: file is UTF-16 encoded"),
        (b"ko,en,category\nabc,\xff\xfe\xfa,place\n", "{f}:2: undecodable bytes (ff fe fa"),
        ('ko,en,category\n창원,"Changwon,place\n'.encode(), "{f}:2: malformed CSV"),
    ],
)
def test_lint_broken_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = write(tmp_path, content)
    problems = lint_glossary(path)
    assert any(expected.format(f=path) in p.format() for p in problems), problems
    with pytest.raises(GlossaryError):
        load_glossary(path)


def test_missing_file_is_a_glossary_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read glossary"):
        load_glossary(tmp_path / "nope.csv")


def test_custom_categories(tmp_path: Path) -> None:
    path = write(tmp_path, "ko,en,category\n창원,Changwon,city\n")
    assert lint_glossary(path, known_categories=frozenset({"city"})) == []


def test_helpers() -> None:
    a = Entry("창원시", "Changwon Special City", "place", line=2)
    b = Entry("창원특례시", "Changwon Special City", "place", line=3)
    c = Entry("방위사업청", "DAPA", "org", line=4)
    glossary = Glossary((a, b, c))
    assert glossary.preferred_ko("Changwon Special City") == "창원시"
    with pytest.raises(KeyError):
        glossary.preferred_ko("Busan")
    assert glossary.for_direction("ko", "en") == [
        ("창원시", "Changwon Special City", a),
        ("창원특례시", "Changwon Special City", b),
        ("방위사업청", "DAPA", c),
    ]
    assert glossary.for_direction("en", "ko") == [
        ("Changwon Special City", "창원시", a),
        ("DAPA", "방위사업청", c),
    ]
    # order, line numbers and notes do not change the fingerprint; terms do
    moved = Entry("방위사업청", "DAPA", "org", note="n", line=9)
    assert fingerprint([a, c]) == fingerprint([moved, a])
    assert fingerprint([a, c]) != fingerprint([a, b])
    assert len(fingerprint([a])) == 64


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_lint_never_crashes_on_arbitrary_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "g.csv"
    path.write_bytes(b"ko,en,category\n" + data)
    problems = lint_glossary(path)
    assert all(p.severity in ("error", "warning") for p in problems)
    try:
        load_glossary(path)
    except GlossaryError as exc:
        assert exc.problems


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
@example(text='\r"')  # found by a deep run: the lone CR is a line break, so line 2 is a real line
def test_lint_and_load_agree_on_arbitrary_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """Whatever the file holds: lint names real lines of it, and load fails exactly
    when lint reports an error, with the same errors (a translator fixing what lint
    says gets a glossary that loads)."""
    path = tmp_path_factory.mktemp("fuzz") / "g.csv"
    data = text.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    problems = lint_glossary(path)
    # a lone CR ends a line too (CSV saved by Excel for Mac, "CSV (Macintosh)")
    last_line = len(re.split(rb"\r\n|\r|\n", data))
    for p in problems:
        assert p.file == str(path)
        assert p.severity in ("error", "warning")
        assert p.line is None or 1 <= p.line <= last_line, p
    errors = [p.format() for p in problems if p.severity == "error"]
    try:
        glossary = load_glossary(path)
    except GlossaryError as exc:
        assert [p.format() for p in exc.problems] == errors != []
    else:
        assert errors == []
        assert all(2 <= e.line <= last_line and e.ko and e.en for e in glossary.entries)
