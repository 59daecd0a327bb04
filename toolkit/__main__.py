"""``python -m toolkit`` (and the ``presspack`` console script) run the CLI through :func:`run`.

Why a wrapper around ``toolkit.cli.main``: it is the only place that owns the real process.

- Ctrl-C while the CLI itself is still being imported gets the same one line and exit 130 as
  Ctrl-C during a command.
- Once the command has decided its exit code, a second Ctrl-C can no longer turn that code
  into a death by signal on the way out.
- CPython marks a KeyboardInterrupt "unhandled" when it ends a *string* ``exec``/``eval``
  (``run_eval_code_obj``), even if a caller catches it later; under ``python -m`` the
  interpreter then ignores the SystemExit code and kills itself with SIGINT (-2). dataclasses
  and namedtuple build their methods with string ``exec`` at import time, so a Ctrl-C landing
  there (about 1 in 20 early in a build) made ``python -m toolkit build`` die with -2 after
  printing its one line. The flag is reset at the start of every string eval: one empty
  string eval just before exiting clears it.

In-process callers (Click's CliRunner, the tests) call ``toolkit.cli.main`` and keep their
signal handlers (and their garbage collector's settings, see :data:`GC_THRESHOLD`).
"""

from __future__ import annotations

import gc
import signal
import sys
from contextlib import suppress
from typing import NoReturn

from toolkit.core.interrupts import INTERRUPTED

# A presspack process lives for seconds and allocates millions of small objects (XML
# elements, layout boxes, font tables) of which few ever form cycles. CPython's default,
# a collection every 700 allocations, spent 8% of a one-release build (callgrind: 3.94 G
# → 3.63 G instructions) walking them again and again. Cycles are still collected.
GC_THRESHOLD = (10_000, 50, 50)


def _settle() -> None:
    """The exit code is decided: from here on Ctrl-C is ignored, not a KeyboardInterrupt."""
    with suppress(ValueError, OSError):  # not the main thread of an embedded interpreter
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def run() -> NoReturn:
    """Run the presspack CLI as a process: parse, run, exit with its code."""
    code: int | str | None = 0
    gc.set_threshold(*GC_THRESHOLD)
    try:
        try:
            from toolkit.cli import main

            main()
        except SystemExit as exc:
            _settle()
            code = exc.code
        except KeyboardInterrupt:  # before the CLI could handle it: during its imports
            _settle()
            sys.stderr.write(INTERRUPTED + "\n")
            code = 130
    except KeyboardInterrupt:  # between the command's exit and _settle(): the code was 130
        _settle()
        code = 130
    _settle()
    exec("None", {})  # clears CPython's "unhandled KeyboardInterrupt" flag; see above
    sys.exit(code)


if __name__ == "__main__":
    run()
