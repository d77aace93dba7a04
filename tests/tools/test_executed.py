"""zerotoall_book.executed: nbval's run of a notebook is reused by the strict build, never wrongly.

The build may show a recorded output only for exactly the code that produced it, in the same mode.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from zerotoall_book import executed, outline
from zerotoall_book.notebooks import ROOT, LinkIndex, load_settings, make_notebook, notebook_relpath

PAGE = "labs/lab01-tensorflow-basics"


@functools.lru_cache(maxsize=1)
def _index_and_settings():
    return LinkIndex.from_root(ROOT), load_settings(ROOT)


def _fake_run(docname: str = PAGE, mode: str = "quick") -> nbformat.NotebookNode:
    """The generated notebook of a page, as if nbval had run it: each code cell prints its number."""
    index, settings = _index_and_settings()
    nb = make_notebook(ROOT / f"{docname}.md", docname, settings, ref="test", index=index)
    for number, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"cell {number}\n")]
    nb.metadata[executed.MODE_KEY] = {"mode": mode, "execution_seconds": 1.5}
    return nb


def _write(nb, folder: Path, docname: str = PAGE) -> None:
    path = folder / notebook_relpath(docname)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def test_merge_puts_each_output_on_its_own_code_cell_and_drops_the_setup_cell():
    page = executed.read_page(ROOT / f"{PAGE}.md")
    merged = executed.merge_outputs(page, _fake_run())
    code = [cell for cell in merged.cells if cell.cell_type == "code"]
    assert len(code) == len([c for c in page.cells if c.cell_type == "code"]) > 3
    # cell 0 of the run is the Colab setup cell: the page's first code cell gets "cell 1"
    assert [cell.outputs[0]["text"] for cell in code] == [f"cell {n}\n" for n in range(1, len(code) + 1)]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    # markdown cells and the page's metadata are the page's own
    assert [c.source for c in merged.cells] == [c.source for c in page.cells]


def test_merge_refuses_a_run_of_other_code():
    page = executed.read_page(ROOT / f"{PAGE}.md")
    changed = _fake_run()
    code = [cell for cell in changed.cells if cell.cell_type == "code"]
    code[3].source += "\nx = 1"
    assert executed.merge_outputs(page, changed) is None
    shorter = _fake_run()
    shorter.cells = shorter.cells[:-1] if shorter.cells[-1].cell_type == "code" else shorter.cells[:-2]
    assert executed.merge_outputs(page, shorter) is None


def test_the_seeded_record_is_the_one_myst_nb_finds(tmp_path):
    """myst-nb reads the page with the book's MyST configuration; the hash must match."""
    from jupyter_cache import get_cache
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig
    import yaml

    runs = tmp_path / "executed"
    _write(_fake_run(), runs)
    _write(_fake_run("labs/lab02-linear-regression", mode="full"), runs, "labs/lab02-linear-regression")
    changed = _fake_run("labs/lab03-minimizing-cost")
    [c for c in changed.cells if c.cell_type == "code"][-1].source += "\n# edited"
    _write(changed, runs, "labs/lab03-minimizing-cost")

    result = executed.seed(runs, tmp_path / "cache", mode="quick")
    assert result[PAGE] == "seeded"
    assert result["labs/lab02-linear-regression"] == "recorded in full mode, build is quick"
    assert result["labs/lab03-minimizing-cost"] == "code differs from the recorded run"
    assert result["labs/lab04-1-multivariable-linear-regression"] == "not recorded"
    assert set(result) == set(outline.pages(ROOT))

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    md_config = MdParserConfig(enable_extensions=set(config["parse"]["myst_enable_extensions"]))
    path = ROOT / f"{PAGE}.md"
    text = path.read_text(encoding="utf-8")
    notebook = create_nb_reader(str(path), md_config, NbParserConfig(), text).read(text)
    cache = get_cache(str(tmp_path / "cache"))
    record = cache.match_cache_notebook(notebook)  # raises KeyError when the hashes differ
    assert record.data["execution_seconds"] == 1.5
    _, merged = cache.merge_match_into_notebook(notebook)
    code = [cell for cell in merged.cells if cell.cell_type == "code"]
    assert code[0].outputs[0]["text"] == "cell 1\n"
    for other in ("labs/lab02-linear-regression", "labs/lab03-minimizing-cost"):
        other_path = ROOT / f"{other}.md"
        other_text = other_path.read_text(encoding="utf-8")
        with pytest.raises(KeyError):
            cache.match_cache_notebook(create_nb_reader(str(other_path), md_config, NbParserConfig(),
                                                        other_text).read(other_text))


