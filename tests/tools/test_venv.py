"""The virtual environment ``make venv`` installs has its bytecode compiled.

uv, unlike pip, does not write ``.pyc`` files at install time. Where PYTHONDONTWRITEBYTECODE is
set (as on this machine), Python then never writes them either, and every kernel recompiles the
thousands of modules of TensorFlow: ``import tensorflow`` took 9 s instead of 3 s in each of the
40 notebooks that ``make test`` executes. The Makefile asks uv to compile (``--compile-bytecode``).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_make_venv_compiles_bytecode():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"^\t.*uv pip install .*-r requirements\.txt.*$", makefile, re.M)
    assert installs, "make venv no longer installs requirements.txt with uv"
    assert all("--compile-bytecode" in line for line in installs), installs


@pytest.mark.skipif(not sys.flags.dont_write_bytecode,
                    reason="Python writes the .pyc files itself when PYTHONDONTWRITEBYTECODE is unset")
@pytest.mark.parametrize("package", ["tensorflow", "keras", "matplotlib", "numpy"])
def test_installed_packages_have_their_bytecode(package):
    """The environment running these tests (``make venv``'s) can start a kernel without compiling:
    (nearly) every module of the package has its ``.pyc`` beside it."""
    root = Path(importlib.util.find_spec(package).origin).parent  # found without importing it
    sources = list(root.rglob("*.py"))
    missing = [p for p in sources if not Path(importlib.util.cache_from_source(p)).exists()]
    assert len(sources) > 100, f"{package}: only {len(sources)} modules found under {root}"
    assert len(missing) <= len(sources) // 100, (
        f"{package} was installed without bytecode: {len(missing)} of {len(sources)} modules "
        f"have no .pyc, e.g. {missing[:3]}")
