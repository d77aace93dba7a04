"""zta.device(), the date in zta.show_versions() and zta.glue_run_time() (issue 16, part 5)."""

from __future__ import annotations

import datetime
import re
import sys
import types

import pytest

import zerotoall as zta
from zerotoall import config


def test_device_names_cpu_cores_or_gpu(monkeypatch):
    pytest.importorskip("tensorflow")
    monkeypatch.setattr(config, "_gpu_names", lambda: [])
    monkeypatch.setattr(config, "_cpu_count", lambda: 2)
    assert zta.device() == "CPU (2 cores)"
    monkeypatch.setattr(config, "_gpu_names", lambda: ["Tesla T4"])
    assert zta.device() == "GPU (Tesla T4)"


def test_device_on_this_machine():
    tf = pytest.importorskip("tensorflow")
    expected = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    assert zta.device().startswith(expected + " (")


def test_show_versions_says_device_and_date(monkeypatch, capsys):
    monkeypatch.setattr(config, "_gpu_names", lambda: [])
    zta.show_versions()
    line = capsys.readouterr().out
    assert f"device: CPU ({config._cpu_count()} cores)" in line
    assert f"run {datetime.date.today().isoformat()}" in line


def test_glue_run_time_measures_from_quick_mode(monkeypatch, capsys):
    glued = {}
    fake_myst_nb = types.ModuleType("myst_nb")
    fake_myst_nb.glue = lambda key, value, display=True: glued.update({key: (value, display)})
    monkeypatch.setitem(sys.modules, "myst_nb", fake_myst_nb)
    monkeypatch.setattr(config, "_gpu_names", lambda: [])
    monkeypatch.setattr(config, "_cpu_count", lambda: 2)
    clock = iter([100.0, 100.0 + 7.4 * 60])
    monkeypatch.setattr(config.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(config, "_started", None)
    monkeypatch.delenv("ZEROTOALL_QUICK", raising=False)

    zta.quick_mode()  # the first cell starts the clock
    assert zta.glue_run_time("lab10") is None, "nothing for the notebook cell to echo"
    value, display = glued["lab10-runtime"]
    assert display is False
    phrase = value.data  # IPython.display.Markdown: rendered by {glue:md}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d에 TensorFlow \S+으로, 전체 모드로, CPU 2코어에서 \*\*7\.4분\*\*", phrase), phrase
    assert "7.4분" in capsys.readouterr().out


def test_glue_run_time_needs_the_first_cell(monkeypatch):
    monkeypatch.setattr(config, "_started", None)
    with pytest.raises(RuntimeError, match="quick_mode"):
        zta.glue_run_time("lab10")


def test_quick_mode_is_said_in_the_phrase(monkeypatch):
    glued = {}
    fake_myst_nb = types.ModuleType("myst_nb")
    fake_myst_nb.glue = lambda key, value, display=True: glued.update({key: value})
    monkeypatch.setitem(sys.modules, "myst_nb", fake_myst_nb)
    monkeypatch.setenv("ZEROTOALL_QUICK", "1")
    zta.quick_mode()
    zta.glue_run_time("lec10-1")
    assert "빠른 모드(ZEROTOALL_QUICK)로" in glued["lec10-1-runtime"].data
