"""A renderer in a forked child that gets ready while the parent still plans.

Why not a process pool: a pool's worker starts empty-handed (25 ms of imports for
the pool, then the renderers' imports again in the worker), which ate the gain of
splitting one release's renders. A forked child has everything the parent has
already imported and read, costs a few milliseconds, and can do its own one-time
setup (python-docx's import and template, reportlab's fonts) at once, on the other
core, while the parent reads and plans.

The child only computes: its work comes in pickled through one pipe, its result
goes back through another, and the parent writes the files. A child that fails in
any way (an exception, a signal, a result that does not unpickle) gives ``None``,
and the caller does the work itself, so a real error is raised in the parent, with
the parent's own message, exactly as without the fork.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from toolkit.core.interrupts import interrupts_held_for_fork, release_after_fork

P = TypeVar("P")
T = TypeVar("T")

__all__ = ["Worker", "can_fork"]

# The parent's ends of every live worker's pipes: a worker forked later closes them,
# so that each worker sees the end of its input when the parent closes it.
_PARENT_FDS: set[int] = set()


def can_fork() -> bool:
    """Fork only where it is safe: POSIX but not macOS (system frameworks there do
    not survive a fork), and only in a process with a single thread (a fork copies
    one thread; a lock another thread held would stay locked in the child)."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


class Worker(Generic[P, T]):
    """A forked child that runs ``warm()`` at once, then ``work(payload)`` once sent one."""

    def __init__(self, warm: Callable[[], object], work: Callable[[P], T]) -> None:
        inbox_r, inbox_w = os.pipe()
        outbox_r, outbox_w = os.pipe()
        with interrupts_held_for_fork():
            pid = os.fork()
            if pid == 0:
                release_after_fork()  # Ctrl-C is the parent's to report
        if pid == 0:  # the child: leaves by os._exit, never by the parent's exit code
            status = 1
            try:
                for fd in (*_PARENT_FDS, inbox_w, outbox_r):
                    os.close(fd)
                warm()
                with os.fdopen(inbox_r, "rb") as inbox:
                    payload = inbox.read()
                if payload:  # nothing sent: the parent did not need this worker
                    data = pickle.dumps(work(pickle.loads(payload)), protocol=pickle.HIGHEST_PROTOCOL)
                    with os.fdopen(outbox_w, "wb") as outbox:
                        outbox.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(inbox_r)
        os.close(outbox_w)
        self._pid: int | None = pid
        self._inbox: int | None = inbox_w
        self._outbox = os.fdopen(outbox_r, "rb")
        _PARENT_FDS.update((inbox_w, outbox_r))
        self._sender: threading.Thread | None = None

    def send(self, payload: P) -> None:
        """Hand the work over; returns at once (a thread feeds the pipe while the child
        may still be getting ready, so the parent goes on with its own part)."""
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        fd, self._inbox = self._inbox, None
        assert fd is not None, "one payload per worker"
        _PARENT_FDS.discard(fd)

        def feed() -> None:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            except OSError:
                pass  # the child is gone: result() says None
            finally:
                os.close(fd)

        self._sender = threading.Thread(target=feed, name="presspack-feed", daemon=True)
        self._sender.start()

    def result(self) -> T | None:
        """The child's result, or None when it did not deliver one."""
        try:
            data = self._outbox.read()
            if self._sender is not None:
                self._sender.join()
            assert self._pid is not None
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if not data or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                return None
            try:
                value: T = pickle.loads(data)
            except Exception:
                return None
            return value
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child if it still runs (not needed, Ctrl-C, an error here) and reap it."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None
        if self._sender is not None:
            self._sender.join()  # the child is gone: its write has failed or finished
            self._sender = None
        if self._inbox is not None:
            _PARENT_FDS.discard(self._inbox)
            os.close(self._inbox)
            self._inbox = None
        if not self._outbox.closed:
            _PARENT_FDS.discard(self._outbox.fileno())
            self._outbox.close()
