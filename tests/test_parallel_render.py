"""One release on two cores: the forked renderer, and what happens when it fails.

`presspack build` of a single release with ``--jobs`` > 1 (the default on a machine
with more than one usable core) forks a child that sets up python-docx and reportlab
while the parent plans, then renders the DOCX and PDF files. The promise: the same
bytes as one process, a failed child costs only time, and no child outlives the build.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolkit.build import _fork, pack
from toolkit.build._fork import Worker, can_fork
from toolkit.cli import main

FORUM = "2026-11-05-k-defense-forum"
needs_fork = pytest.mark.skipif(not can_fork(), reason="no safe fork on this platform")


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".presspack")
    }


def _build(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


# --------------------------------------------------------------------------- Worker


def _double(payload: bytes) -> bytes:
    return payload * 2


@needs_fork
def test_worker_returns_the_childs_result_bigger_than_a_pipe() -> None:
    """A payload and a result of megabytes (a pipe holds 64 KiB): no deadlock, nothing cut."""
    payload = os.urandom(3 * 1024 * 1024)
    worker: Worker[bytes, bytes] = Worker(lambda: None, _double)
    worker.send(payload)
    assert worker.result() == payload * 2
    assert _no_children_left()


@needs_fork
def test_a_child_that_raises_or_dies_gives_none() -> None:
    def boom(_: object) -> object:
        raise RuntimeError("render failed")

    def killed(_: object) -> object:
        os.kill(os.getpid(), signal.SIGKILL)
        return None

    for work in (boom, killed):
        worker: Worker[int, object] = Worker(lambda: None, work)
        worker.send(1)
        assert worker.result() is None
    failing_warm: Worker[int, int] = Worker(lambda: 1 / 0, lambda x: x)
    failing_warm.send(1)
    assert failing_warm.result() is None
    assert _no_children_left()


@needs_fork
def test_an_unused_or_busy_worker_is_stopped_and_reaped_at_once() -> None:
    """close() on a child still getting ready (an up-to-date release, Ctrl-C) does not wait."""
    slow: Worker[int, int] = Worker(lambda: time.sleep(30), lambda x: x)
    idle: Worker[int, int] = Worker(lambda: None, lambda x: x)
    started = time.monotonic()
    slow.close()
    idle.close()
    assert time.monotonic() - started < 5
    assert _no_children_left()


@needs_fork
def test_each_worker_sees_the_end_of_its_own_input() -> None:
    """A second worker forked later must not hold the first one's pipe open (the first
    would then wait for input until the second exits)."""
    first: Worker[int, int] = Worker(lambda: None, lambda x: x + 1)
    second: Worker[int, int] = Worker(lambda: time.sleep(30), lambda x: x)
    first.send(41)
    started = time.monotonic()
    assert first.result() == 42
    assert time.monotonic() - started < 5
    second.close()
    assert _no_children_left()


# --------------------------------------------------------------------------- build


@pytest.fixture
def render_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which path rendered each release: the forked renderers or this process alone."""
    calls: list[str] = []
    original = pack._EarlyRenderers.render

    def spy(self: pack._EarlyRenderers, args: Any) -> dict[str, dict[str, bytes]]:
        calls.append(args[0].name)
        return original(self, args)

    monkeypatch.setattr(pack._EarlyRenderers, "render", spy)
    return calls


@needs_fork
@pytest.mark.usefixtures("project")
def test_one_release_on_two_cores_gives_the_bytes_of_one_process(
    tmp_path: Path, render_calls: list[str]
) -> None:
    serial, forked = tmp_path / "serial", tmp_path / "forked"
    assert _build(f"releases/{FORUM}", "--out", str(serial), "--jobs", "1")[0] == 0
    assert render_calls == []
    assert _build(f"releases/{FORUM}", "--out", str(forked), "--jobs", "2")[0] == 0
    assert render_calls == [FORUM]
    built = _tree(forked)
    assert sorted(built) == sorted(
        [f"{FORUM}/{FORUM}.{lang}.{fmt}" for lang in ("en", "ko") for fmt in ("docx", "hwpx", "pdf")]
        + [f"{FORUM}/manifest.json"]
    )
    assert built == _tree(serial)
    assert _no_children_left()


