"""Book-structure tests: the toc, the page shape of every lecture and lab, and the tag policy.

These read the MyST-markdown sources only (no execution), so they run in seconds. The rules
they check (page shape, tag policy) are explained in the README's "Adding a lecture or a lab";
the list of pages and their order come from the outline (zerotoall_book.outline).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import jupytext
import pytest
import yaml
from zerotoall_book import outline as course
from zerotoall_book import toc

ROOT = Path(__file__).resolve().parents[2]
COURSE = course.load_course(ROOT / "book" / "course.yml")
# every lecture and lab page in reading order; a page file that fits no id of the outline fails here
PAGES = [ROOT / f"{doc}.md" for doc in course.pages(ROOT, COURSE)]
PAGE_IDS = [p.relative_to(ROOT).as_posix() for p in PAGES]

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # ASCII file names: lab09-1-xor-nn.md
REQUIRED_H2 = ["개요", "요약", "연습문제", "참고 자료"]
ALLOWED_TAGS = {
    "hide-input", "hide-output", "hide-cell",
    "remove-input", "remove-output", "remove-cell",
    "raises-exception", "skip-execution", "nbval-skip",
}
CHECK_TAGS = {"remove-input", "remove-cell"}
NEEDS_SKIP = re.compile(r"^\s*(%tensorboard|%pip|!pip|%load_ext tensorboard)", re.M)


COURSE_ITEMS = {item["id"]: item for item in course.iter_items(COURSE)}
# lectures/lec09-1-xor-deep-learning.md -> lec09-1, as the book's course-table directive decides it
_PAGES_OF_ID, _ = course.match_pages(COURSE, [p[:-3] for p in PAGE_IDS])
ID_OF_PAGE = {doc: item_id for item_id, docs in _PAGES_OF_ID.items() for doc in docs}


def _toc_files() -> list[str]:
    """The files the committed _toc.yml lists, in its order (read as Jupyter Book reads it)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files.extend(s["file"] for s in chapter.get("sections", []))
    return files


def _page_id(path: Path) -> str:
    assert SLUG_RE.match(path.stem), f"{path.name}: file names are '<id>-<ascii-slug>.md', e.g. lab09-1-xor-nn.md"
    doc = f"{path.parent.name}/{path.stem}"
    assert doc in ID_OF_PAGE, f"{path.name}: the name starts with no lecture/lab id of book/course.yml"
    return ID_OF_PAGE[doc]


def _markdown_lines(text: str) -> list[str]:
    """Lines outside fenced code blocks and code cells (headings inside code don't count)."""
    lines, fence = [], None
    for line in text.splitlines():
        stripped = line.lstrip()
        if fence is None and (stripped.startswith("```") or stripped.startswith("~~~")):
            fence = stripped[:3] + re.match(r"[`~]*", stripped).group(0)[3:]
            continue
        if fence is not None:
            if stripped.startswith(fence) and stripped.strip() == fence:
                fence = None
            continue
        lines.append(line)
    return lines


def _headings(text: str) -> list[tuple[int, str]]:
    out = []
    for line in _markdown_lines(text):
        m = re.match(r"^(#{1,6})\s+(.*\S)\s*$", line)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out


# --------------------------------------------------------------------------- toc


def test_there_are_pages():
    assert PAGES, "no lecture or lab pages found"


def test_every_page_is_in_the_toc_and_every_toc_entry_exists():
    toc = _toc_files()
    missing = [p for p in course.pages(ROOT, COURSE) if p not in toc]  # every page file, or an error
    assert not missing, f"pages not listed in _toc.yml: {missing}"
    dangling = [f for f in toc if not (ROOT / f"{f}.md").exists()]
    assert not dangling, f"_toc.yml entries without a file: {dangling}"
    assert len(toc) == len(set(toc)), "a file is listed twice in _toc.yml"


