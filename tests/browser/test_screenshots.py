"""Screenshots of the intro, one lecture and one lab in light and dark mode, for people to look at
(CI keeps ``_build/artifacts/screenshots``), and the colour-contrast audit in dark mode.

The XOR chapter (Lec/Lab 09-1) is the book's exemplar; if it is missing, the first lecture and lab
of the toc stand in.
"""

from __future__ import annotations

import pytest
import sitecheck

PREFERRED = {"lecture": "lectures/lec09-1-xor-deep-learning.html", "lab": "labs/lab09-1-xor-nn.html"}


def screenshot_pages(pages: list[str]) -> dict[str, str]:
    chosen = {"intro": pages[0]}
    for kind, folder in (("lecture", "lectures/"), ("lab", "labs/")):
        if PREFERRED[kind] in pages:
            chosen[kind] = PREFERRED[kind]
        elif any(p.startswith(folder) for p in pages):
            chosen[kind] = next(p for p in pages if p.startswith(folder))
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
