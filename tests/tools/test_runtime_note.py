"""The heavy pages' run-time note is added by the tooling, not typed into the pages (issue 16, part 5).

The generated notebooks are checked in tests/tools/test_notebooks.py
(test_heavy_pages_get_the_run_time_note), the built pages in tests/site/test_runtime_note.py.
"""

from __future__ import annotations

import textwrap
from types import SimpleNamespace

import pytest

from zerotoall_book import outline, runtime_note
from zerotoall_book.outline import ROOT
from zerotoall_book.sphinx import runtime_note as sphinx_note

PAGE = textwrap.dedent("""\
    ---
    jupytext:
      text_representation: {extension: .md, format_name: myst}
    ---
    # Lab 99

    ```{code-cell} ipython3
    import zerotoall as zta
    QUICK = zta.quick_mode()
    ```

    ````{code-cell} ipython3
    print("```")
    ````

    Text.
    """)


def test_note_after_the_first_code_cell_and_glue_cell_last():
    text = runtime_note.insert(PAGE, "lab99")
    first_cell_end = PAGE.index("QUICK = zta.quick_mode()\n```\n") + len("QUICK = zta.quick_mode()\n```\n")
    assert text.startswith(PAGE[:first_cell_end] + "\n```{admonition} " + runtime_note.NOTE_TITLE)
    assert "{glue:md}`lab99-runtime`" in text
    assert text.endswith('```{code-cell} ipython3\n:tags: [remove-cell]\n\n'
                         'zta.glue_run_time("lab99")  # how long this page ran: the "실행 시간과 무료 GPU" note\n```\n')
    assert PAGE[first_cell_end:].rstrip() in text, "the page's own text is kept as it is"


def test_a_page_without_code_or_with_the_note_typed_in_is_refused():
    with pytest.raises(ValueError, match="no code cell"):
        runtime_note.insert("# Lecture\n\nText only.\n", "lec99")
    with pytest.raises(ValueError, match="already has"):
        runtime_note.insert(runtime_note.insert(PAGE, "lab99"), "lab99")


def test_the_heavy_flag_of_the_outline():
    heavy = runtime_note.heavy_pages(ROOT)
    assert sorted(heavy.values()) == ["lab10", "lab11-2", "lab11-3", "lec10-1", "lec10-2", "lec10-3"]
    for docname in heavy:  # no page types the note itself
        assert runtime_note.NOTE_TITLE not in (ROOT / f"{docname}.md").read_text(encoding="utf-8"), docname


def test_the_schema_takes_only_a_boolean(tmp_path):
    course = (ROOT / "book" / "course.yml").read_text(encoding="utf-8")
    broken = tmp_path / "course.yml"
    broken.write_text(course.replace("\n        heavy: true\n", "\n        heavy: very\n", 1), encoding="utf-8")
    with pytest.raises(outline.CourseError, match="heavy"):
        outline.load_course(broken)


def test_sphinx_inserts_on_source_read_and_rereads_a_flipped_page():
    app = SimpleNamespace(srcdir=str(ROOT))
    heavy_doc = next(doc for doc, page_id in runtime_note.heavy_pages(ROOT).items() if page_id == "lab10")
    source = [(ROOT / f"{heavy_doc}.md").read_text(encoding="utf-8")]
    sphinx_note.add_note(app, heavy_doc, source)
    assert source[0] == runtime_note.insert((ROOT / f"{heavy_doc}.md").read_text(encoding="utf-8"), "lab10")
    other = ["```{code-cell} ipython3\nx = 1\n```\n"]
    sphinx_note.add_note(app, "labs/lab05-logistic-classification", other)
    assert other == ["```{code-cell} ipython3\nx = 1\n```\n"]

    env = SimpleNamespace(found_docs={heavy_doc, "labs/lab05-logistic-classification"})
    assert sphinx_note._outdated(app, env, set(), set(), set()) == [], "first build: nothing to compare"
    assert sphinx_note._outdated(app, env, set(), set(), set()) == []
    app._zerotoall_heavy = {}  # lab10 no longer heavy
    assert sphinx_note._outdated(app, env, set(), set(), set()) == [heavy_doc]
