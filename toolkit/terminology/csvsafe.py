"""CSV injection: glossary cells that a spreadsheet would run as a formula.

``glossary.csv`` is opened in Excel by PR staff. A cell such as
``=cmd|' /C calc'!A1`` or ``=HYPERLINK("http://…")`` arriving from a TBX file
would be executed there. Following OWASP's advice ("CSV Injection"), such a
cell is neutralised by prefixing a single quote (``'``), which spreadsheets
show as text; ``glossary lint`` reports it as an error until someone does.

Which cells count as formulas:

* a cell starting with ``=``, ``+``, a tab or a carriage return;
* a cell starting with ``-`` or ``@`` only when what follows looks like a
  formula: a digit, ``.``, ``(``, ``=``, ``+``, ``-``, ``@`` (after optional
  spaces), or a function call (``NAME(``), a DDE pipe ``|`` or a sheet
  reference ``!`` anywhere in it. Legitimate cells such as ``-끝-`` (the
  Korean end mark) or the glossary's context rules (``@foreign ~``) stay as
  they are; an injection needs a function call, DDE or arithmetic, and those
  are caught.

Leading spaces are ignored when judging (the reader strips them).
"""

from __future__ import annotations

import re

__all__ = ["formula_like", "neutralise"]

_ALWAYS = frozenset("=+\t\r")
_JUDGED = frozenset("-@")  # formula-like only when followed by something formula-like
_AFTER_DASH = frozenset("0123456789.(=+-@")
_FORMULA_PARTS = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\s*\(|\||!")


def formula_like(cell: str) -> bool:
    """True when a spreadsheet would treat ``cell`` as a formula (see the module docstring)."""
    text = cell.lstrip(" ")
    if not text:
        return False
    first = text[0]
    if first in _ALWAYS:
        return True
    if first not in _JUDGED:
        return False
    rest = text[1:].lstrip(" ")
    return bool(rest) and (rest[0] in _AFTER_DASH or _FORMULA_PARTS.search(rest) is not None)


def neutralise(cell: str) -> str:
    """``'`` + the cell when it is formula-like (OWASP), else the cell unchanged."""
    return "'" + cell.lstrip(" ") if formula_like(cell) else cell
