"""An editor saves a translation while presspack runs: the save always survives.

Deterministic version: the build is held inside machine translation (a
translator hook) while a separate editor process writes the file, then it
goes on — it must notice and write nothing of that release. Real version: an
editor process saves at several delays during a real ``presspack build``
subprocess; every save must survive.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

FORUM = "2026-11-05-k-defense-forum"
MOU = "2026-10-20-defense-export-mou"
REL = f"releases/{FORUM}"
SAVED = "Saved by the editor while presspack was running."


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def editor_save(path: Path, old: str, new: str) -> None:
    """Another process saves the file, the way an editor does (rewriting it in place)."""
    code = (
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1]); t = p.read_text('utf-8')\n"
        "assert sys.argv[2] in t\n"
        "p.write_text(t.replace(sys.argv[2], sys.argv[3], 1), 'utf-8')\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), old, new], check=True)


@pytest.fixture
def machine(project: Path, copy_models: Path) -> Path:
    folder = project / "releases" / FORUM
    (folder / "release.en.md").unlink()
    (folder / "release.en.tm.json").unlink()
    code, _, err = run(["translate", str(folder / "release.ko.md"), "--to", "en"])
    assert code == 0, err
    # the author changes one sentence: the next sync has something to machine-translate
    ko = folder / "release.ko.md"
    ko.write_text(ko.read_text("utf-8").replace("의견을 나눴다.", "의견을 주고받았다."), "utf-8")
    return folder


def hold_translation_and(monkeypatch: pytest.MonkeyPatch, during: Callable[[], None]) -> list[int]:
    """Make the engine run ``during`` (once) before it translates; returns the call log.

    Give it a MonkeyPatch of its own (``MonkeyPatch.context()``) to end the hook early:
    undoing the test's shared one would also undo the project's chdir and model env.
    """
    import toolkit.mt.engine as engine

    real = engine.load_translator
    calls: list[int] = []

    class Held:
        def __init__(self, inner: engine.Translator) -> None:
            self.inner = inner
            self.model_id = inner.model_id

        def translate_batch(self, sentences: Sequence[str], *, num_hypotheses: int = 1) -> list[list[str]]:
            if not calls:
                during()
            calls.append(len(sentences))
            return self.inner.translate_batch(sentences, num_hypotheses=num_hypotheses)

    monkeypatch.setattr(engine, "load_translator", lambda a, b: Held(real(a, b)))
    return calls


def test_save_during_build_survives_and_the_release_waits(machine: Path, tmp_path: Path) -> None:
    en, tm = machine / "release.en.md", machine / "release.en.tm.json"
    target = "참석자들은 부스를 돌며 기업 관계자들과 제품 사양, 협력 가능성 등을 두고 의견을 나눴다."
    memory_before = tm.read_bytes()
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as hook:
        calls = hold_translation_and(hook, lambda: editor_save(en, "Changwon Special City", SAVED))
        code, _, err = run(["build", "releases/", "--out", str(out)])
    saved_text = [en.read_text("utf-8")]
    assert calls, "the build never reached machine translation"
    assert code == 1
    assert f"Error: {REL}/release.en.md: changed while presspack was running — run the build again" in err
    assert f"built {MOU}" in err and f"built {FORUM}" not in err
    assert SAVED in saved_text[0] and target in saved_text[0]  # the save is intact, nothing written over it
    assert tm.read_bytes() == memory_before
    assert not (out / FORUM).exists()
    # the next build picks the save up and does the work
    code, _, err = run(["build", "releases/", "--out", str(out)])
    assert code == 0, err
    after = en.read_text("utf-8")
    assert SAVED in after and "의견을 주고받았다." in after
    assert run(["build", "releases/", "--out", str(out), "--check"])[0] == 0


def test_save_during_translate_survives(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    en = machine / "release.en.md"
    hold_translation_and(monkeypatch, lambda: editor_save(en, "Changwon Special City", SAVED))
    code, _, err = run(["translate", str(machine / "release.ko.md"), "--to", "en"])
    assert code == 1
    assert err.strip().endswith(
        f"Error: {en}: changed while presspack was running — run 'presspack translate' again"
    )
    assert SAVED in en.read_text("utf-8") and "의견을 주고받았다." not in en.read_text("utf-8")


def test_memory_changed_during_build_is_not_overwritten(
    machine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    en, tm = machine / "release.en.md", machine / "release.en.tm.json"
    en_before = en.read_bytes()
    # e.g. a colleague's `git pull` brings a new memory in the middle of the build
    hold_translation_and(monkeypatch, lambda: editor_save(tm, '"format": 2', '"format": 2 '))
    code, _, err = run(["build", f"releases/{FORUM}", "--out", str(tmp_path / "out")])
    assert code == 1
    assert (
        f"Error: {REL}/release.en.tm.json: changed while presspack was running — run the build again" in err
    )
    assert en.read_bytes() == en_before
    assert '"format": 2 ' in tm.read_text("utf-8")


def test_a_file_read_while_an_editor_rewrites_it_in_place_is_changed_not_empty(
    machine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that saves in place empties the file, then writes it. A build that read it
    in between said 'file is empty — write the release text into it' of a release that is not
    (found by CI: the real concurrent editor below, at delay 0). It is a file being saved."""
    import toolkit.build.plan as plan

    en = machine / "release.en.md"
    text = en.read_bytes()
    real = plan.read_snapshot
    saves = []

    def editor_in_between(path: Path, limit: object = None) -> object:
        if Path(path).resolve() == en.resolve() and not saves:
            en.write_bytes(b"")  # the editor's truncation, before presspack reads
            snap = real(path)
            en.write_bytes(text)  # ...and its write, after
            saves.append(path)
            return snap
        return real(path) if limit is None else real(path, limit)  # type: ignore[arg-type]

    monkeypatch.setattr(plan, "read_snapshot", editor_in_between)
    code, _, err = run(["build", f"releases/{FORUM}", "--out", str(tmp_path / "out"), "--lang", "en"])
    assert len(saves) == 1
    assert code == 1
    assert f"Error: {REL}/release.en.md: changed while presspack was running — run the build again" in err
    assert "file is empty" not in err
    assert en.read_bytes() == text
    # a file that really is empty still says so
    en.write_bytes(b"")
    code, _, err = run(["build", f"releases/{FORUM}", "--out", str(tmp_path / "out"), "--lang", "en"])
    assert code == 1
    assert f"Error: {REL}/release.en.md: file is empty — write the release text into it" in err


