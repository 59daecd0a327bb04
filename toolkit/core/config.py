"""Defaults the library decides (not the CLI): where the glossary and house styles are.

Like mkdocs' config: one place owns the defaults, commands only pass overrides.
"""

from __future__ import annotations

import os
from pathlib import Path

GLOSSARY_ENV = "PRESSPACK_GLOSSARY"
TEMPLATES_ENV = "PRESSPACK_TEMPLATES"


def bundled_templates() -> Path:
    """The default house style shipped inside the package (used when no
    ``templates/`` folder is given or found, e.g. after a plain pip install)."""
    return Path(__file__).resolve().parents[1] / "data" / "templates"


GLOSSARY_NAME = "glossary.csv"


def default_glossary(*near: Path) -> Path | None:
    """``$PRESSPACK_GLOSSARY``, else ``./glossary.csv``, else the nearest ``glossary.csv``
    in the folder of a path of ``near`` or above it, else none.

    The upward look is git's: a build started from another folder
    (``presspack build ~/press/releases/x``) still finds the project's approved
    names, instead of building without them.
    """
    env = os.environ.get(GLOSSARY_ENV)
    if env:
        return Path(env)
    path = Path(GLOSSARY_NAME)
    if path.is_file():
        return path
    for start in near:
        try:
            folder = start.resolve()
        except (OSError, RuntimeError):
            continue
        if not folder.is_dir():
            folder = folder.parent
        for candidate in (folder, *folder.parents):
            found = candidate / GLOSSARY_NAME
            if found.is_file():
                return found
    return None


def glossary_or_default(path: Path | None) -> Path:
    """For commands that need a glossary file: the given one, the default, or ./glossary.csv."""
    return path or default_glossary() or Path(GLOSSARY_NAME)


def default_templates() -> Path:
    """``$PRESSPACK_TEMPLATES``, else ``./templates`` when it exists, else the bundled style."""
    env = os.environ.get(TEMPLATES_ENV)
    if env:
        return Path(env)
    path = Path("templates")
    return path if path.is_dir() else bundled_templates()


MAX_DEFAULT_JOBS = 4


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, as a container or
    ``taskset`` limits it), not the machine's count."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def default_jobs() -> int:
    """``--jobs`` when not given: every usable core, at most four (a render worker
    peaks near 90 MB; more workers than that mostly wait on the disk)."""
    return min(usable_cores(), MAX_DEFAULT_JOBS)
