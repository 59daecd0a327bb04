"""Abbreviations as data: first mention "full (ABBR)", later mentions "ABBR".

An entry with ``abbr`` (``방위사업청`` → ``Defense Acquisition Program
Administration``, abbr ``DAPA``) is written in English, by house style
(``[terminology] abbreviations = "first-mention"``):

* at its first mention in a release: ``Defense Acquisition Program Administration (DAPA)``;
* at every later mention: ``DAPA``.

"First" is document order across the whole release, and it must also hold
when a sync machine-translates only some sentences between kept (human)
ones. So the rule is a pure function of *what the earlier text already
says*: :func:`mentioned` reads earlier target texts (kept or machine-written)
and returns the concepts already introduced; :func:`form_for` picks the form
for the next mention; :class:`Mentions` carries the state through a release
in document order. With ``abbreviations = "off"`` the full name is written at
every mention and the abbreviation only where the source itself gives it.

QA accepts any form at any mention (:func:`target_forms`); the abbreviation
alone at the first mention is reported as info, it is not an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.terminology.glossary import Entry
from toolkit.terminology.words import Right, word_spans

__all__ = [
    "FIRST_MENTION",
    "OFF",
    "STYLES",
    "Mentions",
    "first_form",
    "form_for",
    "later_form",
    "mentioned",
    "target_forms",
]

FIRST_MENTION = "first-mention"
OFF = "off"
STYLES: tuple[str, ...] = (FIRST_MENTION, OFF)


def concept(entry: Entry) -> str:
    """The key of an entry's concept: its English full form (rows sharing it are one concept)."""
    return entry.en


def first_form(entry: Entry) -> str:
    """``Defense Acquisition Program Administration (DAPA)``, or ``en`` without an abbreviation."""
    return f"{entry.en} ({entry.abbr})" if entry.abbr else entry.en


def later_form(entry: Entry) -> str:
    return entry.abbr or entry.en


def target_forms(entry: Entry) -> tuple[str, ...]:
    """Every English form of the entry presspack itself may write, longest first."""
    if not entry.abbr:
        return (entry.en,)
    return (first_form(entry), entry.en, entry.abbr)


def form_for(entry: Entry, seen: Iterable[str] | Mentions, style: str = FIRST_MENTION) -> str:
    """The form of the next mention of ``entry``, given the concepts already mentioned."""
    if not entry.abbr or style == OFF:
        return entry.en
    known = seen.seen if isinstance(seen, Mentions) else set(seen)
    return later_form(entry) if concept(entry) in known else first_form(entry)


def mentioned(texts: Iterable[str], entries: Iterable[Entry]) -> set[str]:
    """Concepts (see :func:`concept`) of ``entries`` with an abbreviation that ``texts``
    already mention, by full name or by abbreviation (a reader who saw either
    knows the abbreviation's referent, or was told it)."""
    candidates = [e for e in entries if e.abbr]
    found: set[str] = set()
    if not candidates:
        return found
    for text in texts:
        for entry in candidates:
            key = concept(entry)
            if key in found:
                continue
            right: Right = "word_or_hyphen" if entry.abbr[-1:].isalnum() else "none"
            if entry.en in text or word_spans(text, entry.abbr, right=right):
                found.add(key)
    return found


@dataclass
class Mentions:
    """Abbreviation state through one release, in document order.

    Feed it every target text in order: :meth:`read` for text that is kept as
    written (a human sentence), :meth:`next_form` for each term presspack is
    about to write (which also records the mention).
    """

    entries: tuple[Entry, ...] = ()
    style: str = FIRST_MENTION
    seen: set[str] = field(default_factory=set)

    def read(self, texts: Iterable[str]) -> None:
        self.seen |= mentioned(texts, self.entries)

    def next_form(self, entry: Entry) -> str:
        form = form_for(entry, self.seen, self.style)
        if entry.abbr:
            self.seen.add(concept(entry))
        return form
