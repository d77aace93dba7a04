"""The browser checks bite: on a fixture site with one of every problem they look for
(tests/browser/fixtures/site/broken.html) each check reports it, and on a clean fixture page
(good.html, with MathJax from the routed CDN URL) none does. Runs in the same session as the
checks on the book, with the same browser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sitecheck

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"


@pytest.fixture(scope="module")
def fixture_reports(browser):
    server = sitecheck.serve(FIXTURES)
    context = sitecheck.new_context(browser, server)
    try:
        reports = sitecheck.visit_many(context, server, ["good.html", "broken.html"])
    finally:
        context.close()
        server.close()
    return server, reports


def problems(check: str, report, server):
    fn = getattr(sitecheck, check)
    return fn(report, server) if check in ("check_links", "check_images") else fn(report)


ALL_CHECKS = ["check_loaded", "check_links", "check_images", "check_alt_text", "check_math",
              "check_copy_buttons", "check_headings", "check_axe"]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_clean_page_passes(fixture_reports, check):
    server, reports = fixture_reports
    assert problems(check, reports["good.html"], server) == []


def test_clean_page_rendered_math_through_the_local_mathjax(fixture_reports):
    _, reports = fixture_reports
    assert reports["good.html"].dom["mathRendered"] == 2


@pytest.mark.parametrize("check, expected", [
    ("check_loaded", ["console error: a deliberate console error",
                      "missing-figure.png: HTTP 404",
                      "request left the machine (offline site?): https://example.com/remote.png"]),
    ("check_links", ["broken link", "no-such-page.html", "no id 'no-such-id' in good.html"]),
    ("check_images", ["broken image", "missing-figure.png"]),
    ("check_alt_text", ["figure.svg has no alt attribute"]),
    ("check_math", ["raw TeX in the text", "$$ H(x) = Wx + b $$"]),
    ("check_copy_buttons", ["code block without a copy button", "no copy button"]),
    ("check_headings", ["skipped heading level h1 -> h3"]),
    ("check_axe", ["color-contrast", "image-alt", "button-name"]),
])
def test_broken_page_fails(fixture_reports, check, expected):
    server, reports = fixture_reports
    found = problems(check, reports["broken.html"], server)
    text = "\n".join(found)
    missing = [e for e in expected if e not in text]
    assert found and not missing, f"{check} should report {missing}; reported {found}"


def test_ignore_list_is_narrow(fixture_reports):
    """Ignoring a rule for theme elements does not hide the same rule elsewhere."""
    _, reports = fixture_reports
    broken = reports["broken.html"]
    assert sitecheck.check_axe(broken, {"color-contrast": ("theme-switch-button",)})
    assert not any("color-contrast" in p for p in sitecheck.check_axe(broken, {"color-contrast": ("<p",)}))


def test_code_token_contrast_check_bites(browser, tmp_path):
    """A token class coloured too light is reported; the classes with enough contrast are not."""
    css = tmp_path / "pygments.css"
    css.write_text('html[data-theme="light"] .highlight .k { color: #dddddd } /* Keyword */\n'
                   'html[data-theme="dark"] .highlight .k { color: #dddddd }\n'
                   'html[data-theme="light"] .highlight .n { color: #080808 }\n'
                   'html[data-theme="light"] .highlight .hll { background-color: #fae4c2 }\n', encoding="utf-8")
    assert sitecheck.pygments_token_classes(css, "light") == ["k", "n"]
    assert sitecheck.pygments_token_classes(css, "dark") == ["k"]
    server = sitecheck.serve(FIXTURES)
    context = sitecheck.new_context(browser, server)
    try:
        bad, checked_bad = sitecheck.check_code_token_contrast(context, server, "tokens.html", ["k", "n"])
        good, checked_good = sitecheck.check_code_token_contrast(context, server, "tokens.html", ["n"])
        none, _ = sitecheck.check_code_token_contrast(context, server, "good.html", ["n"])
        nothing, _ = sitecheck.check_code_token_contrast(context, server, "broken.html", ["k"])
    finally:
        context.close()
        server.close()
    assert checked_bad == 2 and len(bad) == 1 and "token_k" in bad[0], bad
    assert checked_good == 1 and good == []
    assert none == [] and nothing == []


def test_page_audit_leaves_only_token_colours_to_the_token_check(browser):
    """The per-page audit does not report the too-light keyword of tokens.html (the token check
    does, above); contrast outside code is still reported (test_broken_page_fails)."""
    server = sitecheck.serve(FIXTURES)
    context = sitecheck.new_context(browser, server)
    try:
        reports = sitecheck.visit_many(context, server, ["tokens.html"])
    finally:
        context.close()
        server.close()
    assert sitecheck.check_axe(reports["tokens.html"]) == []
