"""Launch and download buttons for every lecture and lab page.

sphinx-book-theme's stock launch buttons link to the page's ``.md`` source, which Colab cannot
open, and its ".ipynb" download is the *executed* notebook of the build. This extension
replaces both with the notebooks that :mod:`zerotoall_book.notebooks` generates (the same code ``make
notebooks`` runs for the ``notebooks`` branch):

* a rocket menu with "Colab에서 열기" and "Binder에서 열기", pointing at the page's notebook on
  the ``notebooks`` branch of the repository named by ``repository.url`` in ``_config.yml``;
* the download menu's ``.ipynb`` entry, which serves the generated notebook (setup cell first,
  no outputs): the file ``make notebooks`` wrote (config ``zerotoall_notebooks_dir``, default
  ``_build/notebooks``), copied next to the page's sources in the built site, so the download
  and the ``notebooks`` branch are the same file.

Enabled in ``_config.yml`` with ``sphinx: extra_extensions: [zerotoall_book.sphinx.launch]``; the theme's
own ``launch_buttons`` stay off.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.util import logging

from .. import notebooks
from ..outline import is_page

LOGGER = logging.getLogger(__name__)
DOWNLOAD_DIR = "_sources"  # the theme's download menu links into this folder


def _settings(app) -> notebooks.Settings:
    if not hasattr(app, "_zerotoall_launch"):
        options = app.config.html_theme_options or {}
        repo_url = options.get("repository_url") or ""
        app._zerotoall_launch = notebooks.Settings.from_repo(
            repo_url, getattr(app.config, "html_baseurl", "") or None, options.get("repository_branch") or "main"
        )
    return app._zerotoall_launch


def _warn(pagename: str, message: str) -> None:
    LOGGER.warning(f"{message} [launch.notebook]", location=pagename, type="launch", subtype="notebook")


def add_download(app, pagename, templatename, context, doctree):
    """Copy the page's generated notebook (``make notebooks``) into the site and offer it in the
    download menu. A missing or outdated notebook is a build warning (an error under ``-W``)."""
    if doctree is None or not is_page(pagename):
        return
    relpath = notebooks.notebook_relpath(pagename)
    generated = Path(app.srcdir, app.config.zerotoall_notebooks_dir, relpath)
    source = Path(app.env.doc2path(pagename))
    if not generated.is_file():
        _warn(pagename, f"no generated notebook at {generated}: run `make notebooks` before the build")
        return
    if generated.stat().st_mtime < source.stat().st_mtime:
        _warn(pagename, f"{generated} is older than its page: run `make notebooks` before the build")
    target = Path(app.outdir, DOWNLOAD_DIR, relpath)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(generated, target)
    context["ipynb_source"] = relpath


def add_launch_buttons(app, pagename, templatename, context, doctree):
    """Put the Colab / Binder menu first in the page's header buttons."""
    if doctree is None or not is_page(pagename) or "header_buttons" not in context:
        return
    settings = _settings(app)
    context["header_buttons"].insert(
        0,
        {
            "type": "group",
            "tooltip": "이 페이지를 노트북으로 실행하기",
            "icon": "fas fa-rocket",
            "label": "launch-buttons",
            "buttons": [
                {
                    "type": "link",
                    "text": "Colab에서 열기",
                    "tooltip": "Google Colab에서 이 페이지의 노트북 열기",
                    "icon": "_static/images/logo_colab.png",
                    "url": settings.colab_url(pagename),
                    "label": "colab-button",
                },
                {
                    "type": "link",
                    "text": "Binder에서 열기",
                    "tooltip": "Binder에서 이 페이지의 노트북 열기",
                    "icon": "_static/images/logo_binder.svg",
                    "url": settings.binder_url(pagename),
                    "label": "binder-button",
                },
            ],
        },
    )


def setup(app):
    app.add_config_value("zerotoall_notebooks_dir", notebooks.NOTEBOOKS_DIR, "html", [str])
    # The theme builds its header buttons at priority 501 from context["ipynb_source"].
    app.connect("html-page-context", add_download, priority=400)
    app.connect("html-page-context", add_launch_buttons, priority=502)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
