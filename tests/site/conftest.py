"""Site tests run against a built book: ``pytest tests/site --site-dir PATH/_build/html``.

``make test`` builds the quick-mode site first and passes its folder; there is no default, so
these tests can never pass without a build to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    value = request.config.getoption("--site-dir")
    if not value:
        pytest.fail("pass --site-dir <_build/html> (make test-site does)")
    path = Path(value).resolve()
    if not (path / "index.html").exists():
        pytest.fail(f"no built site at {path}: run `make test-build` first")
    return path


@pytest.fixture(scope="session")
def notebooks_dir(request) -> Path:
    value = request.config.getoption("--notebooks-dir")
    if not value:
        pytest.fail("pass --notebooks-dir <_build/notebooks> (make test-site does)")
    path = Path(value).resolve()
    if not (path / "README.md").exists():
        pytest.fail(f"no generated notebooks at {path}: run `make notebooks` first")
    return path
