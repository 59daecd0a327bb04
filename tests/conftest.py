"""Shared fixtures: an isolated argos home with copy models (output = input).

Nothing here touches the network or the user's real argos packages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# HYPOTHESIS_PROFILE=deep runs the property tests that do not fix their own number of
# examples 20 times longer (2,000 each): for hunting rare cases, not for every run.
settings.register_profile("deep", max_examples=2000)
# CI runs the same examples every time (a landing does not hang on a lucky draw, and a
# failure is reproducible); a random hunt is HYPOTHESIS_PROFILE=default or deep
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))


@pytest.fixture(scope="session")
def copy_model_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """ko→en and en→ko copy-model packages, built once per test session."""
    from toolkit.testing import build_copy_package

    base = tmp_path_factory.mktemp("argosmodels")
    return {
        "ko-en": build_copy_package(base / "koen", "ko", "en"),
        "en-ko": build_copy_package(base / "enko", "en", "ko"),
    }


@pytest.fixture
def argos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, private argos packages dir (no model installed)."""
    from toolkit.render.fonts import cache_dir
    from toolkit.testing import isolated_argos_env

    fonts = cache_dir()  # the real font cache, before HOME/XDG move to the sandbox
    home = tmp_path / "argos-home"
    home.mkdir()
    for key, value in isolated_argos_env(home).items():
        monkeypatch.setenv(key, value)
    # keep the font cache shared across tests (it is a pure, content-keyed cache)
    monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(fonts.parent))
    from toolkit.mt.engine import clear_translator_cache

    clear_translator_cache()
    return home


@pytest.fixture
def copy_models(argos_home: Path, copy_model_files: dict[str, Path]) -> Iterator[Path]:
    """Both copy models installed in a private argos home."""
    from toolkit.mt.engine import clear_translator_cache
    from toolkit.mt.models import install_file

    for f in copy_model_files.values():
        install_file(f)
    yield argos_home
    clear_translator_cache()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's releases/, glossary.csv and templates/ as the cwd."""
    import shutil

    dest = tmp_path / "project"
    shutil.copytree(ROOT / "releases", dest / "releases")
    shutil.copytree(ROOT / "templates", dest / "templates")
    shutil.copy(ROOT / "glossary.csv", dest / "glossary.csv")
    monkeypatch.chdir(dest)
    return dest
