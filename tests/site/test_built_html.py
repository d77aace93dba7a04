"""What a reader sees: executed outputs and figures on every page, a filled results table.

Runs on the built HTML (quick mode in CI) without a browser. What needs one (console errors,
links, math, search, accessibility, screenshots) is in tests/browser.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from zerotoall_book import outline as course

ROOT = Path(__file__).resolve().parents[2]
PAGES = [f"{doc}.html" for doc in course.pages(ROOT)]
NOISE = ["cpu_feature_guard", "absl::InitializeLog", "oneDNN custom operations", "Traceback (most recent call last)"]


def soup(site_dir: Path, page: str) -> BeautifulSoup:
    path = site_dir / page
    assert path.exists(), f"{page} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("page", PAGES)
def test_page_is_executed_with_figures(site_dir, page):
    html = soup(site_dir, page)
    outputs = html.select("div.cell_output")
    assert outputs, f"{page}: no executed cell outputs"
    images = html.select("div.cell_output img")
    assert images, f"{page}: no figure drawn by code"
    for img in images:
        assert img.get("alt", "").strip(), f"{page}: figure {img.get('src')} has no alt text"
        src = img["src"]
        assert src.startswith("data:") or (site_dir / page).parent.joinpath(src).resolve().exists(), src
    for shown_on_purpose in html.select("div.cell.tag_raises-exception"):
        shown_on_purpose.decompose()  # an error a lesson shows on purpose is not noise
    text = html.get_text()
    for noise in NOISE:
        assert noise not in text, f"{page}: {noise!r} leaked into the page"


@pytest.mark.parametrize("page", PAGES)
def test_solutions_are_collapsed(site_dir, page):
    html = soup(site_dir, page)
    solutions = html.select(".solution")
    assert solutions, f"{page}: no solutions rendered"
    assert all("dropdown" in s.get("class", []) for s in solutions), f"{page}: a solution is not collapsed"


def test_results_table_is_filled_from_executed_labs(site_dir):
    """One measured number per declared result of a built lab, in course order; a value is a
    finite number unless the original course itself printed nan or inf (a diverging run)."""
    outline = course.load_course(ROOT / "book" / "course.yml")
    pages = course.item_pages(ROOT, outline)
    results = [result for item, result in course.iter_results(outline) if item["id"] in pages]
    assert results, "no results declared for the built labs"
    html = soup(site_dir, "book/results.html")
    rows = html.select("table.course-results tbody tr")
    assert len(rows) == len(results), f"expected {len(results)} rows, found {len(rows)}"
    for row, result in zip(rows, results):
        original = row.select_one(".course-original").get_text(strip=True)
        assert original == result["original"], f"{result['key']}: row shows original {original!r}"
        pasted = row.select(".course-measured .pasted-text")
        assert len(pasted) == 1, f"{result['key']}: no measured value pasted"
        text = pasted[0].get_text(strip=True)
        assert re.fullmatch(r"-?\d+(\.\d+)?(e[-+]\d+)?|nan|-?inf", text), f"{result['key']}: {text!r} is not a number"
        if original in ("nan", "inf", "-inf"):
            assert text == original, f"{result['key']}: the original diverged ({original}), this book measured {text}"
        else:
            assert math.isfinite(float(text)), f"{result['key']}: measured value {text!r} is not finite"


def test_front_matter_pages_exist(site_dir):
    for page in ("index.html", "book/setup.html", "book/glossary.html", "book/results.html"):
        assert (site_dir / page).exists(), page
    index = soup(site_dir, "book/intro.html")
    links = {a.get("href", "") for a in index.select("a")}
    for page in PAGES:
        assert any(page.split("/")[-1] in l for l in links), f"the intro's course table does not link {page}"
