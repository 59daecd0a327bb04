"""The public types, in one place (like ``structlog.typing``).

Import from here in your own code and tests; the modules behind these names
may move between releases, these names will not.
"""

from __future__ import annotations

from toolkit.build.cache import Output
from toolkit.build.pack import BuildResult
from toolkit.build.plan import BuildOptions
from toolkit.core.document import LANGS, Block, BlockKind, Finding, Lang, Meta, Release, Severity
from toolkit.core.errors import (
    GlossaryError,
    ModelError,
    PresspackError,
    Problem,
    RenderError,
    SourceError,
)
from toolkit.core.inline import Span
from toolkit.mt.engine import Translator
from toolkit.translation.files import TranslateRequest, TranslateResult
from toolkit.translation.units import Unit

__all__ = [
    "LANGS",
    "Block",
    "BlockKind",
    "BuildOptions",
    "BuildResult",
    "Finding",
    "GlossaryError",
    "Lang",
    "Meta",
    "ModelError",
    "Output",
    "PresspackError",
    "Problem",
    "Release",
    "RenderError",
    "Severity",
    "SourceError",
    "Span",
    "TranslateRequest",
    "TranslateResult",
    "Translator",
    "Unit",
]
