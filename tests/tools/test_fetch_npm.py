"""tests/browser/fetch_npm.py: the locked npm tarballs, checked against the lock file's SHA-512."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "browser"
spec = importlib.util.spec_from_file_location("fetch_npm", HERE / "fetch_npm.py")
fetch_npm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fetch_npm)


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_the_lock_file_names_two_dependency_free_packages(monkeypatch):
    monkeypatch.delenv("NPM_CONFIG_REGISTRY", raising=False)
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    packages = {name: (version, url) for name, version, url, _ in fetch_npm.locked_packages(lock)}
    assert set(packages) == {"axe-core", "mathjax"}
    assert packages["mathjax"][1] == f"https://registry.npmjs.org/mathjax/-/mathjax-{packages['mathjax'][0]}.tgz"


def test_a_nested_dependency_needs_npm():
    lock = {"packages": {"": {}, "node_modules/a/node_modules/b": {"version": "1", "integrity": "sha512-x"}}}
    with pytest.raises(SystemExit, match="nested dependency"):
        fetch_npm.locked_packages(lock)


def test_integrity_and_unpacking(tmp_path):
    data = _tarball({"package/package.json": b"{}", "package/es5/tex-chtml.js": b"// mathjax"})
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    fetch_npm.verify(data, good, "mathjax")
    with pytest.raises(SystemExit, match="does not match"):
        fetch_npm.verify(data + b"x", good, "mathjax")
    target = tmp_path / "node_modules" / "mathjax"
    target.parent.mkdir()
    fetch_npm.unpack(data, target)
    assert (target / "es5" / "tex-chtml.js").read_bytes() == b"// mathjax"
    assert sorted(p.name for p in target.iterdir()) == ["es5", "package.json"]
    evil = _tarball({"package/../../escape.txt": b"x", "package/ok.txt": b"y"})
    fetch_npm.unpack(evil, target)
    assert not (tmp_path / "escape.txt").exists() and (target / "ok.txt").exists()
