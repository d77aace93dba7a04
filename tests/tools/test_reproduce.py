"""`make reproduce`: the bars in book/course.yml and the report built from a full-mode build."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from zerotoall_book import outline as course
from zerotoall_book import reproduce
from zerotoall_book.sphinx import modes

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("bar", "measured", "original", "expected"),
    [
        (None, 0.1, "0.9", None),
        ("at-least", 0.9885, "0.9885", True),
        ("at-least", 0.9884, "0.9885", False),
        ("at-least", math.nan, "0.9", False),
        ("within 0.01", 0.9400, "0.9455", True),
        ("within 0.01", 0.9300, "0.9455", False),
    ],
)
def test_meets(bar, measured, original, expected):
    assert reproduce.meets(bar, measured, original) is expected


@pytest.mark.parametrize("bar", ["at-least", "within 0.05"])
def test_course_accepts_bars(tmp_path, bar):
    path = tmp_path / "course.yml"
    text = (ROOT / "book" / "course.yml").read_text(encoding="utf-8")
    anchor = '            original: "4.89449"\n'  # lab04-1-cost, which has no bar
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + f"            bar: {bar}\n", 1), encoding="utf-8")
    results = {r["key"]: r for _, r in course.iter_results(course.load_course(path))}
    assert results["lab04-1-cost"]["bar"] == bar
    assert results["lab04-1-cost-matmul"]["bar"] is None


def test_course_rejects_a_bad_bar(tmp_path):
    path = tmp_path / "course.yml"
    text = (ROOT / "book" / "course.yml").read_text(encoding="utf-8")
    anchor = '            original: "4.89449"\n'
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + "            bar: higher\n", 1), encoding="utf-8")
    with pytest.raises(course.CourseError, match="bar: 'higher'"):
        course.load_course(path)


def test_report_from_a_build(tmp_path):
    execute = tmp_path / "jupyter_execute" / "labs"
    execute.mkdir(parents=True)
    (execute / "lab01-x.glue.json").write_text(json.dumps({
        "lab01-add": {"data": {"text/plain": "7.0"}},
        "lab01-add-and-triple": {"data": {"text/plain": "22.5"}},
    }))
    assert reproduce.glued_values(tmp_path) == {
        "lab01-add": ("labs/lab01-x", 7.0), "lab01-add-and-triple": ("labs/lab01-x", 22.5)}
    data = {
        "date": "2026-01-01T00:00:00+00:00", "machine": "2 CPU cores", "build_wall_seconds": 1900.0,
        "execution_seconds_total": 1800.0, "budget_seconds": reproduce.BUDGET_SECONDS,
        "pages": [{"page": "labs/lab01-x", "item": "lab01", "seconds": 12.3}],
        "results": [{"item": "lab01", "key": "lab01-add", "what": "", "original": "7.0", "measured": 7.0,
                     "bar": "at-least", "meets": True, "page": "labs/lab01-x"}],
        "problems": ["full build took 31.7 min, over the 15-minute budget"],
    }
    report = reproduce.write_report(data, tmp_path / "out").read_text(encoding="utf-8")
    assert "31.7 min (budget 15 min) ✗" in report
    assert "| lab01 | `lab01-add` | 7.0 | 7.0000 | at-least | ✓ |" in report
    assert "| labs/lab01-x | 12.3 | ✓ |" in report
    assert json.loads((tmp_path / "out" / "report.json").read_text())["problems"]


def test_config_for_reproduce_reports_failures_instead_of_stopping(monkeypatch):
    """The build runs in the `reproduce` build mode (raise_on_error off), in full mode, with no config copy."""
    monkeypatch.setenv("ZEROTOALL_QUICK", "1")
    command, env = reproduce.build_command(ROOT / "_build")
    assert env["ZEROTOALL_BUILD_MODE"] == "reproduce" and "ZEROTOALL_QUICK" not in env
    assert "--config" not in command and command[1:3] == ["build", str(ROOT)]
    assert modes.overrides(env["ZEROTOALL_BUILD_MODE"]) == {"nb_execution_raise_on_error": False}


def test_failed_pages_are_reported(tmp_path):
    reports = tmp_path / "html" / "reports" / "labs"
    reports.mkdir(parents=True)
    (reports / "lab11-3-cnn-ensemble.err.log").write_text(
        "Traceback (most recent call last):\n  ...\n\x1b[31mAssertionError\x1b[39m: 0.9951\n\n", encoding="utf-8")
    assert reproduce.failed_pages(tmp_path) == {"labs/lab11-3-cnn-ensemble": "AssertionError: 0.9951"}
    assert reproduce.failed_pages(tmp_path / "nothing") == {}
    data = {
        "date": "2026-01-01T00:00:00+00:00", "machine": "2 CPU cores", "build_wall_seconds": 600.0,
        "build_status": 1, "execution_seconds_total": 12.3, "budget_seconds": reproduce.BUDGET_SECONDS,
        "pages": [{"page": "labs/lab01-x", "item": "lab01", "seconds": 12.3, "error": None},
                  {"page": "labs/lab11-3-cnn-ensemble", "item": "lab11-3", "seconds": math.nan,
                   "error": "AssertionError: 0.9951"}],
        "results": [], "problems": ["labs/lab11-3-cnn-ensemble: execution failed: AssertionError: 0.9951"],
    }
    report = reproduce.write_report(data, tmp_path / "out").read_text(encoding="utf-8")
    rows = [line for line in report.splitlines() if line.startswith("| labs/")]
    assert rows == ["| labs/lab11-3-cnn-ensemble | — | ✗ AssertionError: 0.9951 |", "| labs/lab01-x | 12.3 | ✓ |"]
    assert "- labs/lab11-3-cnn-ensemble: execution failed: AssertionError: 0.9951" in report


def test_prerun_is_the_notebook_check_in_full_mode(monkeypatch):
    """The notebooks run 2 at a time before the build: nbval (lax: errors and asserts fail), the
    generated notebooks, heavy pages first, recorded for the cache; never in quick mode."""
    monkeypatch.setenv("ZEROTOALL_QUICK", "1")
    command, env = reproduce.prerun_command(Path("/tmp/x/executed"), 2)
    assert "ZEROTOALL_QUICK" not in env
    assert command[1:3] == ["-m", "pytest"] and "--nbval-lax" in command and "--heavy-first" in command
    assert command[command.index("-n") + 1] == "2" and command[command.index("--dist") + 1] == "loadfile"
    assert command[command.index("--record-executed") + 1] == "/tmp/x/executed"
    assert command[-1] == str(ROOT / "_build" / "notebooks")


def test_report_says_how_many_notebooks_ran_at_once(tmp_path):
    data = {"date": "d", "machine": "m", "build_wall_seconds": 600.0, "build_status": 0, "execution_seconds_total": 900.0,
            "budget_seconds": reproduce.BUDGET_SECONDS, "pages": [], "results": [], "problems": [], "workers": 2}
    text = reproduce.write_report(data, tmp_path).read_text(encoding="utf-8")
    assert "(2 notebooks at a time" in text
    data["workers"] = 1
    assert "at a time" not in reproduce.write_report(data, tmp_path).read_text(encoding="utf-8")


def test_workers_must_be_positive():
    with pytest.raises(SystemExit):
        reproduce.main(["--workers", "0", "--dry-run"])
