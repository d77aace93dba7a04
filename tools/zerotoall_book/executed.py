"""Execute every page once in CI: nbval runs the notebooks, the strict build reuses its outputs.

``make test`` checks the pages twice: nbval runs the generated notebooks (what Colab opens), and
the strict quick build renders the pages with their outputs. Both used to execute every page,
so CI ran the whole book twice. This module removes the second run without weakening either
check:

1. **Record** (a pytest plugin, ``-p zerotoall_book.executed --record-executed DIR``): while nbval
   runs a generated notebook, the outputs of each of its code cells are collected; when every cell
   of that notebook passed, the executed notebook is written to ``DIR/<page>.ipynb`` with the
   mode it ran in (quick or full) and its execution time. A notebook with a failing cell is not
   written (nbval already fails the run).
2. **Seed** (``python -m zerotoall_book.executed seed DIR --cache CACHE``): for each page, the
   MyST source is read the way myst-nb reads it, and the recorded outputs are attached to its
   code cells, but only if every source code cell has the same code as the executed one
   (the generated notebook = a setup cell + the page's code cells, in order). The result goes
   into the build's jupyter-cache under the page's path, as if myst-nb had executed it.
   jupyter-cache keys a record by the hash of the code cells (source and metadata), so the build
   uses a record only for exactly that code; any page without a matching record (changed code,
   nbval not run, another mode) is executed by the build as before.

The outputs shown by the quick build are therefore those of the nbval run of the same commit,
same mode and same helper package: one execution, checked by nbval (no cell raises, every
``assert`` holds) and by the strict build (every glue key, reference and figure resolves).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

from . import outline, runtime_note
from .notebooks import ROOT, notebook_relpath, page_text

MODE_KEY = "zerotoall_executed"  # notebook metadata written by the recorder


def _mode() -> str:
    from zerotoall import quick_mode  # the helper decides what quick mode means

    return "quick" if quick_mode() else "full"


# --------------------------------------------------------------------------------------------
# 1. the pytest plugin (loaded with -p zerotoall_book.executed; active only with --record-executed)


def pytest_addoption(parser):
    parser.addoption(
        "--record-executed",
        metavar="DIR",
        default=None,
        help="write each notebook that nbval ran without a failure, with its outputs, under DIR "
        "(zerotoall_book.executed; the strict build reuses them)",
    )
    parser.addoption(
        "--heavy-first",
        action="store_true",
        default=False,
        help="run the notebooks of the heavy pages (heavy: true in book/course.yml) first",
    )


class _Recorder:
    def __init__(self, out: Path):
        self.out = out
        self.cells: dict[str, list] = {}  # notebook path -> its cell items, in order
        self.passed: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.report_seconds: dict[str, float] = {}

    def pytest_collection_modifyitems(self, items):
        for item in items:
            cell = getattr(item, "cell", None)
            if cell is not None and hasattr(item, "test_outputs"):
                self.cells.setdefault(str(item.parent.fspath), []).append(item)

    def pytest_runtest_makereport(self, item, call):
        key = str(getattr(item.parent, "fspath", ""))
        if call.when != "call" or key not in self.cells:
            return
        self.seconds[key] = self.seconds.get(key, 0.0) + call.duration
        # a cell tagged nbval-skip (always with skip-execution: the build does not run it either)
        # counts as done, without outputs
        if call.excinfo is None or call.excinfo.errisinstance(pytest.skip.Exception):
            self.passed[key] = self.passed.get(key, 0) + 1
        if self.passed.get(key, 0) == len(self.cells[key]):
            self._write(key)

    # the controller's view (with xdist the cells run in workers): seconds per notebook
    def pytest_runtest_logreport(self, report):
        if report.when == "call" and ".ipynb::" in report.nodeid:
            notebook = report.nodeid.split("::", 1)[0]
            self.report_seconds[notebook] = self.report_seconds.get(notebook, 0.0) + report.duration

    def pytest_terminal_summary(self, terminalreporter):
        if not self.report_seconds:
            return
        total = sum(self.report_seconds.values())
        slowest = sorted(self.report_seconds.items(), key=lambda item: -item[1])[:8]
        terminalreporter.write_sep("-", f"notebook execution: {total:.0f} s summed over "
                                        f"{len(self.report_seconds)} notebooks; slowest")
        for notebook, seconds in slowest:
            terminalreporter.write_line(f"{seconds:7.1f} s  {notebook}")

    def _write(self, key: str) -> None:
        items = self.cells[key]
        nb = copy.deepcopy(items[0].parent.nb)
        outputs = {id(item.cell): item.test_outputs or [] for item in items}
        for index, cell in enumerate(items[0].parent.nb.cells):
            if id(cell) in outputs:  # execution counts are set when the outputs are merged
                nb.cells[index].outputs = [nbformat.from_dict(dict(out)) for out in outputs[id(cell)]]
        nb.metadata[MODE_KEY] = {"mode": _mode(), "execution_seconds": round(self.seconds[key], 3)}
        path = Path(key).resolve()
        target_path = self.out / path.parent.name / path.name  # = notebooks.notebook_relpath(page)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target_path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def heavy_first(paths: list[str], heavy_docnames) -> list[str]:
    """``paths`` (notebook files ``.../labs/lab10-mnist-nn.ipynb``) with the heavy pages' notebooks
    first, each group in its given order. With ``-n 2 --dist loadfile`` xdist hands out files in
    this order, so the longest notebooks start first instead of leaving one worker running the
    last of them alone."""
    heavy = set(heavy_docnames)

    def is_heavy(path: str) -> bool:
        p = Path(path)
        return f"{p.parent.name}/{p.stem}" in heavy

    return [p for p in paths if is_heavy(p)] + [p for p in paths if not is_heavy(p)]


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--heavy-first", default=False):
        return
    files = list(dict.fromkeys(str(item.fspath) for item in items))
    rank = {path: i for i, path in enumerate(heavy_first(files, runtime_note.heavy_pages(ROOT)))}
    items.sort(key=lambda item: rank[str(item.fspath)])  # stable: cells keep their order


def pytest_configure(config):
    out = config.getoption("--record-executed", default=None)
    if out:
        config.pluginmanager.register(_Recorder(Path(out).resolve()), "zerotoall-recorder")


# --------------------------------------------------------------------------------------------
# 2. seeding the build's jupyter-cache


def read_page(path: Path, heavy_id: str | None = None) -> nbformat.NotebookNode:
    """The notebook myst-nb makes of a MyST page (same reader, same options). ``heavy_id``: the
    page is heavy, so the build reads it with the run-time note and glue cell
    (:mod:`zerotoall_book.sphinx.runtime_note`), and so is it read here."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    return read_myst_markdown_notebook(
        page_text(path, heavy_id), config=MdParserConfig(), add_source_map=True, path=str(path)
    )


