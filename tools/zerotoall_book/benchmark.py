"""How much faster is this book than the original course's own settings, on this machine?

``make benchmark`` runs::

    python -m zerotoall_book.benchmark --build-dir _build

Lab by lab (Lab 10, Lab 11-2, Lab 11-3), so that the two times of one ratio are taken minutes
apart on the same machine:

1. builds each ORIGINAL course model that the lab reproduces, in Keras (Lab 10: lab-10-1 …
   lab-10-7, where lab-10-6 trains 2 models at batch 32; Lab 11-2: lab-11-1 and lab-11-2;
   Lab 11-3: lab-11-5, whose code trains 2 models), times a fixed number of training steps at the
   course's batch size (100, Adam; 32 for lab-10-6) after a warm-up (the fastest of 3 timings, as
   other load on a shared machine only slows a timing down), and extrapolates to the course's
   epochs on its 55,000 training images (550 steps an epoch at 100);
2. executes the book's page of that lab in full mode, alone (a fresh kernel, nothing else
   running), and takes its wall time. ``--from-cache`` reads this time from a full build's
   execution record instead (``<build-dir>/.jupyter_cache``, what ``make book`` / ``make
   reproduce`` fill; ``make reproduce`` runs two notebooks at a time, so such a time is longer
   than alone and the ratio a lower bound), and ``--book-seconds lab11-2=95`` gives it by hand;
3. prints per lab: the course's time, this book's time and the ratio, with the CPU model and its
   vector extensions (the ratio depends on the machine: TensorFlow's oneDNN kernels use AVX-512
   where the CPU has it).

It trains nothing in the tests (``tests/tools/test_benchmark.py`` checks the arithmetic, the
parsing and the order of the work); it is not part of ``make test``. It takes about 10 minutes:
the course's CNNs are slow, and the three labs run in full mode.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TRAIN_IMAGES = 55_000  # TF1's input_data: 55,000 training images, 5,000 validation
COURSE_BATCH = 100


@dataclass(frozen=True)
class CourseModel:
    name: str  # the course's file, e.g. "lab-11-2"
    lab: str  # this book's page id
    kind: str  # builder key in _build_model
    epochs: int
    copies: int = 1  # lab-11-5 trains num_models = 2 models
    batch: int = 100  # the course's batch size (lab-10-6: 32)


COURSE_MODELS = (
    CourseModel("lab-10-1", "lab10", "softmax", 50),
    CourseModel("lab-10-2", "lab10", "mlp256", 15),
    CourseModel("lab-10-3", "lab10", "mlp256", 15),
    CourseModel("lab-10-4", "lab10", "mlp512x4", 15),
    CourseModel("lab-10-5", "lab10", "mlp512x4-dropout", 15),
    CourseModel("lab-10-6", "lab10", "mlp32x2-batchnorm", 10, copies=2, batch=32),  # with and without BN: the BN one timed
    CourseModel("lab-10-7", "lab10", "mlp512x4-batchnorm-dropout", 15),
    CourseModel("lab-11-1", "lab11-2", "cnn2", 15),
    CourseModel("lab-11-2", "lab11-2", "cnn3", 15),
    CourseModel("lab-11-5", "lab11-3", "cnn3-layers", 20, copies=2),
)
LAB_PAGES = {"lab10": "labs/lab10-mnist-nn", "lab11-2": "labs/lab11-2-mnist-cnn", "lab11-3": "labs/lab11-3-cnn-ensemble"}
ROOT = Path(__file__).resolve().parents[2]


def steps_per_epoch(images: int = TRAIN_IMAGES, batch: int = COURSE_BATCH) -> int:
    """The course's loop: ``total_batch = int(mnist.train.num_examples / batch_size)``."""
    return images // batch


def extrapolate(seconds_per_step: float, model: CourseModel) -> float:
    """Seconds the course's settings take: steps per epoch (at the model's batch) × epochs × models trained."""
    return seconds_per_step * steps_per_epoch(batch=model.batch) * model.epochs * model.copies


def course_seconds(step_seconds: dict[str, float], models=COURSE_MODELS) -> dict[str, float]:
    """Per lab id: the sum over its course models of :func:`extrapolate`."""
    total: dict[str, float] = {}
    for model in models:
        total[model.lab] = total.get(model.lab, 0.0) + extrapolate(step_seconds[model.name], model)
    return total


def parse_book_seconds(items: list[str]) -> dict[str, float]:
    """``["lab11-2=95", "lab11-3=180.5"]`` -> ``{"lab11-2": 95.0, "lab11-3": 180.5}``."""
    out = {}
    for item in items:
        lab, sep, value = item.partition("=")
        if not sep or lab not in LAB_PAGES:
            raise ValueError(f"expected <lab>=<seconds> with <lab> one of {sorted(LAB_PAGES)}, got {item!r}")
        seconds = float(value)
        if not seconds > 0:
            raise ValueError(f"seconds must be positive, got {item!r}")
        out[lab] = seconds
    return out


