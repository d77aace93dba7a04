"""Kaggle, the third launch option: its link and the setup cell that installs the helper there.

The built pages' Kaggle buttons and their target notebooks are checked in
tests/site/test_launch_links.py, like Colab's and Binder's.
"""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

from zerotoall_book import notebooks
from zerotoall_book.outline import ROOT

SETTINGS = notebooks.load_settings(ROOT)


def test_kaggle_url_opens_the_notebook_on_the_branch():
    url = urlsplit(SETTINGS.kaggle_url("labs/lab05-logistic"))
    assert (url.scheme, url.netloc, url.path) == ("https", "kaggle.com", "/kernels/welcome")
    assert parse_qs(url.query) == {
        "src": [f"{SETTINGS.repo_url}/blob/notebooks/labs/lab05-logistic.ipynb"]
    }


def _run_setup_cell(monkeypatch, env: dict[str, str]) -> list:
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.delenv("KAGGLE_KERNEL_RUN_TYPE", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    exec(notebooks.setup_cell_source(SETTINGS, "abc123", "labs/lab05-logistic"), {})
    return calls


def test_setup_cell_installs_the_helper_on_kaggle(monkeypatch):
    assert _run_setup_cell(monkeypatch, {}) == []
    (args, kwargs), = _run_setup_cell(monkeypatch, {"KAGGLE_KERNEL_RUN_TYPE": "Interactive"})
    assert args[0][1:4] == ["-m", "pip", "install"]
    assert args[0][-1] == f"zerotoall @ git+{SETTINGS.repo_url}@abc123"
    assert kwargs.get("check") is True

# the notebooks branch's README lists Kaggle: tests/tools/test_notebooks.py::test_binder_files
