"""Generate the notebooks learners open in Colab, Binder or as a download.

The book's pages are MyST-markdown notebooks (``lectures/*.md``, ``labs/*.md``). Colab can only
open ``.ipynb`` files from a GitHub repository, and MyST syntax (roles, directives, labels) means
nothing to Jupyter. This module turns each page into a plain ``.ipynb``:

* the first cell is a *setup cell* that, only when it runs on Colab, installs this book's helper
  package ``zerotoall`` from the repository at the commit the notebook was generated from
  (everywhere else it does nothing: Binder and local environments already have it);
* MyST cross-references (``{doc}``, ``{ref}``, ``{numref}``, ``{eq}``, ``{term}``), relative
  page links and image paths become absolute links to the published site;
* MyST directives that Jupyter cannot render become plain Markdown: admonitions become quotes,
  solutions and dropdowns become ``<details>`` blocks, exercises get a bold numbered title,
  tab sets are flattened, figures become images;
* no outputs, deterministic cell ids (the ``notebooks`` branch only changes when a page does),
  and the result is validated against the nbformat schema.

Everything is derived from one setting, ``repository.url`` in ``_config.yml``: the Colab and
Binder links point at the ``notebooks`` branch of that repository, and the site URL is its
GitHub Pages address unless ``html.baseurl`` names another.

Command line (``make notebooks`` runs the first form)::

    python -m zerotoall_book.notebooks build [--out _build/notebooks] [--ref SHA]
    python -m zerotoall_book.notebooks commit [--out _build/notebooks] [--branch notebooks]

``build`` writes one notebook per lecture and lab page of the outline (``book/course.yml``), in
the folder of its page under ``OUT``, plus what the ``notebooks`` branch needs to serve Binder (``binder/``) and a
README. ``commit`` records ``OUT`` as a new commit of the local branch without touching the
working tree (the publish workflow then pushes that branch).

The Sphinx side (launch buttons and the download link) lives in :mod:`zerotoall_book.sphinx.launch`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable

import nbformat
import yaml

from . import outline
from .outline import PAGE_DIRS, ROOT

__all__ = [
    "NOTEBOOKS_BRANCH",
    "SETUP_CELL_ID",
    "Settings",
    "LinkIndex",
    "UnknownLabel",
    "load_settings",
    "current_ref",
    "setup_cell_source",
    "convert_markdown",
    "make_notebook",
    "notebook_relpath",
    "build_notebooks",
    "commit_to_branch",
]

#: the branch of the book's repository that carries the generated notebooks
NOTEBOOKS_BRANCH = "notebooks"
#: where ``make notebooks`` writes them, relative to the repository (the launch extension copies from here)
NOTEBOOKS_DIR = "_build/notebooks"
#: id (and metadata key) of the setup cell every generated notebook starts with
SETUP_CELL_ID = "zerotoall-setup"
COLAB_URL = "https://colab.research.google.com"
BINDER_URL = "https://mybinder.org"



# --------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Where the book lives; everything else is derived from ``repo_url``."""

    repo_url: str  # https://github.com/ORG/REPO
    site_url: str  # https://ORG.github.io/REPO/  (always ends with "/")
    branch: str = "main"  # the source branch (edit links)
    notebooks_branch: str = NOTEBOOKS_BRANCH

    @classmethod
    def from_repo(cls, repo_url: str, site_url: str | None = None, branch: str = "main") -> "Settings":
        repo_url = repo_url.rstrip("/")
        if repo_url.endswith(".git"):
            repo_url = repo_url[:-4]
        match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", repo_url)
        if not match:
            raise ValueError(
                f"repository.url in _config.yml must look like https://github.com/ORG/REPO "
                f"(Colab opens notebooks from GitHub only), got {repo_url!r}"
            )
        if not site_url:
            org, repo = match.groups()
            site_url = f"https://{org.lower()}.github.io/{repo}/"
        if not site_url.endswith("/"):
            site_url += "/"
        return cls(repo_url=repo_url, site_url=site_url, branch=branch or "main")

    @property
    def org_repo(self) -> str:
        return self.repo_url.split("github.com/", 1)[1]

    def page_url(self, docname: str, anchor: str = "") -> str:
        return f"{self.site_url}{docname}.html" + (f"#{anchor}" if anchor else "")

    def colab_url(self, docname: str) -> str:
        return f"{COLAB_URL}/github/{self.org_repo}/blob/{self.notebooks_branch}/{notebook_relpath(docname)}"

    def binder_url(self, docname: str) -> str:
        return (
            f"{BINDER_URL}/v2/gh/{self.org_repo}/{self.notebooks_branch}"
            f"?urlpath=lab/tree/{notebook_relpath(docname)}"
        )

    def package_spec(self, ref: str) -> str:
        return f"zerotoall @ git+{self.repo_url}@{ref}"


def load_settings(root: str | os.PathLike = ROOT) -> Settings:
    """Read ``repository.url``/``branch`` and the optional ``html.baseurl`` from ``_config.yml``."""
    config = yaml.safe_load(Path(root, "_config.yml").read_text(encoding="utf-8")) or {}
    repository = config.get("repository") or {}
    html = config.get("html") or {}
    if not repository.get("url"):
        raise ValueError("_config.yml has no repository.url")
    return Settings.from_repo(repository["url"], html.get("baseurl") or None, repository.get("branch", "main"))


def notebook_relpath(docname: str) -> str:
    """``labs/lab05-logistic`` -> ``labs/lab05-logistic.ipynb`` (the path on the notebooks branch)."""
    return f"{docname}.ipynb"


def current_ref(root: str | os.PathLike = ROOT) -> str:
    """The commit the notebooks are generated from.

    ``ZEROTOALL_REF`` wins (for tests and unusual CI), then GitHub Actions' ``GITHUB_SHA``, then
    ``git rev-parse HEAD``; outside a git checkout, the source branch from ``_config.yml``.
    """
    for name in ("ZEROTOALL_REF", "GITHUB_SHA"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return load_settings(root).branch


# --------------------------------------------------------------------------------------
# Labels: where each {ref}/{numref}/{eq} target lives
# --------------------------------------------------------------------------------------

_LABEL_LINE = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
_EQ_LABEL = re.compile(r"\$\$\s*\((?P<label>[^()\s]+)\)\s*$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}")
#: directives whose body is not Markdown (no labels inside)
_VERBATIM = {"code", "code-block", "sourcecode", "code-cell", "math", "raw", "literalinclude"}


class UnknownLabel(ValueError):
    """A ``{ref}``, ``{numref}`` or ``{eq}`` names a label no page of the book defines."""


def myst_extensions(root: str | os.PathLike = ROOT) -> list[str]:
    """``parse: myst_enable_extensions`` of ``_config.yml``: the MyST syntax the pages use."""
    config = yaml.safe_load(Path(root, "_config.yml").read_text(encoding="utf-8")) or {}
    return list((config.get("parse") or {}).get("myst_enable_extensions") or [])


def _markdown_parser(extensions: Iterable[str]):
    """MyST's own markdown-it parser, with the book's extensions (so fences, targets and
    labelled equations are found as Sphinx finds them; code is never mistaken for markup)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


class LinkIndex:
    """Maps labels to ``(docname, title)`` and docnames to page titles, read from the sources."""

    def __init__(self, labels: dict[str, tuple[str, str]], titles: dict[str, str]):
        self.labels = labels
        self.titles = titles

    @classmethod
    def from_root(cls, root: str | os.PathLike = ROOT) -> "LinkIndex":
        """Parse every page of the book (``outline.book_files``) with MyST's parser and collect
        its targets: ``(label)=`` (with the heading it labels), directives' ``:name:`` and
        ``:label:``, labelled ``$$`` equations, and figure names in code cells' metadata."""
        import jupytext

        root = Path(root)
        md = _markdown_parser(myst_extensions(root))
        index = cls({}, {})
        for docname in outline.book_files(root):
            for cell in jupytext.read(str(root / f"{docname}.md")).cells:
                if cell.cell_type == "markdown":
                    index._scan(md, cell.source, docname)
                elif cell.cell_type == "code":
                    mystnb = cell.metadata.get("mystnb") or {}
                    for holder in (cell.metadata, mystnb.get("figure") or {}):
                        for key in ("name", "label"):
                            if isinstance(holder.get(key), str):
                                index._add(holder[key], docname, "")
        return index

    def _add(self, label: str, docname: str, title: str) -> None:
        self.labels.setdefault(label, (docname, title))

    def _scan(self, md, text: str, docname: str) -> None:
        tokens = md.parse(text)
        pending: str | None = None
        for i, token in enumerate(tokens):
            if token.level != 0 or token.nesting < 0:
                continue
            if token.type == "myst_target":
                pending = token.content.strip()
                continue
            title = ""
            if token.type == "heading_open":
                title = _plain_inline(tokens[i + 1].content)
                if token.tag == "h1" and docname not in self.titles:
                    self.titles[docname] = title
            elif token.type == "math_block_label":
                self._add(token.info.strip(), docname, "")
            elif token.type in ("fence", "colon_fence") and (m := _DIRECTIVE.match(token.info.strip())):
                options, body = _Converter._options(token.content.splitlines())
                for key in ("name", "label"):
                    if options.get(key):
                        self._add(options[key].strip(), docname, "")
                if m["name"] not in _VERBATIM:
                    self._scan(md, "\n".join(body), docname)
            if pending:
                self._add(pending, docname, title)
                pending = None
        if pending:  # a target at the very end labels the end of the cell
            self._add(pending, docname, "")


def _plain_inline(text: str) -> str:
    """Strip MyST roles and Markdown emphasis from a heading for use as link text."""
    text = re.sub(r"\{[\w:-]+\}`([^`]*)`", r"\1", text)
    return text.replace("**", "").replace("`", "").strip()


# --------------------------------------------------------------------------------------
# Markdown: MyST -> what Jupyter renders
# --------------------------------------------------------------------------------------

ADMONITION_TITLES = {
    "note": "참고",
    "tip": "팁",
    "hint": "힌트",
    "important": "중요",
    "warning": "주의",
    "caution": "주의",
    "attention": "주의",
    "danger": "위험",
    "error": "오류",
    "seealso": "함께 보기",
}
_FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*?)\s*$")
_PLAIN_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_MD_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^()\s]+)(?P<rest>\s+\"[^\"]*\")?\)")


class _Converter:
    def __init__(self, docname: str, index: LinkIndex, settings: Settings):
        self.docname = docname
        self.index = index
        self.settings = settings
        self.exercise_count = 0

    # ---- references -------------------------------------------------------------------
    def _doc_target(self, target: str) -> str:
        """Resolve a ``{doc}`` target or relative ``.md`` path to a docname."""
        target = target.strip()
        if target.startswith("/"):
            path = PurePosixPath(target.lstrip("/"))
        else:
            path = PurePosixPath(os.path.normpath(PurePosixPath(self.docname).parent / target).replace(os.sep, "/"))
        if path.suffix in (".md", ".ipynb", ".html"):
            path = path.with_suffix("")
        return str(path)

    def _ref_link(self, role: str, content: str) -> str:
        titled = _TITLED.match(content)
        text, label = (titled["title"], titled["target"]) if titled else ("", content)
        label = label.strip()
        if label not in self.index.labels:
            raise UnknownLabel(f"{self.docname}.md: {{{role}}}`{content}` names no label of the book")
        docname, title = self.index.labels[label]
        if role == "eq":
            anchor = f"equation-{label}"
            text = text or "식"
        elif role == "numref":
            anchor = label
            text = text.replace("%s", "").replace("{number}", "").strip() or ("그림" if label.startswith("fig") else "표")
        else:
            anchor = label
            text = text or title or label
        return f"[{text}]({self.settings.page_url(docname, anchor)})"

    def role(self, match: re.Match) -> str:
        role, content = match["role"], match["content"]
        if role == "doc":
            titled = _TITLED.match(content)
            target = titled["target"] if titled else content
            docname = self._doc_target(target)
            text = titled["title"] if titled else self.index.titles.get(docname, docname)
            return f"[{text}]({self.settings.page_url(docname)})"
        if role in ("ref", "numref", "eq"):
            return self._ref_link(role, content)
        if role == "term":
            titled = _TITLED.match(content)
            text = titled["title"] if titled else content
            return f"[{text}]({self.settings.page_url('book/glossary')})"
        if role.startswith("glue"):
            return f"[실행 결과]({self.settings.page_url(self.docname)})"
        if role == "math":
            return f"${content}$"
        if role in ("sub", "sup"):
            return f"<{role}>{content}</{role}>"
        if role in ("kbd", "code", "file", "command", "samp"):
            return f"`{content}`"
        if role == "download":
            titled = _TITLED.match(content)
            return titled["title"] if titled else content
        return content  # abbr, guilabel, ...: the text itself

    def link(self, match: re.Match) -> str:
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:, data:
            return match[0]
        rest = match["rest"] or ""
        if match["bang"]:  # an image: Sphinx copies images to _images/<basename>
            url = f"{self.settings.site_url}_images/{PurePosixPath(target).name}"
            return f"![{match['text']}]({url}{rest})"
        if target.startswith("#"):
            label = target[1:]
            if label in self.index.labels:
                docname, _ = self.index.labels[label]
                return f"[{match['text']}]({self.settings.page_url(docname, label)}{rest})"
            return match[0]
        path, _, anchor = target.partition("#")
        return f"[{match['text']}]({self.settings.page_url(self._doc_target(path), anchor)}{rest})"

    def inline(self, text: str) -> str:
        text = _ROLE.sub(self.role, text)
        return _MD_LINK.sub(self.link, text)

    # ---- blocks -----------------------------------------------------------------------
    def convert(self, text: str) -> str:
        out = self.blocks(text.splitlines())
        joined = "\n".join(out).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", joined)

    def blocks(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if _LABEL_LINE.match(line) or re.match(r"^\s*%", line):
                i += 1  # MyST targets and comments
                continue
            opened = _FENCE_OPEN.match(line)
            if opened:
                end = self._closing(lines, i + 1, opened["fence"])
                options, body = self._options(lines[i + 1 : end])
                out.extend(self.directive(opened["name"], opened["arg"], options, body))
                i = end + 1
                continue
            plain = _PLAIN_FENCE.match(line)
            if plain and not plain["info"].strip().startswith("{"):
                end = self._closing(lines, i + 1, plain["fence"])
                out.extend(lines[i : end + 1])  # code stays verbatim
                i = end + 1
                continue
            out.append(self.display_math(self.inline(line)))
            i += 1
        return out

    @staticmethod
    def display_math(line: str) -> str:
        # `$$ ... $$ (label)`: Jupyter would print "(label)" as text; the number lives on the site.
        return _EQ_LABEL.sub("$$", line)

    @staticmethod
    def _closing(lines: list[str], start: int, fence: str) -> int:
        char, size = fence[0], len(fence)
        for j in range(start, len(lines)):
            stripped = lines[j].strip()
            if stripped and set(stripped) == {char} and len(stripped) >= size:
                return j
        return len(lines)  # unclosed: runs to the end, as in MyST

    @staticmethod
    def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
        options: dict[str, str] = {}
        if body and body[0].strip() == "---":  # YAML option block
            for j in range(1, len(body)):
                if body[j].strip() == "---":
                    options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(body[1:j])) or {}).items()}
                    return options, body[j + 1 :]
        j = 0
        while j < len(body) and (m := re.match(r"^\s*:([\w-]+):\s*(.*)$", body[j])):
            options[m[1]] = m[2]
            j += 1
        return options, body[j:]

    def directive(self, name: str, arg: str, options: dict[str, str], body: list[str]) -> list[str]:
        inner = self.blocks(body)
        while inner and not inner[0].strip():
            inner.pop(0)
        while inner and not inner[-1].strip():
            inner.pop()
        arg = self.inline(arg)
        dropdown = "dropdown" in options.get("class", "").split()
        if name in ("exercise", "exercise-start"):
            self.exercise_count += 1
            title = f"**연습문제 {self.exercise_count}**" + (f" · {arg}" if arg else "")
            return ["", title, "", *inner, ""]
        if name in ("exercise-end", "solution-end"):
            return ["", "</details>", ""] if name == "solution-end" else [""]
        if name in ("solution", "solution-start"):
            head = ["", "<details>", "<summary>풀이</summary>", ""]
            return head + inner + (["", "</details>", ""] if name == "solution" else [])
        if name == "dropdown" or (dropdown and (name in ADMONITION_TITLES or name == "admonition")):
            title = arg or ADMONITION_TITLES.get(name, "더 보기")
            return ["", "<details>", f"<summary>{title}</summary>", "", *inner, "", "</details>", ""]
        if name in ADMONITION_TITLES or name == "admonition":
            title = arg if name == "admonition" and arg else ADMONITION_TITLES.get(name, arg or "참고")
            quoted = [f"> {line}" if line.strip() else ">" for line in inner]
            return ["", f"> **{title}**", ">", *quoted, ""]
        if name == "tab-set":
            return inner
        if name == "tab-item":
            return ["", f"**{arg}**", "", *inner, ""]
        if name in ("figure", "image"):
            url = arg if re.match(r"^[a-z]+:", arg) else f"{self.settings.site_url}_images/{PurePosixPath(arg).name}"
            caption = " ".join(line.strip() for line in inner if line.strip())
            alt = options.get("alt", caption or PurePosixPath(arg).stem)
            return ["", f"![{alt}]({url})", *([f"*{caption}*"] if caption and name == "figure" else []), ""]
        if name == "math":
            return ["", "$$", *body, "$$", ""]
        if name in ("code-block", "code", "sourcecode"):
            return ["```" + arg, *body, "```"]
        if name in ("toctree", "glossary", "raw"):
            return []
        return inner  # anything else: its content


def convert_markdown(text: str, docname: str, index: LinkIndex, settings: Settings) -> str:
    """Turn one MyST markdown cell into Markdown that Jupyter and Colab render."""
    return _Converter(docname, index, settings).convert(text)


# --------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------


def setup_cell_source(settings: Settings, ref: str, docname: str) -> str:
    """The first cell of every generated notebook."""
    return f'''# 준비 셀: Google Colab에서 열었을 때만 이 책의 도우미 패키지(zerotoall)를 설치합니다.
# Binder와 로컬 환경(make book / make test)에는 이미 설치되어 있어 아무 일도 하지 않습니다.
# 이 노트북은 {settings.page_url(docname)} 페이지에서 만들어졌습니다 (커밋 {ref[:12]}).
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "{settings.package_spec(ref)}"],
        check=True,
    )'''


def make_notebook(path: str | os.PathLike, docname: str, settings: Settings, ref: str,
                  index: LinkIndex | None = None) -> nbformat.NotebookNode:
    """Read the MyST page at ``path`` and return the generated notebook (validated, no outputs)."""
    import jupytext  # only needed here; keeps `import notebooks` light for the Sphinx extension

    index = index or LinkIndex.from_root(ROOT)
    source = jupytext.read(str(path))
    converter = _Converter(docname, index, settings)
    cells = [
        nbformat.v4.new_code_cell(
            setup_cell_source(settings, ref, docname),
            id=SETUP_CELL_ID,
            metadata={"zerotoall": {"setup": True}, "tags": ["hide-input"]},
        )
    ]
    for cell in source.cells:
        metadata = {key: value for key, value in cell.metadata.items() if key in ("tags", "mystnb")}
        if cell.cell_type == "markdown":
            text = converter.convert(cell.source)
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text, metadata=metadata))
        elif cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(cell.source, metadata=metadata))
        else:
            cells.append(nbformat.v4.new_raw_cell(cell.source, metadata=metadata))
    for number, cell in enumerate(cells[1:], start=1):
        cell["id"] = f"cell-{number:03d}"
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "colab": {"name": PurePosixPath(notebook_relpath(docname)).name, "provenance": []},
            "zerotoall": {"source": f"{docname}.md", "ref": ref, "page": settings.page_url(docname)},
        },
    )
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return notebook


def write_notebook(notebook: nbformat.NotebookNode, path: str | os.PathLike) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(notebook, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")


BINDER_POSTBUILD = """#!/bin/bash
# Binder (repo2docker) runs this after installing requirements.txt: open the MyST .md pages
# as notebooks by default (jupytext), so both the .ipynb and the .md sources work in JupyterLab.
set -euo pipefail
mkdir -p "${NB_PYTHON_PREFIX}/share/jupyter/lab/settings"
cp binder/overrides.json "${NB_PYTHON_PREFIX}/share/jupyter/lab/settings/overrides.json"
"""

BINDER_OVERRIDES = {
    "@jupyterlab/docmanager-extension:plugin": {
        "defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}
    }
}


def _binder_requirements(root: Path, settings: Settings, ref: str) -> str:
    """The book's exact pins, with the helper package installed from the same commit."""
    lines = []
    for line in Path(root, "requirements.txt").read_text(encoding="utf-8").splitlines():
        spec = line.split("#", 1)[0].strip()
        if spec == "-e .":
            line = settings.package_spec(ref)
        elif spec.startswith("-e "):  # the book's tooling: not for learners
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def _branch_readme(settings: Settings, ref: str, pages: list[tuple[str, str]]) -> str:
    rows = "\n".join(
        f"| [{title}]({settings.page_url(doc)}) | [Colab]({settings.colab_url(doc)}) | "
        f"[Binder]({settings.binder_url(doc)}) | [`{notebook_relpath(doc)}`]({notebook_relpath(doc)}) |"
        for doc, title in pages
    )
    return f"""# 모두를 위한 딥러닝 시즌 1 · TensorFlow 2 — 실행용 노트북

이 브랜치(`{settings.notebooks_branch}`)는 자동으로 만들어집니다. 직접 고치지 마세요.
원본은 [{settings.org_repo}]({settings.repo_url})의 {", ".join(f"`{d}/`" for d in PAGE_DIRS)} 에 있는 MyST 마크다운 페이지이고,
`make notebooks`가 커밋 `{ref}`에서 이 노트북들을 만들었습니다. 책은 {settings.site_url} 에서 읽을 수 있습니다.

| 페이지 | Colab | Binder | 노트북 |
|---|---|---|---|
{rows}
"""


def build_notebooks(out: str | os.PathLike, root: str | os.PathLike = ROOT, ref: str | None = None,
                    pages: Iterable[str] | None = None) -> list[Path]:
    """Write every page's notebook (and the Binder files) under ``out``; return the notebook paths."""
    root = Path(root)
    out = Path(out)
    settings = load_settings(root)
    ref = ref or current_ref(root)
    index = LinkIndex.from_root(root)
    docnames = list(pages) if pages is not None else outline.pages(root)
    for folder in PAGE_DIRS:  # stale notebooks of removed pages must not survive
        shutil.rmtree(out / folder, ignore_errors=True)
    written = []
    for docname in docnames:
        source = root / f"{docname}.md"
        target = out / notebook_relpath(docname)
        write_notebook(make_notebook(source, docname, settings, ref, index), target)
        shutil.copy2(source, target.with_suffix(".md"))  # Binder opens the MyST page too (jupytext)
        written.append(target)
    binder = out / "binder"
    binder.mkdir(parents=True, exist_ok=True)
    (binder / "requirements.txt").write_text(_binder_requirements(root, settings, ref), encoding="utf-8")
    (binder / "runtime.txt").write_text("python-3.11\n", encoding="utf-8")
    (binder / "postBuild").write_text(BINDER_POSTBUILD, encoding="utf-8")
    (binder / "postBuild").chmod(0o755)
    (binder / "overrides.json").write_text(json.dumps(BINDER_OVERRIDES, indent=2) + "\n", encoding="utf-8")
    titles = [(doc, index.titles.get(doc, doc)) for doc in docnames]
    (out / "README.md").write_text(_branch_readme(settings, ref, titles), encoding="utf-8")
    return written


def commit_to_branch(out: str | os.PathLike, branch: str = NOTEBOOKS_BRANCH,
                     root: str | os.PathLike = ROOT, message: str | None = None) -> str | None:
    """Record the folder ``out`` as the next commit of ``branch`` (created if missing).

    Uses a private index, so neither the working tree nor the current branch changes. Returns
    the new commit id, or ``None`` when the folder is identical to the branch's last commit.
    """
    root, out = Path(root), Path(out).resolve()

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()

    git_dir = git("rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GIT_DIR": git_dir, "GIT_WORK_TREE": str(out), "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        subprocess.run(["git", "add", "--all", "--force", "."], cwd=out, env=env, check=True, capture_output=True)
        tree = subprocess.run(["git", "write-tree"], cwd=out, env=env, check=True, capture_output=True,
                              text=True).stdout.strip()
    parent = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                            cwd=root, capture_output=True, text=True).stdout.strip()
    if parent and git("rev-parse", f"{parent}^{{tree}}") == tree:
        return None
    message = message or f"Notebooks generated from {current_ref(root)}"
    commit = git("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
    git("update-ref", f"refs/heads/{branch}", commit)
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the notebooks and the Binder files")
    build.add_argument("--out", default=str(ROOT / NOTEBOOKS_DIR))
    build.add_argument("--ref", default=None, help="commit or tag the setup cell installs from")
    commit = sub.add_parser("commit", help="commit OUT to the local notebooks branch")
    commit.add_argument("--out", default=str(ROOT / NOTEBOOKS_DIR))
    commit.add_argument("--branch", default=NOTEBOOKS_BRANCH)
    args = parser.parse_args(argv)
    if args.command == "build":
        written = build_notebooks(args.out, ref=args.ref)
        print(f"wrote {len(written)} notebooks to {args.out}")
    else:
        if not Path(args.out, "README.md").exists():
            parser.error(f"{args.out} has no generated notebooks: run `make notebooks` first")
        commit_id = commit_to_branch(args.out, args.branch)
        print(f"{args.branch}: " + (f"new commit {commit_id}" if commit_id else "unchanged"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
