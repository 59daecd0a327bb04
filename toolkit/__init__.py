"""presspack: offline, multilingual press-release publishing.

The package is a library first; :mod:`toolkit.cli` is a thin Click wrapper.
Importing this package must stay cheap (no torch, reportlab, ctranslate2).
"""

__version__ = "0.1.0"
