"""Plot helpers for the labs: the course style, decision boundaries and loss curves.

The helpers draw on a Matplotlib ``Axes`` and return it; they never call ``plt.show()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence, Union

import numpy as np

if TYPE_CHECKING:  # only for type hints: pyplot is imported when a plot is drawn
    from matplotlib.axes import Axes

__all__ = ["STYLE_PATH", "plot_decision_boundary", "plot_loss", "use_style"]

STYLE_PATH = Path(__file__).with_name("zerotoall.mplstyle")

# Okabe-Ito blue and vermillion, as in the style's colour cycle
_CLASS_COLORS = ("#0072B2", "#D55E00")
_CLASS_MARKERS = ("o", "^")


def use_style() -> None:
    """Apply the course's Matplotlib style (white figures, colour-blind-safe colours)."""
    import matplotlib.style

    matplotlib.style.use(STYLE_PATH)


def _axes(ax: Optional["Axes"]) -> "Axes":
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure().add_subplot()


def plot_decision_boundary(
    predict: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    ax: Optional["Axes"] = None,
    title: Optional[str] = None,
    grid_steps: int = 200,
    margin: float = 0.5,
) -> "Axes":
    """Draw a binary classifier's probability map, its 0.5 boundary and the data points.

    ``predict`` maps an (n, 2) float32 array to the probability of class 1, shaped (n,) or
    (n, 1); for example ``lambda grid: model(grid)`` for a Keras model. ``X`` has shape (m, 2),
    ``y`` holds the 0/1 labels.
    """
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y).reshape(-1)
    ax = _axes(ax)

    x_min, y_min = X.min(axis=0) - margin
    x_max, y_max = X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, grid_steps), np.linspace(y_min, y_max, grid_steps))
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    prob = np.asarray(predict(grid), dtype=np.float64).reshape(xx.shape)
    prob = np.clip(prob, 0.0, 1.0)

    ax.contourf(xx, yy, prob, levels=np.linspace(0.0, 1.0, 11), cmap="RdBu_r", alpha=0.4)
    if prob.min() < 0.5 < prob.max():  # otherwise there is no boundary to draw
        ax.contour(xx, yy, prob, levels=[0.5], colors="black", linewidths=1.5)

    for cls in (0, 1):
        points = X[y == cls]
        ax.scatter(
            points[:, 0],
            points[:, 1],
            c=_CLASS_COLORS[cls],
            marker=_CLASS_MARKERS[cls],
            s=60,
            edgecolors="black",
            linewidths=0.8,
            label=f"y = {cls}",
            zorder=3,
        )
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.grid(False)
    ax.legend(loc="best")
    if title:
        ax.set_title(title)
    return ax


LossHistory = Union[Sequence[float], np.ndarray, Mapping[str, Sequence[float]], Any]


def _loss_curves(history: LossHistory) -> dict[str, np.ndarray]:
    keras_history = getattr(history, "history", None)
    if isinstance(keras_history, Mapping):  # a keras.callbacks.History
        curves = {"loss": keras_history["loss"]}
        if "val_loss" in keras_history:
            curves["val_loss"] = keras_history["val_loss"]
    elif isinstance(history, Mapping):
        curves = dict(history)
    else:
        curves = {"loss": history}
    return {name: np.array([float(v) for v in values]) for name, values in curves.items()}


def plot_loss(
    history: LossHistory,
    ax: Optional["Axes"] = None,
    title: Optional[str] = "Training loss",
    logy: bool = False,
    xlabel: str = "step",
) -> "Axes":
    """Plot loss curves.

    ``history`` is a list or array of losses, a dict ``name -> losses`` (one curve each), or
    a Keras ``History`` (its ``"loss"``, and ``"val_loss"`` when present).
    """
    ax = _axes(ax)
    curves = _loss_curves(history)
    for name, values in curves.items():
        ax.plot(np.arange(len(values)), values, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend(loc="best")
    if title:
        ax.set_title(title)
    return ax
