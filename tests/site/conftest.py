"""Site tests run against a built book: ``pytest tests/site --site-dir PATH/_build/html
--notebooks-dir PATH/_build/notebooks``.

``make test`` builds the quick-mode site and the notebooks first and passes their folders; there
is no default, so these tests can never pass without a build to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def _built_folder(request, option: str, marker: str, make_target: str) -> Path:
    value = request.config.getoption(option)
    if not value:
        pytest.fail(f"pass {option} <folder> (make test-site does)")
    path = Path(value).resolve()
    if not (path / marker).exists():
        pytest.fail(f"nothing built at {path} (no {marker}): run `make {make_target}` first")
    return path


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    return _built_folder(request, "--site-dir", "index.html", "test-build")


@pytest.fixture(scope="session")
def notebooks_dir(request) -> Path:
    return _built_folder(request, "--notebooks-dir", "README.md", "notebooks")
