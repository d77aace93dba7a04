"""The built PDF of the whole book (see conftest.py): every check of ``pdf.py`` finds nothing."""

from __future__ import annotations

from conftest import pdfbook


def test_every_page_title_in_toc_order(facts, report):
    assert report["titles"], "the build found no page titles"
    assert pdfbook.check_titles(facts, report["titles"]) == []


def test_hangul_extractable_and_korean_font_embedded(facts):
    assert pdfbook.check_hangul(facts, min_chars=20_000) == []


def test_at_least_as_many_images_as_the_site_has_figures(facts, report):
    assert report["figures"] > 0, "the site's pages have no figures: is this an executed build?"
    assert pdfbook.check_images(facts, report["figures"]) == []


def test_no_raw_markup_outside_code(facts):
    assert pdfbook.check_raw_markup(facts) == []


def test_bookmarks_follow_the_parts(facts, report):
    assert pdfbook.check_bookmarks(facts, report["parts"], report["titles"]) == []


def test_internal_links_work(facts, report):
    assert report["internal_links"] > 100
    assert pdfbook.check_links(facts, report["internal_links"]) == []


def test_pages_not_shrunk(facts):
    assert pdfbook.check_scale(facts) == []


def test_size_under_the_limit(facts):
    assert pdfbook.check_size(facts) == []


def test_title_page(facts, report):
    first = pdfbook._squash(facts.texts[0])
    assert pdfbook._squash(report["titles"][0].split("—")[0]) in first
    assert "SungKim" in first and report["commit"] in facts.texts[0] and report["date"][:10] in first
    assert ("빠른모드" in first) == report["quick"], "the title page says whether the numbers are quick-mode ones"


def test_solutions_are_in_the_pdf(facts):
    # the site collapses every solution; the PDF prints them (sphinx-exercise's "Solution to ..." title)
    solutions = sum(text.count("Solution") for text in facts.texts)
    assert solutions >= 30, f"only {solutions} solutions found"


def test_pages_rendered_for_people_to_look_at(pdf_path, facts, report, artifacts):
    # the title page, a lecture page with a numbered display formula, a lab page with a figure next to
    # code and output, the results table: each found by what it shows, and drawn to PNG (pdftoppm)
    chosen = pdfbook.pick_pages(facts, report)
    assert set(chosen) == {name for name, _, _ in pdfbook.RENDERED}, f"not found: {chosen}"
    for png in pdfbook.render(pdf_path, artifacts, chosen):
        assert png.stat().st_size > 10_000, f"{png} is (nearly) blank"
