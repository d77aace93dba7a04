"""Build modes: one switch, the environment variable ``ZEROTOALL_BUILD_MODE``, read at
``config-inited``, changes the few settings that differ from the book build of ``_config.yml``.

``linkcheck`` (``make linkcheck``)
    notebooks are not executed: the link checker reads the pages' text only.
``reproduce`` (``make reproduce``)
    a failing cell no longer stops the build: the lab whose ``assert`` fails is reported with
    its error (``_build/html/reports``) and the rest of the book still runs.

Unset or empty, the build is the book's own. There is no copy of ``_config.yml`` anywhere.
``python -m zerotoall_book.sphinx.modes [MODE]`` prints what a mode changes.
"""

from __future__ import annotations

import os
import sys

ENV_VAR = "ZEROTOALL_BUILD_MODE"

#: Sphinx/myst-nb settings each mode overrides (``execute:`` in ``_config.yml`` becomes ``nb_execution_*``)
MODES: dict[str, dict[str, object]] = {
    "": {},
    "linkcheck": {"nb_execution_mode": "off"},
    "reproduce": {"nb_execution_raise_on_error": False},
}


def overrides(mode: str | None = None) -> dict[str, object]:
    """The settings ``mode`` (default: the environment's) changes; ``ValueError`` for an unknown mode."""
    mode = os.environ.get(ENV_VAR, "") if mode is None else mode
    if mode not in MODES:
        known = ", ".join(m for m in MODES if m)
        raise ValueError(f"{ENV_VAR}={mode!r} is not a build mode (known: {known}, or unset)")
    return dict(MODES[mode])


def apply(app, config) -> None:
    """``config-inited``: put the mode's settings into the configuration."""
    from sphinx.errors import ConfigError
    from sphinx.util import logging

    try:
        changes = overrides()
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    for name, value in changes.items():
        config[name] = value
    if changes:
        settings = ", ".join(f"{name}={value!r}" for name, value in changes.items())
        logging.getLogger(__name__).info(f"build mode {os.environ[ENV_VAR]}: {settings}")


def setup(app):
    app.connect("config-inited", apply)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else None
    print(overrides(mode))
