"""The notes every exchange format attaches to a segment: approved terms, QA findings, review hints."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.core.inline import plain
from toolkit.interchange.segments import ExchangeSegment

__all__ = ["Note", "notes_of"]

_PRIORITY = {"error": 1, "warning": 2, "info": 5}


@dataclass(frozen=True)
class Note:
    category: str  # "terminology", "qa", "review"
    priority: int  # 1 (highest) … 10, as XLIFF counts
    text: str
    about: str = "general"  # "source", "target" or "general"


def notes_of(seg: ExchangeSegment, target_file: str) -> list[Note]:
    notes: list[Note] = []
    if seg.state == "needs-review":
        notes.append(
            Note(
                "review",
                1,
                f"The source changed under this translation (it was written for “{plain(seg.was)}”); "
                "presspack kept it. Update it to the new source, or confirm it as it is. "
                + (
                    f"Machine suggestion for the new source: “{plain(seg.suggestion)}”"
                    if seg.suggestion
                    else ""
                ),
                "target",
            )
        )
    if seg.state == "new":
        notes.append(
            Note(
                "review",
                2,
                f"A translator removed this sentence from {target_file}, so it stays out of the "
                f"translation; to bring it back, add it to {target_file} by hand.",
                "target",
            )
        )
    for src, tgt in seg.terms:
        notes.append(Note("terminology", 3, f"Approved term: {src} → {tgt}", "source"))
    for f in seg.findings:
        notes.append(
            Note("qa", _PRIORITY.get(f.severity, 5), f"QA {f.severity} [{f.check}]: {f.message}", "target")
        )
    return notes
