"""Adds the "실행 시간과 무료 GPU" note to the heavy pages while Sphinx reads them.

The pages whose item in ``book/course.yml`` says ``heavy: true`` get the note after their first
code cell and a hidden last cell that glues the run time (:mod:`zerotoall_book.runtime_note`).
The text is changed on Sphinx's ``source-read`` event, before MyST-NB turns it into a notebook,
so the inserted cell is executed (and cached) like the page's own cells. A page whose ``heavy``
flag changes is read again, and every page when the note's wording changes.

Enabled in ``_config.yml`` with ``sphinx: extra_extensions: [zerotoall_book.sphinx.runtime_note]``.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from .. import runtime_note
from ..outline import COURSE_YAML_DEFAULT, CourseError, load_course


def _heavy(app) -> dict[str, str]:
    if not hasattr(app, "_zerotoall_heavy"):
        root = Path(app.srcdir)
        try:
            app._zerotoall_heavy = runtime_note.heavy_pages(root, load_course(root / COURSE_YAML_DEFAULT))
        except CourseError:  # reported by zerotoall_book.sphinx.course; no notes then
            app._zerotoall_heavy = {}
    return app._zerotoall_heavy


def add_note(app, docname: str, source: list[str]) -> None:
    page_id = _heavy(app).get(docname)
    if page_id is not None:
        source[0] = runtime_note.insert(source[0], page_id)


def _outdated(app, env, added, changed, removed):
    """Re-read the pages that became heavy or stopped being heavy since the last build."""
    now = dict(_heavy(app))
    before = getattr(env, "zerotoall_heavy", None)
    env.zerotoall_heavy = now
    if before is None:
        return []
    flipped = set(before.items()) ^ set(now.items())
    return sorted({doc for doc, _ in flipped if doc in env.found_docs and doc not in removed})


def setup(app):
    app.connect("source-read", add_note)
    app.connect("env-get-outdated", _outdated)
    # A new wording of the note or the glue cell changes env_version: Sphinx then reads every page
    # again (jupyter-cache re-executes only what changed in the code cells).
    template = runtime_note.note("id") + runtime_note.glue_cell("id")
    return {"version": "1.0", "env_version": zlib.crc32(template.encode()), "parallel_read_safe": True,
            "parallel_write_safe": True}
