"""Screenshots of the intro, one lecture and one lab in light and dark mode, for people to look at
(CI keeps ``_build/artifacts/screenshots``), and the colour-contrast audit in dark mode.

The XOR chapter (Lec/Lab 09-1) is the book's exemplar, so it is the one photographed; the test
fails if the outline no longer has a page for it.
"""

from __future__ import annotations

import pytest
import sitecheck
from zerotoall_book import outline

EXEMPLAR = {"lecture": "lec09-1", "lab": "lab09-1"}  # item ids of book/course.yml


def screenshot_pages(pages: list[str]) -> dict[str, str]:
    by_id = outline.item_pages()
    missing = [item_id for item_id in EXEMPLAR.values() if item_id not in by_id]
    assert not missing, f"no page for the exemplar chapter {missing}: update EXEMPLAR"
    chosen = {"intro": pages[0]}
    chosen.update({kind: f"{by_id[item_id]}.html" for kind, item_id in EXEMPLAR.items()})
    return chosen


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_screenshots_and_contrast(request, mode, server, pages, artifacts_dir):
    context = request.getfixturevalue("dark_context" if mode == "dark" else "context")
    problems = []
    for name, page in screenshot_pages(pages).items():
        tab = context.new_page()
        try:
            tab.goto(server.url + page)
            if tab.query_selector("script[src*='mathjax']"):
                tab.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
                tab.evaluate("() => MathJax.startup.promise")
            theme = tab.evaluate("() => document.documentElement.dataset.theme")
            if theme != mode:
                problems.append(f"{page}: data-theme is {theme!r}, not {mode!r}")
            tab.screenshot(path=str(artifacts_dir / f"{name}-{mode}.png"), full_page=True)
        finally:
            tab.close()
        if mode == "dark":  # the light pages are audited by test_pages.py
            report = sitecheck.visit(context, server, page)
            problems += [f"{page} (dark): {p}" for p in sitecheck.check_axe(report, sitecheck.AXE_IGNORE)]
    assert not problems, problems
