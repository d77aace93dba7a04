"""Helpers for the TensorFlow 2 edition of "모두를 위한 딥러닝 시즌 1".

Use it as ``import zerotoall as zta``: datasets (``zta.load_mnist()``, ``zta.load_csv(name)``),
quick mode, seeding, version banner, results glue, plot helpers, a TensorBoard log reader and the
MNIST labs' training pieces (``zta.one_cycle``, ``zta.shifted_batches``, ``zta.shift_images``).
Importing it is fast: TensorFlow is only imported by the functions that need it.
"""

import os

# Quiet TensorFlow's C++ start-up logs; must happen before anything imports TensorFlow.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from .config import device, glue, glue_run_time, quick_mode, set_seed, show_versions  # noqa: E402
from .datasets import (  # noqa: E402
    CSV_NAMES,
    DatasetError,
    dataset_path,
    load_csv,
    load_mnist,
)
from .plotting import plot_decision_boundary, plot_loss, use_style  # noqa: E402
from .tensorboard import TensorBoardLogs, read_tensorboard_events  # noqa: E402
from .training import one_cycle, random_shift, shift_images, shifted_batches  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "CSV_NAMES",
    "DatasetError",
    "TensorBoardLogs",
    "dataset_path",
    "device",
    "glue",
    "glue_run_time",
    "load_csv",
    "load_mnist",
    "one_cycle",
    "plot_decision_boundary",
    "plot_loss",
    "quick_mode",
    "random_shift",
    "read_tensorboard_events",
    "set_seed",
    "shift_images",
    "shifted_batches",
    "show_versions",
    "use_style",
]

use_style()
