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

__all__ = ["INTERRUPTED", "deferred_interrupts", "interrupts_held_for_fork", "release_after_fork"]

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


@contextmanager
def interrupts_held_for_fork() -> Iterator[None]:
    """Fork in the block with SIGINT held back by the kernel; it arrives right after.

    Python ignores an exception raised in an at-fork hook (logging's, filelock's run in
    every fork): a Ctrl-C that landed in one printed "Exception ignored" and was lost,
    and the build went on to the end. The children start with it held too:
    :func:`release_after_fork` lets it in once they ignore it.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def release_after_fork() -> None:
    """In a child forked under :func:`interrupts_held_for_fork`: Ctrl-C is the parent's to
    report, so the child ignores it, then stops holding it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
