"""Site tests run against a built book: ``pytest tests/site --site-dir PATH/_build/html``.

``make test`` builds the quick-mode site first and passes its folder; there is no default, so
these tests can never pass without a build to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption("--site-dir", action="store", default=None, help="the built _build/html folder")


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    value = request.config.getoption("--site-dir")
    if not value:
        pytest.fail("pass --site-dir <_build/html> (make test-site does)")
    path = Path(value).resolve()
    if not (path / "index.html").exists():
        pytest.fail(f"no built site at {path}: run `make test-build` first")
    return path
