"""Library patterns compiled from cheaper equivalents (toolkit/core/seeded.py): the same
sets of characters, the libraries' very patterns, and really found by their imports."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.core import seeded

EVERYTHING = "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize(
    ("source", "flags", "equivalent"),
    [
        (seeded.YAML_NON_PRINTABLE, 0, seeded.YAML_NON_PRINTABLE_EQUIVALENT),
        (seeded.REPORTLAB_CJK, re.UNICODE, seeded.REPORTLAB_CJK_EQUIVALENT),
    ],
)
def test_equivalent_matches_the_same_characters_everywhere(source: str, flags: int, equivalent: str) -> None:
    theirs = [m.start() for m in re.finditer(source, EVERYTHING, flags)]
    ours = [m.start() for m in re.finditer(equivalent, EVERYTHING, flags)]
    assert len(theirs) > 2000
    assert ours == theirs


def _compiled_string(path: Path, target: str) -> str:
    """The pattern string of ``target = re.compile("…")`` anywhere in a module's source."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == target for t in node.targets):
            call = node.value
            assert isinstance(call, ast.Call)
            value = ast.literal_eval(call.args[0])
            assert isinstance(value, str)
            return value
    raise AssertionError(f"{target} not in {path}")


def test_seeds_are_the_libraries_own_patterns() -> None:
    """A library that changes its pattern fails here (and would only be slower, not wrong)."""
    import reportlab
    import yaml

    yaml_reader = Path(yaml.__file__).with_name("reader.py")
    assert _compiled_string(yaml_reader, "NON_PRINTABLE") == seeded.YAML_NON_PRINTABLE
    textsplit = Path(reportlab.__path__[0]) / "lib" / "textsplit.py"
    assert _compiled_string(textsplit, "rx") == seeded.REPORTLAB_CJK


def test_a_build_process_gets_the_seeded_patterns(tmp_path: Path) -> None:
    release = tmp_path / "release.ko.md"
    release.write_text("---\ntitle: 창원\ndate: 2026-11-05\n---\n\n본문.\n", "utf-8")
    yaml_equivalent, cjk_equivalent = seeded.YAML_NON_PRINTABLE_EQUIVALENT, seeded.REPORTLAB_CJK_EQUIVALENT
    code = (
        "from toolkit.sources import load_release\n"
        "import toolkit.render.pdf\n"
        f"load_release(__import__('pathlib').Path({str(release)!r}))\n"
        "import yaml.reader, reportlab.platypus, reportlab.lib.textsplit as t\n"
        f"print(yaml.reader.Reader.NON_PRINTABLE.pattern == {yaml_equivalent!r})\n"
        f"print(t.rx.pattern == {cjk_equivalent!r})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True"]