def test_toc_is_generated_from_the_outline():
    """The committed _toc.yml is what `make toc` writes from book/course.yml: same pages, same order,
    part captions equal to the section headings of the outline."""
    assert toc.check(ROOT) is None, toc.check(ROOT)
    assert _toc_files() == course.book_files(ROOT, COURSE)
    parts = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["parts"]
    captions = [part["caption"] for part in parts]
    for section, docs in course.pages_by_section(ROOT, COURSE):
        if docs:
            assert course.section_title(section) in captions


def test_toc_parts_follow_the_course_order():
    """Within the toc, lecture/lab pages appear in course order: by section, lectures then labs."""
    order = {item_id: n for n, item_id in enumerate(COURSE_ITEMS)}
    pages = [f for f in _toc_files() if course.is_page(f)]
    ids = [_page_id(ROOT / f"{f}.md") for f in pages]  # fails for a page with no course.yml id
    assert ids, "no lecture or lab page in the toc"
    assert ids == sorted(ids, key=order.__getitem__), f"toc order {ids} differs from book/course.yml"


# --------------------------------------------------------------------------- page shape


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_page_front_matter_and_round_trip(path: Path):
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="md:myst")
    rep = nb.metadata.get("jupytext", {}).get("text_representation", {})
    assert rep.get("format_name") == "myst", "front matter lacks jupytext format_name: myst"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    again = jupytext.reads(jupytext.writes(nb, fmt="md:myst"), fmt="md:myst")
    assert [(c.cell_type, c.source, dict(c.metadata)) for c in again.cells] == [
        (c.cell_type, c.source, dict(c.metadata)) for c in nb.cells
    ], "the page does not round-trip through jupytext"
    for cell in nb.cells:
        assert not cell.get("outputs"), "stored outputs in a source page"


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_page_shape(path: Path):
    page_id = _page_id(path)
    item = COURSE_ITEMS[page_id]
    text = path.read_text(encoding="utf-8")
    body = text.split("---", 2)[2].lstrip("\n")
    assert body.startswith(f"({page_id})="), f"the page must start with the label ({page_id})="

    heads = _headings(text)
    h1 = [t for level, t in heads if level == 1]
    assert len(h1) == 1, f"exactly one H1 expected, found {h1}"
    label = course.item_label(page_id)
    assert h1[0].startswith(f"{label} · "), f"H1 must start with '{label} · ': {h1[0]!r}"

    levels = [level for level, _ in heads]
    for prev, cur in zip(levels, levels[1:]):
        assert cur <= prev + 1, f"skipped heading level in {path.name}: {prev} -> {cur}"

    h2 = [t for level, t in heads if level == 2]
    assert h2 and h2[0] == "개요", "the first section must be '## 개요' (overview)"
    assert h2[-3:] == REQUIRED_H2[1:], f"the page must end with {REQUIRED_H2[1:]}, has {h2[-3:]}"

    overview = text.split("## 개요", 1)[1].split("\n## ", 1)[0]
    assert item["video"] in overview, "the overview must link the original video"
    assert "학습 목표" in overview, "the overview must list learning objectives (학습 목표)"

    exercises = text.split("## 연습문제", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"\{exercise(-start)?\}", exercises), "연습문제 has no exercise directive"
    n_solutions = len(re.findall(r"\{solution(-start)?\}", exercises))
    assert n_solutions >= 1, "exercises need solutions"
    assert exercises.count(":class: dropdown") >= n_solutions, "every solution must be collapsed (:class: dropdown)"


# --------------------------------------------------------------------------- tags


def _cells(path: Path):
    return jupytext.read(str(path)).cells


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_tag_policy(path: Path):
    figure_names = []
    for n, cell in enumerate(_cells(path)):
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        where = f"{path.name}, code cell {n}"
        assert tags <= ALLOWED_TAGS, f"{where}: unknown tags {tags - ALLOWED_TAGS}"
        assert ("skip-execution" in tags) == ("nbval-skip" in tags), (
            f"{where}: 'skip-execution' and 'nbval-skip' go together (book build and nbval skip alike)"
        )
        if NEEDS_SKIP.search(cell.source):
            assert {"skip-execution", "nbval-skip"} <= tags, f"{where}: installs/%tensorboard must be skipped"
        code = [l for l in cell.source.splitlines() if l.strip() and not l.strip().startswith("#")]
        if code and all(l.startswith(("assert ", "assert(")) or l.startswith((" ", ")")) for l in code):
            assert tags & CHECK_TAGS, f"{where}: a result-check cell needs 'remove-input' or 'remove-cell'"
        figure = cell.metadata.get("mystnb", {}).get("figure")
        if figure:
            assert figure.get("caption") and figure.get("name"), f"{where}: figures need a caption and a name"
            figure_names.append(figure["name"])
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
            assert alt, f"{where}: figures need alt text (mystnb: image: alt:)"
    assert len(figure_names) == len(set(figure_names)), "figure names must be unique"


LABS = [p for p in PAGES if ID_OF_PAGE[p.relative_to(ROOT).with_suffix("").as_posix()].startswith("lab")]


@pytest.mark.parametrize("path", LABS, ids=[p.relative_to(ROOT).as_posix() for p in LABS])
def test_lab_conventions(path: Path):
    cells = [c for c in _cells(path) if c.cell_type == "code"]
    first = cells[0].source
    assert "import zerotoall as zta" in first and "zta.quick_mode()" in first, (
        "a lab's first code cell imports zerotoall and shows the quick-mode line"
    )
    assert not set(cells[0].metadata.get("tags", [])) & {"remove-cell", "remove-input", "hide-input"}, (
        "the quick-mode line must stay visible"
    )
    assert "zta.set_seed(" in first and "zta.show_versions()" in first
    checks = [c for c in cells if "assert " in c.source and set(c.metadata.get("tags", [])) & CHECK_TAGS]
    assert checks, "a lab checks its results with assert cells (tagged remove-input)"
    assert "zta.glue(" in path.read_text(encoding="utf-8"), "a lab glues its results for the results page"


def test_lab_results_match_course_outline():
    """A lab glues every result course.yml declares for it; its other glue keys (numbers quoted in
    its prose) carry the page id, so they can never collide with another page's or a declared result."""
    declared = {result["key"] for _, result in course.iter_results(COURSE)}
    for path in LABS:
        keys = set(re.findall(r"zta\.glue\(\s*[\"']([^\"']+)[\"']", path.read_text(encoding="utf-8")))
        page_id = _page_id(path)
        own = {r["key"] for r in COURSE_ITEMS[page_id].get("results", [])}
        assert own <= keys, f"{path.name}: results declared in course.yml but never glued: {own - keys}"
        foreign = {k for k in keys & declared if k not in own}
        assert not foreign, f"{path.name}: glues results declared for another page: {foreign}"
        unprefixed = {k for k in keys if not k.startswith(page_id + "-")}
        assert not unprefixed, f"{path.name}: glue keys must start with '{page_id}-': {unprefixed}"


# --------------------------------------------------------------------------- repository hygiene


def test_no_notebooks_outputs_or_data_in_git():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    bad = [f for f in tracked if re.search(r"\.ipynb$|(^|/)_build/|\.(csv|npz|npy|gz)$|ubyte", f)]
    assert not bad, f"never commit notebooks, build outputs or data: {bad}"


def test_readme_test_command_is_what_ci_runs():
    ci = [l.strip() for l in (ROOT / ".ci" / "run").read_text().splitlines()
          if l.strip() and not l.strip().startswith(("#", "set ", "cd "))]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ci == ["make test"], f".ci/run must run exactly the README's test command, runs {ci}"
    assert "make test" in readme and "make book" in readme


def test_setup_page_checksums_match_the_helper():
    """The SHA256SUMS block that the setup page asks offline readers to save is the helper's own."""
    from zerotoall.datasets import FILES

    text = (ROOT / "book" / "setup.md").read_text(encoding="utf-8")
    listed = dict((name, digest) for digest, name in re.findall(r"^\s*([0-9a-f]{64})\s+(\S+)$", text, re.M))
    assert listed == {name: digest for name, (_, digest) in FILES.items()}
