"""Glossary cell checks: a clean cell passes untouched, any stray character is reported."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.terminology.glossary import _INVISIBLE, _cell_problems

tricky = st.sampled_from(
    [" ", "  ", "\u00a0", "\u3000", "\t", "\n", "\x7f", "\x85", "\u200b", "\u00ad", "\ufeff"]
)
cells = st.lists(st.one_of(st.text(max_size=6), tricky), max_size=6).map("".join)


def clean(value: str) -> bool:
    return (
        value == value.strip()
        and "\u00a0" not in value
        and "\u3000" not in value
        and "  " not in value
        and not any(c in _INVISIBLE or unicodedata.category(c) == "Cc" for c in value)
    )


@settings(max_examples=400, deadline=None)
@given(cells)
def test_problems_exactly_when_a_cell_is_not_clean(value: str) -> None:
    errors, warnings = _cell_problems(value, "en")
    assert (not errors and not warnings) == clean(value)
    if value != value.strip():
        assert any("leading/trailing whitespace" in what for what, _ in warnings)


Problems = tuple[list[tuple[str, str]], list[tuple[str, str]]]


def _as_en(problems: Problems) -> tuple[list[str], list[str]]:
    errors, warnings = ([what.replace("note cell", "en cell") for what, _ in kind] for kind in problems)
    return errors, warnings


@settings(max_examples=400, deadline=None)
@given(cells)
def test_a_note_may_hold_line_breaks_and_nothing_else_changes(value: str) -> None:
    """A note is free text (Alt+Enter in Excel makes a line break): only there are line
    breaks no problem; every other check is the one a term gets."""
    note, term = _as_en(_cell_problems(value, "note")), _as_en(_cell_problems(value, "en"))
    if not any(c in "\r\n" for c in value.strip()):
        assert note == term
    else:
        assert any("line breaks" in what for what in term[0])
        probe = value.replace("\r", "x").replace("\n", "x") if value == value.strip() else value
        assert (note == ([], [])) == clean(probe)


def test_an_excel_note_with_a_line_break_loads_with_it(tmp_path: Path) -> None:
    import pytest

    from toolkit.core.errors import GlossaryError
    from toolkit.terminology.glossary import load_glossary

    path = tmp_path / "glossary.csv"
    header = "\ufeffko,en,category,note\r\n"
    path.write_bytes((header + 'K9 자주포,K9 Thunder,defense,"first line\r\nsecond line"\r\n').encode())
    (entry,) = load_glossary(path).entries
    assert (entry.ko, entry.note) == ("K9 자주포", "first line\nsecond line")
    path.write_bytes((header + '"K9\r\n자주포",K9 Thunder,defense,\r\n').encode())  # a term may not
    with pytest.raises(GlossaryError, match=r"ko cell .* contains tabs, line breaks or control characters"):
        load_glossary(path)
