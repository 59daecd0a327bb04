"""Finding releases: folders holding release.<lang>.* files, or single source files."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.limits import SEARCH_FOLDERS, LimitExceeded

SOURCE_SUFFIXES = (".md", ".markdown", ".txt", ".docx", ".hwpx", ".hwp")


@dataclass(frozen=True)
class ReleaseSet:
    """One release: its name and the file of each language it has."""

    name: str
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)  # lang -> path, sorted by lang

    def file_for(self, lang: str) -> Path | None:
        return self.files.get(lang)


_RELEASE_FILE_RE = re.compile(r"^release\.(ko|en)\.(md|markdown|txt|docx|hwpx|hwp)$", re.IGNORECASE)


def discover(paths: Iterable[Path]) -> list[ReleaseSet]:
    """Expand PATH arguments into release sets.

    A folder holding ``release.<lang>.*`` files is one release; any other
    folder is searched (one level per release folder, recursively) for such
    folders. A file is a single-language release named after its stem.
    """
    found: dict[str, ReleaseSet] = {}
    problems: list[Problem] = []

    def add(rs: ReleaseSet) -> None:
        key = str(rs.folder / rs.name)
        found[key] = rs

    for path in paths:
        if not path.exists():
            problems.append(problem(path, None, "no such file or folder", "check the path"))
            continue
        if path.is_file():
            if path.suffix.lower() not in SOURCE_SUFFIXES:
                problems.append(
                    problem(
                        path,
                        None,
                        f"unsupported file type '{path.suffix}'",
                        "give a .md, .txt, .docx or .hwpx release",
                    )
                )
                continue
            m = _RELEASE_FILE_RE.match(path.name)
            if m:
                rs = _release_set_from_folder(path.parent, problems)
                if rs is not None:
                    add(rs)
            else:
                add(ReleaseSet(name=path.stem, folder=path.parent, files={"": path}))
            continue
        rs = _release_set_from_folder(path, problems)
        if rs is not None:
            add(rs)
            continue
        try:
            subfolders = _subfolders(path)
        except LimitExceeded as exc:
            where = "give the folder that holds your releases (such as releases/)"
            fix = f"{where}, or raise the cap with {exc.limit.env}=N"
            problems.append(problem(path, None, exc.what, fix))
            continue
        releases = [rs for rs in (_release_set_from_folder(sub, problems) for sub in subfolders) if rs]
        for rs in releases:
            add(rs)
        if not releases:
            problems.append(
                problem(
                    path,
                    None,
                    "no releases found",
                    "a release folder holds release.ko.md and/or release.en.md",
                )
            )
    if problems:
        raise SourceError(problems)
    return sorted(found.values(), key=lambda r: (str(r.folder), r.name))


def _subfolders(root: Path) -> list[Path]:
    """Every folder below ``root``, hidden ones (``.git``) and their contents left out.

    Bounded: ``presspack build ~`` (a slip for ``~/releases``) must not walk a whole
    home folder for minutes. Only folders are listed, not their files; a symlink to a
    folder is listed (a release may be one) but not walked into, as ``Path.rglob`` did.
    """
    cap = SEARCH_FOLDERS.value
    found: list[Path] = []
    for top, dirs, _files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(top) / d for d in dirs)
        if len(found) > cap:
            raise LimitExceeded(SEARCH_FOLDERS, f"the search of {root} for releases")
    return sorted(found)


def _release_set_from_folder(folder: Path, problems: list[Problem]) -> ReleaseSet | None:
    files: dict[str, Path] = {}
    for child in sorted(folder.iterdir()):
        m = _RELEASE_FILE_RE.match(child.name)
        if not m or not child.is_file():
            continue
        lang = m.group(1).lower()
        if lang in files:
            problems.append(
                problem(
                    child,
                    None,
                    f"two '{lang}' sources in one release ({files[lang].name}, {child.name})",
                    "keep only one",
                )
            )
            continue
        files[lang] = child
    if not files:
        return None
    return ReleaseSet(name=folder_name(folder), folder=folder, files=dict(sorted(files.items())))


def folder_name(folder: Path) -> str:
    """The folder's own name, also for ``.`` and ``..`` (whose ``Path.name`` is "" and
    "..": a release named so would be written beside, or above, the output folder).
    Symlinks are not followed: a release is named as the user sees it."""
    return Path(os.path.abspath(folder)).name
