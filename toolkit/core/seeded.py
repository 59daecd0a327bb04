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

# reportlab.lib.textsplit.rx (CJK characters), compiled with re.UNICODE
REPORTLAB_CJK = "([\u2e80-\uffff])"
REPORTLAB_CJK_EQUIVALENT = "([^\x00-\u2e7f\U00010000-\U0010ffff])"


def seed(source: str, flags: int, equivalent: str) -> None:
    """Make ``re.compile(source, flags)`` return ``re.compile(equivalent, flags)``, once."""
    cache = getattr(re, "_cache", None)  # CPython 3.11-3.13: dict keyed (type, pattern, flags)
    key = (str, source, int(flags))
    if isinstance(cache, dict) and key not in cache:
        cache[key] = re.compile(equivalent, flags)


def seed_yaml() -> None:
    seed(YAML_NON_PRINTABLE, 0, YAML_NON_PRINTABLE_EQUIVALENT)
