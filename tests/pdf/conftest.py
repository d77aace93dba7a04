"""Checks on the book's PDF: ``pytest tests/pdf --pdf _build/pdf/zerotoall-season1.pdf``.

``make pdf`` (full build) and ``make test-pdf`` (quick build) print the PDF with
``python -m zerotoall_book.pdf build`` and then run these tests on it. ``test_checks_bite.py`` needs
no book: it prints small fixture pages with the same Chromium and shows that the checks fail on a
raw ``$$`` and on a PDF printed without a Korean font.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zerotoall_book import pdf as pdfbook


def pytest_addoption(parser):
    group = parser.getgroup("pdf", "the book's PDF (tests/pdf)")
    group.addoption("--pdf", action="store", default=None, help="the built PDF (its .json report lies beside it)")
    group.addoption("--pdf-artifacts", action="store", default=None,
                    help="where test_pdf.py renders a few pages to PNG (default: a temporary folder)")


@pytest.fixture(scope="session")
def pdf_path(request) -> Path:
    value = request.config.getoption("--pdf")
    if not value:
        pytest.fail("pass --pdf <the built PDF> (make pdf / make test-pdf do)")
    path = Path(value).resolve()
    if not path.is_file():
        pytest.fail(f"no PDF at {path}: run `make pdf` or `make test-pdf`")
    return path


@pytest.fixture(scope="session")
def report(pdf_path) -> dict:
    return pdfbook.read_report(pdf_path)


@pytest.fixture(scope="session")
def facts(pdf_path):
    return pdfbook.read_pdf(pdf_path)


@pytest.fixture(scope="session")
def artifacts(request, tmp_path_factory) -> Path:
    value = request.config.getoption("--pdf-artifacts")
    return Path(value).resolve() if value else tmp_path_factory.mktemp("pdf-artifacts")
