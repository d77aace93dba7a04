"""The slim Binder: the notebooks branch's requirements hold the runtime only, at the book's pins."""

from __future__ import annotations

import pytest

from zerotoall_book import runtime_requirements as rr
from zerotoall_book.outline import ROOT

LOCK = ROOT / "requirements.txt"
SPEC = "zerotoall @ git+https://github.com/zerotoall-tf2/season1@0123456789abcdef"
BUILD_AND_TEST = ("jupyter-book", "sphinx", "myst-nb", "pytest", "pytest-xdist", "nbval", "playwright",
                  "check-jsonschema", "beautifulsoup4", "sphinx-book-theme", "jupyter-cache", "coverage")


@pytest.fixture(scope="module")
def slim() -> list[str]:
    return [line for line in rr.runtime_requirements(LOCK, SPEC).splitlines() if not line.startswith("#")]


def test_runtime_packages_at_the_locked_versions(slim):
    lock = rr.locked_pins(LOCK)
    assert slim[-1] == SPEC, "the helper comes from the commit the notebooks were generated from"
    pinned = {rr.normalize(line.split("==")[0]): line for line in slim[:-1]}
    assert all("==" in line for line in slim[:-1])
    for name, line in pinned.items():
        assert lock[name] == line, f"{line} drifted from requirements.txt ({lock[name]})"
    for name in (*rr.RUNTIME, "numpy", "protobuf", "nbformat"):
        assert rr.normalize(name) in pinned, f"{name} missing from the runtime list"


def test_no_build_or_test_stack(slim):
    names = {rr.normalize(line.split("==")[0]) for line in slim[:-1]}
    assert not names & set(BUILD_AND_TEST), names & set(BUILD_AND_TEST)
    assert len(slim) < len(rr.locked_pins(LOCK)) * 0.6, "the runtime list should be much shorter than the lock"


def test_a_lock_without_a_needed_package_is_an_error(tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("".join(line + "\n" for line in LOCK.read_text().splitlines() if not line.startswith("keras==")))
    assert "keras==" in LOCK.read_text()
    with pytest.raises(ValueError, match="keras"):
        rr.runtime_requirements(lock, SPEC)

# that the notebooks branch gets exactly this list: tests/tools/test_notebooks.py::test_binder_files
