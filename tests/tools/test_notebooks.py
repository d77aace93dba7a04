"""The notebook generator (zerotoall_book.notebooks): what Colab, Binder and downloads get."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest
import yaml
from zerotoall_book import notebooks, outline

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = notebooks.Settings.from_repo("https://github.com/Example-Org/book")
INDEX = notebooks.LinkIndex(
    labels={
        "lab05": ("labs/lab05-logistic", "Lab 05 · Logistic"),
        "fig-lab05-boundary": ("labs/lab05-logistic", ""),
        "lec05-eq-sigmoid": ("lectures/lec05-1-x", ""),
    },
    titles={"labs/lab05-logistic": "Lab 05 · Logistic", "book/setup": "실행 환경 준비"},
)
PAGE = "lectures/lec05-1-x"
SITE = "https://example-org.github.io/book/"


def convert(text: str) -> str:
    return notebooks.convert_markdown(text, PAGE, INDEX, SETTINGS)


# ---- settings ------------------------------------------------------------------------


def test_typed_repository_urls_match_the_configured_one():
    """Two places must spell the repository out (a `git clone` line and a pip `git+` line that
    readers copy): they follow repository.url in _config.yml, the one setting that names it."""
    import re

    repo = notebooks.load_settings(ROOT).repo_url
    found = []
    for name in ("book/setup.md", "README.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for match in re.finditer(r"(?:git clone |git\+)(https://github\.com/[\w.-]+/[\w.-]+?)(?:\.git)?(?=[\s\"'@#]|$)",
                                 text, flags=re.M):
            found.append((name, match.group(1)))
    assert any(name == "book/setup.md" for name, _ in found), "setup.md shows no clone/install line"
    wrong = [(name, url) for name, url in found if url != repo]
    assert not wrong, f"repository.url is {repo}; these lines name another: {wrong}"


def test_settings_come_from_the_repository_url():
    config = notebooks.load_settings(ROOT)
    assert config.repo_url.startswith("https://github.com/")
    assert config.site_url.endswith("/")
    assert SETTINGS.site_url == SITE
    assert SETTINGS.colab_url("labs/lab05-logistic") == (
        "https://colab.research.google.com/github/Example-Org/book/blob/notebooks/labs/lab05-logistic.ipynb"
    )
    assert SETTINGS.binder_url("labs/lab05-logistic") == (
        "https://mybinder.org/v2/gh/Example-Org/book/notebooks?urlpath=lab/tree/labs/lab05-logistic.ipynb"
    )
    assert notebooks.Settings.from_repo("https://github.com/a/b", "https://example.org/book").site_url == (
        "https://example.org/book/"
    )


def test_a_repository_colab_cannot_open_is_refused():
    with pytest.raises(ValueError, match="github.com/ORG/REPO"):
        notebooks.Settings.from_repo("https://gitlab.com/a/b")


def test_book_pages_follow_the_toc():
    """The notebooks are made for the outline's pages, which the committed _toc.yml lists in the same order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    pages = outline.pages(ROOT)
    assert pages and pages == [f for f in listed if outline.is_page(f)]  # same pages, same order
    assert all((ROOT / f"{p}.md").exists() for p in pages)
    # the order is the course's: by section, lectures before labs
    position = {item["id"]: n for n, item in enumerate(outline.iter_items(outline.load_course()))}
    ids = [next(i for i in position if p.split("/")[1] == i or p.split("/")[1].startswith(i + "-")) for p in pages]
    assert [position[i] for i in ids] == sorted(position[i] for i in ids)


# ---- markdown conversion ---------------------------------------------------------------


def test_cross_references_become_site_links():
    text = convert(
        "{doc}`../labs/lab05-logistic` · {doc}`설치 <../book/setup>` · {ref}`lab05` · "
        "{numref}`fig-lab05-boundary` · {eq}`lec05-eq-sigmoid` · {term}`시그모이드` · {term}`함수 <sigmoid>`"
    )
    assert f"[Lab 05 · Logistic]({SITE}labs/lab05-logistic.html)" in text
    assert f"[설치]({SITE}book/setup.html)" in text
    assert f"[Lab 05 · Logistic]({SITE}labs/lab05-logistic.html#lab05)" in text
    assert f"[그림]({SITE}labs/lab05-logistic.html#fig-lab05-boundary)" in text
    assert f"[식]({SITE}lectures/lec05-1-x.html#equation-lec05-eq-sigmoid)" in text
    assert f"[시그모이드]({SITE}book/glossary.html)" in text
    assert f"[함수]({SITE}book/glossary.html)" in text
    assert "{" not in text


