"""Third-party patterns compiled from cheaper equivalents, before the library compiles them.

Some libraries compile, when imported, a character class spanning most of Unicode
(PyYAML's non-printable check, reportlab's CJK and URL splitters). ``re`` builds such a
class by visiting each of its tens of thousands of characters in Python: 5-35 ms each,
on every run. The same set written as its complement (small ranges) compiles in well
under a millisecond. :func:`seed` puts that compiled equivalent into ``re``'s own cache
under the library's key just before the import, so the library's ``re.compile`` finds
it. Each equivalent is the same set of characters (the tests compare them at every code
point). With another library version (another pattern) or Python (another cache),
nothing is found and the library compiles its own, as before: slower, never different.
"""

from __future__ import annotations

import re

# PyYAML's Reader.NON_PRINTABLE (yaml/reader.py, 5.x and 6.x): everything but these
YAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
YAML_NON_PRINTABLE_EQUIVALENT = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"

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


# reportlab.lib.textsplit.rx (CJK characters), compiled with re.UNICODE
REPORTLAB_CJK = "([\u2e80-\uffff])"
REPORTLAB_CJK_EQUIVALENT = "([^\x00-\u2e7f\U00010000-\U0010ffff])"


def seed(source: str, flags: int, equivalent: str) -> None:
    """Make ``re.compile(source, flags)`` return ``re.compile(equivalent, flags)``, once."""
    cache = getattr(re, "_cache", None)  # CPython 3.11-3.13: dict keyed (type, pattern, flags)
    key = (str, source, int(flags))
    if isinstance(cache, dict) and key not in cache:
        cache[key] = re.compile(equivalent, flags)


def seed_reportlab() -> None:
    seed(URI_SOURCE, re.IGNORECASE, uri_equivalent())
    seed(REPORTLAB_CJK, re.UNICODE, REPORTLAB_CJK_EQUIVALENT)


def seed_yaml() -> None:
    seed(YAML_NON_PRINTABLE, 0, YAML_NON_PRINTABLE_EQUIVALENT)
