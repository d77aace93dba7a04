"""Every page of the book in headless Chromium: loads cleanly, links and images work, math is
rendered, figures have alt text, code has copy buttons, headings nest, prev/next follow the toc,
and axe-core finds no serious or critical accessibility violation.

Each page is opened once (``report_of``); the tests below read its report.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import sitecheck
from bs4 import BeautifulSoup
from conftest import toc_pages
from PIL import Image
from zerotoall_book import notebooks, outline

REPOSITORY = notebooks.load_settings().repo_url  # repository.url in _config.yml
LABS = {doc for doc in outline.pages() if doc.split("/")[0] == outline.PAGE_DIR["lab"]}


def test_page_loads_without_errors(report_of, page):
    assert not sitecheck.check_loaded(report_of(page))


def test_local_links_and_images_work(report_of, server, page):
    report = report_of(page)
    assert not sitecheck.check_links(report, server) + sitecheck.check_images(report, server)


def test_images_have_alt_text(report_of, page):
    assert not sitecheck.check_alt_text(report_of(page))


def test_math_is_rendered(report_of, page):
    assert not sitecheck.check_math(report_of(page))


def test_code_blocks_have_copy_buttons(report_of, page):
    report = report_of(page)
    assert not sitecheck.check_copy_buttons(report)
    if page[: -len(".html")] in LABS:
        assert report.dom["codeBlocks"], f"{page}: a lab without code cells?"


def test_heading_levels_do_not_skip(report_of, page):
    assert not sitecheck.check_headings(report_of(page))


def test_accessibility_no_serious_violations(report_of, page):
    assert not sitecheck.check_axe(report_of(page), sitecheck.AXE_IGNORE)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_code_token_colours_have_enough_contrast(request, mode, site_dir, server, pages):
    """The per-page audit leaves Pygments token spans out of colour contrast (sitecheck.CODE_TOKENS):
    here every token class the site's stylesheet colours is rendered in a code block of the first
    lab and audited by axe-core, in light and in dark mode."""
    context = request.getfixturevalue("dark_context" if mode == "dark" else "context")
    classes = sitecheck.pygments_token_classes(site_dir / "_static" / "pygments.css", mode)
    assert len(classes) >= 40, f"only {len(classes)} token classes found in pygments.css ({mode})"
    first_lab = next(page for page in pages if page[: -len(".html")] in LABS)
    problems, checked = sitecheck.check_code_token_contrast(context, server, first_lab, classes)
    assert not problems, problems
    assert checked == len(classes), f"axe checked {checked} of {len(classes)} token spans"


def test_sidebar_lists_the_outline_in_order(site_dir, pages):
    """The built sidebar shows the book's pages (``outline.book_files``) in the outline's order."""
    assert toc_pages(site_dir) == pages


def test_prev_next_follow_the_toc(report_of, server, pages, page):
    report = report_of(page)
    i = pages.index(page)
    expected_prev = server.url + pages[i - 1] if i > 0 else None
    expected_next = server.url + pages[i + 1] if i + 1 < len(pages) else None
    assert (report.dom["prev"], report.dom["next"]) == (expected_prev, expected_next)


# --------------------------------------------------------------------------- across pages


def test_checks_are_not_vacuous(report_of, pages):
    """The book has math, code, figures and links for the per-page checks to look at."""
    reports = [report_of(p) for p in pages]
    assert sum(r.dom["mathRendered"] for r in reports) > 0, "no rendered formula anywhere"
    assert sum(r.dom["codeBlocks"] for r in reports) > 0, "no code block anywhere"
    assert any(img["inArticle"] for r in reports for img in r.dom["images"]), "no figure anywhere"
    assert all(r.dom["links"] for r in reports)


def test_prev_next_buttons_navigate(context, server, pages):
    tab = context.new_page()
    try:
        tab.goto(server.url + pages[0])
        tab.click("a.right-next")
        tab.wait_for_url(server.url + pages[1])
        tab.click("a.left-prev")
        tab.wait_for_url(server.url + pages[0])
    finally:
        tab.close()


def test_figures_have_opaque_backgrounds(site_dir, pages):
    """Figures drawn by code keep their white background (zerotoall.mplstyle), so they stay
    readable on the dark theme: no transparent pixels in any output PNG."""
    checked = 0
    for page in pages:
        html = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")
        for img in html.select("div.cell_output img"):
            src = img["src"]
            if src.startswith("data:") or not src.endswith(".png"):
                continue
            with Image.open((site_dir / page).parent / src) as im:
                if im.mode in ("RGBA", "LA") or "transparency" in im.info:
                    alpha = im.convert("RGBA").getchannel("A")
                    assert alpha.getextrema()[0] == 255, f"{page}: {src} has transparent pixels"
            checked += 1
    assert checked, "no figure drawn by code in the book"


def test_repository_and_issue_buttons(context, server, pages):
    lecture = next(p for p in pages if outline.is_page(p))
    tab = context.new_page()
    try:
        tab.goto(server.url + lecture)
        hrefs = tab.eval_on_selector_all(".article-header-buttons a[href]", "els => els.map(e => e.href)")
    finally:
        tab.close()
    assert REPOSITORY in hrefs or REPOSITORY + "/" in hrefs, f"no repository button: {hrefs}"
    assert any(h.startswith(REPOSITORY + "/issues/new") for h in hrefs), f"no issue button: {hrefs}"


def test_logo_and_favicon(context, server, pages):
    tab = context.new_page()
    try:
        tab.goto(server.url + pages[0])
        icon = tab.eval_on_selector("link[rel~=icon]", "el => el.href")
        logo = tab.eval_on_selector(
            "a.navbar-brand.logo", """a => ({width: a.querySelector("img.logo__image").naturalWidth,
                                          name: (a.innerText + " " + a.querySelector("img").alt).trim()})""")
        response = tab.request.get(icon)
        assert response.ok and "svg" in response.headers.get("content-type", "")
    finally:
        tab.close()
    assert logo["width"] > 0, "the logo did not load"
    assert "모두를 위한 딥러닝" in logo["name"], f"the logo link is not named after the book: {logo}"


def test_intro_links_results_and_status_pages(site_dir, pages):
    html = BeautifulSoup((site_dir / pages[0]).read_text(encoding="utf-8"), "html.parser")
    article = html.select_one("article")
    targets = {urljoin(pages[0], a["href"]).split("#")[0] for a in article.select("a[href]")}
    assert {"book/results.html", "book/status.html"} <= targets


def test_status_page_lists_every_notebook_with_its_run_time(site_dir, pages):
    html = BeautifulSoup((site_dir / "book" / "status.html").read_text(encoding="utf-8"), "html.parser")
    rows = {}
    for tr in html.select("article table tbody tr"):
        cells = [td.get_text(strip=True) for td in tr.select("td")]
        link = tr.select_one("a[href]")
        rows[urljoin("book/status.html", link["href"]).split("#")[0]] = cells
    executed = [p for p in pages if outline.is_page(p)]
    assert executed and set(executed) <= set(rows), f"missing from the status table: {set(executed) - set(rows)}"
    for page in executed:
        _, _modified, method, runtime, status = rows[page]
        assert re.fullmatch(r"\d+(\.\d+)?", runtime), f"{page}: run time {runtime!r}"
        assert status == "✅", f"{page}: status {status!r}"
