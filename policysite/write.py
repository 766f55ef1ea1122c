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


def write_site(out: Path, files: dict[str, str | bytes]) -> None:
    """Write files (path under the site root → content) to out, atomically replacing what was there."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        folders: set[Path] = set()
        for relative, content in files.items():
            path = safe_path(staging, relative)
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            if isinstance(content, str):
                content = content.encode("utf-8")
            path.write_bytes(content)
        os.chmod(staging, 0o755)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            out.rename(retired / out.name)
            staging.rename(out)
            shutil.rmtree(retired)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