@needs_fork
@pytest.mark.usefixtures("project")
def test_a_failing_child_leaves_its_renders_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, render_calls: list[str]
) -> None:
    """The child dies mid-render: the parent renders DOCX and PDF itself, same bytes."""
    parent = os.getpid()
    original = pack._render_job

    def dies_in_the_child(args: Any) -> dict[str, dict[str, bytes]]:
        if os.getpid() != parent:
            os._exit(3)
        return original(args)

    serial, forked = tmp_path / "serial", tmp_path / "forked"
    assert _build(f"releases/{FORUM}", "--out", str(serial), "--jobs", "1")[0] == 0
    monkeypatch.setattr(pack, "_render_job", dies_in_the_child)
    code, err = _build(f"releases/{FORUM}", "--out", str(forked), "--jobs", "2")
    assert (code, err.strip()) == (0, f"built {FORUM}")
    assert render_calls == [FORUM]
    assert _tree(forked) == _tree(serial)
    assert _no_children_left()


@needs_fork
@pytest.mark.usefixtures("project")
def test_a_render_error_is_the_parents_own_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render that fails everywhere is reported once, as without the fork, and no
    half pack is written."""
    from toolkit.core.errors import RenderError, problem

    def unrenderable(release: Any, style: Any) -> bytes:
        raise RenderError(problem(Path("photo.png"), None, "cannot place the photo", "make it smaller"))

    monkeypatch.setattr("toolkit.render.pdf.render_pdf", unrenderable)
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        outs[jobs] = _build(f"releases/{FORUM}", "--out", str(out), "--jobs", jobs)
        assert not list(out.rglob("*.pdf"))
    assert outs["1"] == outs["2"]
    assert outs["2"][0] == 1
    assert "Error: photo.png: cannot place the photo — make it smaller" in outs["2"][1]
    assert _no_children_left()


@needs_fork
@pytest.mark.usefixtures("project")
def test_no_renderer_is_forked_for_an_up_to_date_release_or_a_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks: list[int] = []
    original = _fork.Worker.__init__

    def counted(self: Any, *args: Any) -> None:
        forks.append(1)
        original(self, *args)

    monkeypatch.setattr(_fork.Worker, "__init__", counted)
    out = tmp_path / "out"
    assert _build(f"releases/{FORUM}", "--out", str(out), "--jobs", "2")[0] == 0
    assert forks
    started = len(forks)
    assert _build(f"releases/{FORUM}", "--out", str(out), "--jobs", "2")[0] == 0  # up to date
    assert _build(f"releases/{FORUM}", "--out", str(out), "--jobs", "2", "--check")[0] == 0
    assert _build("releases/", "--out", str(tmp_path / "all"), "--jobs", "2")[0] == 0  # a pool
    assert len(forks) == started


_SLOW_PLAN = """
import time

import toolkit.build.plan as plan
from toolkit.__main__ import run

original = plan.plan_release


def slow(*args, **kwargs):  # the renderers are forked and ready: the plan still runs
    time.sleep(3)
    return original(*args, **kwargs)


plan.plan_release = slow
run()
"""


def _group(pgid: int) -> list[int]:
    """Live processes of a process group (zombies are not left behind: they are counted)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            found.append(int(stat.parent.name))
    return found


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupting_a_single_release_build_stops_its_renderers(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    """Ctrl-C (to the whole group, as a terminal sends it) or SIGTERM (to the build only, as
    a cancelled CI job may): the conventional exit, one line, no child left running."""
    import shutil
    import subprocess
    import sys

    from toolkit.cli import INTERRUPTED
    from toolkit.render.fonts import cache_dir

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "releases" / FORUM, tmp_path / FORUM)
    (tmp_path / "slow_plan.py").write_text(_SLOW_PLAN)
    env = dict(os.environ, PRESSPACK_CACHE_DIR=str(cache_dir().parent))
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    args = [sys.executable, "-m", "slow_plan", "build", str(tmp_path / FORUM), "--out", str(tmp_path / "out")]
    proc = subprocess.Popen(
        [*args, "--jobs", "2", "--glossary", str(root / "glossary.csv")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while len(_group(proc.pid)) < 2 and time.monotonic() < deadline:  # the build and its renderers
        time.sleep(0.05)
    assert len(_group(proc.pid)) >= 2, "no renderer was forked"
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert stderr.rstrip().splitlines() == [INTERRUPTED]
    assert _group(proc.pid) == []
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))
