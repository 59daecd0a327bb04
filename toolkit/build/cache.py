"""The build cache: each release's content key and the sha256 of its outputs.

A corrupt or foreign cache is ignored (everything is rebuilt), never trusted; an
output whose bytes no longer match is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.limits import loads_json


@dataclass(frozen=True)
class Output:
    release: str
    lang: str
    format: str
    path: Path
    sha256: str

    def to_json(self) -> dict[str, str]:
        return {
            "release": self.release,
            "lang": self.lang,
            "format": self.format,
            "path": str(self.path),
            "sha256": self.sha256,
        }

CACHE_NAME = ".presspack-cache.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_cache(out: Path) -> dict[str, Any]:
    """A corrupt or foreign cache is ignored (rebuilt), never trusted."""
    path = out / CACHE_NAME
    try:
        data = loads_json(path.read_text("utf-8"), subject=CACHE_NAME)  # never a RecursionError
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("releases"), dict):
        return {}
    return data


def write_cache(out: Path, cache: dict[str, Any]) -> None:
    cache["format"] = 1
    data = json.dumps(cache, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes_atomic(out / CACHE_NAME, data.encode("utf-8"))


def cached_outputs(out: Path, name: str, entry: Any, key: str) -> list[Output] | None:
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    outputs: list[Output] = []
    for item in entry.get("outputs", []):
        try:
            path = out / name / str(item["file"])
            digest = str(item["sha256"])
            if not path.is_file() or sha256_file(path) != digest:
                return None
            outputs.append(Output(name, str(item.get("lang", "")), str(item["format"]), path, digest))
        except (KeyError, TypeError, OSError):
            return None
    return outputs or None
