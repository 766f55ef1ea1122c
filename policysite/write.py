"""Stage 8: write the site into a fresh folder beside the output, then swap it in.

The previous site stays untouched until the new one is complete; a failed or stopped build leaves
it as it was. Staging folders carry their build's process id, so that a later build removes those
whose build is gone (stopped by a signal, even SIGKILL), and the swap is one atomic exchange where
the system offers it (Linux's renameat2).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


def safe_path(root: Path, relative: str) -> Path:
    """root/relative, refusing any path that would leave root."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*parts)


def alive(pid: int) -> bool:
    """Whether a process of that id is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(out: Path) -> None:
    """Remove the staging folders beside out whose build is no longer running; if a build died in the
    middle of a swap (out missing, the last good site in its .old- folder), put that site back first."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(new|old)-(?:(\d+)-)?")
    for folder in sorted(out.parent.iterdir()) if out.parent.is_dir() else ():
        found = pattern.match(folder.name)
        if not found or not folder.is_dir() or (found.group(2) and alive(int(found.group(2)))):
            continue
        if found.group(1) == "old" and not out.exists() and (folder / out.name).is_dir():
            (folder / out.name).rename(out)
        shutil.rmtree(folder, ignore_errors=True)


_libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (renameat2 with RENAME_EXCHANGE); False where the system cannot."""
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return done == 0


@contextmanager
def signals_held():
    """SIGINT and SIGTERM that arrive during the block take effect after it (SIGKILL cannot be held:
    remove_stale repairs what it interrupts). Only the main thread may hold them; others go on."""
    arrived = []
    try:
        previous = {sig: signal.signal(sig, lambda signum, frame: arrived.append(signum))
                    for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in arrived[:1]:
            signal.raise_signal(signum)


class Staging:
    """A fresh folder beside the output that becomes the output when the build succeeds.

    Used as a context manager: if the build fails or is stopped, the folder is removed and the
    output is left as it was.
    """

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-{os.getpid()}-", dir=self.out.parent))
        os.chmod(self.root, 0o755)
        self.folders: set[Path] = set()

    def _place(self, relative: str) -> Path:
        path = safe_path(self.root, relative)
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        return path

    def write(self, files: dict[str, str | bytes]) -> int:
        """Write files (path under the site root → content); returns how many."""
        for relative, content in files.items():
            self._place(relative).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return len(files)

    def link(self, relative: str, existing: Path) -> None:
        """Put an existing file (of the last site) at relative: a hard link, or a copy where links fail.
        The file is never written through: a staged path is written or linked once."""
        path = self._place(relative)
        try:
            os.link(existing, path)
        except OSError:
            shutil.copy2(existing, path)

    def commit(self) -> None:
        """Swap the staged site in for the output folder."""
        with signals_held():
            if not self.out.exists():
                self.root.rename(self.out)
            elif exchange(self.root, self.out):
                shutil.rmtree(self.root)  # it holds the previous site now
            else:
                retired = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-{os.getpid()}-", dir=self.out.parent))
                self.out.rename(retired / self.out.name)
                self.root.rename(self.out)
                shutil.rmtree(retired)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            shutil.rmtree(self.root, ignore_errors=True)
