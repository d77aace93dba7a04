#!/usr/bin/env bash
# Runs INSIDE Colab's published runtime image (us-docker.pkg.dev/colab-images/public/runtime),
# started by .github/workflows/colab.yml with this repository mounted at the working directory.
# It does what a learner's first Colab session does: keep Colab's own TensorFlow, Keras, NumPy
# and matplotlib, install the helper from GitHub at the commit (the generated setup cell's
# command), download the datasets from their canonical URLs, and run every generated
# notebook in quick mode with nbval. Nothing here is pinned except the test tools.
#
#   tools/colab_run.sh [OUT]     (OUT defaults to _build/colab)
set -euo pipefail
OUT=${1:-_build/colab}
: "${GITHUB_SHA:?set by GitHub Actions: the commit the setup cell installs the helper from}"
export ZEROTOALL_QUICK=1 TF_CPP_MIN_LOG_LEVEL=2
PY=python3

mkdir -p "$OUT"
$PY - <<'PY' | tee "$OUT/versions.txt"
import platform
from importlib.metadata import version
names = ("tensorflow", "keras", "numpy", "matplotlib", "tensorboard", "jupytext")
parts = []
for name in names:
    try:
        parts.append(f"{name} {version(name)}")
    except Exception:
        parts.append(f"{name} not installed")
print(f"Colab runtime image: Python {platform.python_version()} · " + " · ".join(parts))
PY

# The test tools and the notebook generator's jupytext at the book's pins (requirements.txt),
# nothing else from the book's lock: Colab's own packages stay as they are.
$PY -m pip install --quiet $(grep -E '^(nbval|pytest|pytest-xdist|execnet|jupytext)==' requirements.txt)

# The notebooks learners open (setup cell first), generated from this commit. The setup cell
# installs the helper only when google.colab is already imported (a live Colab kernel);
# install it here the same way, from the same commit.
$PY book/_ext/notebooks.py build --out "$OUT/notebooks" --ref "$GITHUB_SHA"
spec=$($PY -c 'import sys; sys.path.insert(0, "book/_ext"); import notebooks
print(notebooks.load_settings(".").package_spec(sys.argv[1]))' "$GITHUB_SHA")
$PY -m pip install --quiet "$spec"

$PY -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=900 -n 2 --dist loadfile \
  -p no:cacheprovider -q --junitxml "$OUT/results.xml" \
  "$OUT"/notebooks/lectures/*.ipynb "$OUT"/notebooks/labs/*.ipynb
