"""Fonts inside the DOCX: subset, obfuscated and embedded as ECMA-376 requires.

A DOCX that only *names* Noto Sans KR shows every Hangul character as a box
on a machine without a Korean font (LibreOffice on a fresh server, a
reviewer's laptop). So the renderer embeds the fonts it uses, the way Word
does with "Embed fonts in the file":

* each family (Noto Sans, Noto Sans KR) in Regular and Bold — the same static
  instances the PDF uses (:mod:`toolkit.render.fonts`) — is **subset** with
  fontTools to the characters the document contains (plus printable ASCII,
  for page numbers and list numbers), keeping its names so Word and
  LibreOffice match it to ``w:rFonts``;
* the subset is **obfuscated** (ECMA-376 Part 1 §17.8.1): the first 32 bytes
  are XORed with the 16 bytes of a GUID read in reverse order, the GUID being
  the ``w:fontKey`` of ``w:embedRegular``/``w:embedBold`` in fontTable.xml;
* stored as ``word/fonts/fontN.odttf`` with the obfuscatedFont content type,
  and ``w:embedTrueTypeFonts``/``w:saveSubsetFonts`` set in settings.xml.

Deterministic: the GUID is derived from the subset's bytes (a name-based
UUID), subsetting has no timestamps, and part names follow a fixed order.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Sequence
from pathlib import Path

from toolkit.render import fonts

__all__ = ["deobfuscate", "embed_fonts", "font_key", "obfuscate", "subset_font"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_NAMESPACE = uuid.UUID("6f1d2b7e-8f3c-4c52-9a63-70726573736b")  # presspack's UUID namespace
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F))  # digits of page/list numbers, ASCII punctuation


def font_key(data: bytes) -> str:
    """``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``: a GUID derived from the font bytes."""
    return "{" + str(uuid.uuid5(_NAMESPACE, hashlib.sha256(data).hexdigest())).upper() + "}"


def _key_bytes(key: str) -> bytes:
    digits = re.sub(r"[{}\-]", "", key)
    if len(digits) != 32:
        raise ValueError(f"not a GUID: {key!r}")
    return bytes.fromhex(digits)[::-1]


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 §17.8.1: XOR the first 32 bytes with the reversed GUID bytes (twice)."""
    mask = _key_bytes(key) * 2
    head = bytes(b ^ m for b, m in zip(data[:32], mask, strict=False))
    return head + data[32:]


deobfuscate = obfuscate  # XOR is its own inverse


@functools.lru_cache(maxsize=32)
def subset_font(key: str, weight: int, text: str) -> bytes:
    """A static TrueType font of family ``key`` holding only the glyphs of ``text``.

    Usually a subset of the cached static instance the PDF uses (tens of
    milliseconds); when the text has characters kept in the font's lazy parts
    (rare Hangul syllables, Hanja), the subset is made straight from the
    variable source instead — subset first, then instanced, so it costs
    per kept glyph (about a second), and every character is still included.
    """
    source = fonts.SOURCES[key]
    parts = fonts.coverage(source)
    wanted = {ord(ch) for ch in text}
    in_font = {cp for cps in parts.values() for cp in cps} & wanted
    if in_font <= parts[fonts.MAIN]:
        return _subset_static(fonts.ensure_instance(source, weight), text)
    return fonts.build_instance(
        source.path(),
        source.family,
        source.ps_base,
        weight,
        fixed_axes=source.fixed_axes,
        unicodes=sorted(in_font),
    )


def _subset_static(path: Path, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # glyphs are copied as they are, never decoded and re-encoded: the instances carry
    # no hinting to strip, and the font-wide bounding box may stay that of the instance
    font = TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def _font_xml(family: str, embeds: Sequence[tuple[str, str, str]]) -> str:
    """One w:font with its embed elements (kind, relationship id, key), in schema order."""
    charset = "81" if family == "Noto Sans KR" else "00"  # 81 = HANGEUL_CHARSET
    parts = [
        f'<w:font w:name="{family}">',
        f'<w:charset w:val="{charset}"/>',
        '<w:family w:val="swiss"/>',
        '<w:pitch w:val="variable"/>',
    ]
    parts += [f'<w:{kind} r:id="{rid}" w:fontKey="{key}"/>' for kind, rid, key in embeds]
    parts.append("</w:font>")
    return "".join(parts)


def embed_fonts(docx: bytes, families: Sequence[str], text: str) -> bytes:
    """Return ``docx`` with the fonts ``families`` (font keys) embedded, subset to ``text``."""
    chars = "".join(sorted(set(text) | set(ALWAYS)))
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        for info in src.infolist():
            members[info.filename] = src.read(info.filename)
    font_entries: list[str] = []
    rels: list[str] = []
    number = 0
    for key in dict.fromkeys(families):
        embeds: list[tuple[str, str, str]] = []
        for kind, weight in (("embedRegular", fonts.WEIGHTS[0]), ("embedBold", fonts.WEIGHTS[1])):
            data = subset_font(key, weight, chars)
            guid = font_key(data)
            number += 1
            name = f"font{number}.odttf"
            members[f"word/fonts/{name}"] = obfuscate(data, guid)
            rid = f"rId{number}"
            rels.append(f'<Relationship Id="{rid}" Type="{FONT_REL}" Target="fonts/{name}"/>')
            embeds.append((kind, rid, guid))
        font_entries.append(_font_xml(fonts.SOURCES[key].family, embeds))
    members["word/fontTable.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">{"".join(font_entries)}</w:fonts>'
    ).encode()
    members["word/_rels/fontTable.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(rels)}</Relationships>"
    ).encode()
    types = members["[Content_Types].xml"].decode("utf-8")
    if 'Extension="odttf"' not in types:
        types = types.replace(
            "<Default ", f'<Default Extension="odttf" ContentType="{ODTTF_TYPE}"/><Default ', 1
        )
    members["[Content_Types].xml"] = types.encode("utf-8")
    settings = members["word/settings.xml"].decode("utf-8")
    if "embedTrueTypeFonts" not in settings:
        # schema order (CT_Settings): … w:zoom, w:removePersonalInformation, …,
        # w:embedTrueTypeFonts, w:embedSystemFonts, w:saveSubsetFonts, …, w:proofState, …
        flags = "<w:embedTrueTypeFonts/><w:saveSubsetFonts/>"
        settings, count = re.subn(r"(<w:zoom\b[^>]*/>)", r"\1" + flags, settings, count=1)
        if not count:
            raise ValueError("settings.xml has no w:zoom to place the font flags after")
    members["word/settings.xml"] = settings.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in members.items():
            dst.writestr(name, payload)
    return out.getvalue()
