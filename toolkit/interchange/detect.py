"""Which exchange format a file is, from its content (never its name): agencies rename files.

* a zip with ``word/document.xml`` → a review DOCX (it must carry presspack's
  document properties, else it is some other Word file);
* XML whose root is ``xliff`` → XLIFF 1.2 or 2.x (by namespace and version);
* XML whose root is ``tmx`` → TMX.

Anything else is refused with what it looks like and what to give instead.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.core.errors import problem
from toolkit.interchange.segments import Incoming
from toolkit.interchange.xmlio import ExchangeError, local, parse_exchange_xml, read_exchange_bytes

__all__ = ["FORMATS", "detect", "read_exchange"]

FORMATS = ("XLIFF 1.2", "XLIFF 2.x", "TMX 1.4b", "review DOCX")
_FIX = "give an XLIFF (.xlf), TMX (.tmx) or review DOCX file exported by 'presspack export'"


def detect(data: bytes) -> str:
    """``"docx"``, ``"xml"`` or ``""`` (neither) from the first bytes."""
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "xml"
    return ""


def read_exchange(path: Path) -> list[Incoming]:
    """Every translation's units in an exchange file, whatever its format."""
    data = read_exchange_bytes(path)
    kind = detect(data)
    if kind == "docx":
        from toolkit.interchange.review_docx import read_review_docx

        return [read_review_docx(path)]
    if kind != "xml":
        what = "empty" if not data.strip() else "not XML and not a Word file"
        raise ExchangeError(problem(path, None, f"not an exchange file ({what})", _FIX))
    root = parse_exchange_xml(data, path, "exchange file")
    name = local(root)
    if name == "xliff":
        from toolkit.interchange.xliff import read_xliff

        return read_xliff(root, path)
    if name == "tmx":
        from toolkit.interchange.tmx import read_tmx

        return read_tmx(root, path)
    raise ExchangeError(problem(path, None, f"not XLIFF or TMX (its root element is <{name}>)", _FIX))