def test_relative_links_and_images_become_absolute():
    text = convert("[실습](../labs/lab05-logistic.md#step-2) ![a cat](../book/_static/cat.png) [web](https://x.org/a)")
    assert f"[실습]({SITE}labs/lab05-logistic.html#step-2)" in text
    assert f"![a cat]({SITE}_images/cat.png)" in text
    assert "[web](https://x.org/a)" in text
    assert "](../" not in text


def test_glue_roles_point_at_the_executed_page():
    assert convert("정확도 {glue:text}`lab05-acc-toy:.4f`") == f"정확도 [실행 결과]({SITE}{PAGE}.html)"


def test_exercises_and_solutions():
    text = convert(
        "```{exercise-start} 첫 문제\n:label: lec05-1-ex1\n```\n\n문제 본문\n\n```{exercise-end}\n```\n\n"
        "```{solution-start} lec05-1-ex1\n:class: dropdown\n```\n\n풀이 본문\n\n```{solution-end}\n```\n\n"
        "````{exercise}\n:label: lec05-1-ex2\n둘째 문제\n````"
    )
    assert "**연습문제 1** · 첫 문제" in text and "**연습문제 2**" in text
    assert re.search(r"<details>\n<summary>풀이</summary>\n\n풀이 본문\n\n</details>", text), text
    assert ":label:" not in text and ":class:" not in text and "```" not in text


def test_admonitions_tabs_figures_and_math():
    text = convert(
        "```{note}\n한 줄\n\n두 줄\n```\n"
        "```{admonition} 제목\n:class: dropdown\n숨긴 내용\n```\n"
        "`````{tab-set}\n````{tab-item} TF 1.x\n```python\nsess.run(x)\n```\n````\n`````\n"
        "```{figure} ../book/_static/net.png\n:alt: a network\n\nThe network.\n```\n"
        "$$\ny = \\sigma(z)\n$$ (lec05-eq-sigmoid)\n"
        "(some-label)=\n% a comment\n## 제목"
    )
    assert "> **참고**\n>\n> 한 줄\n>\n> 두 줄" in text
    assert "<details>\n<summary>제목</summary>\n\n숨긴 내용\n\n</details>" in text
    assert "**TF 1.x**\n\n```python\nsess.run(x)\n```" in text
    assert f"![a network]({SITE}_images/net.png)\n*The network.*" in text
    assert "$$\ny = \\sigma(z)\n$$\n" in text and "(lec05-eq-sigmoid)" not in text
    assert "some-label" not in text and "comment" not in text and text.endswith("## 제목")


def test_code_in_fences_is_left_alone():
    source = "```python\nprint('{doc}`x`')  # [link](../a.md)\n```"
    assert convert(source) == source


# ---- generated notebooks ---------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    written = notebooks.build_notebooks(out, ROOT, ref="0123456789abcdef")
    return out, written


def test_one_valid_notebook_per_page(generated):
    out, written = generated
    assert [p.relative_to(out).with_suffix("").as_posix() for p in written] == outline.pages(ROOT)
    for path in written:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        first = notebook.cells[0]
        assert first.cell_type == "code" and first.id == notebooks.SETUP_CELL_ID, path
        assert "0123456789abcdef" in first.source
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path
            else:  # no MyST left for Jupyter to print raw
                assert not re.search(r"\{(doc|ref|numref|eq|term|glue:text)\}`", cell.source), (path, cell.source)
                assert not re.search(r"^(`{3,}|:{3,})\{", cell.source, re.M), (path, cell.source)
                assert "](../" not in cell.source, (path, cell.source)


