"""Stage 8: write the site into a fresh folder beside the output, then swap it in.

The previous site stays untouched until the new one is complete; a failed build leaves it as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


def safe_path(root: Path, relative: str) -> Path:
    """root/relative, refusing any path that would leave root."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*parts)


class Staging:
    """A fresh folder beside the output that becomes the output when the build succeeds.

    Used as a context manager: if the build fails, the folder is removed and the output is
    left as it was.
    """

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        os.chmod(self.root, 0o755)

    def write(self, files: dict[str, str | bytes]) -> int:
        """Write files (path under the site root → content); returns how many."""
        folders: set[Path] = set()
        for relative, content in files.items():
            path = safe_path(self.root, relative)
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return len(files)

    def commit(self) -> None:
        """Swap the staged site in for the output folder."""
        if self.out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            self.out.rename(retired / self.out.name)
            self.root.rename(self.out)
            shutil.rmtree(retired)
        else:
            self.root.rename(self.out)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            shutil.rmtree(self.root, ignore_errors=True)