def test_translate_of_a_source_being_saved_says_so(
    machine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for 'presspack translate': its source read between an editor's truncation and
    its write is a file being saved, and nothing is written."""
    import toolkit.translation.filesync as filesync

    ko, en = machine / "release.ko.md", machine / "release.en.md"
    text, en_before = ko.read_bytes(), en.read_bytes()
    real = filesync.read_snapshot
    saves = []

    def editor_in_between(path: Path, limit: object = None) -> object:
        if Path(path).resolve() == ko.resolve() and not saves:
            ko.write_bytes(b"")
            snap = real(path)
            ko.write_bytes(text)
            saves.append(path)
            return snap
        return real(path) if limit is None else real(path, limit)  # type: ignore[arg-type]

    monkeypatch.setattr(filesync, "read_snapshot", editor_in_between)
    code, _, err = run(["translate", f"{REL}/release.ko.md", "--to", "en"])
    assert len(saves) == 1
    assert code == 1
    assert err == (
        f"Error: {REL}/release.ko.md: changed while presspack was running — run 'presspack translate' again\n"
    )
    assert en.read_bytes() == en_before


RUNNER = textwrap.dedent(
    """
    import sys, time
    import toolkit.mt.engine as engine
    real = engine.load_translator

    class Slow:
        def __init__(self, inner):
            self.inner, self.model_id = inner, inner.model_id
        def translate_batch(self, sentences, num_hypotheses=1):
            time.sleep(float(sys.argv[1]))  # a real model takes seconds on a release
            return self.inner.translate_batch(sentences, num_hypotheses=num_hypotheses)

    engine.load_translator = lambda a, b: Slow(real(a, b))
    from toolkit.cli import main
    main(sys.argv[2:])
    """
)

DELAYS = (0.0, 0.7, 1.4, 3.0)  # seconds after the build started (translation held 1.5 s)


def test_real_concurrent_editor_at_several_delays(machine: Path, tmp_path: Path) -> None:
    en = machine / "release.en.md"
    pristine = {p.name: p.read_bytes() for p in machine.iterdir() if p.is_file()}
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, "utf-8")
    survived = 0
    outcomes = []
    for n, delay in enumerate(DELAYS):
        for name, data in pristine.items():
            (machine / name).write_bytes(data)
        marker = f"Editor save {n} at {delay:.1f} s."
        out = tmp_path / f"out{n}"
        build = subprocess.Popen(
            [
                sys.executable,
                str(runner),
                "0.8",
                "build",
                f"releases/{FORUM}",
                "--out",
                str(out),
                "--lang",
                "en",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        # the paragraph presspack re-translates, at a place it does not change itself
        editor_save(en, "참석자들은 부스를 돌며", f"{marker} 참석자들은 부스를 돌며")
        _, err = build.communicate(timeout=120)
        final = en.read_text("utf-8")
        outcomes.append((delay, build.returncode, "changed while presspack was running" in err))
        assert build.returncode in (0, 1), err
        if build.returncode == 1:
            assert "changed while presspack was running — run the build again" in err, err
        survived += marker in final
    shutil.rmtree(tmp_path / "out0", ignore_errors=True)
    assert survived == len(DELAYS), outcomes
    # at least one save really landed while the build was running (the race was exercised)
    assert any(changed for _, _, changed in outcomes), outcomes