def merge_outputs(page: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The page with the executed notebook's outputs on its code cells, or None if the code differs.

    The executed (generated) notebook is a setup cell followed by the page's code cells in order;
    the setup cell's outputs are dropped."""
    page_code = [cell for cell in page.cells if cell.cell_type == "code"]
    run_code = [cell for cell in executed.cells if cell.cell_type == "code"]
    run_code = [c for c in run_code if not c.get("metadata", {}).get("zerotoall", {}).get("setup")]
    if len(page_code) != len(run_code):
        return None
    if any(a.source.strip() != b.source.strip() for a, b in zip(page_code, run_code)):
        return None
    merged = copy.deepcopy(page)
    code_cells = [cell for cell in merged.cells if cell.cell_type == "code"]
    for count, (cell, run) in enumerate(zip(code_cells, run_code), start=1):
        cell.outputs = copy.deepcopy(run.get("outputs", []))
        cell.execution_count = count
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = count
    return merged


def seed(executed_dir: Path, cache_dir: Path, mode: str, root: Path = ROOT) -> dict[str, str]:
    """Put every matching recorded execution into the jupyter-cache; ``docname -> what happened``."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    heavy = runtime_note.heavy_pages(root)
    result = {}
    for docname in outline.pages(root):
        source = root / f"{docname}.md"
        recorded = executed_dir / notebook_relpath(docname)
        if not recorded.exists():
            result[docname] = "not recorded"
            continue
        executed = nbformat.read(str(recorded), as_version=4)
        meta = executed.metadata.get(MODE_KEY, {})
        if meta.get("mode") != mode:
            result[docname] = f"recorded in {meta.get('mode')} mode, build is {mode}"
            continue
        page = read_page(source, heavy.get(docname))
        if not any(cell.cell_type == "code" for cell in page.cells):
            result[docname] = "no code"
            continue
        merged = merge_outputs(page, executed)
        if merged is None:
            result[docname] = "code differs from the recorded run"
            continue
        cache.cache_notebook_bundle(
            CacheBundleIn(merged, str(source), data={"execution_seconds": meta.get("execution_seconds")}),
            check_validity=False,
            overwrite=True,
        )
        result[docname] = "seeded"
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zerotoall_book.executed", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_seed = sub.add_parser("seed", help="put nbval's recorded executions into a build's jupyter-cache")
    p_seed.add_argument("executed", type=Path, help="the folder given to --record-executed")
    p_seed.add_argument("--cache", type=Path, required=True, help="the build's .jupyter_cache folder")
    args = parser.parse_args(argv)
    if not args.executed.is_dir():
        print(f"executed: nothing recorded in {args.executed}; the build executes every page")
        return 0
    result = seed(args.executed, args.cache, _mode())
    seeded = sorted(doc for doc, what in result.items() if what == "seeded")
    others = {doc: what for doc, what in result.items() if what not in ("seeded", "no code")}
    print(f"executed: {len(seeded)} pages seeded into {args.cache} from nbval's run"
          + (f"; the build executes {len(others)}:" if others else ""))
    for doc, what in sorted(others.items()):
        print(f"  {doc}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
