"""``presspack models``: install, list and remove offline translation models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.core.errors import Problem
from toolkit.mt.models import (
    BrokenPackage,
    InstalledPackage,
    Progress,
    install_file,
    install_from_index,
    list_broken,
    list_installed,
    packages_dir,
    remove,
)

__all__ = [
    "BrokenPackage",
    "InstalledPackage",
    "broken",
    "install",
    "installed",
    "packages_dir",
    "remove",
    "to_json",
]


def installed() -> list[InstalledPackage]:
    return list_installed()


def broken() -> list[Problem]:
    """Warnings for package folders that cannot be used (never fatal: the rest still work)."""
    problems = []
    for pkg in list_broken():
        if pkg.other_type:
            what, fix = f"not a translation package, ignored ({pkg.reason})", ""
        else:
            what = f"broken package, ignored ({pkg.reason})"
            fix = "delete the folder, or reinstall the model with 'presspack models install'"
        problems.append(Problem(file=str(pkg.path), line=None, what=what, fix=fix, severity="warning"))
    return problems


def to_json(packages: list[InstalledPackage]) -> list[dict[str, Any]]:
    return [
        {
            "from": p.from_code,
            "to": p.to_code,
            "version": p.package_version,
            "name": p.name,
            "path": str(p.path),
        }
        for p in packages
    ]


def install(
    args: tuple[str, ...], *, timeout: float = 30.0, progress: Progress | None = None
) -> InstalledPackage:
    """``FILE.argosmodel`` (air-gapped) or ``FROM TO`` language codes (from the index).

    Raises ValueError for arguments that are neither.
    """
    if len(args) == 1:
        return install_file(Path(args[0]))
    if len(args) == 2 and all(a in ("ko", "en") for a in args):
        return install_from_index(args[0], args[1], timeout=timeout, progress=progress)
    raise ValueError("give FILE.argosmodel, or two language codes such as 'ko en'")

