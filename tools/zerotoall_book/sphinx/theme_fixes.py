"""Small fixes to the HTML that the book's toolchain writes, found by the browser tests, and
the one theme option that Jupyter Book's ``_config.yml`` cannot pass.

* **Title next to the logo.** With ``logo:`` set, pydata-sphinx-theme shows only the image in the
  sidebar unless the theme option ``logo.text`` is given, and Jupyter Book builds
  ``html_theme_options`` itself (a ``sphinx: config: html_theme_options`` entry would replace the
  repository and issue buttons). The book's title goes there, so the sidebar shows both.

* **Duplicate inline scripts.** sphinx-thebe 0.3.1 adds its configuration as an inline
  ``<script>const THEBE_JS_URL = ...</script>`` with ``app.add_js_file(None, body=...)``. Under
  Sphinx 7.4 the builder keeps both the ``None`` and the ``''`` file name of that script (they do
  not compare equal), so every page carries the script twice and the browser reports
  ``Uncaught SyntaxError: Identifier 'THEBE_JS_URL' has already been declared`` on every page
  (also in a bare ``jupyter-book create`` book). This extension drops exact duplicates (same
  file, same attributes, same body) from each page's script list.

* **English label on hidden code cells.** myst-nb writes
  ``<summary aria-label="Toggle hidden content">`` around the "코드 셀 보기" prompt of every
  ``hide-input`` cell, so screen readers announce an English label that differs from the visible
  Korean text (axe-core: label-content-name-mismatch, WCAG 2.5.3). Without the attribute the
  summary is named by its visible prompt.

The theme's colour mode (``html_context: default_mode`` in ``_config.yml``) is the other fix for a
console error on every page; ``tests/browser`` fails if either comes back.
"""

from __future__ import annotations


def _key(script) -> tuple:
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique  # the builder restores its own list after each page


_SUMMARY = '<summary aria-label="Toggle hidden content">'


def name_summaries_by_their_text(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and _SUMMARY in body:
        context["body"] = body.replace(_SUMMARY, "<summary>")


def show_title_next_to_logo(app, config) -> None:
    options = config.html_theme_options
    if config.html_logo and isinstance(options, dict):
        logo = options.setdefault("logo", {})
        if isinstance(logo, dict):
            logo.setdefault("text", config.html_title)


def setup(app):
    app.connect("config-inited", show_title_next_to_logo)
    # late, after the extensions that add page-specific scripts
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("html-page-context", name_summaries_by_their_text)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
