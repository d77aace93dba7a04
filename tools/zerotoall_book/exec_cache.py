"""Forget cached notebook executions when the helper package or the locked requirements change.

Jupyter Book's execution cache (jupyter-cache) re-runs a page only when the page's code
changes. The pages' numbers also depend on the helper package ``zerotoall/`` (datasets, seeds,
the MNIST labs' training pieces) and on the pinned versions in ``requirements.txt``; after a
change there the cache would keep serving outputs of the old helper. ``make book`` and the quick
build therefore run this script first::

    python -m zerotoall_book.exec_cache BUILD_DIR [--root ROOT]

``BUILD_DIR`` is the Sphinx build folder that holds ``.jupyter_cache`` and ``.doctrees``
(``_build`` for ``make book``, ``_build/quick/_build`` for the quick build). The script hashes
every file of ``zerotoall/`` plus ``requirements.txt`` and ``pyproject.toml`` and compares the
hash with the one stored in ``BUILD_DIR/.zerotoall-exec-fingerprint``. When they differ (or no
hash is stored), it deletes the execution cache *and* Sphinx's saved environment
(``.doctrees``: otherwise Sphinx would not even re-read the unchanged pages), then stores the new
hash. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path

FINGERPRINT_FILE = ".zerotoall-exec-fingerprint"
#: what the executed outputs depend on besides the pages themselves (relative to the root)
INPUTS = ("zerotoall", "requirements.txt", "pyproject.toml")
#: what is deleted inside the build folder when the fingerprint changed
CACHED = (".jupyter_cache", ".doctrees")


def fingerprint(root: Path, inputs: tuple[str, ...] = INPUTS) -> str:
    """SHA-256 over the relative path and content of every input file (sorted, no bytecode)."""
    digest = hashlib.sha256()
    for name in inputs:
        base = root / name
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def store(build_dir: Path, root: Path) -> None:
    """Record the current fingerprint beside an execution cache that was just emptied
    (``make reproduce``), so the next ``make book`` keeps what that build executes."""
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / FINGERPRINT_FILE).write_text(fingerprint(root) + "\n")


def refresh(build_dir: Path, root: Path) -> bool:
    """Clear the cached executions in ``build_dir`` if the inputs changed. True when cleared."""
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp = build_dir / FINGERPRINT_FILE
    current = fingerprint(root)
    stored = stamp.read_text().strip() if stamp.is_file() else None
    if stored == current:
        return False
    existing = [build_dir / name for name in CACHED if (build_dir / name).exists()]
    for path in existing:
        shutil.rmtree(path)
    stamp.write_text(current + "\n")
    if existing:
        why = "no fingerprint stored" if stored is None else "zerotoall/ or the requirements changed"
        print(f"exec_cache: {why}; cleared {', '.join(str(p) for p in existing)}: every page runs again")
    return bool(existing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir", type=Path, help="Sphinx build folder (holds .jupyter_cache)")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                        help="repository root (holds zerotoall/ and requirements.txt)")
    args = parser.parse_args(argv)
    refresh(args.build_dir, args.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