def book_seconds_from_cache(build_dir: Path) -> tuple[dict[str, float], list[str]]:
    """Full-mode execution seconds per lab id from ``<build_dir>/.jupyter_cache``, and the labs
    whose cached run was in quick mode (their time says nothing about full mode; left out)."""
    from . import reproduce

    if not (build_dir / ".jupyter_cache").is_dir():
        return {}, []
    times, quick = reproduce.read_cache(build_dir)
    out, skipped = {}, []
    for lab, page in LAB_PAGES.items():
        if page in quick:
            skipped.append(lab)
        elif page in times and not math.isnan(times[page]):
            out[lab] = times[page]
    return out, skipped


def parallel_note(build_dir: Path, lab: str, seconds: float) -> str:
    """A remark when the lab's time comes from ``make reproduce``'s pre-run, which executes the
    notebooks 2 at a time (``<build-dir>/executed``, :mod:`zerotoall_book.reproduce`): a page's
    time there is longer than alone, so the ratio is a lower bound."""
    import json

    from . import executed, reproduce
    from .notebooks import notebook_relpath

    recorded = build_dir / reproduce.EXECUTED / notebook_relpath(LAB_PAGES[lab])
    try:
        meta = json.loads(recorded.read_text(encoding="utf-8"))["metadata"][executed.MODE_KEY]
    except (OSError, ValueError, KeyError):
        return ""
    if meta.get("mode") == "full" and abs(float(meta.get("execution_seconds", -1)) - seconds) < 0.01:
        return " (make reproduce ran it beside another notebook: longer than alone, so the ratio is a lower bound)"
    return ""


def run_page(lab: str, root: Path = ROOT, timeout: int = 3600) -> float:
    """Execute the lab's page (``<root>/<LAB_PAGES[lab]>.md``) in full mode in a fresh kernel, in
    the page's folder as the build does, and return its wall time in seconds. A failing cell raises
    (nbclient's ``CellExecutionError``): a lab that does not run has no time."""
    import jupytext
    from nbclient import NotebookClient
    from zerotoall.config import QUICK_ENV, quick_mode  # the helper decides what quick mode means

    if quick_mode():
        raise RuntimeError(f"{QUICK_ENV} is set: the benchmark times the labs in full mode (unset it)")
    path = root / f"{LAB_PAGES[lab]}.md"
    notebook = jupytext.read(path)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def table(course: dict[str, float], book: dict[str, float]) -> list[str]:
    """Markdown rows: lab, course seconds, book seconds, ratio (course / book)."""
    rows = ["| lab | course's settings (s, extrapolated) | this book, full mode (s) | ratio |", "|---|---:|---:|---:|"]
    for lab in LAB_PAGES:
        if lab not in course:
            continue
        mine = book.get(lab)
        ratio = f"{course[lab] / mine:.1f}x" if mine else "—"
        rows.append(f"| {lab} | {course[lab]:.0f} | {f'{mine:.0f}' if mine else '—'} | {ratio} |")
    return rows


def cpu_description() -> str:
    """CPU model and its AVX-512 / AVX2 flags, from lscpu (or /proc/cpuinfo)."""
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^(?:Model name|model name)\s*:\s*(.+)$", text, re.M)
    flags = re.search(r"^(?:Flags|flags)\s*:\s*(.+)$", text, re.M)
    vector = sorted(f for f in (flags.group(1).split() if flags else []) if f.startswith(("avx", "amx", "fma")))
    return f"{model.group(1).strip() if model else '?'}, {os.cpu_count()} cores; vector flags: {' '.join(vector) or '?'}"


# --- the course's models (Keras equivalents of the TF1 graphs) -------------------------------

