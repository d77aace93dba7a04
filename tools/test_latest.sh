#!/usr/bin/env bash
# make test-latest: run every generated notebook (quick mode, nbval) against the NEWEST
# TensorFlow, Keras, NumPy and matplotlib that the package index offers, with no pins, on the
# newest Python that TensorFlow publishes wheels for and that exists on this machine.
# It answers "what breaks when Colab or a learner's machine moves to the next release?".
# NOTEBOOKS_DIR holds the notebooks `make notebooks` generated with the book's pinned tooling
# (zerotoall_book, in .venv); only running them is done in the fresh, unpinned environment.
# The weekly workflow .github/workflows/latest.yml runs it and opens an issue when it fails.
#
#   tools/test_latest.sh NOTEBOOKS_DIR [VENV_DIR]
#
# Environment:
#   LATEST_PYTHON   interpreter to use (skips the search below)
#   TF_PACKAGE      the TensorFlow distribution to install (default tensorflow-cpu: the same
#                   code as `tensorflow`, without the GPU libraries)
#   JOBS            notebooks run in parallel (default 2)
#   ZEROTOALL_DATA  offline dataset mirror (the Makefile sets it when ../shared/datasets exists)
set -euo pipefail
cd "$(dirname "$0")/.."

NOTEBOOKS=${1:?usage: tools/test_latest.sh NOTEBOOKS_DIR [VENV_DIR]}
VENV=${2:-_build/latest/venv}
[[ -d $NOTEBOOKS/labs ]] || { echo "test-latest: no notebooks in $NOTEBOOKS: run \`make notebooks\` first" >&2; exit 2; }
TF_PACKAGE=${TF_PACKAGE:-tensorflow-cpu}
JOBS=${JOBS:-2}

find_python() {  # the interpreter for Python version $1: on PATH, or under pyenv
  local v=$1 candidate
  for candidate in "python$v" "$(pyenv root 2>/dev/null)/versions/$v"*/bin/"python$v"; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import venv, ensurepip' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

has_tf_wheel() {  # does the index offer a $TF_PACKAGE wheel for Python version $1?
  python3 -m pip index versions "$TF_PACKAGE" --python-version "$1" --only-binary=:all: >/dev/null 2>&1
}

if [[ -n ${LATEST_PYTHON:-} ]]; then
  PY=$LATEST_PYTHON
  echo "test-latest: Python from LATEST_PYTHON: $PY"
else
  PY=""
  for v in 3.15 3.14 3.13 3.12 3.11; do  # newest first
    if ! has_tf_wheel "$v"; then
      echo "test-latest: no $TF_PACKAGE wheel for Python $v on the index"
      continue
    fi
    if found=$(find_python "$v"); then
      PY=$found
      echo "test-latest: Python $v ($PY): the newest with a $TF_PACKAGE wheel that is installed here"
      break
    fi
    echo "test-latest: $TF_PACKAGE has wheels for Python $v, but no python$v is installed here"
  done
  [[ -n $PY ]] || { echo "test-latest: no usable Python found" >&2; exit 1; }
fi

rm -rf "$VENV"
"$PY" -m venv "$VENV"
BIN=$VENV/bin
"$BIN/python" -m pip install --quiet --upgrade pip
# No version pins: whatever the index offers today. The helper comes from this work tree.
"$BIN/python" -m pip install --quiet --upgrade "$TF_PACKAGE" keras numpy matplotlib tensorboard \
  jupytext nbval pytest pytest-xdist ipykernel -e .  # editable: no build/ folder in the tree
mkdir -p "$VENV/etc/ipython" && cp book/_ipython/ipython_kernel_config.py "$VENV/etc/ipython/"

versions() {
  "$BIN/python" - "$TF_PACKAGE" <<'EOF'
import platform, sys
from importlib.metadata import version
print(f"test-latest versions: Python {platform.python_version()}", end="")
for dist in (sys.argv[1], "keras", "numpy", "matplotlib", "tensorboard", "nbval", "zerotoall"):
    print(f" · {dist} {version(dist)}", end="")
print()
EOF
  # anything the resolver held back below the index's newest (e.g. NumPy capped by TensorFlow)
  "$BIN/python" -m pip list --outdated 2>/dev/null \
    | grep -iE "^($TF_PACKAGE|tensorflow|keras|numpy|matplotlib) " \
    | sed 's/^/test-latest: held back by the resolver: /' || true
}
versions

status=0
ZEROTOALL_QUICK=1 nice -n 10 "$BIN/pytest" --nbval-lax --nbval-current-env --nbval-cell-timeout=900 \
  -n "$JOBS" --dist loadfile -p no:cacheprovider -q \
  "$NOTEBOOKS"/lectures/*.ipynb "$NOTEBOOKS"/labs/*.ipynb || status=$?

versions  # again at the end, where a CI log's reader looks first
if [[ $status -eq 0 ]]; then
  echo "test-latest: every notebook passed"
else
  echo "test-latest: FAILED (pytest exit status $status)"
fi
exit $status
