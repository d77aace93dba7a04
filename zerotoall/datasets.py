"""The course's datasets: the four CSV files and MNIST.

A file is looked up in this order, and every file is checked against its SHA-256 before use:

1. the offline mirror folder named by the environment variable ``ZEROTOALL_DATA`` (if set);
2. the Keras cache folder, ``$KERAS_HOME/datasets/zerotoall`` or ``~/.keras/datasets/zerotoall``;
3. a download from the file's canonical URL into that cache folder: with a progress line for the
   MNIST files, one more try after a transient failure (timeout, dropped connection, HTTP 5xx),
   into a temporary file beside the target that is renamed only once its SHA-256 matches, so the
   cache never holds a partial or corrupt file.

Nothing is ever written into the current working directory.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import sys
import tempfile
import time
from http.client import HTTPException
from pathlib import Path
from urllib.error import HTTPError
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
DOWNLOAD_TIMEOUT_S = 30  # seconds without data before a download is given up
DOWNLOAD_RETRIES = 1  # one more try after a transient failure
RETRY_DELAY_S = 2.0

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


def _reason(exc: BaseException) -> str:
    """The failure in one line; a timeout says how long the server was silent."""
    timed_out = isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError)
    if timed_out:
        return f"the server sent nothing for {DOWNLOAD_TIMEOUT_S} s ({_one_line(exc)})"
    return _one_line(exc)


class _Incomplete(OSError):
    """The server closed the connection before sending the whole file."""


def _transient(exc: BaseException) -> bool:
    """Worth one more try: a timeout, a dropped or truncated connection, an HTTP 5xx or 429.

    Not retried: an HTTP 4xx such as 404 (the file is not there) and a complete download with
    the wrong hash (a second download would bring the same bytes).
    """
    if isinstance(exc, HTTPError):
        return exc.code >= 500 or exc.code == 429
    return isinstance(exc, (OSError, HTTPException))


class _Progress:
    """A one-line progress display on stderr (``\\r`` updates; Jupyter shows the latest)."""

    def __init__(self, name: str, total: int | None):
        self.name, self.total, self.shown = name, total, -1

    def update(self, done: int, final: bool = False) -> None:
        step = done * 20 // self.total if self.total else done >> 20  # every 5 % or every MiB
        if step == self.shown:
            if final:
                print(file=sys.stderr, flush=True)  # the line already shows the last count
            return
        self.shown = step
        text = f"{done / 1e6:.1f}"
        if self.total:
            text += f"/{self.total / 1e6:.1f} MB ({100 * done // self.total}%)"
        else:
            text += " MB"
        end = "\n" if final else ""
        print(f"\rDownloading {self.name}: {text}", end=end, file=sys.stderr, flush=True)


def _fetch(url: str, out, name: str, progress: bool) -> None:
    """Copy ``url``'s body into the open file ``out``; fail if it ends before Content-Length."""
    with urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        bar = _Progress(name, total) if progress else None
        done = 0
        while block := response.read(1 << 16):
            out.write(block)
            done += len(block)
            if bar:
                bar.update(done)
        if bar:
            bar.update(done, final=True)
    if total is not None and done < total:
        raise _Incomplete(f"the server sent {done} of {total} bytes")


def _download(url: str, dest: Path, expected: str, progress: bool = False) -> None:
    """Download ``url`` to a temporary file next to ``dest``, verify it, then rename it.

    A transient failure (see ``_transient``) is retried once after ``RETRY_DELAY_S``. Whatever
    happens, ``dest`` is either the complete, verified file or absent: no partial file is left.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1 + DOWNLOAD_RETRIES):
        fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                _fetch(url, out, dest.name, progress)
            actual = _sha256(tmp)
            if actual != expected:
                raise DatasetError(
                    f"The download of {url} is corrupt and was deleted.\n"
                    f"  expected SHA-256: {expected}\n"
                    f"  actual SHA-256:   {actual}\n"
                    f"Try again later, or download the file yourself and put it in {dest.parent}"
                )
            os.replace(tmp, dest)
            return
        except (OSError, HTTPException) as exc:
            if attempt == DOWNLOAD_RETRIES or not _transient(exc):
                raise
            print(f"Download of {url} failed ({_reason(exc)}); trying once more.", file=sys.stderr)
            time.sleep(RETRY_DELAY_S)
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
        _download(url, cached, expected, progress=name in MNIST_NAMES)
    except (OSError, HTTPException, ValueError) as exc:  # after the retry, if one was due
        message = (
            f"Could not find or download the data file {name!r}.\n"
            f"Download {url}\n"
            f"and put it in the Keras cache folder {cached.parent}\n"
            f"(or in a folder of your own, and set the environment variable {MIRROR_ENV} to it).\n"
            f"Reason: {_reason(exc)}"
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


def load_mnist(validation: int = 0):
    """Load MNIST like ``keras.datasets.mnist.load_data()``.

    Returns ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
    (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,). The parsed arrays are cached
    in memory; each call returns fresh copies, so changing them is safe.

    With ``validation=n`` (0 < n < 60000) the first ``n`` training images are held out as a
    validation set and three pairs come back, ``(x_train, y_train), (x_val, y_val), (x_test,
    y_test)``, with ``60000 - n`` training images. This is the split of the original course:
    TensorFlow 1's ``input_data.read_data_sets`` kept the first 5,000 training images for
    validation (``validation_size=5000``), so ``load_mnist(validation=5000)`` gives its
    55,000 / 5,000 / 10,000 sets. The split is fixed (no random draw), the same on every run
    and every machine; choose settings on the validation set and evaluate the test set once.
    """
    if isinstance(validation, bool) or not isinstance(validation, (int, np.integer)):
        raise TypeError(f"validation must be an int (a number of images), not {validation!r}")
    if not 0 <= validation < 60000:
        raise ValueError(f"validation must be between 0 and 59999 images, not {validation}")
    paths = tuple(dataset_path(name) for name in MNIST_NAMES)
    x_train, y_train, x_test, y_test = (a.copy() for a in _read_mnist(paths))
    if not validation:
        return (x_train, y_train), (x_test, y_test)
    n = int(validation)
    return (x_train[n:], y_train[n:]), (x_train[:n], y_train[:n]), (x_test, y_test)
