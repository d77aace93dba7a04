"""Sphinx extensions of the book, each named in ``sphinx: extra_extensions`` of ``_config.yml``:
``course`` (course and results tables), ``launch`` (Colab/Binder buttons, notebook download),
``search_ko`` (Korean search), ``theme_fixes`` (small fixes to the theme's HTML), ``modes`` (the
build-mode switch ``ZEROTOALL_BUILD_MODE`` of ``make linkcheck`` and ``make reproduce``)."""
