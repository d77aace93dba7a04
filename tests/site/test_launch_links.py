"""Every lecture and lab page offers Colab, Binder and .ipynb download links that work.

The Colab and Binder links must point at the page's notebook on the ``notebooks`` branch, and
that notebook must be one that ``make notebooks`` generated (the branch is exactly that folder).
The download link must serve the same notebook: valid nbformat, setup cell first, no outputs.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup
from zerotoall_book import notebooks, outline

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = notebooks.load_settings(ROOT)
DOCS = outline.pages(ROOT)


def _links(site_dir: Path, doc: str) -> dict[str, str]:
    html = BeautifulSoup((site_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    found = {}
    for name in ("colab-button", "binder-button", "download-notebook-button"):
        anchors = html.select(f"a.btn-{name}")
        assert len(anchors) == 1, f"{doc}: expected one {name} link, found {len(anchors)}"
        found[name] = anchors[0]["href"]
    return found


def _notebook_on_branch(notebooks_dir: Path, path_on_branch: str) -> nbformat.NotebookNode:
    target = notebooks_dir / path_on_branch
    assert target.is_file(), f"{path_on_branch} is not among the generated notebooks in {notebooks_dir}"
    return nbformat.read(target, as_version=4)


def test_every_page_has_a_generated_notebook(notebooks_dir):
    generated = sorted(p.relative_to(notebooks_dir).with_suffix("").as_posix()
                       for folder in notebooks.PAGE_DIRS for p in (notebooks_dir / folder).glob("*.ipynb"))
    assert generated == sorted(DOCS)


@pytest.mark.parametrize("doc", DOCS)
def test_launch_and_download_links(site_dir, notebooks_dir, doc):
    links = _links(site_dir, doc)
    prefix = f"https://colab.research.google.com/github/{SETTINGS.org_repo}/blob/{SETTINGS.notebooks_branch}/"
    colab = links["colab-button"]
    assert colab.startswith(prefix), colab
    on_branch = _notebook_on_branch(notebooks_dir, colab[len(prefix):])

    binder = urlsplit(links["binder-button"])
    assert f"{binder.scheme}://{binder.netloc}{binder.path}" == (
        f"https://mybinder.org/v2/gh/{SETTINGS.org_repo}/{SETTINGS.notebooks_branch}"
    ), links["binder-button"]
    urlpath = parse_qs(binder.query)["urlpath"][0]
    assert urlpath.startswith("lab/tree/"), urlpath
    assert _notebook_on_branch(notebooks_dir, urlpath[len("lab/tree/"):]) == on_branch

    download = (site_dir / doc).parent.joinpath(links["download-notebook-button"]).resolve()
    assert download.is_file(), f"{doc}: the .ipynb download {links['download-notebook-button']} is missing"
    offered = nbformat.read(download, as_version=4)
    nbformat.validate(offered)
    assert offered.cells[0].id == notebooks.SETUP_CELL_ID
    assert all(not cell.get("outputs") for cell in offered.cells if cell.cell_type == "code")
    # the download and the notebook Colab opens are the same notebook
    assert [(c.cell_type, c.source) for c in offered.cells] == [(c.cell_type, c.source) for c in on_branch.cells]


def test_binder_files_on_the_branch(notebooks_dir):
    binder = notebooks_dir / "binder"
    requirements = (binder / "requirements.txt").read_text(encoding="utf-8")
    assert "-e ." not in requirements.split()
    assert "zerotoall @ git+" + SETTINGS.repo_url in requirements
    assert "jupytext==" in requirements and "tensorflow" in requirements
    assert (binder / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    for doc in DOCS:  # jupytext opens the .md sources as notebooks on Binder
        assert (notebooks_dir / f"{doc}.md").is_file(), doc
