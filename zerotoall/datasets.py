"""The course's datasets: the four CSV files and MNIST.

A file is looked up in this order, and every file is checked against its SHA-256 before use:

1. the offline mirror folder named by the environment variable ``ZEROTOALL_DATA`` (if set);
2. the Keras cache folder, ``$KERAS_HOME/datasets/zerotoall`` or ``~/.keras/datasets/zerotoall``;
3. a download from the file's canonical URL into that cache folder.

Nothing is ever written into the current working directory.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import shutil
import tempfile
from http.client import HTTPException
from pathlib import Path
from urllib.request import urlopen

import numpy as np

__all__ = [
    "CSV_NAMES",
    "MNIST_NAMES",
    "DatasetError",
    "cache_dir",
    "dataset_path",
    "load_csv",
    "load_mnist",
]

MIRROR_ENV = "ZEROTOALL_DATA"
DOWNLOAD_TIMEOUT_S = 30

_CSV_URL = "https://raw.githubusercontent.com/hunkim/DeepLearningZeroToAll/master/"
_MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

# name -> (canonical URL, SHA-256)
FILES: dict[str, tuple[str, str]] = {
    "data-01-test-score.csv": (
        _CSV_URL + "data-01-test-score.csv",
        "4414f6016807913c412b64885cf2939e988d4564f002d363181be20ac622a0e5",
    ),
    "data-02-stock_daily.csv": (
        _CSV_URL + "data-02-stock_daily.csv",
        "a0ebd202da621b20c04253178714ca05147ffd8f712f8adafd38cee78e38a334",
    ),
    "data-03-diabetes.csv": (
        _CSV_URL + "data-03-diabetes.csv",
        "89e33de71cd5afdcd4fe8a722b60c4d69eb8f9b96446cea9347d735ff2df395e",
    ),
    "data-04-zoo.csv": (
        _CSV_URL + "data-04-zoo.csv",
        "cbf109a391118676bb76a5b0174573c295aed8561cc223abb4c3463990f2c476",
    ),
    "train-images-idx3-ubyte.gz": (
        _MNIST_URL + "train-images-idx3-ubyte.gz",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    ),
    "train-labels-idx1-ubyte.gz": (
        _MNIST_URL + "train-labels-idx1-ubyte.gz",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    ),
    "t10k-images-idx3-ubyte.gz": (
        _MNIST_URL + "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    ),
    "t10k-labels-idx1-ubyte.gz": (
        _MNIST_URL + "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ),
}

CSV_NAMES = tuple(name for name in FILES if name.endswith(".csv"))
MNIST_NAMES = tuple(name for name in FILES if name.endswith(".gz"))

_IMAGES_MAGIC = 2051
_LABELS_MAGIC = 2049


class DatasetError(RuntimeError):
    """A dataset file is unknown, missing, corrupt or cannot be downloaded."""


def cache_dir() -> Path:
    """The folder that holds downloaded files: ``<Keras home>/datasets/zerotoall``."""
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(keras_home) / "datasets" / "zerotoall"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verify(path: Path, expected: str, url: str) -> None:
    actual = _sha256(path)
    if actual != expected:
        raise DatasetError(
            f"The file {path} is corrupt or not the expected version.\n"
            f"  expected SHA-256: {expected}\n"
            f"  actual SHA-256:   {actual}\n"
            f"Delete it and run again to download a fresh copy from {url}"
        )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _download(url: str, dest: Path, expected: str) -> None:
    """Download ``url`` to a temporary file next to ``dest``, verify it, then rename it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            shutil.copyfileobj(response, out)
        actual = _sha256(tmp)
        if actual != expected:
            raise DatasetError(
                f"The download of {url} is corrupt and was deleted.\n"
                f"  expected SHA-256: {expected}\n"
                f"  actual SHA-256:   {actual}\n"
                f"Try again later, or download the file yourself and put it in {dest.parent}"
            )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def dataset_path(name: str) -> Path:
    """Return the local path of a course data file, checked against its SHA-256.

    Looks in the ``ZEROTOALL_DATA`` mirror folder, then the Keras cache, then downloads.
    """
    if name not in FILES:
        raise DatasetError(f"Unknown dataset file {name!r}. Known files: {', '.join(FILES)}")
    url, expected = FILES[name]

    mirror = os.environ.get(MIRROR_ENV)
    if mirror:
        candidate = Path(mirror).expanduser() / name
        if candidate.is_file():
            _verify(candidate, expected, url)
            return candidate

    cached = cache_dir() / name
    if cached.is_file():
        _verify(cached, expected, url)
        return cached

    try:
        _download(url, cached, expected)
    except (OSError, HTTPException, ValueError) as exc:
        message = (
            f"Could not find or download the data file {name!r}.\n"
            f"Download {url}\n"
            f"and put it in the Keras cache folder {cached.parent}\n"
            f"(or in a folder of your own, and set the environment variable {MIRROR_ENV} to it).\n"
            f"Reason: {_one_line(exc)}"
        )
        if mirror:
            message += f"\nThe mirror folder {mirror} (set by {MIRROR_ENV}) has no file {name!r}."
        raise DatasetError(message) from None
    return cached


def load_csv(name: str) -> np.ndarray:
    """Load one of the course's CSV files as a float32 array (``#`` lines are skipped).

    ``name`` is one of ``CSV_NAMES``, e.g. ``"data-01-test-score.csv"``.
    """
    if name not in CSV_NAMES:
        raise DatasetError(f"Unknown CSV file {name!r}. Valid names: {', '.join(CSV_NAMES)}")
    return np.loadtxt(dataset_path(name), delimiter=",", dtype=np.float32)


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """Parse a gzipped IDX file of uint8 values (MNIST images: magic 2051, labels: 2049)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = 3 if magic == _IMAGES_MAGIC else 1
    offset = 4 + 4 * ndim
    header = np.frombuffer(data, dtype=">i4", count=1 + ndim) if len(data) >= offset else None
    if header is None or header[0] != magic:
        found = "none" if header is None else int(header[0])
        raise DatasetError(f"{path} is not an IDX file with magic number {magic} (found {found}).")
    shape = tuple(int(n) for n in header[1:])
    if len(data) != offset + int(np.prod(shape)):
        raise DatasetError(f"{path}: the header announces shape {shape}, but the data size differs.")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(shape)


@functools.lru_cache(maxsize=1)
def _read_mnist(paths: tuple[Path, ...]) -> tuple[np.ndarray, ...]:
    x_train, y_train, x_test, y_test = (
        _read_idx(path, _IMAGES_MAGIC if "images" in path.name else _LABELS_MAGIC) for path in paths
    )
    for x, y, n in ((x_train, y_train, 60000), (x_test, y_test, 10000)):
        if x.shape != (n, 28, 28) or y.shape != (n,):
            raise DatasetError(f"Unexpected MNIST shapes {x.shape} and {y.shape}; expected {n} images.")
    return x_train, y_train, x_test, y_test


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST like ``keras.datasets.mnist.load_data()``.

    Returns ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
    (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,). The parsed arrays are cached
    in memory; each call returns fresh copies, so changing them is safe.
    """
    paths = tuple(dataset_path(name) for name in MNIST_NAMES)
    x_train, y_train, x_test, y_test = (a.copy() for a in _read_mnist(paths))
    return (x_train, y_train), (x_test, y_test)
