"""Checks on the book's PDF: ``pytest tests/pdf --pdf _build/pdf/zerotoall-season1.pdf``.

``make pdf`` (full build) and ``make test-pdf`` (quick build) print the PDF with
``tools/zerotoall_book/pdf.py build`` and then run these tests on it. ``test_checks_bite.py`` needs
no book: it prints small fixture pages with the same Chromium and shows that the checks fail on a
raw ``$$`` and on a PDF printed without a Korean font.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_pdf_module():
    spec = importlib.util.spec_from_file_location("zerotoall_book_pdf", ROOT / "tools" / "zerotoall_book" / "pdf.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


pdfbook = _load_pdf_module()


def pytest_addoption(parser):
    parser.getgroup("pdf", "the book's PDF (tests/pdf)").addoption(
        "--pdf", action="store", default=None, help="the built PDF (its .json report lies beside it)")


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
