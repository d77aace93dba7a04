"""Training helpers shared by the MNIST labs (Lab 10, Lab 11-2, Lab 11-3).

- ``one_cycle``: the warm-up + cosine learning-rate schedule every MNIST lab uses.
- ``random_shift``: shift augmentation for a batch of images, *stateless*: the same seed always
  gives the same shifts, so a lab gives the same accuracy every time it runs.
- ``shifted_batches``: the seeded ``tf.data`` pipeline (shuffle, batch, optional shift) that
  feeds ``model.fit``.
- ``shift_images``: move every image by a fixed number of pixels (test-time augmentation).

TensorFlow and Keras are imported inside the functions, never when ``zerotoall`` is imported.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["one_cycle", "random_shift", "shift_images", "shifted_batches"]


def one_cycle(peak_lr: float, total_steps: int, warmup: float = 0.2) -> Any:
    """Learning-rate schedule: linear warm-up from ``peak_lr / 10`` to ``peak_lr`` over the first
    ``warmup`` fraction of ``total_steps``, then a cosine decay to 0 over the rest.

    Returns a ``keras.optimizers.schedules.CosineDecay`` to pass to an optimizer.
    """
    if peak_lr <= 0:
        raise ValueError(f"peak_lr must be positive, got {peak_lr}")
    if not 0 <= warmup < 1:
        raise ValueError(f"warmup is a fraction of the steps in [0, 1), got {warmup}")
    total_steps = int(total_steps)
    warmup_steps = int(total_steps * warmup + 1e-9)  # total_steps // 5 for warmup=0.2, without float error
    if total_steps - warmup_steps < 1:
        raise ValueError(f"total_steps={total_steps} leaves no step for the cosine decay")
    import keras

    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_lr / 10,
        decay_steps=total_steps - warmup_steps,
        warmup_target=peak_lr,
        warmup_steps=warmup_steps,
    )


def random_shift(images: Any, max_shift: int = 2, seed: Any = (0, 0)) -> Any:
    """Shift each image of a batch ``(n, height, width, channels)`` by a random whole number of
    pixels in ``[-max_shift, max_shift]`` along both axes; the uncovered border is 0.

    ``seed`` is a pair of integers (or an int32/int64 tensor of shape ``(2,)``). The shifts are
    drawn with ``tf.random.stateless_uniform``: they depend on the seed only, never on the order
    in which a parallel ``tf.data`` map happens to run, so a training run can be repeated exactly.
    """
    import tensorflow as tf

    if max_shift < 0:
        raise ValueError(f"max_shift must be >= 0, got {max_shift}")
    images = tf.convert_to_tensor(images)
    if images.shape.rank != 4:
        raise ValueError(f"images must have shape (n, height, width, channels), got {images.shape}")
    if max_shift == 0:
        return images
    shape = tf.shape(images)
    n, height, width = shape[0], shape[1], shape[2]
    pad = [[0, 0], [max_shift, max_shift], [max_shift, max_shift], [0, 0]]
    padded = tf.pad(images, pad)
    seed = tf.cast(tf.convert_to_tensor(seed), tf.int64)
    offsets = tf.random.stateless_uniform([n, 2], seed=seed, minval=0, maxval=2 * max_shift + 1,
                                          dtype=tf.int32)
    rows = offsets[:, :1] + tf.range(height)[tf.newaxis, :]   # (n, height): rows to keep
    cols = offsets[:, 1:] + tf.range(width)[tf.newaxis, :]    # (n, width): columns to keep
    out = tf.gather(padded, rows, axis=1, batch_dims=1)       # (n, height, width + 2 * max_shift, c)
    return tf.gather(out, cols, axis=2, batch_dims=1)         # (n, height, width, c)


def shifted_batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int = 777,
                    max_shift: int = 0) -> Any:
    """An endless ``tf.data.Dataset`` of ``(images, labels)`` batches for ``model.fit``.

    Every pass over the data is shuffled again (seeded by ``seed``) and cut into full batches; with
    ``max_shift > 0`` each batch goes through :func:`random_shift` seeded by ``(seed, step)``, where
    ``step`` counts batches from the start of training. The dataset never ends, so pass
    ``steps_per_epoch=len(x) // batch_size`` to ``fit``.
    """
    import tensorflow as tf

    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} vs {len(y)}")
    if not 0 < batch_size <= len(x):
        raise ValueError(f"batch_size must be in 1..{len(x)}, got {batch_size}")
    ds = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size, drop_remainder=True).repeat()
    if max_shift > 0:
        def augment(step: Any, batch: Any) -> Any:
            images, labels = batch
            return random_shift(images, max_shift, seed=tf.stack([tf.constant(seed, tf.int64), step])), labels

        ds = ds.enumerate().map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def shift_images(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """A copy of the image batch ``x`` (``(n, height, width[, channels])``) moved ``dy`` pixels
    down and ``dx`` pixels right (negative: up / left); pixels moved in from outside are 0."""
    x = np.asarray(x)
    if x.ndim < 3:
        raise ValueError(f"x must be a batch of images (n, height, width[, channels]), got {x.shape}")
    height, width = x.shape[1], x.shape[2]
    if abs(dy) >= height or abs(dx) >= width:
        raise ValueError(f"shift ({dy}, {dx}) moves the whole {height}x{width} image out")
    out = np.zeros_like(x)
    src_rows = slice(max(0, -dy), height - max(0, dy))
    dst_rows = slice(max(0, dy), height - max(0, -dy))
    src_cols = slice(max(0, -dx), width - max(0, dx))
    dst_cols = slice(max(0, dx), width - max(0, -dx))
    out[:, dst_rows, dst_cols] = x[:, src_rows, src_cols]
    return out
