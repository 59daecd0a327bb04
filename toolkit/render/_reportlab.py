"""reportlab's slowest import, made cheap without changing what it does.

On import, ``reportlab.platypus.paragraph`` compiles a case-insensitive URL pattern
(Django's validator; reportlab uses it to split long links) whose character classes
span U+00A1–U+FFFF. ``re`` builds such a class by visiting and case-folding each of
those 65,000 characters: 35 ms, 6% of a one-release build, on every run. The same
pattern with each big class written as its complement (small ranges, case-sensitive,
A–Z spelled out) is the same set of strings — tests/test_render_pdf.py compares the
classes at every code point — and compiles in a millisecond or two.

:func:`seed` puts that pattern into ``re``'s own cache under reportlab's key just
before reportlab is imported, so reportlab's ``re.compile`` finds it there. With
another reportlab (a changed pattern) or another Python (another cache), nothing is
found and reportlab compiles its own, as before: slower, never different.
"""

from __future__ import annotations

import re
import sys

# reportlab/platypus/paragraph.py: uri_pat (reportlab 4.x and 5.x), compiled with re.I
URI_SOURCE = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}"
    "(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))"
    "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z"
)

# each big class → the same set as a complement of small ranges (astral planes excluded,
# as U+FFFF ends the original ranges), matched case-sensitively with A–Z included
CLASS_EQUIVALENTS = {
    "[a-z\xa1-\uffff0-9]": "(?-i:[^\\x00-/:-@\\[-`{-\\xa0\\U00010000-\\U0010ffff])",
    "[a-z\xa1-\uffff0-9-]": "(?-i:[^\\x00-,./:-@\\[-`{-\\xa0\\U00010000-\\U0010ffff])",
    "[a-z\xa1-\uffff-]": "(?-i:[^\\x00-,.-@\\[-`{-\\xa0\\U00010000-\\U0010ffff])",
}


def uri_equivalent() -> str:
    """:data:`URI_SOURCE` with every big class replaced by its cheap equivalent."""
    pattern = URI_SOURCE
    for big, small in CLASS_EQUIVALENTS.items():
        pattern = pattern.replace(big, small)
    return pattern


def seed() -> None:
    """Make reportlab's import find its URL pattern compiled (call before importing it)."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    cache = getattr(re, "_cache", None)  # CPython 3.11-3.13: dict keyed (type, pattern, flags)
    if isinstance(cache, dict):
        cache[(str, URI_SOURCE, int(re.IGNORECASE))] = re.compile(uri_equivalent(), re.IGNORECASE)
