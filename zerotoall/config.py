"""Quick mode, seeding, version banner (with the device and the date), run time, and glue."""

from __future__ import annotations

import datetime
import os
import random
import time
from typing import TypeVar

import numpy as np

__all__ = ["QUICK_ENV", "device", "glue", "glue_run_time", "quick_mode", "set_seed", "show_versions"]

QUICK_ENV = "ZEROTOALL_QUICK"
_TRUE_VALUES = {"1", "true", "yes"}

T = TypeVar("T")

# When this notebook started: the first zta.quick_mode() call (every lab's first code cell).
_started: float | None = None


def quick_mode() -> bool:
    """True when ``ZEROTOALL_QUICK`` is "1", "true" or "yes": labs then run as short smoke tests.

    The first call also starts the clock that ``glue_run_time`` reads.
    """
    global _started
    if _started is None:
        _started = time.perf_counter()
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


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, CI)
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _gpu_names() -> list[str]:
    try:
        import tensorflow as tf
    except ImportError:
        return []
    return [tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
            for gpu in tf.config.list_physical_devices("GPU")]


def device() -> str:
    """The device TensorFlow computes on: ``"GPU (Tesla T4)"`` or ``"CPU (2 cores)"``."""
    gpus = _gpu_names()
    return f"GPU ({', '.join(gpus)})" if gpus else f"CPU ({_cpu_count()} cores)"


def _device_ko() -> str:
    gpus = _gpu_names()
    return f"GPU({', '.join(gpus)})" if gpus else f"CPU {_cpu_count()}코어"


def show_versions() -> None:
    """Print one line: TensorFlow, Keras and NumPy versions, the device, today's date, quick mode."""
    mode = "on" if quick_mode() else "off"
    print(
        f"TensorFlow {_version('tensorflow')} · Keras {_version('keras')} · "
        f"NumPy {np.__version__} · device: {device()} · "
        f"run {datetime.date.today().isoformat()} · quick mode: {mode}"
    )


def glue_run_time(page: str) -> None:
    """Record how long this notebook has run, for the page's "실행 시간과 GPU" note.

    Call it in the page's last cell. Measures from the first ``zta.quick_mode()`` call, prints
    the time, and glues under ``"<page>-runtime"`` a Markdown phrase for ``{glue:md}`` that says
    how the page ran (full or quick mode, CPU cores or GPU, TensorFlow version, date) and how
    long it took, e.g. "2026-12-03에 TensorFlow 2.21.0으로, 전체 모드로, CPU 2코어에서
    **7.4분**". Returns nothing (the cell shows only the printed line).
    """
    if _started is None:
        raise RuntimeError("zta.glue_run_time() needs zta.quick_mode() to have run in the first cell")
    minutes = (time.perf_counter() - _started) / 60
    mode = "빠른 모드(ZEROTOALL_QUICK)로" if quick_mode() else "전체 모드로"
    phrase = (
        f"{datetime.date.today().isoformat()}에 TensorFlow {_version('tensorflow')}으로, {mode}, "
        f"{_device_ko()}에서 **{minutes:.1f}분**"
    )
    print(f"이 노트북의 실행 시간: {minutes:.1f}분 ({_device_ko()})")
    try:
        from IPython.display import Markdown
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab, Kaggle: the printed line is all
        return
    myst_glue(f"{page}-runtime", Markdown(phrase), display=False)


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
