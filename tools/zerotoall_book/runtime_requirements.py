"""The learner's runtime requirements: what a notebook needs, at the book's exact pins.

Binder (the ``notebooks`` branch's ``binder/requirements.txt``) only has to run the notebooks:
TensorFlow, Keras, matplotlib, TensorBoard (Lab 09-2), jupytext (to open the MyST ``.md`` copies
as notebooks) and the helper package, installed from the repository at the commit the notebooks
were generated from. None of the build or test stack (Jupyter Book, Sphinx, pytest, nbval,
Playwright, check-jsonschema ...) belongs there. JupyterLab, ipykernel and the Jupyter server come
with Binder's own base environment (repo2docker) and are not reinstalled.

The list is *derived* from ``requirements.txt``: the direct runtime packages and everything they
require (read from the installed packages' metadata, markers evaluated for this Python), each
with exactly the version pinned in ``requirements.txt``. A package missing from the lock is an
error, so the two files cannot drift apart.

    python -m zerotoall_book.runtime_requirements [--ref REF]   # print the list
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
#: what the notebooks import or open; the helper's own dependencies are added from its metadata
RUNTIME = ("tensorflow-cpu", "keras", "matplotlib", "tensorboard", "jupytext")
HELPER = "zerotoall"
#: packaging tools `pip freeze` leaves out of the lock; pip installs them unpinned either way
UNPINNED = {"pip", "setuptools", "wheel"}
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)\s*$")


def normalize(name: str) -> str:
    """PEP 503 name: ``Jinja2`` and ``jinja2``, ``ruamel.yaml`` and ``ruamel-yaml`` are equal."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_pins(requirements: Path) -> dict[str, str]:
    """``normalized name -> 'Name==version'`` for every exact pin in the lock file."""
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        spec = line.split("#", 1)[0].strip()  # `make lock` writes "# via ..." after each pin
        if match := _PIN.match(spec):
            pins[normalize(match["name"])] = spec
    return pins


def closure(roots: tuple[str, ...]) -> set[str]:
    """The roots and everything they require in this environment (normalized names)."""
    seen: set[str] = set()
    todo = [normalize(name) for name in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            todo.append(normalize(requirement.name))
    return seen


def runtime_requirements(requirements: Path, helper_spec: str) -> str:
    """The runtime requirements file: pinned lines in lock order, then the helper's spec."""
    pins = locked_pins(requirements)
    needed = closure((*RUNTIME, HELPER)) - {HELPER} - UNPINNED
    missing = sorted(needed - set(pins))
    if missing:
        raise ValueError(f"{requirements} pins no version of {', '.join(missing)}: run `make lock`")
    lines = [pin for name, pin in pins.items() if name in needed]
    header = [
        "# What the notebooks need to run, at the exact versions the book was built with",
        "# (derived from requirements.txt by zerotoall_book.runtime_requirements).",
        "# JupyterLab and ipykernel come with Binder's base environment.",
    ]
    return "\n".join([*header, *lines, helper_spec]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="main", help="commit the helper is installed from")
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    args = parser.parse_args(argv)
    spec = f"zerotoall @ git+https://github.com/ORG/REPO@{args.ref}"
    sys.stdout.write(runtime_requirements(args.requirements, spec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
