"""A build stopped by SIGINT, SIGTERM or SIGKILL at any moment, or failing for want of space or
permission: the last good site intact, no process of it running a second later, and no staging
folder left after the next build."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policysite.write import remove_stale

from .conftest import CONTENT, ROOT

MOMENTS = (0.4, 1.2, 2.2)  # seconds after the start: reading, rendering, writing (a library build takes ~3 s)


def descendants(pid: int) -> set[int]:
    """Every process below pid, as /proc lists them now."""
    found, todo = set(), [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue
            todo += list(children - found)
            found |= children
    return found


def running(pid: int) -> bool:
    """pid is a live process (a zombie waiting for its parent to reap it is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads processes from /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_build_leaves_the_last_good_site_and_nothing_running(tmp_path, signum):
    out = tmp_path / "site"
    out.mkdir()
    (out / "marker.txt").write_text("the last good site")
    stopped = 0
    for moment in MOMENTS:
        build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--out", str(out), "--quiet"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        time.sleep(moment)
        below = descendants(build.pid)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=30)
        if build.returncode == 0 or "holds the new site" in stderr:  # done before the signal took effect
            (out / "marker.txt").write_text("the last good site")
            continue
        stopped += 1
        assert build.returncode == (-signum if signum == signal.SIGKILL else 128 + signum), stderr
        deadline = time.monotonic() + 1
        while any(running(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in below if running(pid)], f"left running after {moment} s"
        assert [p.name for p in out.iterdir()] == ["marker.txt"], moment
        assert "Traceback" not in stderr
        if signum != signal.SIGKILL:
            assert f"build stopped by {signum.name}; {out} left as it was" in stderr
            assert leftovers(out) == []  # it cleaned up after itself
    assert stopped >= 2, "the builds ended before the signals: the moments need to be earlier"
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file() and not (out / "marker.txt").exists()
    assert leftovers(out) == []  # what a SIGKILL left behind, the next build removed


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads processes from /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_rebuild_stopped_with_the_cache_leaves_the_last_good_site_and_a_cache_that_holds(content, tmp_path,
                                                                                         signum):
    """A rebuild after an edit, stopped while it keeps and renders pages: the last site as it was, byte for
    byte; nothing running; and the next build, with the cache, writes what a build without it writes."""
    out = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--quiet"]
    subprocess.run(command, check=True, timeout=120)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    source = next(content.glob("*.zh.txt"))
    stopped = 0
    for turn, moment in enumerate((0.2, 0.3, 0.4)):  # an edit rebuild takes ~0.55 s here
        # each turn a new edit (an edit undone would find the last site's inputs: a no-op, done at once)
        source.write_text(source.read_text(encoding="utf-8").replace("67.", f"67.{'要将须'[turn]}", 1),
                          encoding="utf-8")
        build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(moment)
        below = descendants(build.pid)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=30)
        if build.returncode == 0 or "holds the new site" in stderr:  # done before the signal took effect
            before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
            continue
        stopped += 1
        deadline = time.monotonic() + 1
        while any(running(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in below if running(pid)], f"left running after {moment} s"
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before, moment
    assert stopped >= 2, "the rebuilds ended before the signals: the moments need to be earlier"
    subprocess.run(command, check=True, timeout=120)
    subprocess.run(command[:-2] + [str(tmp_path / "fresh"), "--quiet", "--no-cache"], check=True, timeout=120)
    fresh = tmp_path / "fresh"
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == \
        {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
    assert leftovers(out) == []
    assert not list((tmp_path / ".policysite-cache").rglob(".new-*"))


def test_a_stop_that_comes_during_the_swap_says_the_new_site_is_in_place(tmp_path, monkeypatch, capsys):
    """SIGTERM while the new site is swapped in (signals are held then) takes effect after it: the build
    says it had finished, and the output is the new site, whole."""
    from policysite.cli import main
    from policysite.write import Staging

    out = tmp_path / "site"
    out.mkdir()
    (out / "marker.txt").write_text("the last good site")
    swap = Staging.commit

    def stopped_while_swapping(staging, *args):
        swap(staging, *args)
        signal.raise_signal(signal.SIGTERM)  # as if it had come during the swap, held till its end

    monkeypatch.setattr(Staging, "commit", stopped_while_swapping)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        assert main(["--content", str(CONTENT), "--out", str(out), "--quiet", "--no-cache"]) == 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert capsys.readouterr().err.splitlines()[-1] == f"build stopped by SIGTERM; it had finished: {out} holds the new site"
    assert (out / "index.html").is_file() and not (out / "marker.txt").exists() and leftovers(out) == []


def test_a_swap_cut_short_is_repaired_by_the_next_build(tmp_path):
    """SIGKILL between moving the old site aside and moving the new one in (where the system cannot
    swap in one step): the next build puts the last good site back before anything else."""
    out = tmp_path / "site"
    old = tmp_path / ".site.old-99999999-abc" / "site"  # a process id that cannot be running
    old.mkdir(parents=True)
    (old / "marker.txt").write_text("the last good site")
    half_new = tmp_path / ".site.new-99999999-def"
    half_new.mkdir()
    (tmp_path / ".site.new-1-ghi").mkdir()  # process 1 is running: not this build's to remove
    remove_stale(out)
    assert (out / "marker.txt").read_text() == "the last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.new-1-ghi", "site"]


@pytest.mark.parametrize("error, cause", [(errno.ENOSPC, "No space left on device"),
                                          (errno.EACCES, "Permission denied")])
def test_no_space_or_no_permission_is_one_clear_line(tmp_path, monkeypatch, capsys, error, cause):
    """Writing fails half way (the disk fills, a folder refuses): the file and the cause in one line,
    exit 2, the last good site as it was, no staging folder left."""
    from policysite.cli import main

    out = tmp_path / "site"
    out.mkdir()
    (out / "marker.txt").write_text("the last good site")
    real = Path.write_bytes

    def failing(path, data):
        if path.name == "index.html" and "tasks" in path.parts:
            raise OSError(error, os.strerror(error), str(path))
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    assert main(["--out", str(out), "--quiet"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(rf"error: {re.escape(str(tmp_path))}/\.site\.new-\d+-\w+/.*/tasks/\d+/index\.html: {cause}",
                        lines[0]), lines
    assert lines[1:] == [f"build failed: 1 error(s); {out} left as it was"]
    assert [p.name for p in out.iterdir()] == ["marker.txt"] and leftovers(out) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_while_the_command_starts_says_so_in_a_line(tmp_path, signum):
    """Ctrl-C or SIGTERM while the command is still starting (here, as it reads its arguments: before the
    build, or its handling of stops, has begun) ends it as a stop later does: one line, no traceback, the
    exit status of the signal, the output as it was."""
    out = tmp_path / "site"
    out.mkdir()
    (out / "marker.txt").write_text("the last good site")
    script = ("import os, signal, policysite.cli as cli\n"
              "real, sent = cli.parser, []\n"
              "def parser():\n"
              "    if not sent:\n"
              "        sent.append(True)\n"
              f"        os.kill(os.getpid(), {int(signum)})\n"
              "    return real()\n"
              "cli.parser = parser\n"
              "cli.run_command()\n")
    done = subprocess.run([sys.executable, "-c", script, "--out", str(out), "--quiet"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 128 + signum
    assert done.stderr == f"build stopped by {signum.name}; {out} left as it was\n"
    assert [p.name for p in out.iterdir()] == ["marker.txt"] and leftovers(out) == []


def test_a_stop_while_the_staging_folder_is_set_up_leaves_none(tmp_path, monkeypatch):
    """A stop that comes while the staging folder is made ready (before the build holds it as a context
    manager, which removes it on any failure) removes it as well."""
    from policysite import write

    out = tmp_path / "site"
    out.mkdir()
    (out / "marker.txt").write_text("the last good site")

    def stopped(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(write.os, "chmod", stopped)
    with pytest.raises(KeyboardInterrupt):
        write.Staging(out)
    assert leftovers(out) == [] and [p.name for p in out.iterdir()] == ["marker.txt"]
