"""The no-op rebuild: recorded inputs, hashed again, stand in for reading every release.

The shortcut must never change an answer: whatever is edited, added or removed, a
build with the recorded inputs reports, writes and exits exactly as a build that
plans every release in full (the cache's records removed). And a recorded release
is really not read: no source is parsed, no glossary loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.core.document import Block, Meta, Release
from toolkit.render.hwpx import render_hwpx
from toolkit.render.style import load_style

ROOT = Path(__file__).resolve().parents[1]
FORUM = "2026-11-05-k-defense-forum"
MOU = "2026-10-20-defense-export-mou"
RESULTS = "2026-11-06-k-defense-forum-results"
HWPX = "hwpx-release"
# HWPX is by far the quickest format to render: the tests are about deciding, not drawing
BUILD = ["build", "releases/", "--out", "out", "--formats", "hwpx", "--json"]


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (".presspack.lock", ".presspack-cache.json")
    }


def forget_records(project: Path) -> None:
    """Remove the recorded inputs: the next build plans every release in full."""
    path = project / "out" / ".presspack-cache.json"
    cache = json.loads(path.read_text("utf-8"))
    for entry in cache["releases"].values():
        entry.pop("fast", None)
    path.write_text(json.dumps(cache), "utf-8")


def records(project: Path) -> dict[str, dict[str, object]]:
    cache = json.loads((project / "out" / ".presspack-cache.json").read_text("utf-8"))
    return {name: entry["fast"] for name, entry in cache["releases"].items() if "fast" in entry}


@pytest.fixture
def built(project: Path) -> Path:
    """The samples plus an HWPX release (its missing date is a warning), built once."""
    folder = project / "releases" / HWPX
    folder.mkdir()
    style = load_style(project / "templates", "default")
    doc = Release(meta=Meta(title="방산 설명회", lang="ko"), body=(Block("paragraph", "본문입니다."),))
    (folder / "release.ko.hwpx").write_bytes(render_hwpx(doc, style))
    code, _, stderr = run(BUILD)
    assert code == 0, stderr
    return project


def test_a_noop_rebuild_reads_no_release_and_no_glossary(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, full, full_err = run(BUILD)  # planned in full: records every release
    assert code == 0, full_err
    assert sorted(records(built)) == sorted([FORUM, MOU, RESULTS, HWPX])

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("an up-to-date release was read")

    import toolkit.build.pack
    import toolkit.build.plan
    import toolkit.terminology.glossary

    monkeypatch.setattr(toolkit.build.pack, "load_release_set", must_not_run)
    monkeypatch.setattr(toolkit.build.plan, "plan_release", must_not_run)
    monkeypatch.setattr(toolkit.terminology.glossary, "load_glossary", must_not_run)
    code, fast, fast_err = run(BUILD)
    assert code == 0, fast_err
    assert json.loads(fast) == json.loads(full)
    assert fast_err == full_err  # the HWPX release's warning is shown again
    assert "the document shows no date" in fast_err
    assert sorted(json.loads(fast)["up_to_date"]) == sorted([FORUM, MOU, RESULTS, HWPX])


def _photo(project: Path) -> None:
    from PIL import Image

    path = project / "releases" / RESULTS / "forum.jpg"
    with Image.open(path) as image:
        changed = image.convert("RGB").rotate(180)
    changed.save(path, "JPEG", quality=80)


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        file = project / path
        text = file.read_text("utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), "utf-8")

    return change


def _remove(path: str) -> Callable[[Path], None]:
    return lambda project: (project / path).unlink()


def _add(path: str, text: str) -> Callable[[Path], None]:
    return lambda project: (project / path).write_text(text, "utf-8")


MUTATIONS: dict[str, Callable[[Path], None]] = {
    "nothing": lambda project: None,
    "translation edited": _edit(f"releases/{FORUM}/release.en.md", "Changwon", "Changwon city"),
    "source edited": _edit(f"releases/{MOU}/release.en.md", "Changwon", "Changwon's"),
    "photo replaced": _photo,
    "memory removed": _remove(f"releases/{MOU}/release.ko.tm.json"),
    "yaml added beside HWPX": _add(
        f"releases/{HWPX}/release.yaml", "date: 2026-10-07\norganization: 창원특례시\n"
    ),
    "file added to a folder": _add(f"releases/{FORUM}/notes.txt", "not part of the release\n"),
    "glossary note edited": _edit("glossary.csv", "Capital; first-level division.", "Capital."),
    "glossary term changed": _edit("glossary.csv", ",Changwon Special City,", ",Changwon City,"),
    "house style changed": _edit("templates/default/style.toml", '"#003A70"', '"#003A71"'),
    "release removed": lambda project: shutil.rmtree(project / "releases" / MOU),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_recorded_inputs_never_change_the_answer(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mutation: str
) -> None:
    assert run(BUILD)[0] == 0  # settles: the first build wrote memories, this one records
    answers = {}
    for way in ("recorded", "in full"):
        copy = tmp_path / way
        shutil.copytree(built, copy)
        if way == "in full":
            forget_records(copy)
        MUTATIONS[mutation](copy)
        monkeypatch.chdir(copy)
        code, stdout, stderr = run(BUILD)
        answers[way] = (code, json.loads(stdout) if stdout else None, stderr, tree(copy))
    assert answers["recorded"] == answers["in full"]


def test_a_lowered_cap_is_an_error_not_up_to_date(built: Path) -> None:
    assert run(BUILD)[0] == 0
    code, _, stderr = run(BUILD, env={"PRESSPACK_LIMIT_SOURCE_BYTES": "100"})
    assert code == 1
    assert "exceeds the 100 bytes limit (source_bytes)" in stderr


def test_check_writes_no_record(built: Path) -> None:
    forget_records(built)
    before = (built / "out" / ".presspack-cache.json").read_bytes()
    code, _, stderr = run(["build", "releases/", "--out", "out", "--formats", "hwpx", "--check"])
    assert code == 0, stderr
    assert (built / "out" / ".presspack-cache.json").read_bytes() == before


_AUDIT = """
import json, os, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.path.abspath(os.fsdecode(args[0])))
sys.addaudithook(hook)
from toolkit.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    with open(os.environ["AUDIT_OUT"], "w") as fh:
        json.dump(opened, fh)
