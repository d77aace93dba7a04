"""Unit tests for zerotoall's quick mode, seeding, versions, glue, style and plot helpers."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import zerotoall as zta  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("false", False),
        ("no", False),
        ("2", False),
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        (" Yes ", True),
    ],
)
def test_quick_mode(value, expected, monkeypatch):
    if value is None:
        monkeypatch.delenv("ZEROTOALL_QUICK", raising=False)
    else:
        monkeypatch.setenv("ZEROTOALL_QUICK", value)
    assert zta.quick_mode() is expected


def _draws() -> tuple[list[float], np.ndarray]:
    return [random.random() for _ in range(3)], np.random.rand(3)


def test_set_seed_without_keras(monkeypatch):
    monkeypatch.setitem(sys.modules, "keras", None)  # makes `import keras` fail
    assert zta.set_seed(123) == 123
    first = _draws()
    assert zta.set_seed(123) == 123
    second = _draws()
    zta.set_seed(124)
    third = _draws()
    assert first[0] == second[0] and np.array_equal(first[1], second[1])
    assert first[0] != third[0] and not np.array_equal(first[1], third[1])


def test_set_seed_seeds_tensorflow():
    tf = pytest.importorskip("tensorflow")
    assert zta.set_seed() == 777
    a = tf.random.uniform((4,)).numpy()
    np_a = np.random.rand(2)
    zta.set_seed(777)
    b = tf.random.uniform((4,)).numpy()
    np_b = np.random.rand(2)
    assert np.array_equal(a, b)
    assert np.array_equal(np_a, np_b)


def test_show_versions(monkeypatch, capsys):
    pytest.importorskip("tensorflow")
    monkeypatch.setenv("ZEROTOALL_QUICK", "1")
    assert zta.show_versions() is None  # nothing to echo as a notebook cell's result
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(r"TensorFlow 2\.\S+ · Keras 3\.\S+ · NumPy \S+ · quick mode: on", line), line
    assert np.__version__ in line

    monkeypatch.delenv("ZEROTOALL_QUICK")
    zta.show_versions()
    assert capsys.readouterr().out.strip().endswith("quick mode: off")


def test_glue_with_myst_nb_returns_value():
    import myst_nb  # noqa: F401  (installed with the book's requirements)

    value = {"acc": 0.97}
    assert zta.glue("test-key", value) is value
    assert zta.glue("test-float", 0.5, display=True) == 0.5


def test_glue_turns_numpy_scalars_into_python_numbers():
    value = zta.glue("test-np", np.float32(0.75))
    assert type(value) is float and value == 0.75
    assert type(zta.glue("test-np-int", np.int64(3))) is int


def test_glue_without_myst_nb(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # makes the import fail
    assert zta.glue("test-key", 42) == 42


def test_import_is_fast_and_sets_tf_log_level():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = (
        "import os, sys, zerotoall; "
        "assert 'tensorflow' not in sys.modules, 'tensorflow imported'; "
        "assert 'keras' not in sys.modules, 'keras imported'; "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'; "
        "print(os.environ['TF_CPP_MIN_LOG_LEVEL'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


def test_style_is_applied():
    matplotlib.rcdefaults()
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0] != "#0072B2"
    zta.use_style()
    params = matplotlib.rcParams
    assert params["axes.prop_cycle"].by_key()["color"][:4] == ["#0072B2", "#E69F00", "#009E73", "#D55E00"]
    assert params["figure.facecolor"] == "white"
    assert params["savefig.transparent"] is False
    assert list(params["figure.figsize"]) == [6.4, 4.0]
    assert params["figure.dpi"] == 100
    assert params["axes.grid"] is True


def _xor_data() -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([[0], [1], [1], [0]], dtype=np.float32)
    return X, y


def test_plot_decision_boundary():
    X, y = _xor_data()
    seen = []

    def predict(grid: np.ndarray) -> np.ndarray:
        seen.append((grid.shape, grid.dtype))
        return (1 / (1 + np.exp(-10 * (grid[:, :1] - 0.5)))).astype(np.float32)  # (n, 1)

    ax = zta.plot_decision_boundary(predict, X, y, title="XOR", grid_steps=50)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert seen == [((2500, 2), np.float32)]
    assert ax.get_title() == "XOR"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["y = 0", "y = 1"]
    assert ax.get_xlim() == pytest.approx((-0.5, 1.5))
    offsets = [c.get_offsets() for c in ax.collections if len(c.get_offsets()) == 2]
    assert len(offsets) == 2, "two scatter groups of two points each"
    assert len(ax.collections) == 4, "filled contours, the 0.5 line and two scatter groups"


def test_plot_decision_boundary_on_given_axes_without_boundary():
    X, y = _xor_data()
    fig, (left, right) = plt.subplots(1, 2)
    ax = zta.plot_decision_boundary(lambda g: np.full(len(g), 0.2), X, y.ravel(), ax=right, margin=1.0)
    assert ax is right
    assert len(left.collections) == 0
    assert ax.get_title() == ""
    assert ax.get_xlim() == pytest.approx((-1.0, 2.0))
    assert len(ax.collections) == 3, "no 0.5 line when every probability is below 0.5"


def test_plot_loss_list():
    losses = [1.0, 0.5, 0.25]
    ax = zta.plot_loss(losses)
    assert isinstance(ax, matplotlib.axes.Axes)
    (line,) = ax.get_lines()
    assert line.get_ydata().tolist() == losses
    assert line.get_xdata().tolist() == [0, 1, 2]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Training loss", "step", "loss")
    assert ax.get_yscale() == "linear"
    assert ax.get_legend() is None


def test_plot_loss_dict_logy():
    ax = zta.plot_loss(
        {"lr=0.1": np.array([1.0, 0.1]), "lr=0.01": [1.0, 0.5]}, logy=True, xlabel="epoch", title=None
    )
    assert [line.get_label() for line in ax.get_lines()] == ["lr=0.1", "lr=0.01"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr=0.1", "lr=0.01"]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "epoch"
    assert ax.get_title() == ""


def test_plot_loss_keras_history():
    history = SimpleNamespace(history={"loss": [0.9, 0.4], "val_loss": [1.0, 0.6], "accuracy": [0.5, 0.8]})
    ax = zta.plot_loss(history, title="XOR")
    assert [line.get_label() for line in ax.get_lines()] == ["loss", "val_loss"]
    assert ax.get_lines()[0].get_ydata().tolist() == [0.9, 0.4]
    assert ax.get_title() == "XOR"


# ---- TensorBoard event reader ----------------------------------------------------------


def test_read_tensorboard_events_round_trip(tmp_path):
    tf = pytest.importorskip("tensorflow")
    writer = tf.summary.create_file_writer(str(tmp_path / "run"))
    with writer.as_default():
        for step in range(5):
            tf.summary.scalar("cost", 1.0 / (step + 1), step=step)
            tf.summary.histogram("weights", tf.constant([0.0, 1.0, 2.0, float(step)]), step=step, buckets=4)
    writer.flush()
    logs = zta.read_tensorboard_events(tmp_path)
    steps, cost = logs.scalars["cost"]
    assert steps.tolist() == [0, 1, 2, 3, 4]
    assert np.allclose(cost, [1.0, 0.5, 1 / 3, 0.25, 0.2])
    steps, hist = logs.histograms["weights"]
    assert hist.shape == (5, 4, 3) and np.allclose(hist[:, :, 2].sum(axis=1), 4)
    assert logs.n_graphs == 0 and len(logs.files) == 1


def test_read_tensorboard_events_without_logs(tmp_path):
    with pytest.raises(FileNotFoundError, match="tfevents"):
        zta.read_tensorboard_events(tmp_path)
