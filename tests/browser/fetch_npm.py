"""Install the browser tests' npm packages from package-lock.json without Node.js.

The browser tests only need two files trees from the npm registry, MathJax and axe-core, served
to Chromium as local copies of the site's CDN scripts. Neither has dependencies, so Debian's
nodejs and npm (hundreds of packages) are not worth installing for them: this script downloads
each locked tarball from the registry, checks it against the lock file's `integrity` (SHA-512),
and unpacks it into node_modules/<name>/, which is what `npm ci` would produce for these two.

    python3 fetch_npm.py            # in tests/browser; `make browser-deps` runs it

The registry is https://registry.npmjs.org/ unless NPM_CONFIG_REGISTRY says otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def locked_packages(lock: dict) -> list[tuple[str, str, str, str]]:
    """(name, version, tarball URL, integrity) for every package of an npm v2/v3 lock file."""
    registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/").rstrip("/")
    out = []
    for key, meta in lock.get("packages", {}).items():
        if not key:
            continue  # the root project
        if key.count("node_modules/") != 1:
            raise SystemExit(f"fetch_npm: nested dependency {key!r}: use `npm ci` for this lock file")
        name = key.split("node_modules/", 1)[1]
        version = meta["version"]
        base = name.rsplit("/", 1)[-1]
        url = meta.get("resolved") or f"{registry}/{name}/-/{base}-{version}.tgz"
        if "integrity" not in meta or not meta["integrity"].startswith("sha512-"):
            raise SystemExit(f"fetch_npm: {name} has no sha512 integrity in the lock file")
        out.append((name, version, url, meta["integrity"]))
    return out


def verify(data: bytes, integrity: str, name: str) -> None:
    expected = base64.b64decode(integrity.split("-", 1)[1])
    if hashlib.sha512(data).digest() != expected:
        raise SystemExit(f"fetch_npm: {name}: the download does not match the lock file's integrity")


def unpack(data: bytes, target: Path) -> None:
    """Unpack an npm tarball (everything under its top folder `package/`) into target."""
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if len(parts) < 2 or ".." in parts or not (member.isfile() or member.isdir()):
                continue
            member.name = str(Path(*parts[1:]))
            tar.extract(member, tmp, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)


def main() -> int:
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    modules = HERE / "node_modules"
    modules.mkdir(exist_ok=True)
    for name, version, url, integrity in locked_packages(lock):
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
        verify(data, integrity, name)
        target = modules / name
        target.parent.mkdir(parents=True, exist_ok=True)
        unpack(data, target)
        print(f"fetch_npm: {name}@{version} ({len(data) / 1e6:.1f} MB) -> {target.relative_to(HERE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
