"""Ctrl-C at the wrong moment must not leave things half-done.

A few steps are short but must complete once begun (swapping an installed
model for a new one: two renames). :func:`deferred_interrupts` holds SIGINT
back for such a step and delivers it (as KeyboardInterrupt) right after, so
the user still gets the exit they asked for, a moment later and with
nothing half-swapped.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["INTERRUPTED", "deferred_interrupts"]

#: The one line a Ctrl-C prints, wherever it lands (the CLI, or the process entry point).
INTERRUPTED = "Error: interrupted — nothing half-written was left behind"


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Run the block with SIGINT deferred (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    try:
        previous = signal.signal(signal.SIGINT, remember)
    except (ValueError, OSError):  # no signal support here (embedded interpreter)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt
