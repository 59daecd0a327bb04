"""Glossary cell checks: a clean cell passes untouched, any stray character is reported."""

from __future__ import annotations

import unicodedata

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
