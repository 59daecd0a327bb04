"""Reading exchange XML without trusting it, and writing it byte for byte the same every time.

XLIFF and TMX files come back from agencies and CAT tools: they are parsed
like every other outside XML in presspack — size capped before parsing
(``exchange_bytes``), lxml with no network, no DTD loading, no entity
resolution and libxml2's own depth/size guards (``huge_tree=False``), then
nesting and element counts checked against ``xml_depth``/``xml_elements``.
A DOCTYPE is refused: XLIFF never has one, and it is how entity expansion
and external-entity (XXE) attacks get in. The one exception is the bare
``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` many TMX writers add — no internal
subset, no entities, and the DTD is never loaded.

Written files are deterministic: attributes in sorted order, structural
elements indented by this module (never lxml's pretty printer, which would
add whitespace inside mixed content such as ``<source>a <g>b</g></source>``),
UTF-8, LF line ends, a final newline.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from toolkit.core.errors import PresspackError, problem
from toolkit.core.limits import EXCHANGE_BYTES, XML_DEPTH, XML_ELEMENTS, LimitExceeded, read_bounded
from toolkit.core.xmlsafe import hardened_parser

__all__ = ["ExchangeError", "element", "local", "parse_exchange_xml", "read_exchange_bytes", "serialize"]

XML_NS = "http://www.w3.org/XML/1998/namespace"
# TMX writers (OmegaT, older Trados) name the DTD: harmless when it is never loaded
_BARE_TMX_DOCTYPE = re.compile(rb"<!DOCTYPE\s+tmx\s+SYSTEM\s+\"[^\"<>\[\]]*\"\s*>")


class ExchangeError(PresspackError):
    """An XLIFF, TMX or review DOCX file that cannot be imported (nothing is written)."""


def read_exchange_bytes(path: Path) -> bytes:
    """The bytes of an import file, bounded by ``exchange_bytes``."""
    try:
        return read_bounded(path, EXCHANGE_BYTES, subject="the file")
    except FileNotFoundError:
        raise ExchangeError(problem(path, None, "no such file", "check the path")) from None
    except IsADirectoryError:
        raise ExchangeError(
            problem(path, None, "is a folder", "give the .xlf, .tmx or .docx file to import")
        ) from None
    except LimitExceeded as exc:
        raise ExchangeError(problem(path, None, exc.what, exc.limit.fix)) from None
    except OSError as exc:
        raise ExchangeError(
            problem(path, None, f"cannot read file ({exc.strerror})", "check the path and permissions")
        ) from None


def parse_exchange_xml(data: bytes, path: Path, what: str) -> Any:
    """Parse ``data`` (the bytes of ``path``, a ``what`` such as "XLIFF file") safely."""
    from lxml import etree

    doctypes = data.count(b"<!DOCTYPE")
    if b"<!ENTITY" in data or doctypes > 1 or (doctypes and not _BARE_TMX_DOCTYPE.search(data)):
        raise _doctype(path, what)
    parser = hardened_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc)
        if "Excessive depth" in message:
            raise ExchangeError(
                problem(path, None, XML_DEPTH.message(f"the {what}"), XML_DEPTH.fix)
            ) from None
        raise ExchangeError(
            problem(
                path,
                exc.lineno or None,
                f"not well-formed XML ({message})",
                "export the file from your CAT tool again",
            )
        ) from None
    except ValueError as exc:  # e.g. a document lxml refuses to read from bytes
        raise ExchangeError(
            problem(path, None, f"not readable XML ({exc})", "export the file from your CAT tool again")
        ) from None
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    declares = dtd is not None and (
        any(True for _ in dtd.iterentities()) or any(True for _ in dtd.iterelements())
    )
    if declares or (docinfo.doctype and local(root) != "tmx"):
        raise _doctype(path, what)  # (UTF-16 files slip past the byte check)
    depth = elements = 0
    max_depth, max_elements = XML_DEPTH.value, XML_ELEMENTS.value
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            elements += 1
            if depth > max_depth:
                raise ExchangeError(problem(path, None, XML_DEPTH.message(f"the {what}"), XML_DEPTH.fix))
            if elements > max_elements:
                raise ExchangeError(
                    problem(
                        path,
                        None,
                        XML_ELEMENTS.message(f"the {what} (more than {max_elements:,} elements)"),
                        XML_ELEMENTS.fix,
                    )
                )
        else:
            depth -= 1
    return root


def _doctype(path: Path, what: str) -> ExchangeError:
    return ExchangeError(
        problem(
            path,
            None,
            f"the {what} declares a DOCTYPE or entities, which presspack never reads (XXE)",
            "export the file from your CAT tool again without a DOCTYPE",
        )
    )


def local(el: Any) -> str:
    """An element's local name ("" for comments and entities)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def element(
    tag: str, attrs: dict[str, str] | None = None, text: str = "", nsmap: dict[str | None, str] | None = None
) -> Any:
    """A new element with ``attrs`` set in sorted order (lxml keeps insertion order)."""
    from lxml import etree

    el = etree.Element(tag, nsmap=nsmap) if nsmap else etree.Element(tag)
    for key in sorted(attrs or {}):
        value = (attrs or {})[key]
        if value != "":
            el.set(key, value)
    if text:
        el.text = text
    return el


def serialize(root: Any, *, mixed: frozenset[str]) -> bytes:
    """``root`` as UTF-8 XML, structural elements indented one space per level.

    Elements whose local name is in ``mixed`` hold text and inline tags: nothing is
    added inside them.
    """
    from lxml import etree

    _indent(root, 0, mixed)
    body = bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=False))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _indent(el: Any, level: int, mixed: frozenset[str]) -> None:
    if local(el) in mixed or len(el) == 0:
        return
    inner = "\n" + " " * (level + 1)
    if not (el.text or "").strip():
        el.text = inner
    for child in el:
        _indent(child, level + 1, mixed)
        if not (child.tail or "").strip():
            child.tail = inner
    last = el[len(el) - 1]
    last.tail = "\n" + " " * level