def _build_model(kind: str):
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(28, 28, 1))])
    widths = {"softmax": [], "mlp256": [256, 256], "mlp512x4": [512] * 4, "mlp512x4-dropout": [512] * 4,
              "mlp32x2-batchnorm": [32, 32], "mlp512x4-batchnorm-dropout": [512] * 4}
    if kind in widths:
        model.add(layers.Flatten())
        for width in widths[kind]:
            if "batchnorm" in kind:  # dense -> batch norm -> ReLU (lab-10-7's dense has no bias; lab-10-6's bias costs ~nothing)
                model.add(layers.Dense(width, use_bias=False))
                model.add(layers.BatchNormalization(momentum=0.9))
                model.add(layers.ReLU())
            else:
                model.add(layers.Dense(width, activation="relu"))
            if kind.endswith("dropout"):
                model.add(layers.Dropout(0.3))
    elif kind == "cnn2":  # lab-11-1
        for filters in (32, 64):
            model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
            model.add(layers.MaxPooling2D(2, padding="same"))
        model.add(layers.Flatten())
    elif kind in ("cnn3", "cnn3-layers"):  # lab-11-2 (keep_prob 0.7), lab-11-5 (tf.layers, rate 0.7)
        rate = 0.3 if kind == "cnn3" else 0.7
        for filters in (32, 64, 128):
            model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
            model.add(layers.MaxPooling2D(2, padding="same"))
            model.add(layers.Dropout(rate))
        model.add(layers.Flatten())
        model.add(layers.Dense(625, activation="relu"))
        model.add(layers.Dropout(0.5))
    else:
        raise ValueError(f"unknown course model kind {kind!r}")
    model.add(layers.Dense(10))
    model.compile(optimizer=keras.optimizers.Adam(0.001),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def time_steps(kind: str, steps: int, warmup: int = 10, batch: int = COURSE_BATCH, repeats: int = 3) -> float:
    """Seconds per training step of a course model on random MNIST-shaped data (speed does not
    depend on the pixel values), after ``warmup`` steps that build and compile the graph: the
    fastest of ``repeats`` timings of ``steps`` steps (on a shared virtual machine a timing can
    be slowed by other load, never sped up, so the minimum is the least disturbed one)."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.random((batch * 8, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, batch * 8).astype(np.int32)
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(batch, drop_remainder=True).cache().repeat()
    model = _build_model(kind)
    model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
        timings.append((time.perf_counter() - start) / steps)
    return min(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=Path("_build"),
                        help="full build whose .jupyter_cache holds the lab times read with --from-cache (default _build)")
    parser.add_argument("--from-cache", action="store_true",
                        help="read this book's lab times from the full build's execution record instead of running the labs")
    parser.add_argument("--book-seconds", nargs="*", default=[], metavar="LAB=SECONDS",
                        help="this book's full-mode time of a lab, given by hand (that lab is not run; e.g. lab11-2=95)")
    parser.add_argument("--steps", type=int, default=60, help="timed training steps per course model, per repeat (default 60)")
    parser.add_argument("--repeats", type=int, default=3, help="timings per course model; the fastest counts (default 3)")
    parser.add_argument("--labs", nargs="*", default=list(LAB_PAGES), choices=list(LAB_PAGES))
    args = parser.parse_args(argv)
    if args.steps < 1 or args.repeats < 1:
        parser.error("--steps and --repeats must be at least 1")
    by_hand = parse_book_seconds(args.book_seconds)

    from . import reproduce

    print(f"machine: {reproduce._machine()}")
    print(f"cpu: {cpu_description()}")
    book, source, skipped = {}, {}, []
    if args.from_cache:
        book, skipped = book_seconds_from_cache(args.build_dir)
        source = {lab: f"{args.build_dir / '.jupyter_cache'}" + parallel_note(args.build_dir, lab, seconds)
                  for lab, seconds in book.items()}
    for lab, seconds in by_hand.items():
        book[lab], source[lab] = seconds, "--book-seconds"
    models = [m for m in COURSE_MODELS if m.lab in args.labs]
    step_seconds, by_kind = {}, {}
    for lab in args.labs:  # lab by lab: the course's models, then the book's page, minutes apart
        for model in (m for m in models if m.lab == lab):
            if (model.kind, model.batch) not in by_kind:  # lab-10-3 is lab-10-2 with another initializer: timed once
                by_kind[model.kind, model.batch] = time_steps(model.kind, args.steps, batch=model.batch, repeats=args.repeats)
            step_seconds[model.name] = per_step = by_kind[model.kind, model.batch]
            print(f"{model.name:9s} ({model.lab}): {per_step * 1000:7.1f} ms/step x {steps_per_epoch(batch=model.batch)} steps x "
                  f"{model.epochs} epochs x {model.copies} = {extrapolate(per_step, model):7.0f} s", flush=True)
        if lab not in book and not args.from_cache:
            book[lab] = run_page(lab)
            source[lab] = f"{LAB_PAGES[lab]}.md executed alone in full mode, just after its course models"
            print(f"{lab} (this book, full mode, alone): {book[lab]:.0f} s", flush=True)
    course = course_seconds(step_seconds, models)
    print()
    print("\n".join(table(course, book)))
    for lab in course:
        if lab in book:
            print(f"{lab}: this book's time from {source[lab]}")
        elif lab in skipped:
            print(f"{lab}: the cached run was in quick mode; pass --book-seconds {lab}=<s>, build in full mode, or drop --from-cache")
        else:
            print(f"{lab}: no full-mode time found; pass --book-seconds {lab}=<s> or drop --from-cache")
    print("\nTimings depend on the load: on a shared machine compare ratios taken in one run.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
