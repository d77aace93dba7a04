"""The book's search page, as a learner uses it: English and Korean queries find the pages that
contain them, also when the Korean word only appears with a particle attached (텐서플로를, 텐서플로의).

The expected pages are read off the built pages' text (not hard-coded), so the tests keep
working while chapters change; a query whose words appear on no page fails (a query that finds
nothing to expect would test nothing).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from zerotoall_book import outline
from zerotoall_book.sphinx import search_ko
from bs4 import BeautifulSoup

QUERIES = ["XOR", "softmax", "경사 하강법", "텐서플로"]

#: Korean words to look for in the text only with a particle attached, and the particles
#: (an independent list: the test does not use the stemmer to decide what it expects).
PARTICLE_WORDS = ["텐서플로", "경사", "하강법", "신경망", "소프트맥스", "역전파", "가중치", "텐서", "손실", "모델"]
PARTICLES = ["을", "를", "이", "가", "은", "는", "의", "에", "에서", "으로", "로", "와", "과", "도", "만",
             "에서는", "으로는", "로는", "이다", "입니다", "에게", "까지", "부터"]


@pytest.fixture(scope="session")
def tokens(site_dir, pages) -> dict[str, set[str]]:
    """Lower-case words of each page's article text, Hangul split from other scripts."""
    out = {}
    for page in pages:
        html = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")
        article = html.select_one("article")
        for tag in article.select("script, style"):
            tag.decompose()
        out[page] = {w.lower() for w in search_ko.split(article.get_text(" "))}
    return out


@pytest.fixture(scope="session")
def search_tab(context, server):
    tab = context.new_page()
    tab.goto(server.url + "search.html")
    tab.wait_for_function("() => typeof Search !== 'undefined' && Search.hasIndex()")
    yield tab
    tab.close()


def run_search(context, server, query: str) -> list[str]:
    """Type-free search: open search.html?q=..., wait for the result list, return page paths."""
    tab = context.new_page()
    try:
        tab.goto(server.url + "search.html?q=" + quote(query))
        tab.wait_for_function(
            "() => { const s = document.querySelector('#search-results p.search-summary');"
            " return s && s.innerText.trim().length > 0; }", timeout=30000)
        hrefs = tab.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    finally:
        tab.close()
    return sorted({h.split("?")[0].split("#")[0][len(server.url):] for h in hrefs})


def _has(tokens: set[str], word: str) -> bool:
    word = word.lower()
    return any(t.startswith(word) for t in tokens)


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_the_pages_that_contain_the_query(context, server, tokens, query):
    expected = {p for p, words in tokens.items() if all(_has(words, w) for w in query.split())}
    assert expected, f"no page contains {query!r}: choose a query the book uses"
    found = run_search(context, server, query)
    assert expected <= set(found), f"{query!r}: not found {sorted(expected - set(found))}; found {found}"


def test_korean_words_with_particles_only_are_found(context, server, tokens, search_tab):
    """Pages that write a word only with a particle attached are found by the bare word, through
    an exact entry of the search index (not only through Sphinx's substring fallback)."""
    cases = {}
    for word in PARTICLE_WORDS:
        only_with_particles = {
            page for page, words in tokens.items()
            if word not in words and any(word + p in words for p in PARTICLES)
        }
        if only_with_particles:
            cases[word] = only_with_particles
    assert cases, "no page writes these words only with particles attached: extend PARTICLE_WORDS"
    problems = []
    for word, expected in sorted(cases.items()):
        found = set(run_search(context, server, word))
        if not expected <= found:
            problems.append(f"{word}: search misses {sorted(expected - found)}")
        indexed = search_tab.evaluate(
            """(word) => {
                 const stem = new Stemmer().stemWord(word.toLowerCase());
                 // Sphinx files a word under titleterms instead of terms when a heading has it too
                 const files = [].concat(Search._index.terms[stem] ?? [], Search._index.titleterms[stem] ?? []);
                 return files.map((i) => Search._index.docnames[i] + ".html");
               }""", word)
        if not expected <= set(indexed):
            problems.append(f"{word}: the index has no exact entry for its stem on {sorted(expected - set(indexed))}")
    assert not problems, problems


def test_site_uses_the_korean_search_language(search_tab):
    assert search_tab.evaluate("() => typeof KoreanParticles !== 'undefined' && KoreanMinStem") == search_ko.MIN_STEM


def test_browser_stemmer_and_splitter_match_the_index_builder(search_tab):
    words = ["텐서플로", "텐서플로를", "텐서플로에서는", "하강법으로", "결과", "정확도가", "가중치들은",
             "최소화하는", "softmax", "Softmaxes", "XOR", "running", "TensorFlow", "x_1"]
    stems = search_tab.evaluate("(ws) => ws.map((w) => new Stemmer().stemWord(w.toLowerCase()))", words)
    assert stems == [search_ko.stem(w) for w in words]
    text = "XOR을 텐서플로(TensorFlow)의 tf.GradientTape로 풀기"
    assert search_tab.evaluate("(t) => splitQuery(t)", text) == search_ko.split(text)


def test_search_index_holds_stems_not_inflected_words(site_dir):
    text = (site_dir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[len("Search.setIndex("):-1])
    terms = {t for t, files in index["terms"].items() if files != []}
    assert terms, "empty search index"
    inflected = [t for t in terms if re.fullmatch("[\uac00-\ud7a3]+", t) and search_ko.stem(t) != t]
    assert not inflected, f"index terms that still carry particles: {sorted(inflected)[:10]}"


def test_search_from_any_page(context, server, pages):
    """The search box in a page's header leads to the same results."""
    lecture = next(p for p in pages if outline.is_page(p))
    tab = context.new_page()
    try:
        tab.goto(server.url + lecture)
        tab.keyboard.press("Control+k")
        box = tab.locator("#pst-search-dialog input[name=q]")
        box.fill("XOR")
        box.press("Enter")
        tab.wait_for_url(re.compile(r".*/search\.html\?q=XOR.*"))
        tab.wait_for_selector("#search-results ul.search li a")
    finally:
        tab.close()
