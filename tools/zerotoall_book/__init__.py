"""The book's tooling (not the learners' helper package, which is ``zerotoall``).

* :mod:`.outline`: ``book/course.yml``, the one list of sections, lectures, labs and pages;
* :mod:`.notebooks`: the ``.ipynb`` generator (``make notebooks``);
* :mod:`.reproduce`: the timed full-mode build and its report (``make reproduce``);
* :mod:`.sphinx`: the Sphinx extensions named in ``_config.yml``.
"""