def test_seed_without_records_leaves_the_build_to_execute(tmp_path, capsys):
    assert executed.main(["seed", str(tmp_path / "none"), "--cache", str(tmp_path / "cache")]) == 0
    assert "executes every page" in capsys.readouterr().out
    assert not (tmp_path / "cache").exists()


def test_the_recorder_writes_only_notebooks_whose_cells_all_passed(tmp_path):
    """Run nbval (a real kernel) on a passing and a failing notebook with the plugin."""
    folder = tmp_path / "labs"
    folder.mkdir()
    good = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# good"),
        nbformat.v4.new_code_cell("x = 6 * 7\nprint(x)"),
        nbformat.v4.new_code_cell("x + 1"),
        nbformat.v4.new_code_cell("%tensorboard --logdir logs",
                                  metadata={"tags": ["skip-execution", "nbval-skip"]}),
    ])
    bad = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print('before')"),
        nbformat.v4.new_code_cell("assert 1 + 1 == 3"),
        nbformat.v4.new_code_cell("print('after')"),
    ])
    for nb in (good, bad):
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(good, str(folder / "good.ipynb"))
    nbformat.write(bad, str(folder / "bad.ipynb"))
    out = tmp_path / "executed"
    env = {**os.environ, "ZEROTOALL_QUICK": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
         "-q", "-p", "zerotoall_book.executed", "--record-executed", str(out), str(folder)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 1, run.stdout  # the failing notebook fails the run
    assert "notebook execution:" in run.stdout
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ipynb")) == ["labs/good.ipynb"]
    recorded = json.loads((out / "labs" / "good.ipynb").read_text(encoding="utf-8"))
    cells = [cell for cell in recorded["cells"] if cell["cell_type"] == "code"]
    assert cells[0]["outputs"][0]["text"] == "42\n"
    assert cells[1]["outputs"][0]["data"]["text/plain"] == "43"
    assert cells[2]["outputs"] == []  # skipped by nbval (and by the build): done, no outputs
    assert recorded["metadata"][executed.MODE_KEY]["mode"] == "quick"
    assert recorded["metadata"][executed.MODE_KEY]["execution_seconds"] >= 0


def test_heavy_first_puts_the_heavy_notebooks_first_and_keeps_each_group_in_order():
    paths = ["nb/labs/lab01-tensorflow-basics.ipynb", "nb/labs/lab10-mnist-nn.ipynb",
             "nb/labs/lab11-3-cnn-ensemble.ipynb", "nb/lectures/lec00-course-overview.ipynb",
             "nb/lectures/lec10-1-relu.ipynb"]
    heavy = {"labs/lab10-mnist-nn", "lectures/lec10-1-relu", "labs/lab11-3-cnn-ensemble"}
    assert executed.heavy_first(paths, heavy) == [
        "nb/labs/lab10-mnist-nn.ipynb", "nb/labs/lab11-3-cnn-ensemble.ipynb", "nb/lectures/lec10-1-relu.ipynb",
        "nb/labs/lab01-tensorflow-basics.ipynb", "nb/lectures/lec00-course-overview.ipynb"]
    assert executed.heavy_first(paths, set()) == paths


def test_heavy_pages_name_generated_notebooks():
    """The names heavy_first matches are the generated notebooks' paths (notebook_relpath)."""
    from zerotoall_book import runtime_note

    heavy = runtime_note.heavy_pages(ROOT)
    assert len(heavy) >= 6
    notebooks = [f"_build/notebooks/{notebook_relpath(page)}" for page in outline.pages(ROOT)]
    ordered = executed.heavy_first(notebooks, heavy)
    assert {Path(p).parent.name + "/" + Path(p).stem for p in ordered[:len(heavy)]} == set(heavy)


def test_heavy_first_option_orders_the_collected_cells(tmp_path):
    """With --heavy-first, pytest runs a heavy page's notebook before the others (real collection)."""
    folder = tmp_path / "labs"
    folder.mkdir()
    for name in ("lab01-tensorflow-basics", "lab10-mnist-nn"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print({name!r})")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, str(folder / f"{name}.ipynb"))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "zerotoall_book.executed", "--heavy-first", str(folder)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    collected = [line for line in run.stdout.splitlines() if ".ipynb::" in line]
    assert collected and "lab10-mnist-nn" in collected[0], run.stdout
