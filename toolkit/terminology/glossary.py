"""The approved glossary: reading, validating and querying ``glossary.csv``.

One file serves both directions (ko→en and en→ko). When several ``ko`` rows
share one ``en``, the first row is the preferred Korean.

The file is read the way Excel writes it: UTF-8 with a BOM and CRLF line ends,
columns found by header name (order free, extra columns kept). Korean Excel's
plain "CSV" export is CP949; such a file is recognised (it must decode as
CP949 *and* look like Hangul text) and decoded correctly, with a lint warning —
it is never silently turned into mojibake. Anything else undecodable is an
error naming the line.

Whitespace policy: leading/trailing spaces are stripped with a warning (Excel
users add them by accident and they carry no meaning); NBSP, zero-width
characters, tabs and double spaces *inside* a term are errors: they would be
written into translations as they are. Every cell is read as NFC (a macOS
export in NFD is normalised, with a warning).

Optional columns (order free, all may be empty):

* ``note`` — why, and the source of the row;
* ``case`` — ``insensitive`` to match the English term in any case;
* ``abbr`` — the English abbreviation (``DAPA``): translations write
  ``en (abbr)`` at the first mention in a release and ``abbr`` after it;
* ``en_variants`` — other English renderings QA accepts in a human translation
  (``Defense Ministry; the ministry``), separated by ``;``; presspack never
  writes them;
* ``not_near`` / ``only_near`` — context rules for homographs, phrases with
  ``~`` for the term separated by ``;`` (see :mod:`toolkit.terminology.context`).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from toolkit.core.errors import GlossaryError, Problem
from toolkit.core.limits import CSV_CELL_CHARS, GLOSSARY_BYTES, GLOSSARY_ROWS, LimitExceeded, read_bounded
from toolkit.core.normalize import nfc
from toolkit.terminology.context import rule_problems
from toolkit.terminology.csvsafe import formula_like

CATEGORIES: frozenset[str] = frozenset(
    {"place", "defense", "org", "person", "title", "term", "event", "venue", "product", "policy"}
)

REQUIRED_COLUMNS: tuple[str, ...] = ("ko", "en", "category")
OPTIONAL_COLUMNS: tuple[str, ...] = ("note", "case", "abbr", "en_variants", "not_near", "only_near")
LIST_COLUMNS: frozenset[str] = frozenset({"en_variants", "not_near", "only_near"})  # ';'-separated
HEADER_EXAMPLE = "ko,en,category,note"
_HEADER_FIX = f"the first row must be the header {HEADER_EXAMPLE}"
_CASE_VALUES = frozenset({"", "insensitive", "sensitive"})
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass(frozen=True)
class Entry:
    """One approved term pair (one CSV row)."""

    ko: str
    en: str
    category: str
    note: str = ""
    line: int = 0  # 1-based CSV line (header = line 1)
    case_insensitive: bool = False  # English matching opt-in (column "case" = "insensitive")
    extra: tuple[tuple[str, str], ...] = ()  # extra CSV columns kept for round-trips
    abbr: str = ""  # English abbreviation: "DAPA" (first mention "en (abbr)", then "abbr")
    en_variants: tuple[str, ...] = ()  # other English renderings QA accepts (never written)
    not_near: tuple[str, ...] = ()  # context phrases where the term is not the term
    only_near: tuple[str, ...] = ()  # context phrases the term needs (if any)

    @property
    def has_rules(self) -> bool:
        return bool(self.not_near or self.only_near)


@dataclass(frozen=True)
class Glossary:
    """All entries of one glossary file, in file order."""

    entries: tuple[Entry, ...]
    path: str = ""

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def _by_en(self) -> dict[str, Entry]:
        first: dict[str, Entry] = {}
        for entry in self.entries:
            first.setdefault(entry.en, entry)
        return first

    def preferred_ko(self, en: str) -> str:
        """The Korean of the first row whose ``en`` is ``en`` (KeyError if none)."""
        return self._by_en[en].ko

    def for_direction(self, src: str, tgt: str) -> list[tuple[str, str, Entry]]:
        """``(source_term, target_term, entry)`` for translating ``src`` → ``tgt``.

        Each source term appears once: for ko→en the first row of a ``ko``
        wins (conflicts are lint errors anyway); for en→ko each ``en`` maps to
        its preferred (first-row) Korean, and an entry with an abbreviation is
        found in all three English forms: ``en (abbr)``, ``en`` and ``abbr``.
        """
        if (src, tgt) not in (("ko", "en"), ("en", "ko")):
            raise ValueError(f"unsupported direction {src}→{tgt}")
        seen: set[str] = set()
        result: list[tuple[str, str, Entry]] = []
        for entry in self.entries:
            if src == "ko":
                sources: tuple[str, ...] = (entry.ko,)
                target = entry.en
            else:
                target = self.preferred_ko(entry.en)
                sources = (f"{entry.en} ({entry.abbr})", entry.en, entry.abbr) if entry.abbr else (entry.en,)
            for source in sources:
                if source in seen:
                    continue
                seen.add(source)
                result.append((source, target, entry))
        return result


def fingerprint(entries: Iterable[Entry]) -> str:
    """sha256 of the entries a release uses, for incremental builds.

    Only what changes a translation or its QA counts (ko, en, case, abbreviation,
    variants, context rules); line numbers, notes and categories do not, and the
    set is sorted so moving rows or matching in a different order does not force
    a rebuild.
    """
    keys = sorted(
        {(e.ko, e.en, e.case_insensitive, e.abbr, e.en_variants, e.not_near, e.only_near) for e in entries}
    )
    payload = json.dumps(keys, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- decoding


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _hangul_ratio(text: str) -> float:
    """Share of non-ASCII characters that are common Hangul syllables (KS X 1001).

    Real CP949 Korean text is mostly the 2,350 common syllables; random bytes
    decoded as CP949 give rare UHC syllables, Hanja and symbols.
    """
    letters = [c for c in text if not c.isascii() and not c.isspace()]
    if not letters:
        return 0.0
    common = 0
    for char in letters:
        if "\uac00" <= char <= "\ud7a3":
            try:
                char.encode("euc_kr")
            except UnicodeEncodeError:
                continue
            common += 1
    return common / len(letters)


def _decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Decode bytes to text, or explain precisely why not (never mojibake)."""
    if b"\x00" in data:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None, [
                Problem(
                    name,
                    None,
                    "file is UTF-16 encoded (Excel 'Unicode Text')",
                    "save it as 'CSV UTF-8 (Comma delimited)' in Excel",
                )
            ]
        return None, [
            Problem(
                name,
                _line_of_offset(data, data.index(b"\x00")),
                "file contains NUL bytes: this is binary data, not a CSV text file",
                f"save the glossary as 'CSV UTF-8' with the header {HEADER_EXAMPLE}",
            )
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        text = None
    if text is not None and _hangul_ratio(text) >= 0.8:
        return text, [
            Problem(
                name,
                None,
                "file is CP949/EUC-KR encoded (read correctly this time)",
                "save it as 'CSV UTF-8 (Comma delimited)' in Excel",
                severity="warning",
            )
        ]
    line = _line_of_offset(data, utf8_error.start)
    bad = data[utf8_error.start : utf8_error.start + 4].hex(" ")
    return None, [
        Problem(
            name,
            line,
            f"undecodable bytes ({bad}): the file is neither UTF-8 nor CP949/EUC-KR text",
            "save it as 'CSV UTF-8 (Comma delimited)' in Excel",
        )
    ]


# --------------------------------------------------------------------------- parsing


def visible(value: str) -> str:
    """Text with invisible characters made visible, e.g. ``다<U+00A0>라``."""
    return _show(value)


def _show(value: str) -> str:
    """The cell with invisible characters made visible, e.g. ``다<U+00A0>라``."""
    return "".join(
        c if c == " " or (c.isprintable() and c not in _INVISIBLE) else f"<U+{ord(c):04X}>" for c in value
    )


# Anything _cell_problems reports on, found in one C-level search: a clean cell (nearly
# every cell of a real glossary) then costs no look at each of its characters.
_SUSPECT = re.compile(
    "[\u00a0\u3000\x00-\x1f\x7f-\x9f" + "".join(sorted(_INVISIBLE)) + "]|  "
)


def _cell_problems(value: str, column: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(errors, warnings) as (what, fix) pairs for stray whitespace in one cell."""
    if value == value.strip() and _SUSPECT.search(value) is None:
        return [], []
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    show = _show(value)
    if value != value.strip():
        warnings.append(
            (
                f"{column} cell '{show}' has leading/trailing whitespace (ignored)",
                "delete the spaces around the text",
            )
        )
    inner = value.strip()
    if "\u00a0" in inner or "\u3000" in inner:
        errors.append(
            (
                f"{column} cell '{show}' contains a non-breaking or ideographic space",
                "retype the space as an ordinary space",
            )
        )
    if any(c in _INVISIBLE for c in inner):
        errors.append(
            (
                f"{column} cell '{show}' contains invisible zero-width characters",
                "retype the cell (copy-paste from the web brought them in)",
            )
        )
    if "  " in inner:
        errors.append((f"{column} cell '{show}' contains double spaces", "use single spaces between words"))
    # a note is free text for people (Alt+Enter in Excel): its line breaks are kept; a
    # term, a variant or a rule must stay on one line to match anything
    breaks = "" if column == "note" else "\r\n"
    if any(c == "\t" or (unicodedata.category(c) == "Cc" and c not in "\r\n") or c in breaks for c in inner):
        errors.append(
            (
                f"{column} cell '{show}' contains tabs, line breaks or control characters",
                "keep each term on one line without tabs",
            )
        )
    return errors, warnings


_ROMAN = (("IV", "4"), ("III", "3"), ("II", "2"))


def _variants(a: str, b: str) -> bool:
    """True when one Korean form is an obvious variant of the other.

    Why: 창원시/창원특례시, 방위사업청/방사청 (abbreviation), 천궁-II/천궁2,
    K9 자주포/K9 썬더 legitimately share one English term: after NFKC, roman
    numerals → digits and removing spaces/punctuation, the shorter is a
    subsequence of the longer, or both start with the same two characters.
    Unrelated nouns sharing an English term are worth a warning.
    """

    def norm(text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        for roman, digit in _ROMAN:
            text = text.replace(roman, digit)
        return "".join(c for c in text if c.isalnum())

    x, y = norm(a), norm(b)
    if len(x) > len(y):
        x, y = y, x
    if len(x) >= 2 and x[:2] == y[:2]:
        return True
    it = iter(y)
    return bool(x) and all(ch in it for ch in x)


def _parse(
    path: Path, known: frozenset[str] = CATEGORIES, *, check_formulas: bool = True
) -> tuple[list[Entry], list[Problem]]:
    """Read and validate; return the valid entries and every problem found.

    ``check_formulas=False`` lets a file to be imported through, whose
    formula-like cells the merge then neutralises.
    """
    name = str(path)
    try:
        data = read_bounded(path, GLOSSARY_BYTES, subject="the glossary")
    except LimitExceeded as exc:
        return [], [Problem(name, None, exc.what, exc.limit.fix)]
    except OSError as exc:
        fix = "check the path (or give --glossary FILE)" if isinstance(exc, FileNotFoundError) else ""
        return [], [Problem(name, None, f"cannot read glossary: {exc.strerror or exc}", fix)]
    text, problems = _decode(data, name)
    if text is None:
        return [], problems
    if not text.strip():
        problems.append(Problem(name, 1, "glossary is empty", _HEADER_FIX))
        return [], problems

    csv.field_size_limit(CSV_CELL_CHARS.value)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    last_line = 0
    max_rows = GLOSSARY_ROWS.value
    try:
        for row in reader:
            if len(records) > max_rows:  # the header plus max_rows rows are allowed
                too_many = GLOSSARY_ROWS.message(f"the glossary (more than {max_rows:,} rows)")
                return [], [*problems, Problem(name, last_line + 1, too_many, GLOSSARY_ROWS.fix)]
            records.append((last_line + 1, row))
            last_line = reader.line_num
    except csv.Error as exc:
        problems.append(_csv_error(name, text, last_line + 1, exc))
    if not records:
        problems.append(Problem(name, 1, "glossary is empty", _HEADER_FIX))
        return [], problems

    header_line, header = records[0]
    columns = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    dupes = sorted({c for c in columns if c and columns.count(c) > 1})
    if missing or dupes:
        what = []
        if missing:
            what.append("header lacks column(s) " + ", ".join(f"'{c}'" for c in missing))
        if dupes:
            what.append("header repeats column(s) " + ", ".join(f"'{c}'" for c in dupes))
        hint = ""
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            hint = " (the file uses ';' or tabs; save it as 'CSV UTF-8 (Comma delimited)')"
        problems.append(
            Problem(
                name,
                header_line,
                "; ".join(what) + f" (found: {','.join(header)})",
                f"the first row must be the header {HEADER_EXAMPLE}{hint}",
            )
        )
        return [], problems

    index = {c: i for i, c in enumerate(columns)}
    entries: list[Entry] = []
    for line, row in records[1:]:
        if not row or all(not cell.strip() for cell in row):
            continue  # blank lines are harmless
        if len(row) != len(columns):
            problems.append(
                Problem(
                    name,
                    line,
                    f"row has {len(row)} fields, the header has {len(columns)}",
                    "check for unquoted commas (quote the cell) or missing cells",
                )
            )
            continue
        formulas = _formula_problems(name, line, row, columns) if check_formulas else []
        problems.extend(formulas)
        entry = _row_entry(name, line, row, columns, index, problems, known)
        if entry is not None and not formulas:
            entries.append(entry)

    _cross_row_problems(name, entries, problems)
    return entries, problems


def _csv_error(name: str, text: str, line: int, exc: csv.Error) -> Problem:
    """A CSV syntax error with the right hint: an over-long cell is not always a missing quote."""
    if "field larger than field limit" not in str(exc):
        fix = "close the quote or remove the stray quote character"
        return Problem(name, line, f"malformed CSV: {exc}", fix)
    lines = text.split("\n", line)
    start = lines[line - 1] if len(lines) >= line else ""
    what = CSV_CELL_CHARS.message(f"a cell of the row starting on line {line}")
    if start.count('"') % 2 == 1:
        fix = f"a quote opened on line {line} is never closed: close it (or remove it)"
    else:
        fix = "glossary cells hold one term or a short note: shorten the cell"
    return Problem(name, line, what, fix)


def _formula_problems(name: str, line: int, row: list[str], columns: list[str]) -> list[Problem]:
    """Cells a spreadsheet would run as formulas (CSV injection): errors, see terminology.csvsafe."""
    return [
        Problem(
            name,
            line,
            f"{column} cell '{_show(cell.strip())[:80]}' would run as a formula in Excel (CSV injection)",
            "put an apostrophe (') in front of it so spreadsheets show it as text",
        )
        for column, cell in zip(columns, row, strict=True)
        if formula_like(cell.strip())
    ]


def _row_entry(
    name: str,
    line: int,
    row: list[str],
    columns: list[str],
    index: dict[str, int],
    problems: list[Problem],
    known: frozenset[str],
) -> Entry | None:
    ok = True
    values: dict[str, str] = {}
    for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        if column not in index:
            values[column] = ""
            continue
        raw = row[index[column]]
        composed = nfc(raw)
        if composed != raw:
            problems.append(
                Problem(
                    name,
                    line,
                    f"{column} cell '{_show(composed.strip())}' is in decomposed Unicode (NFD, as macOS "
                    "writes it); read as NFC",
                    "save the file again from Excel or a text editor that writes NFC",
                    severity="warning",
                )
            )
        errors, warnings = _cell_problems(composed, column)
        for what, fix in errors:
            problems.append(Problem(name, line, what, fix))
            ok = False
        for what, fix in warnings:
            problems.append(Problem(name, line, what, fix, severity="warning"))
        values[column] = composed.strip().replace("\r\n", "\n").replace("\r", "\n")
        if column in REQUIRED_COLUMNS and not values[column]:
            problems.append(
                Problem(name, line, f"empty {column} cell", f"fill in {column} or delete the row")
            )
            ok = False
    category = values["category"]
    if category and category not in known:
        close = difflib.get_close_matches(category.lower(), sorted(known), n=1)
        fix = f"did you mean '{close[0]}'? " if close else ""
        problems.append(
            Problem(
                name,
                line,
                f"unknown category '{category}'",
                fix + "use one of: " + ", ".join(sorted(known)),
            )
        )
        ok = False
    case = values["case"].lower()
    if case not in _CASE_VALUES:
        problems.append(
            Problem(
                name,
                line,
                f"unknown case value '{values['case']}'",
                "leave it empty or write 'insensitive'",
            )
        )
        ok = False
    if values["en"] and _has_hangul(values["en"]):
        problems.append(
            Problem(
                name,
                line,
                f"en cell '{values['en']}' contains Hangul",
                "check that the ko and en columns are not swapped",
                severity="warning",
            )
        )
    abbr_errors = _abbr_problems(values["en"], values["abbr"], "abbr" in index)
    for what, fix, severity in abbr_errors:
        problems.append(Problem(name, line, what, fix, severity=severity))
        ok = ok and severity != "error"
    variants = _split_list(values["en_variants"])
    for variant in variants:
        if _has_hangul(variant):
            problems.append(
                Problem(
                    name,
                    line,
                    f"en_variants '{variant}' contains Hangul",
                    "list English renderings only (Korean variants get their own row)",
                )
            )
            ok = False
    for column in ("not_near", "only_near"):
        if values[column]:
            found = rule_problems(name, line, column, values[column], values["ko"], values["en"])
            problems.extend(found)
            ok = ok and not found
    if not ok:
        return None
    standard = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    extra = tuple((columns[i], row[i]) for i in range(len(columns)) if columns[i] not in standard)
    return Entry(
        ko=values["ko"],
        en=values["en"],
        category=category,
        note=values["note"],
        line=line,
        case_insensitive=case == "insensitive",
        extra=extra,
        abbr=values["abbr"],
        en_variants=tuple(v for v in variants if v != values["en"]),
        not_near=tuple(_split_list(values["not_near"])),
        only_near=tuple(_split_list(values["only_near"])),
    )


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in text)


def _split_list(cell: str) -> list[str]:
    """A ``;``-separated cell: items with single spaces, empty items dropped."""
    return [" ".join(part.split()) for part in cell.split(";") if part.strip()]


_BRACKETED_ABBR = re.compile(r"\s*\(([A-Z][A-Za-z0-9&.\-]*[A-Z0-9])\)$")


def _abbr_problems(en: str, abbr: str, has_column: bool) -> list[tuple[str, str, str]]:
    """(what, fix, severity) for the abbreviation of one row."""
    found: list[tuple[str, str, str]] = []
    bracketed = _BRACKETED_ABBR.search(en)
    if not abbr:
        if bracketed and has_column:
            found.append(
                (
                    f"en '{en}' ends with the abbreviation '({bracketed.group(1)})'",
                    f"move it to the abbr column ('{en[: bracketed.start()]}' + abbr "
                    f"'{bracketed.group(1)}'), so it is written at the first mention only",
                    "warning",
                )
            )
        return found
    if _has_hangul(abbr) or ";" in abbr or "(" in abbr or ")" in abbr:
        found.append((f"abbr '{abbr}' is not an English abbreviation", "write it as in 'DAPA'", "error"))
    elif abbr == en:
        found.append((f"abbr '{abbr}' equals the en cell", "write the full name in en", "error"))
    elif bracketed and bracketed.group(1) == abbr:
        found.append(
            (
                f"en '{en}' already ends with '({abbr})'",
                f"write only the full name in en ('{en[: bracketed.start()]}'); presspack adds "
                f"'({abbr})' at the first mention",
                "error",
            )
        )
    return found


def match_key(ko: str) -> str:
    """The form a Korean term is matched in: the matching view without spaces.

    Two rows with the same key are the same term for the matcher (K9 자주포 =
    K9자주포 = K9\u00a0자주포), so the second is a duplicate or a conflict.
    """
    from toolkit.core.normalize import for_matching

    return for_matching(ko)[0].replace(" ", "")


def _cross_row_problems(name: str, entries: list[Entry], problems: list[Problem]) -> None:
    by_ko: dict[str, Entry] = {}
    for entry in entries:
        key = match_key(entry.ko)
        first = by_ko.get(key)
        if first is None:
            by_ko[key] = entry
        elif first.ko != entry.ko and first.en == entry.en:
            problems.append(
                Problem(
                    name,
                    entry.line,
                    f"'{entry.ko}' is a spacing variant of '{first.ko}' (line {first.line}); "
                    "matching ignores spacing and invisible characters, so this row is not needed",
                    "delete the row",
                    severity="warning",
                )
            )
        elif first.en != entry.en:
            problems.append(
                Problem(
                    name,
                    entry.line,
                    f"ko '{entry.ko}' has conflicting translations: line {first.line} says "
                    f"'{first.en}', line {entry.line} says '{entry.en}'",
                    f"keep one translation (lines {first.line} and {entry.line})",
                )
            )
        else:
            problems.append(
                Problem(
                    name,
                    entry.line,
                    f"duplicate of line {first.line} ('{entry.ko}' → '{entry.en}')",
                    "delete one of the two rows",
                    severity="warning",
                )
            )
    by_en: dict[str, list[Entry]] = {}
    for entry in entries:
        group = by_en.setdefault(entry.en.casefold(), [])
        if all(e.ko != entry.ko for e in group):
            group.append(entry)
    for group in by_en.values():
        preferred = group[0]
        for other in group[1:]:
            if preferred.abbr and preferred.abbr == other.abbr:
                continue  # one organisation with its short forms (대한무역투자진흥공사, 코트라)
            if not _variants(preferred.ko, other.ko):
                problems.append(
                    Problem(
                        name,
                        other.line,
                        f"en '{other.en}' also comes from '{preferred.ko}' (line "
                        f"{preferred.line}); en→ko will always use '{preferred.ko}'",
                        f"if '{other.ko}' should be preferred, move it above line {preferred.line}",
                        severity="warning",
                    )
                )


def _sort(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line or 0)


def load_glossary(path: Path, *, check_formulas: bool = True) -> Glossary:
    """Read ``glossary.csv``; raise GlossaryError listing every invalid row.

    ``check_formulas=False`` is for files being imported (the merge neutralises them).
    """
    entries, problems = _parse(Path(path), check_formulas=check_formulas)
    errors = [p for p in _sort(problems) if p.severity == "error"]
    if errors:
        raise GlossaryError(errors)
    return Glossary(entries=tuple(entries), path=str(path))


def lint_glossary(path: Path, *, known_categories: frozenset[str] = CATEGORIES) -> list[Problem]:
    """Every problem of the file at once, errors and warnings, in line order."""
    _, problems = _parse(Path(path), known_categories)
    return _sort(problems)
