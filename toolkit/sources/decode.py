"""Decoding source bytes: UTF-8 (BOM or not), UTF-16 with BOM, Korean CP949/EUC-KR.

Every text reader starts here, so encodings and control characters are handled once.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from toolkit.core.document import Lang
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.limits import SOURCE_BYTES, LimitExceeded, read_bounded
from toolkit.core.normalize import nfc, suspicious

_HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class SourceFile:
    """A decoded source: text with LF newlines plus what we noticed on the way."""

    path: Path
    text: str
    encoding: str
    warnings: tuple[Problem, ...] = ()


def decode_source(path: Path, data: bytes | None = None) -> SourceFile:
    """Decode bytes as UTF-8 (BOM or not), UTF-16 with BOM, or CP949/EUC-KR.

    Korean Windows tools still save CP949; we decode it correctly when the
    bytes are valid CP949 and read as Hangul, never guess further (mojibake is
    worse than a clear refusal).
    """
    if data is None:
        try:
            data = read_bounded(path, SOURCE_BYTES, subject="the file")
        except LimitExceeded as exc:
            raise SourceError(problem(path, None, exc.what, exc.limit.fix)) from None
        except OSError as exc:
            raise SourceError(
                problem(
                    path,
                    None,
                    f"cannot read file ({exc.strerror})",
                    "check the path and permissions",
                )
            ) from exc
    if not data.strip():
        raise SourceError(problem(path, None, "file is empty", "write the release text into it"))
    warnings: list[Problem] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(problem(path, None, "invalid UTF-16 text", "save the file as UTF-8")) from exc
        encoding = "utf-16"
    elif b"\x00" in data:
        raise SourceError(
            problem(
                path,
                None,
                "binary file, not a text release",
                "give a .md, .txt or .docx release (Word files must end in .docx)",
            )
        )
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _decode_legacy(path, data, exc)
            warnings.append(
                Problem(
                    file=str(path),
                    line=None,
                    what=f"file is {encoding.upper()} encoded (decoded as Korean {encoding.upper()})",
                    fix="save it as UTF-8 to silence this warning",
                    severity="warning",
                )
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Word's manual line break (VT) and page break (FF), and the other line-end controls,
    # as text copied out of it carries them: a space, so words stay apart ("두 번째\v단락"
    # read as "두 번째단락") and line numbers stay those of the editor.
    text = text.translate(_BREAK_CONTROLS)
    bad = [i for i, ch in enumerate(text) if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]
    if bad and len(bad) > max(8, len(text) // 100):
        raise SourceError(
            problem(path, None, "binary file, not a text release", "give a .md, .txt or .docx release")
        )
    if bad:
        warnings.append(_removed(path, text, bad, "control character", "control characters print nothing"))
        text = "".join(ch for ch in text if not (unicodedata.category(ch) == "Cc" and ch not in "\n\t"))
    bidi = [i for i, ch in enumerate(text) if ch in _BIDI_CONTROLS]
    if bidi:
        why = "an override reverses the text after it in Word and HWP"
        warnings.append(_removed(path, text, bidi, "bidirectional override character", why))
        text = text.translate(dict.fromkeys(map(ord, _BIDI_CONTROLS)))
    markdown = path.suffix.lower() in (".md", ".markdown")  # Markdown decodes &amp; itself
    warnings.extend(suspicious_problems(str(path), text, entities=not markdown))
    return SourceFile(path=path, text=nfc(text), encoding=encoding, warnings=tuple(warnings))


_BREAK_CONTROLS = dict.fromkeys(map(ord, "\v\f\x1c\x1d\x1e\x85"), " ")
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069); the marks
# U+200E/U+200F change no order and stay.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _removed(path: Path, text: str, at: list[int], what: str, why: str) -> Problem:
    """One warning for the characters at ``at``, which the reader removes."""
    names = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(text[i] for i in at))
    count = f"{len(at)} {what}s" if len(at) > 1 else f"a {what}"
    return Problem(
        str(path),
        text.count("\n", 0, at[0]) + 1,
        f"{count} ({names}) removed ({why})",
        "nothing else changed; delete them in the source to silence this warning",
        severity="warning",
    )


_SUSPICIOUS_FIXES = {
    "mojibake": "the text was decoded with the wrong encoding before it was saved; copy it again from "
    "the original, or re-save the original as UTF-8",
    "entity": "replace the entity with the character it stands for (&#8212; is —, &amp; is &)",
    "replacement": "copy the text again from the original: characters were lost in a conversion",
    "jamo": "retype the word: its Hangul letters do not form syllables",
}
_MAX_SUSPICIOUS = 10


def suspicious_problems(name: str, text: str, *, entities: bool = True) -> list[Problem]:
    """Warnings, with file:line, for text that decoded but reads wrong (see core.normalize).

    Decomposed Hangul (NFD) is read as NFC and reported once; each other kind
    on at most ten lines, then counted.
    """
    found = suspicious(text, entities=entities)
    problems: list[Problem] = []
    nfd = [line for line, what in found if "NFD" in what]
    if nfd:
        more = f" (and {len(nfd) - 1} more lines)" if len(nfd) > 1 else ""
        problems.append(
            Problem(
                name,
                nfd[0],
                f"Hangul is decomposed (NFD, as macOS writes it){more}; read as NFC",
                "nothing is lost; save the file as NFC (most editors do) to silence this warning",
                severity="warning",
            )
        )
    others = [(line, what) for line, what in found if "NFD" not in what]
    for line, what in others[:_MAX_SUSPICIOUS]:
        kind = (
            "replacement"
            if "U+FFFD" in what
            else "entity"
            if "entity" in what
            else "jamo"
            if "jamo" in what
            else "mojibake"
        )
        problems.append(Problem(name, line, what, _SUSPICIOUS_FIXES[kind], severity="warning"))
    if len(others) > _MAX_SUSPICIOUS:
        problems.append(
            Problem(
                name,
                others[_MAX_SUSPICIOUS][0],
                f"{len(others) - _MAX_SUSPICIOUS} more lines look garbled",
                "fix the lines above first",
                severity="warning",
            )
        )
    return problems


def _decode_legacy(path: Path, data: bytes, exc: UnicodeDecodeError) -> tuple[str, str]:
    line = data[: exc.start].count(b"\n") + 1
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        raise SourceError(
            problem(
                path,
                line,
                "file is not valid UTF-8 (nor CP949/EUC-KR Korean)",
                "save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8)",
            )
        ) from exc
    letters = _LETTER_RE.findall(text)
    hangul = _HANGUL_RE.findall(text)
    if not letters or len(hangul) < len(letters) * 0.2:
        raise SourceError(
            problem(
                path,
                line,
                "file is not valid UTF-8 and does not look like CP949/EUC-KR Korean either",
                "save the file as UTF-8",
            )
        )
    try:
        data.decode("euc-kr")
        encoding = "euc-kr"
    except UnicodeDecodeError:
        encoding = "cp949"
    return text, encoding


def detect_lang(text: str) -> Lang:
    """Korean when a fair share of the letters are Hangul; English otherwise."""
    letters = len(_LETTER_RE.findall(text))
    hangul = len(_HANGUL_RE.findall(text))
    return "ko" if letters and hangul / letters >= 0.2 else "en"
