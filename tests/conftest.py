"""Options shared by the test folders that look at a built book (tests/site, tests/browser)."""

from __future__ import annotations


def pytest_addoption(parser):
    group = parser.getgroup("book", "the built book (tests/site, tests/browser)")
    group.addoption("--site-dir", action="store", default=None, help="the built _build/html folder")
    group.addoption("--notebooks-dir", action="store", default=None,
                    help="the generated notebooks (make notebooks writes _build/notebooks)")
