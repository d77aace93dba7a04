"""``_toc.yml`` from the outline: ``python -m zerotoall_book.toc [--check]`` (``make toc``).

Jupyter Book reads the table of contents from ``_toc.yml``; the outline in ``book/course.yml``
says the same thing (which pages, in which order, under which section heading), so the file is
generated from it and committed. ``--check`` exits with status 1 when the committed file
differs from what the outline gives (the unit tests run the same comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import outline

TOC_FILE = "_toc.yml"
HEADER = """\
# Table of contents, generated from book/course.yml by `make toc` (python -m zerotoall_book.toc).
# Do not edit: change the outline and run `make toc`. One part per course section, lectures then labs.
"""


def _part(caption: str, files: list[str]) -> list[str]:
    lines = [f"  - caption: {json.dumps(caption, ensure_ascii=False)}", "    chapters:"]
    return lines + [f"      - file: {name}" for name in files]


def render(root: str | os.PathLike = outline.ROOT) -> str:
    """The text of ``_toc.yml`` for the outline and pages under ``root``."""
    course = outline.load_course(Path(root) / outline.COURSE_YAML_DEFAULT)
    book = course["book"]
    lines = ["format: jb-book", f"root: {book['root']}", "parts:"]
    for part in book["front"]:
        lines += _part(part["caption"], part["files"])
    for section, docs in outline.pages_by_section(root, course):
        if docs:
            lines += _part(outline.section_title(section), docs)
    for part in book["back"]:
        lines += _part(part["caption"], part["files"])
    return HEADER + "\n".join(lines) + "\n"


def check(root: str | os.PathLike = outline.ROOT) -> str | None:
    """``None`` when the committed ``_toc.yml`` is what the outline gives, else a message."""
    path = Path(root) / TOC_FILE
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current == render(root):
        return None
    return f"{path} differs from book/course.yml and the pages: run `make toc` and commit it"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the file is stale")
    parser.add_argument("--root", default=str(outline.ROOT), help="the repository (default: this one)")
    args = parser.parse_args(argv)
    if args.check:
        problem = check(args.root)
        print(problem or f"{TOC_FILE} is up to date", file=sys.stderr if problem else sys.stdout)
        return 1 if problem else 0
    Path(args.root, TOC_FILE).write_text(render(args.root), encoding="utf-8")
    print(f"wrote {Path(args.root, TOC_FILE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
