"""Named caps on everything presspack reads, and small bounded readers that enforce them.

Hostile or broken input (a zip bomb posing as a .docx, front matter nested
3,000 deep, a 1 GB package index) must end in a clear error naming the cap,
never in a MemoryError, a RecursionError or a full disk. Every cap lives
here, with a name that appears in the error message and in the README's
"Limits" table, so a user who meets one knows exactly which one it was.

A genuine file that is larger than a cap allows can still be read: every cap
can be raised for one run with ``PRESSPACK_LIMIT_<NAME>=<value>`` (for
example ``PRESSPACK_LIMIT_ZIP_MEMBER_BYTES=200000000``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.core.errors import PresspackError, Problem

__all__ = [
    "ALL_LIMITS",
    "CSV_CELL_CHARS",
    "EXCHANGE_BYTES",
    "FRONT_MATTER_BYTES",
    "GLOSSARY_BYTES",
    "GLOSSARY_ROWS",
    "IMAGE_BYTES",
    "IMAGE_PIXELS",
    "INDEX_BYTES",
    "JSON_DEPTH",
    "JSON_NUMBER_DIGITS",
    "MEMORY_BYTES",
    "METADATA_BYTES",
    "PACKAGE_BYTES",
    "PACKAGE_MEMBERS",
    "PACKAGE_UNPACKED_BYTES",
    "SEARCH_FOLDERS",
    "SOURCE_BYTES",
    "TEXT_EXPANSION_CHARS",
    "VERSION_CHARS",
    "XML_DEPTH",
    "XML_ELEMENTS",
    "YAML_DEPTH",
    "ZIP_MEMBERS",
    "ZIP_MEMBER_BYTES",
    "ZIP_TOTAL_BYTES",
    "Limit",
    "LimitExceeded",
    "human_size",
    "json_depth_ok",
    "loads_json",
    "read_bounded",
]

_KIB = 1024
_MIB = 1024 * _KIB
_GIB = 1024 * _MIB


def human_size(n: int) -> str:
    """``65536`` → ``64 KiB``; exact binary units when they fit, else one decimal."""
    for unit, size in (("GiB", _GIB), ("MiB", _MIB), ("KiB", _KIB)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if n % size == 0 else f"{value:.1f} {unit}"
    return f"{n} bytes"


@dataclass(frozen=True)
class Limit:
    """One cap. ``value`` is the default unless ``PRESSPACK_LIMIT_<NAME>`` overrides it."""

    name: str
    default: int
    unit: str  # "bytes", "levels", "characters", "members"
    what: str  # what it bounds, for the README table and messages

    @property
    def env(self) -> str:
        return "PRESSPACK_LIMIT_" + self.name.upper()

    @property
    def value(self) -> int:
        raw = os.environ.get(self.env)
        if raw is None or not raw.strip():
            return self.default
        text = raw.strip().replace("_", "")
        if not text.isdigit() or int(text) < 1:
            raise PresspackError(
                Problem(
                    file="",
                    line=None,
                    what=f"{self.env}={raw!r} is not a positive whole number",
                    fix=f"unset it or give a number such as {self.env}={self.default}",
                )
            )
        return int(text)

    def show(self, value: int | None = None) -> str:
        """``64 MiB`` / ``100 levels`` for messages."""
        n = self.value if value is None else value
        if self.unit == "bytes":
            return human_size(n)
        return f"{n:,} {self.unit}"

    def message(self, subject: str) -> str:
        """``<subject> exceeds the 64 MiB limit (zip_member_bytes)``, or for depths
        ``<subject> is nested deeper than the 16-level limit (yaml_depth)``."""
        if self.unit == "levels":
            return f"{subject} is nested deeper than the {self.value}-level limit ({self.name})"
        return f"{subject} exceeds the {self.show()} limit ({self.name})"

    @property
    def fix(self) -> str:
        """The generic second half of a message: what to do about a cap."""
        return f"check the file is the one you meant; if it is genuine, raise the cap with {self.env}=N"


class LimitExceeded(ValueError):
    """Raised by the bounded readers; callers add the file and turn it into their error class."""

    def __init__(self, limit: Limit, subject: str) -> None:
        self.limit = limit
        self.subject = subject
        super().__init__(limit.message(subject))

    @property
    def what(self) -> str:
        return str(self)


# --------------------------------------------------------------------------- the caps

SOURCE_BYTES = Limit(
    "source_bytes", 16 * _MIB, "bytes", "a release source file (.md, .txt) or standard input"
)
FRONT_MATTER_BYTES = Limit("front_matter_bytes", 1 * _MIB, "bytes", "the YAML front matter of a release")
YAML_DEPTH = Limit("yaml_depth", 16, "levels", "nesting of YAML front matter")
JSON_DEPTH = Limit(
    "json_depth", 64, "levels", "nesting of JSON files (package index, metadata, caches, memories)"
)
JSON_NUMBER_DIGITS = Limit("json_number_digits", 100, "digits", "one number in a JSON file")
MEMORY_BYTES = Limit("memory_bytes", 64 * _MIB, "bytes", "a translation memory (release.<lang>.tm.json)")
XML_DEPTH = Limit(
    "xml_depth", 100, "levels", "element nesting of XML in DOCX, HWPX, TBX, XLIFF and TMX files"
)
TEXT_EXPANSION_CHARS = Limit(
    "text_expansion_chars",
    1 * _MIB,
    "characters",
    "text produced by internal XML entities in one DOCX part",
)
ZIP_MEMBERS = Limit("zip_members", 10_000, "members", "files inside a DOCX or HWPX archive")
ZIP_MEMBER_BYTES = Limit(
    "zip_member_bytes", 64 * _MIB, "bytes", "one unpacked part read from a DOCX or HWPX archive"
)
ZIP_TOTAL_BYTES = Limit(
    "zip_total_bytes", 512 * _MIB, "bytes", "all unpacked parts read from one DOCX or HWPX archive"
)
GLOSSARY_BYTES = Limit("glossary_bytes", 32 * _MIB, "bytes", "a glossary CSV or TBX file")
GLOSSARY_ROWS = Limit("glossary_rows", 200_000, "rows", "rows of a glossary CSV")
XML_ELEMENTS = Limit(
    "xml_elements", 1_000_000, "elements", "elements in one XML part (DOCX, HWPX, TBX, XLIFF, TMX)"
)
CSV_CELL_CHARS = Limit("csv_cell_chars", 131_072, "characters", "one cell of a glossary CSV")
INDEX_BYTES = Limit("index_bytes", 16 * _MIB, "bytes", "the argos package index (index.json)")
PACKAGE_BYTES = Limit("package_bytes", 2 * _GIB, "bytes", "a downloaded .argosmodel package")
PACKAGE_UNPACKED_BYTES = Limit(
    "package_unpacked_bytes", 4 * _GIB, "bytes", "an .argosmodel package once unpacked"
)
PACKAGE_MEMBERS = Limit("package_members", 2_000, "members", "files inside an .argosmodel package")
METADATA_BYTES = Limit("metadata_bytes", 1 * _MIB, "bytes", "a package's metadata.json")
VERSION_CHARS = Limit("version_chars", 32, "characters", "a package's package_version")
IMAGE_BYTES = Limit("image_bytes", 32 * _MIB, "bytes", "one photo file of a release (PNG, JPEG, WebP)")
IMAGE_PIXELS = Limit("image_pixels", 50_000_000, "pixels", "width × height of one photo of a release")
EXCHANGE_BYTES = Limit(
    "exchange_bytes", 64 * _MIB, "bytes", "an XLIFF or TMX file read by presspack import"
)
SEARCH_FOLDERS = Limit(
    "search_folders", 50_000, "folders", "folders searched for releases below one path given to build"
)

ALL_LIMITS: tuple[Limit, ...] = (  # in the order of the README's "Limits" table
    SOURCE_BYTES,
    FRONT_MATTER_BYTES,
    YAML_DEPTH,
    ZIP_MEMBERS,
    ZIP_MEMBER_BYTES,
    ZIP_TOTAL_BYTES,
    XML_DEPTH,
    XML_ELEMENTS,
    TEXT_EXPANSION_CHARS,
    GLOSSARY_BYTES,
    GLOSSARY_ROWS,
    CSV_CELL_CHARS,
    JSON_DEPTH,
    JSON_NUMBER_DIGITS,
    MEMORY_BYTES,
    INDEX_BYTES,
    PACKAGE_BYTES,
    PACKAGE_UNPACKED_BYTES,
    PACKAGE_MEMBERS,
    METADATA_BYTES,
    VERSION_CHARS,
    IMAGE_BYTES,
    IMAGE_PIXELS,
    EXCHANGE_BYTES,
    SEARCH_FOLDERS,
)


# --------------------------------------------------------------------------- bounded readers


def read_bounded(path: Path, limit: Limit, *, subject: str | None = None) -> bytes:
    """The bytes of ``path``, refusing (before reading) a file larger than ``limit``.

    Reads at most ``limit + 1`` bytes, so a file that grows while being read,
    or a device such as ``/dev/zero``, cannot exhaust memory either. OSError
    propagates for the caller to report.
    """
    cap = limit.value
    name = subject or path.name
    with open(path, "rb") as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
        except OSError:
            size = 0
        if size > cap:
            raise LimitExceeded(limit, f"{name} ({human_size(size)})")
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise LimitExceeded(limit, f"{name} (more than {human_size(cap)})")
    return data


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")


def json_depth_ok(text: str, max_depth: int) -> bool:
    """True when no array/object in ``text`` nests deeper than ``max_depth``.

    Strings are removed first (brackets inside them do not count), then
    innermost ``[]``/``{}`` pairs are peeled off one level per pass: C-speed
    string operations, at most ``max_depth + 1`` passes. Malformed bracket
    sequences are left for the JSON parser to report.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    too_deep = re.compile(r"[\[{]{" + str(max_depth + 1) + "}")  # that many openers in a row
    for _ in range(max_depth):
        if not brackets:
            return True
        if too_deep.search(brackets):
            return False
        peeled = _PAIR.sub("", brackets)  # one level per pass: sub never rescans its output
        if peeled == brackets:
            return True  # mismatched brackets: invalid JSON, not deep JSON
        brackets = peeled
    return not brackets or _PAIR.sub("", brackets) == brackets


class _HugeNumber(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def loads_json(text: str | bytes, *, subject: str, limit: Limit = JSON_DEPTH) -> Any:
    """``json.loads`` that refuses deep nesting and huge numbers instead of recursing or stalling.

    Raises LimitExceeded for input over a cap (``limit`` for depth,
    ``json_number_digits`` for numbers) and ValueError (as json does) for
    invalid input; never RecursionError.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not json_depth_ok(text, limit.value):
        raise LimitExceeded(limit, subject)
    max_digits = JSON_NUMBER_DIGITS.value

    def number(kind: type[int] | type[float]) -> Any:
        def parse(digits: str) -> int | float:
            if len(digits) > max_digits:
                raise _HugeNumber(len(digits))
            return kind(digits)

        return parse

    try:
        return json.loads(text, parse_int=number(int), parse_float=number(float))
    except _HugeNumber as exc:
        raise LimitExceeded(JSON_NUMBER_DIGITS, f"{subject} (a number of {exc.digits:,} digits)") from None
    except RecursionError:  # pragma: no cover - the depth check runs first
        raise LimitExceeded(limit, subject) from None
