"""The Korean search language (zerotoall_book.sphinx.search_ko): splitter, particle stemmer, JS parity.

The browser tests (tests/browser) check the same stemmer inside the built site's search page;
these run in milliseconds and need no build.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from zerotoall_book.sphinx import search_ko
from zerotoall_book.sphinx.search_ko import SearchKorean, split, stem

# (word as written in a page, stem that the index and the query must share)
KOREAN = [
    ("텐서플로", "텐서플"),
    ("텐서플로를", "텐서플"),
    ("텐서플로의", "텐서플"),
    ("텐서플로에서는", "텐서플"),
    ("하강법", "하강법"),
    ("하강법을", "하강법"),
    ("하강법으로", "하강법"),
    ("신경망이", "신경망"),
    ("신경망과", "신경망"),
    ("신경망에게서", "신경망"),
    ("소프트맥스를", "소프트맥스"),
    ("가중치들은", "가중치"),
    ("데이터부터", "데이터"),
    ("데이터까지의", "데이터"),
    ("모델입니다", "모델"),
    ("최소화하는", "최소화"),
    ("정규화된", "정규화"),
    ("역전파라는", "역전파"),
]

# minimum stem length: two-syllable words that end like a particle stay whole
KEPT = ["결과", "효과", "정의", "경로", "차이", "평가", "속도", "경사", "모델", "미분", "비용"]


@pytest.mark.parametrize("word, expected", KOREAN)
def test_particles_are_stripped(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("word", KEPT)
def test_short_words_keep_a_minimum_stem(word):
    assert stem(word) == word
    assert stem(word + "를") == word and stem(word + "의") == word


def test_query_and_text_meet_at_the_same_stem():
    """A query without a particle finds text that only has the word with particles."""
    for bare in ("텐서플로", "하강법", "신경망", "소프트맥스", "역전파", "경사"):
        forms = [bare + p for p in ("을", "를", "이", "가", "은", "는", "의", "에서", "으로", "와", "과", "도", "만")]
        assert {stem(f) for f in forms} == {stem(bare)}


def test_stem_is_idempotent():
    for word, _ in KOREAN:
        assert stem(stem(word)) == stem(word)


def test_longest_particle_wins():
    assert stem("텐서에서") == "텐서"      # 에서, not 서 (not a particle) nor 에 left behind
    assert stem("모델으로") == "모델"      # 으로
    assert stem("모델이므로") == "모델"    # 이므로, not 로 then 므
    assert search_ko.PARTICLES == tuple(sorted(search_ko.PARTICLES, key=lambda p: (-len(p), p)))


@pytest.mark.parametrize("word, expected", [
    ("softmax", "softmax"), ("XOR", "xor"), ("TensorFlow", "tensorflow"),
    ("running", "run"), ("networks", "network"), ("GradientTape", "gradienttap"),
    ("tf", "tf"), ("x1", "x1"), ("2000", "2000"),
])
def test_english_is_stemmed_like_sphinx_english(word, expected):
    from sphinx.search.en import SearchEnglish

    assert stem(word) == expected == SearchEnglish({}).stem(word)


def test_split_separates_hangul_from_other_scripts():
    assert split("XOR을 텐서플로(TensorFlow)의 tf.GradientTape로 풀기") == [
        "XOR", "을", "텐서플로", "TensorFlow", "의", "tf", "GradientTape", "로", "풀기"]
    assert split("경사 하강법(gradient descent)") == ["경사", "하강법", "gradient", "descent"]
    assert split("x_1과 2개") == ["x_1", "과", "2", "개"]


def test_search_language_filters_particles_and_stop_words():
    lang = SearchKorean({})
    assert lang.lang == "ko"
    words = [lang.stem(w) for w in lang.split("XOR을 the 신경망으로 풀면 정확도가 1.0입니다")]
    kept = [w for w in words if lang.word_filter(w)]
    assert kept == ["xor", "신경망", "풀면", "정확", "1", "0"]


def test_runs_of_particles_are_not_indexed():
    """Sphinx falls back to the unstemmed word when the stem is filtered; 에서는 must not get in."""
    lang = SearchKorean({})
    for word in ("에서는", "으로는", "부터는", "이라는", "를"):
        assert not lang.word_filter(word) and not lang.word_filter(lang.stem(word))
    for word in ("의도", "도로", "결과", "텐서플"):
        assert lang.word_filter(word)


def test_registered_for_ko():
    from sphinx.search import languages

    class App:
        def add_search_language(self, cls):
            languages[cls.lang] = cls

    search_ko.setup(App())
    assert languages["ko"] is SearchKorean


WORDS = [w for w, _ in KOREAN] + KEPT + [
    "softmax", "XOR", "TensorFlow", "running", "networks", "generalization", "텐서플로우", "값을", "층의"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the browser tests check this too)")
def test_javascript_stemmer_and_splitter_agree_with_python():
    js = SearchKorean.js_stemmer_code + SearchKorean.js_splitter_code + f"""
        const s = new Stemmer();
        const words = {json.dumps(WORDS, ensure_ascii=False)};
        console.log(JSON.stringify({{
          stems: words.map((w) => s.stemWord(w.toLowerCase())),
          split: splitQuery("XOR을 텐서플로(TensorFlow)의 tf.GradientTape로 풀기"),
        }}));
    """
    out = subprocess.run(["node", "-e", js], capture_output=True, text=True, check=True, timeout=60).stdout
    result = json.loads(out)
    assert result["stems"] == [stem(w) for w in WORDS]
    assert result["split"] == split("XOR을 텐서플로(TensorFlow)의 tf.GradientTape로 풀기")
