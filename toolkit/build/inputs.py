"""Shared build inputs: house style, fonts, glossary, engine — loaded once per build.

Each is fingerprinted by content so the build cache notices any change.
Heavy pieces (fonts, the engine) are only touched when really needed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__

if TYPE_CHECKING:
    from toolkit.mt.engine import Translator
    from toolkit.terminology.glossary import Glossary
    from toolkit.terminology.matcher import Matcher


@dataclass
class BuildInputs:
    templates: Path
    style: str
    glossary_path: Path | None
    glossary: Glossary | None
    style_fp: str
    fonts_fp: str
    abbreviations: str = "first-mention"  # house style [terminology] abbreviations
    _matchers: dict[str, Matcher] = field(default_factory=dict)
    _translators: dict[tuple[str, str], Translator] = field(default_factory=dict)

    @classmethod
    def create(cls, templates: Path, style: str, glossary_path: Path | None) -> BuildInputs:
        from toolkit.render.fonts import fonts_fingerprint
        from toolkit.render.style import load_style, style_fingerprint

        glossary = None
        if glossary_path is not None:
            from toolkit.terminology.glossary import load_glossary

            glossary = load_glossary(glossary_path)
        house = load_style(templates, style)
        return cls(
            templates=templates,
            style=style,
            glossary_path=glossary_path,
            glossary=glossary,
            style_fp=style_fingerprint(house),
            fonts_fp=fonts_fingerprint(),
            abbreviations=house.terminology.abbreviations,
        )

    def matcher(self, src_lang: str) -> Matcher | None:
        if self.glossary is None:
            return None
        if src_lang not in self._matchers:
            from toolkit.terminology.matcher import Matcher

            self._matchers[src_lang] = Matcher(self.glossary, src_lang)
        return self._matchers[src_lang]

    def translator(self, src: str, tgt: str) -> Translator:
        if (src, tgt) not in self._translators:
            from toolkit.mt.engine import load_translator

            self._translators[(src, tgt)] = load_translator(src, tgt)
        return self._translators[(src, tgt)]

    def base_key(self) -> str:
        h = hashlib.sha256()
        for part in ("presspack", __version__, self.style, self.style_fp, self.fonts_fp):
            h.update(part.encode("utf-8") + b"\0")
        return h.hexdigest()
