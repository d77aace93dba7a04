"""Nothing renders as raw markup (issue 14, part 3): on the built pages and in the notebooks.

A reader must never see Markdown or MyST syntax: ``**`` that CommonMark could not close (the Korean
trap ``**합성곱 층(convolution layer)**을``) or a lone ``*``, ``__``, a stray backtick, ``:::``, an unresolved role
(``{doc}``, ``{ref}``, ``{term}``, ``{glue:text}``...) or ``$$`` outside math. Two places are checked:

* the built HTML of every page in ``_toc.yml``: the article's text outside code, outputs and math;
* the markdown cells of the generated notebooks (``make notebooks``, what Colab opens), rendered with
  markdown-it-py as CommonMark with tables and dollar math, as Jupyter and Colab do.

The sources are pre-checked in seconds by ``tests/content/integrity.py`` (rule ``raw-markup``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from zerotoall_book import notebooks, outline

ROOT = Path(__file__).resolve().parents[2]
#: what a reader must never see in rendered text
RAW = re.compile(
    r"\*\*|(?<![\s*])\*(?!\*)|(?<!\*)\*(?![\s*])|__|`|:::|\$\$"
    r"|\{(?:doc|ref|numref|term|eq|math|download|abbr|sub|sup|kbd|glue(?::\w+)?|code-cell|[a-z-]+)\}"
)
#: the parts of a built page that are not prose: code, outputs, math, scripts
NOT_PROSE = ", ".join([
    "pre", "code", "div.highlight", "div.cell_input", "div.cell_output", "div.output",
    ".math", "mjx-container", "script", "style", "kbd", "samp", ".MathJax",
])


def raw_in_html(html: str) -> list[str]:
    """Raw-markup hits (with context) in the article text of one built page."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup.select_one("main") or soup
    for node in article.select(NOT_PROSE):
        node.decompose()
    return [hit for string in article.find_all(string=True) for hit in _hits(str(string))]


def _hits(text: str) -> list[str]:
    """One line per kind of raw markup in a piece of rendered text (both halves of a broken **...** are one)."""
    out, seen = [], set()
    for m in RAW.finditer(text):
        if m.group(0) not in seen:
            seen.add(m.group(0))
            context = " ".join(text[max(0, m.start() - 30): m.end() + 40].split())
            out.append(f"{m.group(0)!r} in \"{context}\"")
    return out


_COLAB = MarkdownIt("commonmark").enable("table").enable("strikethrough").use(dollarmath_plugin)


def raw_in_markdown(text: str) -> list[str]:
    """Raw-markup hits in one markdown cell, rendered as Colab and Jupyter render it: CommonMark with
    tables and $-math. Only text is looked at: not code spans, code blocks, math or raw HTML."""
    hits = []
    for tok in _COLAB.parse(text):
        if tok.type != "inline":
            continue
        for child in tok.children or []:
            if child.type == "text":
                hits += _hits(child.content)
    return hits


@pytest.mark.parametrize("doc", outline.book_files(ROOT))
def test_built_page_shows_no_raw_markup(site_dir, doc):
    page = site_dir / ("index.html" if doc == "index" else f"{doc}.html")
    assert page.exists(), f"{doc} was not built"
    hits = raw_in_html(page.read_text(encoding="utf-8"))
    assert not hits, f"{doc}.html shows raw markup (README, 'Authoring rules'):\n  " + "\n  ".join(hits)


@pytest.mark.parametrize("doc", outline.pages(ROOT))
def test_notebook_markdown_shows_no_raw_markup(notebooks_dir, doc):
    path = notebooks_dir / notebooks.notebook_relpath(doc)
    assert path.exists(), f"{path} was not generated"
    nb = nbformat.read(path, as_version=4)
    hits = [f"cell {n}: {hit}" for n, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
            for hit in raw_in_markdown(cell.source)]
    assert not hits, f"{doc}.ipynb renders raw markup in Colab:\n  " + "\n  ".join(hits)


# --------------------------------------------------------------------------- the check bites


def test_the_html_check_bites():
    clean = ('<article><p><strong>합성곱 층</strong>(convolution layer)을 씁니다. <code>a**b</code> '
             '<span class="math">$$x$$</span></p><div class="cell_output"><pre>**</pre></div></article>')
    assert raw_in_html(clean) == []
    for planted in ("**합성곱 층(convolution layer)**을", "*용어(term)*을", "{term}`에폭`", "::: {note}", "a `b", "$$ x",
                    "__init"):
        assert raw_in_html(f"<article><p>{planted}</p></article>"), planted


def test_the_notebook_check_bites():
    assert raw_in_markdown("**합성곱 층**(convolution layer)을 씁니다. `a**b`, $a_1 * b_1$, <b>굵게</b>") == []
    for planted in ("**합성곱 층(convolution layer)**을", "*용어(term)*을", "{term}`에폭`마다", ":::{note}\n본문\n:::", "a `b", "x__y"):
        assert raw_in_markdown(planted), planted
