"""Quick mode, seeding, version banner and glue for the results page."""

from __future__ import annotations

import os
import random
from typing import TypeVar

import numpy as np

__all__ = ["QUICK_ENV", "glue", "quick_mode", "set_seed", "show_versions"]

QUICK_ENV = "ZEROTOALL_QUICK"
_TRUE_VALUES = {"1", "true", "yes"}

T = TypeVar("T")


def quick_mode() -> bool:
    """True when ``ZEROTOALL_QUICK`` is "1", "true" or "yes": labs then run as short smoke tests."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in _TRUE_VALUES


def set_seed(seed: int = 777) -> int:
    """Seed Python's ``random``, NumPy and, when installed, TensorFlow/Keras. Returns ``seed``."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import keras  # imports TensorFlow: only here, never when zerotoall is imported
    except ImportError:
        return seed
    keras.utils.set_random_seed(seed)
    return seed


def _version(module_name: str) -> str:
    try:
        module = __import__(module_name)
    except ImportError:
        return "not installed"
    return getattr(module, "__version__", "unknown")


def show_versions() -> None:
    """Print one line with the TensorFlow, Keras and NumPy versions and the quick mode."""
    mode = "on" if quick_mode() else "off"
    print(
        f"TensorFlow {_version('tensorflow')} · Keras {_version('keras')} · "
        f"NumPy {np.__version__} · quick mode: {mode}"
    )


def glue(key: str, value: T, display: bool = False) -> T:
    """Record ``value`` under ``key`` for the book's results page and return ``value``.

    Uses ``myst_nb.glue`` when myst_nb is installed (as in the book build); otherwise it only
    returns the value, so notebooks also run on Colab.
    """
    if not isinstance(value, (str, bytes)) and np.ndim(value) == 0:
        # NumPy/TensorFlow scalars become plain Python numbers, so the results page can format them
        value = np.asarray(value).item()
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return value
    myst_glue(key, value, display=display)
    return value
