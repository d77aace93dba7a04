"""Let nbval execute the MyST-markdown notebooks in lectures/ and labs/ directly.

nbval only collects ``.ipynb`` files. This shim reads ``.md`` sources through jupytext, so
``pytest --nbval-lax lectures labs`` runs each page as a notebook, with the page's own folder as
the kernel's working directory, and nothing is converted or written into the repository.
It patches nbval's module-level ``nbformat`` reference, so nbval is pinned in requirements.txt.
"""

from __future__ import annotations

import types

import jupytext
import nbformat

try:  # nbval is only needed for the notebook run; unit tests work without it
    import nbval.plugin as nbval_plugin
except ImportError:  # pragma: no cover
    nbval_plugin = None

NOTEBOOK_DIRS = ("lectures", "labs")

if nbval_plugin is not None:

    def _read(path, as_version=4, **kwargs):
        if str(path).endswith(".md"):
            return jupytext.read(str(path))
        return nbformat.read(path, as_version=as_version, **kwargs)

    _shim = types.ModuleType("nbformat_jupytext_shim")
    _shim.__dict__.update(nbformat.__dict__)
    _shim.read = _read
    nbval_plugin.nbformat = _shim


def pytest_collect_file(file_path, parent):
    option = parent.config.option
    if nbval_plugin is None or not (getattr(option, "nbval", False) or getattr(option, "nbval_lax", False)):
        return None
    if file_path.suffix == ".md" and file_path.parent.name in NOTEBOOK_DIRS:
        return nbval_plugin.IPyNbFile.from_parent(parent, path=file_path)
    return None
