"""Korean-aware full-text search for the book (a Sphinx search language for ``ko``).

Sphinx has no Korean search language: with ``language: ko`` it falls back to English, which
keeps ``텐서플로를`` and ``텐서플로의`` as words of their own, so a reader who searches for
``텐서플로`` misses every page that only writes the word with a particle (조사) attached.

This extension registers :class:`SearchKorean` for ``ko``. Python (the index, at build time)
and JavaScript (the query, in the reader's browser) do the same two things:

* **split**: words are runs of letters, digits and ``_`` (as Sphinx does), then split again
  where Hangul meets another script, so ``XOR을`` gives ``XOR`` and ``을``;
* **stem**: a word of Hangul syllables loses its trailing particles and a few common
  ``하다``/``되다`` endings, longest match first, repeatedly, as long as at least
  :data:`MIN_STEM` syllables remain (``텐서플로를`` -> ``텐서플로`` -> ``텐서플``; ``결과`` stays).
  Repeating makes the stem idempotent, so a query and an indexed word meet at the same stem
  whether or not they carry a particle. Any other word (English, identifiers, numbers) gets
  Sphinx's English Porter stemmer, exactly as with ``language: en``.

Standalone particles and English stop words are not indexed.

The stemmer is a heuristic, not a morphological analyser: it may also shorten a noun whose
last syllable looks like a particle (``정확도`` -> ``정확``), which is harmless for search
because the index and the query are stemmed alike. ``tests/tools/test_search_ko.py`` checks the
Python side, and the browser tests check that the JavaScript side gives the same stems.
"""

from __future__ import annotations

import json
import re

import snowballstemmer
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords, js_porter_stemmer

__all__ = ["PARTICLES", "MIN_STEM", "SearchKorean", "split", "stem", "setup"]

#: Trailing particles (조사), the copula and a few 하다/되다 endings, stripped from Hangul words.
#: Combinations of entries (에서 + 는, 들 + 을) need no entry of their own: stripping repeats.
PARTICLES: tuple[str, ...] = tuple(sorted({
    # case and auxiliary particles
    "이", "가", "을", "를", "은", "는", "의", "에", "로", "와", "과", "도", "만", "께",
    "에서", "으로", "에게", "에게서", "한테", "한테서", "까지", "부터", "보다", "처럼", "마다", "조차", "마저",
    "만큼", "이나", "이랑", "로서", "로써", "께서",
    # plural suffix
    "들",
    # copula
    "이다", "입니다", "이며", "이고", "이면", "이라", "이란", "라는", "라고", "이므로", "이지만", "인데",
    # 하다 / 되다 endings: 최소화하는, 학습한다, 정규화된
    "하는", "하고", "하면", "하여", "하기", "하지", "한다", "합니다", "했다", "해서", "하게", "한",
    "되는", "되고", "된다", "됩니다", "되어", "된",
}, key=lambda p: (-len(p), p)))

#: A stem keeps at least this many syllables: 결과 (result) never becomes 결.
MIN_STEM = 2

# Hangul syllables, jamo and compatibility jamo (regex class body, as escapes for Python and JS).
HANGUL_JS = r"\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff"
HANGUL = HANGUL_JS.encode("ascii").decode("unicode_escape")
_WORD_RE = re.compile(r"\w+")
_SCRIPT_RUN_RE = re.compile(f"[{HANGUL}]+|[^{HANGUL}]+")
_SYLLABLES_RE = re.compile("^[\uac00-\ud7a3]+$")
_porter = snowballstemmer.stemmer("porter")


def split(text: str) -> list[str]:
    """Words of ``text``, with Hangul runs separated from other scripts (``XOR을`` -> XOR, 을)."""
    return [run for word in _WORD_RE.findall(text) for run in _SCRIPT_RUN_RE.findall(word)]


def stem(word: str) -> str:
    """The search stem of one word from :func:`split` (lower case)."""
    word = word.lower()
    if not _SYLLABLES_RE.match(word):
        return _porter.stemWord(word)
    stripped = True
    while stripped:
        stripped = False
        for particle in PARTICLES:  # longest first
            if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM:
                word = word[: -len(particle)]
                stripped = True
                break
    return word


_JS_TEMPLATE = r"""
/**
 * Korean-aware stemmer (zerotoall_book/sphinx/search_ko.py): strips trailing particles from Hangul words,
 * Porter stemmer for everything else. Must give the same stems as the Python side.
 */
%(porter)s

var KoreanParticles = %(particles)s;
var KoreanMinStem = %(min_stem)d;

var Stemmer = function() {
  var porter = new PorterStemmer();
  var syllables = /^[\uac00-\ud7a3]+$/;
  this.stemWord = function(w) {
    w = w.toLowerCase();
    if (!syllables.test(w)) return porter.stemWord(w);
    var stripped = true;
    while (stripped) {
      stripped = false;
      for (var i = 0; i < KoreanParticles.length; i++) {
        var p = KoreanParticles[i];
        if (w.length - p.length >= KoreanMinStem && w.slice(-p.length) === p) {
          w = w.slice(0, w.length - p.length);
          stripped = true;
          break;
        }
      }
    }
    return w;
  };
};
"""

_JS_SPLITTER = r"""
/* Korean-aware query splitter (zerotoall_book/sphinx/search_ko.py): words as Sphinx splits them, then
   Hangul runs separated from other scripts, as the Python side does. */
function splitQuery(query) {
  var out = [];
  query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).forEach(function(word) {
    (word.match(/[%(hangul)s]+|[^%(hangul)s]+/gu) || []).forEach(function(run) { out.push(run); });
  });
  return out;
}
""".replace("%(hangul)s", HANGUL_JS)


class SearchKorean(SearchLanguage):
    """Sphinx search language ``ko``: see the module docstring."""

    lang = "ko"
    language_name = "Korean"
    stopwords = set(english_stopwords) | set(PARTICLES)
    js_stemmer_code = _JS_TEMPLATE % {
        "porter": js_porter_stemmer.replace("var Stemmer = function", "var PorterStemmer = function", 1),
        "particles": json.dumps(list(PARTICLES), ensure_ascii=False),
        "min_stem": MIN_STEM,
    }
    js_splitter_code = _JS_SPLITTER

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        return split(input)

    def stem(self, word: str) -> str:
        return stem(word)

    def word_filter(self, word: str) -> bool:
        # Sphinx indexes the unstemmed word when its stem is filtered out; a run of particles
        # (에서는 -> 에서) must not slip in that way.
        return bool(word) and word not in self.stopwords and stem(word) not in self.stopwords


def setup(app):
    app.add_search_language(SearchKorean)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
