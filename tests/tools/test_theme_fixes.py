"""zerotoall_book.sphinx.theme_fixes: duplicate scripts dropped, hidden-cell summaries named by their text."""

from __future__ import annotations

from sphinx.builders.html._assets import _JavaScript
from zerotoall_book.sphinx import theme_fixes


def test_duplicate_inline_scripts_are_dropped():
    body = 'const THEBE_JS_URL = "x"'
    scripts = [_JavaScript("_static/a.js"), _JavaScript(None, body=body), _JavaScript("", body=body),
               _JavaScript("_static/a.js"), _JavaScript("_static/b.js", defer="defer")]
    context = {"script_files": scripts}
    theme_fixes.dedupe_scripts(None, "p", "page.html", context, None)
    assert [(str(s.filename or ""), s.attributes) for s in context["script_files"]] == [
        ("_static/a.js", {}), ("", {"body": body}), ("_static/b.js", {"defer": "defer"})]
    assert context["script_files"] is scripts  # edited in place, as the builder expects


def test_hidden_cell_summaries_lose_the_english_label():
    context = {"body": '<details class="hide"><summary aria-label="Toggle hidden content">\n<p>코드 셀 보기</p>'}
    theme_fixes.name_summaries_by_their_text(None, "p", "page.html", context, None)
    assert context["body"] == '<details class="hide"><summary>\n<p>코드 셀 보기</p>'


def test_title_goes_next_to_the_logo():
    class Config:
        html_logo = "book/_static/logo.svg"
        html_title = "모두를 위한 딥러닝 시즌 1 · TensorFlow 2"
        html_theme_options = {"use_repository_button": True}

    theme_fixes.show_title_next_to_logo(None, Config)
    assert Config.html_theme_options == {"use_repository_button": True, "logo": {"text": Config.html_title}}