"""


def test_every_file_a_plan_opens_is_recorded(built: Path, tmp_path: Path) -> None:
    (built / "releases" / HWPX / "release.yaml").write_text("date: 2026-10-07\n", "utf-8")
    assert run(BUILD)[0] == 0
    forget_records(built)
    log = tmp_path / "opened.json"
    env = {**os.environ, "AUDIT_OUT": str(log)}
    subprocess.run(
        [sys.executable, "-c", _AUDIT, *BUILD], cwd=built, env=env, check=True, capture_output=True
    )
    opened = {Path(p) for p in json.loads(log.read_text("utf-8"))}
    recorded = records(built)
    for name in (FORUM, MOU, RESULTS, HWPX):
        folder = (built / "releases" / name).resolve()
        read = sorted(
            p.relative_to(folder).as_posix()
            for p in opened
            if p.is_relative_to(folder) and not p.name.endswith(".tmp")
        )
        assert read, name
        assert set(read) <= set(recorded[name]["files"]), name  # type: ignore[arg-type]
    assert "release.yaml" in recorded[HWPX]["files"]  # type: ignore[operator]
    from toolkit.sources import load_release
    from toolkit.sources.images import image_blocks

    results = load_release(built / "releases" / RESULTS / "release.en.md").release
    if image_blocks(results):  # once the Markdown reader knows photos, the photo is an input
        assert "forum.jpg" in recorded[RESULTS]["files"]  # type: ignore[operator]


def test_records_made_by_a_build_that_wrote_files_answer_as_the_full_path(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for memory in (project / "releases").glob("*/*.tm.json"):
        memory.unlink()  # the first build writes every memory
    code, _, stderr = run(BUILD)
    assert code == 0, stderr
    assert list((project / "releases").glob("*/*.tm.json"))
    assert records(project)  # recorded as the files are after the writes
    answers = {}
    for way in ("recorded", "in full"):
        copy = tmp_path / way
        shutil.copytree(project, copy)
        if way == "in full":
            forget_records(copy)
        monkeypatch.chdir(copy)
        code, stdout, stderr = run(BUILD)
        answers[way] = (code, json.loads(stdout), stderr, tree(copy))
    assert answers["recorded"] == answers["in full"]
    assert answers["recorded"][1]["built"] == []
