"""Stage 6b: the site's static files and vendored browser libraries, named by a hash of their bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import BuildError, Problem

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"


def fingerprinted(folder: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """Static files under static/, named with a hash of their content (style.css → style.1a2b3c4d.css)."""
    files, names = {}, {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        relative = path.relative_to(folder).as_posix()
        stem, dot, suffix = relative.rpartition(".")
        hashed = f"static/{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{suffix}" if dot else f"static/{relative}"
        files[hashed] = data
        names[f"static/{relative}"] = hashed
    return files, names


VENDOR = {
    "static/vendor/lunr.min.js": ("node_modules/lunr/lunr.min.js",
                                  "0c50d9002b85780a842afffb567bb54ede402dae7c6dc5997a018614d8044fc8"),
}
"""Browser libraries from npm (package.json pins them), copied into the site after a hash check."""


def vendor_sources() -> list[Path]:
    """Where the vendored libraries are read from."""
    return [ROOT / source for source, _ in VENDOR.values()]


def vendor_files() -> tuple[dict[str, bytes], dict[str, str]]:
    """The vendored libraries, fingerprinted, after checking each against its pinned hash."""
    files, names = {}, {}
    for name, (source, expected) in VENDOR.items():
        path = ROOT / source
        if not path.is_file():
            raise BuildError(Problem(path, None, "missing: run `npm ci` to install the browser libraries"))
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != expected:
            raise BuildError(Problem(path, None, f"sha256 {digest} is not the pinned {expected}"))
        stem, _, suffix = name.rpartition(".")
        files[f"{stem}.{digest[:10]}.{suffix}"] = data
        names[name] = f"{stem}.{digest[:10]}.{suffix}"
    return files, names


def asset_files(renderer, static: Path) -> dict[str, str | bytes]:
    """Static files and vendored libraries, their fingerprinted names put in renderer.assets."""
    files, assets = fingerprinted(static)
    vendored, vendor_names = vendor_files()
    files.update(vendored)
    renderer.assets.update(assets, **vendor_names)
    return files
