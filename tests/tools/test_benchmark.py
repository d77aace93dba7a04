"""`make benchmark`: the arithmetic and the parsing (no training here; the timing itself is not tested)."""

from __future__ import annotations

import math


import pytest
from zerotoall_book import benchmark


def test_course_models_follow_the_inventory():
    by_name = {m.name: m for m in benchmark.COURSE_MODELS}
    assert by_name["lab-10-1"].epochs == 50
    assert all(by_name[f"lab-10-{i}"].epochs == 15 for i in (2, 3, 4, 5, 7))
    # lab-10-6: two 784-32-32-10 nets (with and without batch norm), 10 epochs at batch 32
    assert (by_name["lab-10-6"].epochs, by_name["lab-10-6"].copies, by_name["lab-10-6"].batch) == (10, 2, 32)
    assert all(m.batch == 100 for m in benchmark.COURSE_MODELS if m.name != "lab-10-6")
    assert by_name["lab-11-1"].epochs == by_name["lab-11-2"].epochs == 15
    assert (by_name["lab-11-5"].epochs, by_name["lab-11-5"].copies) == (20, 2)
    assert {m.lab for m in benchmark.COURSE_MODELS} == set(benchmark.LAB_PAGES)


@pytest.mark.parametrize("kind", sorted({m.kind for m in benchmark.COURSE_MODELS}))
def test_course_models_build(kind):
    model = benchmark._build_model(kind)
    assert model.output_shape == (None, 10)


def test_extrapolation():
    assert benchmark.steps_per_epoch() == 550
    assert benchmark.steps_per_epoch(batch=32) == 1718
    small = benchmark.CourseModel("lab-10-6", "lab10", "mlp32x2-batchnorm", 10, copies=2, batch=32)
    assert benchmark.extrapolate(0.002, small) == pytest.approx(0.002 * 1718 * 10 * 2)
    model = benchmark.CourseModel("lab-11-5", "lab11-3", "cnn3-layers", 20, copies=2)
    assert benchmark.extrapolate(0.05, model) == pytest.approx(0.05 * 550 * 20 * 2)
    course = benchmark.course_seconds({"a": 0.01, "b": 0.02}, [
        benchmark.CourseModel("a", "lab11-2", "cnn2", 15), benchmark.CourseModel("b", "lab11-2", "cnn3", 15)])
    assert course == {"lab11-2": pytest.approx((0.01 + 0.02) * 550 * 15)}


def test_parse_book_seconds():
    assert benchmark.parse_book_seconds(["lab11-2=95", "lab11-3=180.5"]) == {"lab11-2": 95.0, "lab11-3": 180.5}
    for bad in (["lab11-2"], ["lab99=3"], ["lab10=0"], ["lab10=-1"], ["lab10=abc"]):
        with pytest.raises(ValueError):
            benchmark.parse_book_seconds(bad)


def test_table_ratio_and_missing_time():
    rows = benchmark.table({"lab10": 300.0, "lab11-2": 500.0}, {"lab11-2": 100.0})
    assert rows[2] == "| lab10 | 300 | — | — |"
    assert rows[3] == "| lab11-2 | 500 | 100 | 5.0x |"


def test_no_cache_means_no_times(tmp_path):
    assert benchmark.book_seconds_from_cache(tmp_path) == ({}, [])


def test_cpu_description_names_the_cpu():
    text = benchmark.cpu_description()
    assert "cores" in text and "vector flags" in text


def test_cache_times_skip_quick_runs(tmp_path, monkeypatch):
    from zerotoall_book import reproduce

    (tmp_path / ".jupyter_cache").mkdir()
    monkeypatch.setattr(reproduce, "read_cache", lambda build_dir: (
        {"labs/lab10-mnist-nn": 80.0, "labs/lab11-2-mnist-cnn": 12.0, "labs/lab11-3-cnn-ensemble": math.nan},
        ["labs/lab11-2-mnist-cnn"]))
    times, skipped = benchmark.book_seconds_from_cache(tmp_path)
    assert times == {"lab10": 80.0} and skipped == ["lab11-2"]


def test_parallel_note_for_times_from_the_reproduce_pre_run(tmp_path):
    import json

    recorded = tmp_path / "executed" / "labs" / "lab10-mnist-nn.ipynb"
    recorded.parent.mkdir(parents=True)
    recorded.write_text(json.dumps({"metadata": {"zerotoall_executed": {"mode": "full", "execution_seconds": 80.0}}}))
    assert "lower bound" in benchmark.parallel_note(tmp_path, "lab10", 80.0)
    assert benchmark.parallel_note(tmp_path, "lab10", 60.0) == ""      # the build ran it again, alone
    assert benchmark.parallel_note(tmp_path, "lab11-2", 80.0) == ""    # nothing recorded


@pytest.mark.parametrize("bad", [["--repeats", "0"], ["--steps", "0"]])
def test_steps_and_repeats_must_be_positive(bad):
    with pytest.raises(SystemExit):
        benchmark.main(bad)


def test_each_lab_runs_alone_just_after_its_course_models(monkeypatch, capsys):
    events = []
    monkeypatch.setattr(benchmark, "time_steps", lambda kind, steps, batch=100, repeats=3: events.append(kind) or 0.01)
    monkeypatch.setattr(benchmark, "run_page", lambda lab: events.append(lab) or 50.0)
    assert benchmark.main(["--labs", "lab10", "lab11-2", "--book-seconds", "lab11-2=40"]) == 0
    # lab-10-3 has lab-10-2's model: timed once; lab11-2's time was given by hand, so that page does not run
    assert events == ["softmax", "mlp256", "mlp512x4", "mlp512x4-dropout", "mlp32x2-batchnorm",
                      "mlp512x4-batchnorm-dropout", "lab10", "cnn2", "cnn3"]
    out = capsys.readouterr().out
    lab10 = 0.01 * (550 * (50 + 15 * 5) + 1718 * 10 * 2)
    assert f"| lab10 | {lab10:.0f} | 50 | {lab10 / 50:.1f}x |" in out
    assert f"| lab11-2 | {0.02 * 550 * 15:.0f} | 40 | {0.02 * 550 * 15 / 40:.1f}x |" in out
    assert "executed alone in full mode" in out and "lab11-2: this book's time from --book-seconds" in out


def test_from_cache_runs_no_page(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(benchmark, "time_steps", lambda kind, steps, batch=100, repeats=3: 0.01)
    monkeypatch.setattr(benchmark, "run_page", lambda lab: pytest.fail("a page ran"))
    assert benchmark.main(["--labs", "lab11-3", "--from-cache", "--build-dir", str(tmp_path)]) == 0
    assert "lab11-3: no full-mode time found" in capsys.readouterr().out


def test_run_page_refuses_quick_mode(monkeypatch):
    monkeypatch.setenv("ZEROTOALL_QUICK", "1")
    with pytest.raises(RuntimeError, match="full mode"):
        benchmark.run_page("lab10")
