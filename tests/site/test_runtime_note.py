"""The built heavy pages show the run-time note with the time the build measured (issue 16, part 5).

The note and the hidden glue cell are inserted by zerotoall_book.sphinx.runtime_note; here the
built page must show the note once, with the glued phrase (date, TensorFlow version, mode,
device, minutes) in place of the {glue:md} role, and no page that is not heavy may show it.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from zerotoall_book import outline, runtime_note
from zerotoall_book.outline import ROOT

HEAVY = runtime_note.heavy_pages(ROOT)
PHRASE = re.compile(r"\d{4}-\d\d-\d\d에 TensorFlow \S+으로, (전체 모드로|빠른 모드\(ZEROTOALL_QUICK\)로), "
                    r"(CPU \d+코어|GPU\(.+?\))에서 \d+\.\d분")


def _notes(site_dir, doc):
    html = BeautifulSoup((site_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    return [div for div in html.select("div.admonition")
            if (title := div.select_one(".admonition-title")) and title.get_text(strip=True) == runtime_note.NOTE_TITLE]


@pytest.mark.parametrize("doc", sorted(HEAVY))
def test_heavy_page_shows_its_measured_run_time(site_dir, doc):
    notes = _notes(site_dir, doc)
    assert len(notes) == 1, f"{doc}: expected one {runtime_note.NOTE_TITLE!r} note, found {len(notes)}"
    text = notes[0].get_text(" ", strip=True)
    assert PHRASE.search(text), f"{doc}: no glued run time in the note: {text[:300]}"
    assert "Colab" in text and "Kaggle" in text


def test_other_pages_have_no_note(site_dir):
    for doc in outline.pages(ROOT):
        if doc not in HEAVY:  # a text search: parsing every page would take seconds
            assert runtime_note.NOTE_TITLE not in (site_dir / f"{doc}.html").read_text(encoding="utf-8"), doc
