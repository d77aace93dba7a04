"""The build-mode switch (zerotoall_book.sphinx.modes): what `make linkcheck` and `make reproduce`
change in the book's configuration, with no copy of _config.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyter_book.config import get_final_config
from sphinx.errors import ConfigError
from zerotoall_book.sphinx import modes

ROOT = Path(__file__).resolve().parents[2]


def effective_config(monkeypatch, mode: str | None) -> dict:
    """The Sphinx configuration Jupyter Book makes of _config.yml, after the mode's config-inited hook."""
    if mode is None:
        monkeypatch.delenv(modes.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(modes.ENV_VAR, mode)
    config, *_ = get_final_config(user_yaml=ROOT / "_config.yml", cli_config={"latex_individualpages": False},
                                  sourcedir=ROOT, raise_on_invalid=True)
    assert "zerotoall_book.sphinx.modes" in config["extensions"]
    modes.apply(None, config)  # Sphinx's Config supports item assignment like this dict
    return config


def test_the_book_build_is_unchanged(monkeypatch):
    config = effective_config(monkeypatch, None)
    assert config["nb_execution_mode"] == "cache" and config["nb_execution_raise_on_error"] is True


def test_linkcheck_does_not_execute(monkeypatch):
    config = effective_config(monkeypatch, "linkcheck")
    assert config["nb_execution_mode"] == "off" and config["nb_execution_raise_on_error"] is True


def test_reproduce_reports_failures_instead_of_stopping(monkeypatch):
    config = effective_config(monkeypatch, "reproduce")
    assert config["nb_execution_mode"] == "cache" and config["nb_execution_raise_on_error"] is False


def test_an_unknown_mode_stops_the_build(monkeypatch):
    with pytest.raises(ConfigError, match="is not a build mode"):
        effective_config(monkeypatch, "fast")


def test_make_targets_use_the_switch():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"{modes.ENV_VAR}=linkcheck" in makefile
    assert "_config.yml >" not in makefile and "--config" not in makefile
