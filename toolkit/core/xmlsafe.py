"""The one lxml parser configuration for XML presspack did not write (DOCX parts, exchange files).

Untrusted XML must not expand entities, load DTDs or reach the network, and
its tree stays bounded (lxml's ``huge_tree=False`` caps depth and text);
comments and processing instructions carry no release text, so they are dropped.
"""

from __future__ import annotations

from typing import Any

__all__ = ["hardened_parser"]


def hardened_parser() -> Any:
    """A fresh lxml ``XMLParser`` for untrusted input (parsers are not thread-safe: one per parse)."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
