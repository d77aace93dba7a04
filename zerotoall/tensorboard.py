"""Read TensorBoard event files back into NumPy, so a static page can plot what was logged.

TensorBoard needs a running server, which a static site (and CI) does not have. The logs are
plain TFRecord files of ``Event`` protocol buffers, so the curves can be read back and drawn
with matplotlib instead::

    logs = zta.read_tensorboard_events("logs/xor_lr0.01")
    steps, cost = logs.scalars["cost"]
    steps, hists = logs.histograms["layer1/weights1"]   # (n, buckets, 3): left, right, count

TensorFlow is imported only when the function is called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

__all__ = ["TensorBoardLogs", "read_tensorboard_events"]


@dataclass
class TensorBoardLogs:
    """What a log folder holds: ``{tag: (steps, values)}`` per plugin, and the number of graphs."""

    scalars: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    histograms: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    n_graphs: int = 0
    files: list[str] = field(default_factory=list)


def read_tensorboard_events(logdir: str | os.PathLike) -> TensorBoardLogs:
    """Read every ``*tfevents*`` file under ``logdir`` (recursively, in file-name order).

    Scalars come back as ``(steps, values)`` with values of shape ``(n,)``; histograms as
    ``(steps, values)`` with values of shape ``(n, buckets, 3)``. Graphs (from
    ``tf.summary.graph``, ``tf.summary.trace_export`` or the Keras callback) are counted.
    Raises ``FileNotFoundError`` when the folder has no event file.
    """
    import tensorflow as tf

    logdir = os.fspath(logdir)
    logs = TensorBoardLogs()
    raw: dict[str, dict[str, tuple[list, list]]] = {"scalars": {}, "histograms": {}}
    for root, _, names in sorted(os.walk(logdir)):
        for name in sorted(n for n in names if "tfevents" in n):
            path = os.path.join(root, name)
            logs.files.append(path)
            for batch in tf.data.TFRecordDataset(path).batch(4096):  # many records per step: fast
                for record in batch.numpy():
                    event = tf.compat.v1.Event.FromString(record)
                    logs.n_graphs += bool(event.graph_def)
                    for value in event.summary.value:
                        plugin = value.metadata.plugin_data.plugin_name
                        if plugin == "graph_run_metadata_graph":
                            logs.n_graphs += 1
                        if plugin in raw:
                            steps, values = raw[plugin].setdefault(value.tag, ([], []))
                            steps.append(event.step)
                            values.append(tf.make_ndarray(value.tensor))
    if not logs.files:
        raise FileNotFoundError(f"no TensorBoard event files (*tfevents*) under {logdir!r}")
    for plugin, target in (("scalars", logs.scalars), ("histograms", logs.histograms)):
        for tag, (steps, values) in raw[plugin].items():
            order = np.argsort(steps, kind="stable")
            target[tag] = (np.asarray(steps)[order], np.asarray(values)[order])
    return logs
