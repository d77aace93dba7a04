"""Browser tests on a built book: ``pytest tests/browser --site-dir PATH/_build/html``.

``make test-browser`` runs them on the quick-mode build of ``make test`` (and ``make book`` on the
full build) after ``make browser-deps`` has made sure that Debian's Chromium, a Korean font and the
npm packages (MathJax, axe-core) are installed. One Chromium serves the whole session; each page
of the book is opened once and its :class:`sitecheck.PageReport` is shared by the per-page tests.
Screenshots go to ``--artifacts-dir`` (default ``_build/artifacts``), which CI keeps.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
import sitecheck
from bs4 import BeautifulSoup
from zerotoall_book import outline

ROOT = Path(__file__).resolve().parents[2]


def pytest_addoption(parser):
    group = parser.getgroup("browser", "browser tests (tests/browser)")
    # --site-dir comes from tests/conftest.py (shared with tests/site)
    group.addoption("--artifacts-dir", action="store", default=str(ROOT / "_build" / "artifacts"),
                    help="where screenshots are written (default: _build/artifacts)")


def _site_dir(config) -> Path | None:
    value = config.getoption("--site-dir")
    return Path(value).resolve() if value else None


def toc_pages(site: Path) -> list[str]:
    """The book's pages in reading order, as the built sidebar lists them (root page first);
    ``test_sidebar_lists_the_outline_in_order`` compares them with :func:`book_pages`."""
    intro = site / "book" / "intro.html"
    html = BeautifulSoup(intro.read_text(encoding="utf-8"), "html.parser")
    pages = ["book/intro.html"]
    base = "http://site/book/intro.html"
    for a in html.select("nav.bd-docs-nav a.reference.internal"):
        page = urljoin(base, a["href"]).split("#")[0][len("http://site/"):]
        if page not in pages:
            pages.append(page)
    return pages


def book_pages() -> list[str]:
    """The book's pages in reading order, from the outline (root page first)."""
    return [f"{doc}.html" for doc in outline.book_files()]


def pytest_generate_tests(metafunc):
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", book_pages())


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    path = _site_dir(request.config)
    if path is None:
        pytest.fail("pass --site-dir <_build/html> (make test-browser does)")
    if not (path / "index.html").exists():
        pytest.fail(f"no built site at {path}: run `make test-build` (or `make book`) first")
    return path


@pytest.fixture(scope="session")
def pages(site_dir) -> list[str]:
    return book_pages()


@pytest.fixture(scope="session")
def artifacts_dir(request) -> Path:
    path = Path(request.config.getoption("--artifacts-dir")).resolve() / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def server(site_dir):
    srv = sitecheck.serve(site_dir)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def browser():
    if not sitecheck.AXE_JS.exists() or not (sitecheck.MATHJAX_DIR / "es5").exists():
        pytest.fail("the npm packages are missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = sitecheck.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def context(browser, server):
    ctx = sitecheck.new_context(browser, server)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def dark_context(browser, server):
    ctx = sitecheck.new_context(browser, server, dark=True)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def report_of(context, server, pages):
    """report_of("labs/x.html") -> PageReport. The first call visits every page of the toc (a few
    tabs at a time); later calls, and pages outside the toc, are looked up or visited once."""
    cache: dict[str, sitecheck.PageReport] = {}

    def get(page: str) -> sitecheck.PageReport:
        if not cache:
            cache.update(sitecheck.visit_many(context, server, pages))
        if page not in cache:
            cache[page] = sitecheck.visit(context, server, page)
        return cache[page]

    return get
