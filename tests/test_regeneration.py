"""CI regeneration: glossary changes, concurrent builds, crashes mid-build."""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

FORUM = "2026-11-05-k-defense-forum"
MOU = "2026-10-20-defense-export-mou"


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def outputs(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".presspack")
    }


def test_glossary_target_change_updates_only_the_term_in_edited_translation(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    en = project / "releases" / FORUM / "release.en.md"
    # a translator reworded a sentence that holds the approved venue name
    text = en.read_text("utf-8")
    assert "at the Changwon Convention Center on November 5" in text
    en.write_text(
        text.replace(
            "held the K-Defense Future Innovation Forum at the Changwon Convention Center",
            "proudly hosted the K-Defense Future Innovation Forum at the Changwon Convention Center",
        ),
        "utf-8",
    )
    assert run(["build", "releases/", "--out", str(out)])[0] == 0
    edited = en.read_text("utf-8")
    # the approved English of 창원컨벤션센터 changes
    glossary = project / "glossary.csv"
    g = glossary.read_text("utf-8")
    assert "창원컨벤션센터,Changwon Convention Center," in g
    glossary.write_text(
        g.replace(
            "창원컨벤션센터,Changwon Convention Center,", "창원컨벤션센터,CECO Changwon Convention Center,"
        ),
        "utf-8",
    )
    code, stdout, err = run(["build", "releases/", "--out", str(out), "--check"])
    assert code == 1 and FORUM in stdout and MOU not in stdout
    code, _, err = run(["build", "releases/", "--out", str(out)])
    assert code == 0, err
    assert f"built {FORUM}" in err and f"built {MOU}" not in err
    after = en.read_text("utf-8")
    assert after == edited.replace("the Changwon Convention Center", "the CECO Changwon Convention Center")
    assert (
        "proudly hosted the K-Defense Future Innovation Forum at the CECO Changwon Convention Center" in after
    )
    assert run(["build", "releases/", "--out", str(out), "--check"])[0] == 0


def _build_in_subprocess(project: str, out: str, queue: multiprocessing.Queue[int]) -> None:
    os.chdir(project)
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "build", "releases/", "--out", out], capture_output=True, text=True
    )
    queue.put(proc.returncode)


def test_two_builds_at_once_do_not_corrupt_outputs(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[int] = ctx.Queue()
    procs = [ctx.Process(target=_build_in_subprocess, args=(str(project), str(out), queue)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert sorted(queue.get(timeout=5) for _ in procs) == [0, 0]
    reference = tmp_path / "ref"
    assert run(["build", "releases/", "--out", str(reference)])[0] == 0
    assert outputs(out) == outputs(reference)
    assert run(["build", "releases/", "--out", str(out), "--check"])[0] == 0


def test_crash_mid_build_keeps_previous_outputs(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run(["build", "releases/", "--out", str(out)])[0] == 0
    before = outputs(out)
    src = project / "releases" / FORUM / "release.en.md"
    src.write_text(src.read_text("utf-8").replace("Some 250 people", "Some 260 people"), "utf-8")
    reference = tmp_path / "reference"  # what a complete build of the new source writes
    assert run(["build", "releases/", "--out", str(reference)])[0] == 0
    after_ok = outputs(reference)

    # The disk fills up while the *real* atomic writer flushes the second output:
    # only half of its bytes reach the disk. A writer that wrote in place would
    # leave that half file behind as the pack's output.
    real_fsync = os.fsync
    calls = {"n": 0}

    def disk_full_on_second(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            os.ftruncate(fd, os.fstat(fd).st_size // 2)
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full_on_second)
    code, _, err = run(["build", "releases/", "--out", str(out)])
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert code == 1
    # the message names the file that could not be written
    line = next(line for line in err.splitlines() if line.startswith("Error: "))
    named = re.fullmatch(
        r"Error: (.+): cannot write \(No space left on device\)"
        r" — free some disk space and run again; files written so far are complete",
        line,
    )
    assert named is not None, line
    assert Path(named.group(1)).parent == out / FORUM
    after = outputs(out)
    # every file is byte for byte either the complete old one or the complete new
    # one; the first output really was replaced, the one being written was not
    assert set(after) == set(before)
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed and all(after[name] == after_ok[name] for name in changed)
    assert all(after[name] in (before[name], after_ok[name]) for name in after)
    assert [name for name in after if before[name] != after_ok[name] and after[name] == before[name]]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    # the cache does not claim the half-done pack is up to date; the next build finishes it
    code, stdout, _ = run(["build", "releases/", "--out", str(out), "--check"])
    assert code == 1 and FORUM in stdout
    code, _, err = run(["build", "releases/", "--out", str(out)])
    assert code == 0 and f"built {FORUM}" in err
    assert outputs(out) == after_ok
    assert run(["build", "releases/", "--out", str(out), "--check"])[0] == 0
