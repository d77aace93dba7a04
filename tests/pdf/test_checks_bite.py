"""The PDF checks catch what they are for: small fixture pages printed by the same Chromium.

* a page with a raw ``$$`` (and a literal ``**``) in its prose fails ``check_raw_markup``, while the
  same markup inside a code block does not;
* a Korean page printed with a font configuration that has no Korean font fails ``check_hangul``
  (tofu), and the same page printed normally passes;
* a page with a table wider than the paper (which makes Chromium shrink the whole document) fails
  ``check_scale``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import pdfbook

KOREAN = "경사 하강법은 비용 함수의 기울기를 따라 가중치를 조금씩 바꾸는 방법입니다. " * 4


def page(body: str) -> str:
    return f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<style>html {{ font-size: 10pt; }} body {{ font-family: "NanumBarunGothic", sans-serif; }} pre {{ font-family: "DejaVu Sans Mono", monospace; }}</style>
</head><body><h1>연습 페이지</h1>{body}</body></html>"""


FIXTURES = {
    "clean": page(f"<p>{KOREAN}</p><pre>loss = (h - y) ** 2  # $$ in code is fine</pre>"),
    "planted": page(f"<p>{KOREAN} 비용은 $$\\frac{{1}}{{m}}$$ 입니다. **굵게**가 안 된 글자.</p>"),
    "order": page("<h2>둘째 장</h2><p>본문</p><h2>첫째 장</h2><p>본문</p>"),
    "plain": "<p>no headings, no bookmarks</p>",
    "wide": page(f"<p>{KOREAN}</p><table><tr><td style='white-space: nowrap'>{'W = tf.Variable(0.0) ' * 12}</td></tr></table>"),
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict:
    """Every fixture page printed once, by one Chromium: name -> Facts."""
    folder = tmp_path_factory.mktemp("printed")
    jobs = [(html, folder / f"{name}.pdf") for name, html in FIXTURES.items()]
    pdfbook.print_many(jobs, folder, header="fixture")
    return {name: pdfbook.read_pdf(folder / f"{name}.pdf") for name in FIXTURES}


@pytest.fixture(scope="module")
def no_korean_fonts(tmp_path_factory) -> dict:
    """Chromium's environment with a fontconfig that knows only the DejaVu fonts."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.fail("DejaVu fonts missing (Debian's fonts-dejavu-core, a dependency of chromium)")
    folder = tmp_path_factory.mktemp("fontconfig")
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{dejavu}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>""", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def test_raw_dollars_in_prose_fail(printed):
    assert pdfbook.check_raw_markup(printed["clean"]) == []
    problems = pdfbook.check_raw_markup(printed["planted"])
    assert any("'$$'" in p for p in problems), problems
    assert any("'**'" in p for p in problems), problems


def test_missing_korean_font_fails(printed, tmp_path, no_korean_fonts):
    assert pdfbook.check_hangul(printed["clean"], min_chars=50) == []
    out = tmp_path / "without-font.pdf"
    pdfbook.print_html(FIXTURES["clean"], tmp_path, out, header="fixture", env=no_korean_fonts)
    tofu = pdfbook.read_pdf(out)
    problems = pdfbook.check_hangul(tofu, min_chars=50)
    assert any("no embedded CJK/Korean font" in p for p in problems), problems


def test_missing_title_and_order_fail(printed):
    facts = printed["order"]
    assert pdfbook.check_titles(facts, ["연습 페이지", "둘째 장", "첫째 장"]) == []
    problems = pdfbook.check_titles(facts, ["연습 페이지", "첫째 장", "둘째 장", "없는 장"])
    assert any("없는 장" in p for p in problems) and any("둘째 장" in p for p in problems), problems


def test_shrunk_pages_fail(printed):
    # a table wider than the page: Chromium shrinks the whole document, the text gets smaller
    assert pdfbook.check_scale(printed["clean"]) == []
    problems = pdfbook.check_scale(printed["wide"])
    assert any("shrank" in p for p in problems), problems


def test_no_bookmarks_and_too_big_fail(printed):
    facts = printed["plain"]
    assert pdfbook.check_bookmarks(facts, [], []) == ["the PDF has no bookmarks"]
    assert pdfbook.check_size(facts, limit=facts.bytes) != []
    assert pdfbook.check_images(facts, figures=1) != []
