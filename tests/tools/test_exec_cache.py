"""No stale numbers: a change of the helper package re-executes the pages (issue 16, part 6).

A tiny fixture book whose one page calls a function of a fixture ``zerotoall/`` package is built
twice with the real ``jupyter-book build`` and execution cache, each build preceded by
``python -m zerotoall_book.exec_cache`` exactly as ``make book`` and ``make test-build`` do:
unchanged, the guard keeps the cache; after the helper function changes, the page runs again
and the site shows the new number.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from zerotoall_book import exec_cache
from zerotoall_book.outline import ROOT

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def _fixture(tmp_path: Path) -> tuple[Path, Path, Path]:
    root = tmp_path / "repo"
    (root / "zerotoall").mkdir(parents=True)
    (root / "zerotoall" / "__init__.py").write_text("def answer():\n    return 41\n")
    (root / "requirements.txt").write_text("numpy==2.4.6\n")
    log = tmp_path / "runs.log"
    book = root / "book"
    book.mkdir()
    (book / "_config.yml").write_text(
        'title: fixture\nexecute:\n  execute_notebooks: cache\n  timeout: 120\n  raise_on_error: true\n'
    )
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (book / "index.md").write_text(textwrap.dedent(f"""\
        ---
        jupytext:
          text_representation: {{extension: .md, format_name: myst}}
        kernelspec: {{display_name: Python 3, language: python, name: python3}}
        ---
        # Fixture

        ```{{code-cell}} ipython3
        import importlib.util
        spec = importlib.util.spec_from_file_location("helper", {str(root / "zerotoall" / "__init__.py")!r})
        helper = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(helper)
        with open({str(log)!r}, "a") as f:
            f.write("ran\\n")
        print("answer", helper.answer())
        ```
        """))
    return root, book, log


def _build(root: Path, book: Path) -> str:
    out = root / "out"
    exec_cache.refresh(out / "_build", root)  # what the Makefile runs before jupyter-book build
    subprocess.run([str(JUPYTER_BOOK), "build", str(book), "--path-output", str(out), "-W", "-q"],
                   check=True, capture_output=True, text=True, timeout=300)
    html = (out / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    return re.search(r"answer (\d+)", html)[1]


def _runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_changed_helper_reexecutes_the_page(tmp_path):
    root, book, log = _fixture(tmp_path)
    assert _build(root, book) == "41" and _runs(log) == 1

    build_dir = root / "out" / "_build"
    assert not exec_cache.refresh(build_dir, root), "unchanged: the guard must keep the cache"
    assert (build_dir / ".jupyter_cache").is_dir() and (build_dir / ".doctrees").is_dir()

    (root / "zerotoall" / "__init__.py").write_text("def answer():\n    return 42\n")
    assert _build(root, book) == "42", "the site still shows the old helper's number"
    assert _runs(log) == 2, "the page did not run again after the helper changed"


def test_fingerprint_covers_helper_and_requirements(tmp_path):
    root, _, _ = _fixture(tmp_path)
    first = exec_cache.fingerprint(root)
    (root / "zerotoall" / "__pycache__").mkdir()
    (root / "zerotoall" / "__pycache__" / "x.pyc").write_bytes(b"noise")
    assert exec_cache.fingerprint(root) == first, "bytecode is not an input"
    (root / "zerotoall" / "new.py").write_text("")
    second = exec_cache.fingerprint(root)
    assert second != first
    (root / "requirements.txt").write_text("numpy==2.5.0\n")
    assert exec_cache.fingerprint(root) != second


def test_builds_and_ci_caches_use_the_fingerprint():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = dict(re.findall(r"^([a-z-]+):[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.M))
    guard = "$(BIN)/python -m zerotoall_book.exec_cache"
    for target, build_dir in (("book", "_build"), ("test-build", "$(QUICK_BUILD)/_build")):
        lines = recipes[target].splitlines()
        calls = [i for i, line in enumerate(lines) if f"{guard} {build_dir}" in line]
        builds = [i for i, line in enumerate(lines) if "jupyter-book build" in line]
        assert calls and builds and calls[0] < builds[0], f"make {target}: {guard} {build_dir} must run first"

    for name, cache in (("ci.yml", "_build/quick/_build"), ("publish.yml", "_build")):
        flow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        steps = [s for job in flow["jobs"].values() for s in job["steps"]
                 if f"{cache}/.jupyter_cache" in str(s.get("with", {}).get("path", ""))]
        assert len(steps) == 1, name
        spec = steps[0]["with"]
        assert f"{cache}/{exec_cache.FINGERPRINT_FILE}" in spec["path"], f"{name}: cache the fingerprint too"
        for key in (spec["key"], spec["restore-keys"]):
            assert "hashFiles('requirements.txt', 'pyproject.toml', 'zerotoall/**')" in key, f"{name}: {key}"
