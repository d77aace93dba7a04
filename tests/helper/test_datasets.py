"""Unit tests for zerotoall.datasets: mirror, Keras cache, download, checksums and errors.

No test uses the network: ``urlopen`` is replaced in every test, and KERAS_HOME points at a
temporary folder so the real ``~/.keras`` is never touched.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest

import zerotoall as zta
from zerotoall import datasets

MIRROR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
needs_mirror = pytest.mark.skipif(
    not MIRROR.is_dir(), reason=f"offline dataset mirror {MIRROR} not found"
)

CSV_SHAPES = {
    "data-01-test-score.csv": (25, 4),
    "data-02-stock_daily.csv": (732, 5),
    "data-03-diabetes.csv": (759, 9),
    "data-04-zoo.csv": (101, 17),
}
SCORE = "data-01-test-score.csv"


def _no_network(url, timeout=None):
    raise URLError("network disabled in tests")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Empty Keras home, no mirror, no network, and a temporary working directory."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("ZEROTOALL_DATA", raising=False)
    monkeypatch.setattr(datasets, "urlopen", _no_network)
    monkeypatch.setattr(datasets, "RETRY_DELAY_S", 0)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    yield tmp_path
    assert list(cwd.iterdir()) == [], "nothing may be written into the working directory"


def _serve(files: dict[str, bytes], calls: list[str]):
    """A fake urlopen that serves ``files`` by the last part of the URL."""

    def fake_urlopen(url, timeout=None):
        calls.append(url)
        assert timeout is not None, "downloads must use a timeout"
        body = io.BytesIO(files[url.rsplit("/", 1)[-1]])
        body.headers = {"Content-Length": str(len(body.getvalue()))}
        return body

    return fake_urlopen


def test_registry_matches_mirror_checksums():
    sums = {}
    if MIRROR.is_dir():
        for line in (MIRROR / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split()
            sums[name] = digest
        assert {name: sha for name, (_, sha) in datasets.FILES.items()} == sums
    assert len(datasets.FILES) == 8
    assert set(zta.CSV_NAMES) == set(CSV_SHAPES)
    for name, (url, sha) in datasets.FILES.items():
        assert url.endswith("/" + name) and url.startswith("https://")
        assert len(sha) == 64


@needs_mirror
@pytest.mark.parametrize("name", sorted(CSV_SHAPES))
def test_load_csv_from_mirror(name, monkeypatch, isolated):
    monkeypatch.setenv("ZEROTOALL_DATA", str(MIRROR))
    data = zta.load_csv(name)
    assert data.dtype == np.float32
    assert data.shape == CSV_SHAPES[name]
    assert np.isfinite(data).all()
    assert zta.dataset_path(name) == MIRROR / name
    assert not (isolated / "keras").exists(), "a mirror hit must not fill the cache"


@needs_mirror
def test_csv_values():
    score = np.loadtxt(MIRROR / SCORE, delimiter=",", dtype=np.float32)
    zoo_labels = np.loadtxt(MIRROR / "data-04-zoo.csv", delimiter=",", dtype=np.float32)[:, -1]
    assert score[0].tolist() == [73, 80, 75, 152]
    assert set(zoo_labels.astype(int).tolist()) == set(range(7))


@needs_mirror
def test_load_mnist_from_mirror(monkeypatch):
    monkeypatch.setenv("ZEROTOALL_DATA", str(MIRROR))
    (x_train, y_train), (x_test, y_test) = zta.load_mnist()
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8
    assert set(np.unique(y_train).tolist()) == set(range(10))
    assert set(np.unique(y_test).tolist()) == set(range(10))
    assert x_train.max() == 255 and x_train.min() == 0
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]  # the well-known first MNIST labels

    # callers get copies: changing them must not change the next call's arrays
    x_train[0] = 0
    y_test[:] = 0
    (x_train2, _), (_, y_test2) = zta.load_mnist()
    assert x_train2[0].any()
    assert y_test2.any()


@needs_mirror
def test_validation_split(monkeypatch):
    """load_mnist(validation=5000): the original course's 55,000 / 5,000 split, the first 5,000
    training images held out; disjoint from the rest, the same on every call, every class present."""
    monkeypatch.setenv("ZEROTOALL_DATA", str(MIRROR))
    (x_all, y_all), (x_test_all, _) = zta.load_mnist()
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = zta.load_mnist(validation=5000)
    assert x_train.shape == (55000, 28, 28) and y_train.shape == (55000,)
    assert x_val.shape == (5000, 28, 28) and y_val.shape == (5000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    # together they are exactly the 60,000 training images, in order: nothing lost, nothing twice
    assert np.array_equal(np.concatenate([x_val, x_train]), x_all)
    assert np.array_equal(np.concatenate([y_val, y_train]), y_all)
    assert np.array_equal(x_test, x_test_all)
    # disjoint as images, not only as positions (MNIST has no exact duplicates across the split)
    train_rows = {row.tobytes() for row in x_train.reshape(len(x_train), -1)}
    assert not any(row.tobytes() in train_rows for row in x_val.reshape(len(x_val), -1))
    for labels in (y_train, y_val):
        counts = np.bincount(labels, minlength=10)
        assert (counts > 0).all() and counts.min() > 0.07 * len(labels), counts
    # the same split on every call
    (_, y_train2), (x_val2, y_val2), _ = zta.load_mnist(validation=5000)
    assert np.array_equal(x_val2, x_val) and np.array_equal(y_val2, y_val)
    assert np.array_equal(y_train2, y_train)
    # other sizes work the same way
    (x_small_train, _), (x_small_val, _), _ = zta.load_mnist(validation=100)
    assert len(x_small_train) == 59900 and np.array_equal(x_small_val, x_all[:100])


@pytest.mark.parametrize("bad", [-1, 60000, 2.5, "5000", True])
def test_validation_split_rejects_bad_sizes(bad):
    with pytest.raises((ValueError, TypeError), match="validation must be"):
        zta.load_mnist(validation=bad)


@needs_mirror
def test_cache_hit(isolated):
    cached = datasets.cache_dir() / SCORE
    cached.parent.mkdir(parents=True)
    shutil.copy(MIRROR / SCORE, cached)
    assert cached.is_relative_to(isolated / "keras")
    assert cached.parent.name == "zerotoall" and cached.parent.parent.name == "datasets"
    assert zta.dataset_path(SCORE) == cached
    assert zta.load_csv(SCORE).shape == (25, 4)


def test_cache_dir_default(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datasets.cache_dir() == tmp_path / "home" / ".keras" / "datasets" / "zerotoall"


@needs_mirror
def test_mirror_missing_file_falls_back_to_cache(monkeypatch, tmp_path):
    empty_mirror = tmp_path / "mirror"
    empty_mirror.mkdir()
    monkeypatch.setenv("ZEROTOALL_DATA", str(empty_mirror))
    cached = datasets.cache_dir() / SCORE
    cached.parent.mkdir(parents=True)
    shutil.copy(MIRROR / SCORE, cached)
    assert zta.dataset_path(SCORE) == cached


@needs_mirror
def test_download_writes_cache_and_verifies(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(datasets, "urlopen", _serve({SCORE: (MIRROR / SCORE).read_bytes()}, calls))
    data = zta.load_csv(SCORE)
    assert data.shape == (25, 4)
    assert calls == [datasets.FILES[SCORE][0]]
    assert calls[0] == "https://raw.githubusercontent.com/hunkim/DeepLearningZeroToAll/master/" + SCORE
    cached = datasets.cache_dir() / SCORE
    assert sorted(p.name for p in cached.parent.iterdir()) == [SCORE], "no temporary files left"
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == datasets.FILES[SCORE][1]

    # the second call is a cache hit: no new download
    zta.load_csv(SCORE)
    assert len(calls) == 1


def test_corrupt_download_is_deleted(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(datasets, "urlopen", _serve({SCORE: b"1,2,3,4\n"}, calls))
    with pytest.raises(zta.DatasetError) as info:
        zta.load_csv(SCORE)
    message = str(info.value)
    assert "corrupt" in message and "deleted" in message
    assert datasets.FILES[SCORE][1] in message
    assert hashlib.sha256(b"1,2,3,4\n").hexdigest() in message
    assert calls == [datasets.FILES[SCORE][0]]
    assert list(datasets.cache_dir().iterdir()) == [], "a corrupt download must not stay in the cache"


def test_unknown_name_lists_valid_names():
    with pytest.raises(zta.DatasetError) as info:
        zta.load_csv("data-99-nothing.csv")
    message = str(info.value)
    assert "data-99-nothing.csv" in message
    for name in CSV_SHAPES:
        assert name in message
    assert isinstance(info.value, RuntimeError)

    with pytest.raises(zta.DatasetError, match="train-images-idx3-ubyte.gz"):
        zta.dataset_path("mnist.npz")
    with pytest.raises(zta.DatasetError, match="Valid names"):
        zta.load_csv("train-labels-idx1-ubyte.gz")  # a known file, but not a CSV


@pytest.mark.parametrize("where", ["mirror", "cache"])
def test_hash_mismatch_names_file_and_hashes(where, monkeypatch, tmp_path):
    bad = b"73,80,75,999\n"
    if where == "mirror":
        folder = tmp_path / "mirror"
        monkeypatch.setenv("ZEROTOALL_DATA", str(folder))
    else:
        folder = datasets.cache_dir()
    folder.mkdir(parents=True)
    path = folder / SCORE
    path.write_bytes(bad)
    with pytest.raises(zta.DatasetError) as info:
        zta.load_csv(SCORE)
    message = str(info.value)
    assert str(path) in message
    assert datasets.FILES[SCORE][1] in message
    assert hashlib.sha256(bad).hexdigest() in message
    assert "Delete" in message
    assert path.read_bytes() == bad, "a file that was not downloaded by us is never deleted"


def test_no_file_no_network_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("ZEROTOALL_DATA", str(tmp_path / "empty-mirror"))
    with pytest.raises(zta.DatasetError) as info:
        zta.load_csv("data-04-zoo.csv")
    message = str(info.value)
    assert datasets.FILES["data-04-zoo.csv"][0] in message
    assert str(datasets.cache_dir()) in message
    assert "ZEROTOALL_DATA" in message
    assert str(tmp_path / "empty-mirror") in message
    assert "network disabled in tests" in message
    assert info.value.__suppress_context__, "no chained urllib traceback"
    assert not any(p.is_file() for p in datasets.cache_dir().iterdir()), "no partial files left"


def test_no_file_no_network_for_mnist():
    with pytest.raises(zta.DatasetError) as info:
        zta.load_mnist()
    message = str(info.value)
    assert "https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz" in message
    assert str(datasets.cache_dir()) in message


def _write_idx(path: Path, magic: int, shape: tuple[int, ...], values: bytes) -> None:
    header = np.array([magic, *shape], dtype=">i4").tobytes()
    with gzip.open(path, "wb") as f:
        f.write(header + values)


def test_read_idx_parses_images_and_labels(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    _write_idx(tmp_path / "images.gz", 2051, (2, 3, 4), images.tobytes())
    _write_idx(tmp_path / "labels.gz", 2049, (2,), bytes([7, 3]))
    assert np.array_equal(datasets._read_idx(tmp_path / "images.gz", 2051), images)
    assert datasets._read_idx(tmp_path / "labels.gz", 2049).tolist() == [7, 3]


def test_read_idx_rejects_bad_files(tmp_path):
    _write_idx(tmp_path / "labels.gz", 2049, (2,), bytes([7, 3]))
    with pytest.raises(zta.DatasetError, match="magic number 2051"):
        datasets._read_idx(tmp_path / "labels.gz", 2051)
    _write_idx(tmp_path / "short.gz", 2049, (5,), bytes([1, 2]))
    with pytest.raises(zta.DatasetError, match="data size"):
        datasets._read_idx(tmp_path / "short.gz", 2049)
