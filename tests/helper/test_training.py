"""Unit tests for zerotoall.training: the schedule, the seeded shift augmentation, the pipeline."""

from __future__ import annotations

import numpy as np
import pytest

import zerotoall as zta

tf = pytest.importorskip("tensorflow")


def digits(n: int = 8, size: int = 6) -> np.ndarray:
    """n distinct images (n, size, size, 1): each pixel holds a unique positive number."""
    return (np.arange(n * size * size, dtype=np.float32) + 1).reshape(n, size, size, 1)


def test_one_cycle_warms_up_then_decays_to_zero():
    schedule = zta.one_cycle(1e-2, total_steps=100)
    lr = np.array([float(schedule(step)) for step in range(101)])
    assert lr[0] == pytest.approx(1e-3)                 # starts at peak / 10
    assert lr[20] == pytest.approx(1e-2)                # peak after 20% of the steps
    assert np.all(np.diff(lr[:21]) > 0)                 # rises during warm-up
    assert np.all(np.diff(lr[20:]) <= 1e-12)            # then only decreases
    assert lr[100] == pytest.approx(0.0, abs=1e-9)      # and reaches 0 at the end
    assert lr[60] == pytest.approx(5e-3, rel=1e-4)      # halfway through the cosine: half the peak


@pytest.mark.parametrize(("peak", "steps", "warmup"), [(0.0, 100, 0.2), (1e-3, 100, 1.0), (1e-3, 0, 0.2)])
def test_one_cycle_rejects_bad_arguments(peak, steps, warmup):
    with pytest.raises(ValueError):
        zta.one_cycle(peak, steps, warmup=warmup)


def test_random_shift_moves_whole_images_and_fills_with_zero():
    x = digits()
    out = zta.random_shift(x, max_shift=2, seed=(1, 2)).numpy()
    assert out.shape == x.shape
    for image, shifted in zip(x, out):
        found = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)
                 if np.array_equal(zta.shift_images(image[None], dy, dx)[0], shifted)]
        assert len(found) == 1, "each output is its input moved by one whole (dy, dx) in [-2, 2]"


def test_random_shift_is_a_function_of_the_seed():
    x = digits(64)
    a = zta.random_shift(x, 2, seed=(7, 0)).numpy()
    b = zta.random_shift(x, 2, seed=(7, 0)).numpy()
    c = zta.random_shift(x, 2, seed=(7, 1)).numpy()
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, x)


def test_random_shift_zero_and_bad_input():
    x = digits(2)
    assert np.array_equal(zta.random_shift(x, 0).numpy(), x)
    with pytest.raises(ValueError, match="max_shift"):
        zta.random_shift(x, -1)
    with pytest.raises(ValueError, match="shape"):
        zta.random_shift(x[..., 0], 2)


def test_shift_images():
    x = digits(1, 4)[..., 0]
    down_right = zta.shift_images(x, 1, 2)[0]
    assert np.array_equal(down_right[1:, 2:], x[0, :-1, :-2])
    assert not down_right[0].any() and not down_right[:, :2].any()
    up_left = zta.shift_images(x, -1, -1)[0]
    assert np.array_equal(up_left[:-1, :-1], x[0, 1:, 1:])
    assert not up_left[-1].any() and not up_left[:, -1].any()
    assert np.array_equal(zta.shift_images(x, 0, 0), x)
    with pytest.raises(ValueError, match="out"):
        zta.shift_images(x, 4, 0)
    with pytest.raises(ValueError, match="batch"):
        zta.shift_images(x[0], 1, 0)


def take(ds, n):
    return [(images.numpy(), labels.numpy()) for images, labels in ds.take(n)]


def test_shifted_batches_repeat_and_reshuffle_every_pass():
    x, y = digits(10), np.arange(10, dtype=np.int32)
    batches = take(zta.shifted_batches(x, y, batch_size=3, seed=5), 6)   # 3 full batches per pass
    assert [b[0].shape for b in batches] == [(3, 6, 6, 1)] * 6
    first, second = [np.concatenate([b[1] for b in batches[i:i + 3]]) for i in (0, 3)]
    assert len(set(first)) == 9 and len(set(second)) == 9             # each pass: 9 distinct examples
    assert not np.array_equal(first, second)                          # in a new order
    for images, labels in batches:                                    # labels stay with their images
        assert np.array_equal(images, x[labels])


def test_shifted_batches_are_reproducible_with_augmentation():
    x, y = digits(32), np.arange(32, dtype=np.int32)
    a = take(zta.shifted_batches(x, y, 8, seed=3, max_shift=2), 8)
    b = take(zta.shifted_batches(x, y, 8, seed=3, max_shift=2), 8)
    c = take(zta.shifted_batches(x, y, 8, seed=4, max_shift=2), 8)
    for (ia, la), (ib, lb) in zip(a, b):
        assert np.array_equal(ia, ib) and np.array_equal(la, lb)
    assert any(not np.array_equal(ia, ic) for (ia, _), (ic, _) in zip(a, c))
    images, labels = a[0]
    assert not np.array_equal(images, x[labels])                      # the batch was shifted
    assert np.allclose(images.sum(axis=(1, 2, 3)) <= x[labels].sum(axis=(1, 2, 3)) + 1e-3, True)


def test_shifted_batches_rejects_bad_input():
    x, y = digits(4), np.arange(4)
    with pytest.raises(ValueError, match="length"):
        zta.shifted_batches(x, y[:3], 2)
    with pytest.raises(ValueError, match="batch_size"):
        zta.shifted_batches(x, y, 5)
