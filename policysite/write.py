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

from .workers import Helper, HelperGone, worker_count


def safe_path(root: Path, relative: str) -> Path:
    """root/relative, refusing any path that would leave root."""
    parts = relative.split("/")
    if "" in parts or "." in parts:  # (a//b, ./a, a/: read as a path reads them)
        parts = list(PurePosixPath(relative).parts)
    if not parts or relative.startswith("/") or ".." in parts:
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
    """A folder beside the output that becomes the output when the build succeeds.

    The folder is fresh, or (given reuse: the site before the output, kept by the last build's commit)
    that site's folder, made into the new site in place: a file already as it should be stays, any
    other is replaced (never written through: it may be a hard link to the output's), and what the new
    site does not hold is removed (prune, told the new site's paths: other processes place pages too).
    A build so makes only the folders and files that changed, and removes no old site when it ends
    (commit hands it to the next build).

    Used as a context manager: if the build fails or is stopped, the folder is removed and the
    output is left as it was.
    """

    def __init__(self, out: Path, reuse: Path | None = None):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out)
        self.root, self.folders = None, set()
        self._listing = None  # a reused site's folders and files, listed in a helper process meanwhile
        try:  # a stop that comes before the folder is made and in hand (as a context manager) removes it too
            with signals_held():
                self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-{os.getpid()}-", dir=self.out.parent))
            self.reused = reuse is not None and _move(reuse, self.root)
            os.chmod(self.root, 0o755)
            if self.reused and worker_count(1):
                self._listing = Helper(_files_by_folder)
                self._listing.submit(str(self.root))
        except BaseException as exc:
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise

    def _place(self, relative: str) -> Path:
        path = safe_path(self.root, relative)
        if path.parent not in self.folders:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):  # a file of the reused site where a folder goes
                _clear_folders(self.root, path.parent)
            self.folders.add(path.parent)
        return path

    def write(self, files: dict[str, str | bytes]) -> int:
        """Write files (path under the site root → content); returns how many."""
        for relative, content in files.items():
            path = self._place(relative)
            data = content.encode("utf-8") if isinstance(content, str) else content
            if self.reused:
                if _holds(path, data):
                    continue
                _remove(path)
            path.write_bytes(data)
        return len(files)

    def link(self, relative: str, existing: str | Path) -> None:
        """Put an existing file (of the last site) at relative: a hard link, or a copy where links fail.
        The file is never written through: a staged path is written or linked once."""
        path = self._place(relative)
        if self.reused:
            try:
                if os.path.samestat(os.lstat(path), os.stat(existing)):
                    return
            except FileNotFoundError:
                pass
            _remove(path)
        try:
            os.link(existing, path)
        except OSError:
            shutil.copy2(existing, path)

    def prune(self, paths: set[str]) -> None:
        """Remove what a reused site holds beyond the paths of the new site, and the folders left empty."""
        if not self.reused:
            return
        try:
            folders = self._listing.answer() if self._listing is not None else None
        except HelperGone:
            folders = None
        finally:
            self._stop_listing()
        needed = {path.rsplit("/", n)[0] for path in paths for n in range(1, path.count("/") + 1)}  # folders
        for folder, files in sorted((folders or _files_by_folder(str(self.root))).items(),
                                    key=lambda entry: -entry[0].count("/")):  # deepest first
            prefix = f"{folder}/" if folder else ""
            for name in files:
                if prefix + name not in paths and prefix + name not in needed:  # (a folder now, if needed)
                    os.unlink(os.path.join(self.root, prefix + name))
            if folder and folder not in needed and folder not in paths:  # all it held was listed, and is gone
                os.rmdir(os.path.join(self.root, folder))

    def _stop_listing(self) -> None:
        if self._listing is not None:
            self._listing.close()
            self._listing = None

    def commit(self, keep: Path | None = None) -> None:
        """Swap the staged site in for the output folder; the site it replaces is moved to keep (for the
        next build to reuse) where given and possible, else removed."""
        with signals_held():
            if not self.out.exists():
                self.root.rename(self.out)
            elif exchange(self.root, self.out):  # the staging folder holds the previous site now
                if keep is None or not _move(self.root, keep):
                    shutil.rmtree(self.root)
            else:
                retired = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-{os.getpid()}-", dir=self.out.parent))
                self.out.rename(retired / self.out.name)
                self.root.rename(self.out)
                shutil.rmtree(retired)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._stop_listing()
        if kind is not None and self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)


def _move(folder: Path, to: Path) -> bool:
    """Move a folder to a new place (an empty folder there is replaced, anything else first removed);
    False where it cannot (another file system, say), the folder left where it was."""
    try:
        if to.is_dir() and not to.is_symlink() and any(to.iterdir()):
            shutil.rmtree(to)
        to.parent.mkdir(parents=True, exist_ok=True)
        os.rename(folder, to)
        return True
    except OSError:
        return False


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at path holds exactly data."""
    try:
        return os.lstat(path).st_size == len(data) and path.is_file() and not path.is_symlink() \
            and path.read_bytes() == data
    except OSError:
        return False


def _remove(path: Path) -> None:
    """Remove whatever stands at path: a file (a hard link's other names keep it), a link, a folder."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            raise


def _clear_folders(root: Path, folder: Path) -> None:
    """Make folder (under root) and its parents folders, removing any file that stands in their way."""
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        if not path.is_dir() or path.is_symlink():
            _remove(path)
            path.mkdir()


def _files_by_folder(root: str) -> dict[str, list[str]]:
    """Every folder under root (by its path from root, "" for root) with the names of its files (and links)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        links = [name for name in dirs if os.path.islink(os.path.join(folder, name))]  # not walked into
        found["" if relative == "." else relative] = files + links
    return found