def test_generation_is_deterministic(generated, tmp_path):
    out, written = generated
    again = notebooks.build_notebooks(tmp_path, ROOT, ref="0123456789abcdef")
    for first, second in zip(written, again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_binder_files(generated):
    out, _ = generated
    requirements = (out / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert "zerotoall @ git+https://github.com/" in requirements and "@0123456789abcdef" in requirements
    assert "-e ." not in requirements.splitlines()
    overrides = json.loads((out / "binder" / "overrides.json").read_text(encoding="utf-8"))
    assert "Jupytext Notebook" in json.dumps(overrides)
    assert "notebooks" in (out / "README.md").read_text(encoding="utf-8")


def _run_setup_cell(monkeypatch, on_colab: bool) -> list:
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(notebooks.setup_cell_source(SETTINGS, "abc123", "labs/lab05-logistic"), {})
    return calls


def test_setup_cell_installs_the_helper_only_on_colab(monkeypatch):
    assert _run_setup_cell(monkeypatch, on_colab=False) == []
    (args, kwargs), = _run_setup_cell(monkeypatch, on_colab=True)
    command = args[0]
    assert command[1:4] == ["-m", "pip", "install"]
    assert command[-1] == "zerotoall @ git+https://github.com/Example-Org/book@abc123"
    assert kwargs.get("check") is True


# ---- the notebooks branch ------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def test_commit_to_branch_leaves_the_work_tree_alone(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    (repo / "a.md").write_text("source\n")
    (repo / ".gitignore").write_text("*.ipynb\n_build/\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "init")
    out = repo / "_build" / "notebooks"
    (out / "labs").mkdir(parents=True)
    (out / "labs" / "x.ipynb").write_text("{}\n")
    first = notebooks.commit_to_branch(out, "notebooks", root=repo, message="gen 1")
    assert first and _git(repo, "rev-parse", "notebooks") == first
    assert _git(repo, "ls-tree", "-r", "--name-only", "notebooks") == "labs/x.ipynb"  # ignored files included
    assert notebooks.commit_to_branch(out, "notebooks", root=repo) is None  # nothing changed
    (out / "labs" / "y.ipynb").write_text("{}\n")
    second = notebooks.commit_to_branch(out, "notebooks", root=repo, message="gen 2")
    assert _git(repo, "rev-parse", f"{second}^") == first
    assert _git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert _git(repo, "status", "--porcelain") == ""


# ---- the label index -------------------------------------------------------------------


def test_an_unknown_label_is_an_error():
    with pytest.raises(notebooks.UnknownLabel, match=r"lectures/lec05-1-x.md: \{ref\}`no-such-label`"):
        convert("see {ref}`no-such-label`")
    with pytest.raises(notebooks.UnknownLabel):
        convert("{numref}`그림 %s <fig-missing>`")


def test_labels_come_from_a_real_parse(tmp_path):
    """Targets, directive names, labelled equations and figure cells are labels; code is not."""
    root = tmp_path / "book-root"
    (root / "book").mkdir(parents=True)
    (root / "_config.yml").write_text("parse:\n  myst_enable_extensions: [colon_fence, dollarmath, amsmath]\n")
    page = "\n".join([
        "---", "jupytext:", "  text_representation:", "    extension: .md", "    format_name: myst",
        "    format_version: 0.13", "kernelspec:", "  display_name: Python 3", "  language: python", "  name: python3",
        "---", "", "(page-top)=", "# Page · Title {term}`x`", "",
        "(sec-a)=", "## Section A", "", "$$", "y = x", "$$ (eq-a)", "",
        "```{figure} a.png", ":name: fig-a", "", "A figure.", "```", "",
        "::::{exercise}", ":label: ex-a", "", ":::{note}", ":name: note-inside", "x", ":::", "::::", "",
        "```python", "(not-a-label)=", "name: not-a-name", "```", "",
        "```{code-cell} ipython3", "---", "mystnb:", "  figure:", "    name: fig-cell", "---", "print(1)", "```", "",
    ])
    (root / "book" / "page.md").write_text(page, encoding="utf-8")
    course = {"book": {"root": "book/page", "front": [], "back": []}, "sections": []}
    original = outline.load_course
    try:
        outline.load_course = lambda *a, **k: course  # a one-page book
        index = notebooks.LinkIndex.from_root(root)
    finally:
        outline.load_course = original
    assert index.titles == {"book/page": "Page · Title x"}
    assert index.labels == {
        "page-top": ("book/page", "Page · Title x"), "sec-a": ("book/page", "Section A"),
        "eq-a": ("book/page", ""), "fig-a": ("book/page", ""), "ex-a": ("book/page", ""),
        "note-inside": ("book/page", ""), "fig-cell": ("book/page", ""),
    }
