"""Sphinx side of the course outline: the ``{course-table}`` and ``{results-table}`` directives.

The outline itself (``book/course.yml``: loading, validation, which document is which item's
page) lives in :mod:`zerotoall_book.outline`, which needs no Sphinx. Directives:

``{course-table}``
    the outline, one table per section: id, Korean title (a checked ``doc`` cross-reference
    when the page exists, "준비 중" otherwise), English title and the video link. Option
    ``:sections:`` (comma-separated section numbers) limits the output, ``:class:`` adds CSS
    classes to the tables.

``{results-table}``
    one row per ``results`` entry of every item whose page exists: item (linked), what was
    measured, the original course's number, and the number this book measured, pasted at
    build time from the executed page with myst-nb's cross-document glue. Options: ``:ids:``
    (comma-separated item ids to include), ``:pending:`` (flag: also list entries whose page
    does not exist yet) and ``:class:``.

Enabled by ``sphinx: extra_extensions: [zerotoall_book.sphinx.course]`` in ``_config.yml``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging as sphinx_logging
from sphinx.util.docutils import SphinxDirective

from ..outline import (
    COURSE_YAML_DEFAULT,
    NO_NUMBER,
    CourseError,
    item_label,
    is_page,
    iter_items,
    load_course,
    match_pages,
    section_title,
    youtube_url,
)


_CACHE: dict[str, tuple[tuple[int, int], dict | None, CourseError | None]] = {}
_REPORTED: set[tuple] = set()


logger = sphinx_logging.getLogger(__name__)


def _course_path(env) -> str:
    return os.path.normpath(os.path.join(env.srcdir, env.config.course_yaml))


def _load_cached(path: str):
    """Load the course once per file version and process; return (data, error)."""
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (-1, -1)
    cached = _CACHE.get(path)
    if cached is None or cached[0] != stamp:
        try:
            cached = (stamp, load_course(path), None)
        except CourseError as exc:
            cached = (stamp, None, exc)
        _CACHE[path] = cached
    return cached[1], cached[2], stamp


def _report(error: CourseError, stamp) -> None:
    for line, msg in error.problems:
        token = (error.path, stamp, line, msg)
        if token in _REPORTED:
            continue
        _REPORTED.add(token)
        logger.warning(
            f"course outline: {msg} [course.config]",
            location=f"{error.path}:{line or 1}",
            type="course",
            subtype="config",
        )


def _pages(env, course) -> dict[str, str]:
    pages, _ = match_pages(course, env.found_docs)
    return {item_id: docs[0] for item_id, docs in pages.items()}


def _doc_link(env, docname: str, text: str) -> nodes.Node:
    xref = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="doc",
        reftarget="/" + docname,
        refexplicit=True,
        refwarn=True,
        refdoc=env.docname,
    )
    xref += nodes.inline(text, text, classes=["xref", "std", "std-doc"])
    return xref


def _para(*children: nodes.Node, text: str | None = None, classes=()) -> nodes.paragraph:
    para = nodes.paragraph(classes=list(classes))
    if text is not None:
        para += nodes.Text(text)
    for child in children:
        para += child
    return para


def _pending_badge() -> nodes.inline:
    return nodes.inline(
        "준비 중",
        "준비 중",
        classes=["course-pending", "sd-badge", "sd-bg-secondary", "sd-bg-text-secondary"],
    )


def _table(headers, widths, rows, classes=()) -> nodes.table:
    # No caption on purpose: numfig would number captioned tables ("표 1", ...).
    table = nodes.table(classes=["course-table", *classes])
    tgroup = nodes.tgroup(cols=len(headers))
    table += tgroup
    for width in widths:
        tgroup += nodes.colspec(colwidth=width)
    thead = nodes.thead()
    tgroup += thead
    head_row = nodes.row()
    for header in headers:
        entry = nodes.entry()
        entry += _para(text=header)
        head_row += entry
    thead += head_row
    tbody = nodes.tbody()
    tgroup += tbody
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            if cell is None:  # covered by a row span above
                continue
            row += cell
        tbody += row
    return table


def _entry(*children: nodes.Node, morerows: int = 0) -> nodes.entry:
    entry = nodes.entry()
    if morerows:
        entry["morerows"] = morerows
    for child in children:
        entry += child
    return entry


def _id_list(argument: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\s]+", argument or "") if part.strip()]


class _CourseDirective(SphinxDirective):
    has_content = False
    required_arguments = 0
    optional_arguments = 0

    def load(self):
        """Return the validated course, or None after reporting the problems."""
        env = self.env
        path = _course_path(env)
        env.note_dependency(path)
        users = getattr(env, "course_directive_docs", None)
        if users is None:
            users = env.course_directive_docs = set()
        users.add(env.docname)
        course, error, stamp = _load_cached(path)
        if error is not None:
            _report(error, stamp)
            return None
        return course

    def failed(self) -> list[nodes.Node]:
        path = self.env.config.course_yaml
        return [_para(text=f"({path}을(를) 읽지 못해 표를 만들 수 없습니다. 빌드 경고를 보세요.)",
                      classes=["course-error"])]

    def warn(self, msg: str) -> None:
        logger.warning(f"{msg} [course.directive]", location=self.get_location(),
                       type="course", subtype="directive")


class CourseTableDirective(_CourseDirective):
    """``{course-table}``: the course outline, one table per section."""

    option_spec = {
        "sections": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        course = self.load()
        if course is None:
            return self.failed()
        pages = _pages(self.env, course)
        wanted = None
        if "sections" in self.options:
            wanted = set()
            known = {s["number"] for s in course["sections"]}
            for part in _id_list(self.options["sections"]):
                if not part.isdigit() or int(part) not in known:
                    self.warn(f"course-table: unknown section {part!r} in :sections:")
                else:
                    wanted.add(int(part))
        headers = ["번호", "제목", "English title", "영상"]
        level = self._heading_level()
        out: list[nodes.Node] = []
        for section in course["sections"]:
            if wanted is not None and section["number"] not in wanted:
                continue
            rows = []
            for item in section["items"]:
                label = item_label(item["id"])
                docname = pages.get(item["id"])
                if docname:
                    title = _para(_doc_link(self.env, docname, item["title_ko"]))
                else:
                    title = _para(nodes.Text(item["title_ko"] + " "), _pending_badge())
                video = nodes.reference(
                    "영상", "영상",
                    refuri=youtube_url(item["video"]),
                    reftitle=f"{label} 원본 강의 영상 (YouTube)",
                )
                rows.append([
                    _entry(_para(text=label)),
                    _entry(title),
                    _entry(_para(text=item["title_en"])),
                    _entry(_para(video)),
                ])
            # The section name is a rubric rendered as a real heading one level below
            # the enclosing section; rubrics stay out of the page toc and the numbering.
            heading = section_title(section)
            rubric = nodes.rubric(heading, heading, classes=["course-section"])
            if level:
                rubric["heading-level"] = level  # Sphinx's HTML writer
                rubric["level"] = level  # MyST's override of the rubric writer
            anchor = f"course-section-{section['number']:02d}"
            if anchor not in self.state.document.ids:
                rubric["ids"].append(anchor)
                self.state.document.ids[anchor] = rubric
            out.append(rubric)
            out.append(_table(headers, [12, 40, 38, 10], rows,
                              classes=["course-outline", *self.options.get("class", [])]))
        return out

    def _heading_level(self) -> int | None:
        """HTML heading level for the section rubrics: one below the enclosing section."""
        node = None
        # docutils' RST state has .parent; MyST's MockState keeps it on its inliner
        # (and raises MockingError, not AttributeError, for unknown attributes).
        for holder in ("state", "inliner"):
            try:
                obj = self.state if holder == "state" else self.state.inliner
                node = obj.parent
                break
            except Exception:  # noqa: BLE001
                continue
        depth = 0
        while node is not None:
            if isinstance(node, nodes.section):
                depth += 1
            node = node.parent
        return min(depth + 1, 6) if depth else None


class ResultsTableDirective(_CourseDirective):
    """``{results-table}``: the original course's numbers next to this book's."""

    option_spec = {
        "ids": directives.unchanged,
        "pending": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        course = self.load()
        if course is None:
            return self.failed()
        try:
            from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref
        except ImportError:  # pragma: no cover - myst-nb is part of Jupyter Book
            self.warn("results-table needs myst-nb (cross-document glue); it is not installed")
            return self.failed()
        env = self.env
        pages = _pages(env, course)
        known_ids = {item["id"] for item in iter_items(course)}
        wanted = None
        if "ids" in self.options:
            wanted = set(_id_list(self.options["ids"]))
            for item_id in sorted(wanted - known_ids):
                self.warn(f"results-table: unknown id {item_id!r} in :ids:")
        include_pending = "pending" in self.options
        source, line = self.get_source_info()

        rows = []
        for item in iter_items(course):
            if not item["results"] or (wanted is not None and item["id"] not in wanted):
                continue
            docname = pages.get(item["id"])
            if docname is None and not include_pending:
                continue
            label = item_label(item["id"])
            if docname is not None:
                doc_path = env.doc2path(docname)
                env.note_dependency(str(doc_path))
                rel_doc = "/" + Path(os.path.relpath(doc_path, env.srcdir)).as_posix()
                label_para = _para(_doc_link(env, docname, label))
            else:
                label_para = _para(nodes.Text(label + " "), _pending_badge())
            n = len(item["results"])
            for index, result in enumerate(item["results"]):
                what_nodes, messages = self.state.inline_text(result["what"], self.lineno)
                what_cell = [_para(*what_nodes), *messages]
                if result["note"]:
                    note_nodes, messages = self.state.inline_text(result["note"], self.lineno)
                    what_cell += [_para(*note_nodes, classes=["course-note"]), *messages]
                if docname is not None:
                    try:
                        ref = create_pending_glue_ref(
                            self.state.document, source, line, rel_doc, result["key"],
                            inline=True, gtype="text", fmt_spec=result["fmt"],
                        )
                        measured = _para(ref, classes=["course-measured"])
                    except PendingGlueReferenceError as exc:
                        self.warn(f"results-table: {exc}")
                        measured = _para(text="?")
                else:
                    measured = _para(text=NO_NUMBER)
                rows.append([
                    _entry(label_para, morerows=n - 1) if index == 0 else None,
                    _entry(*what_cell),
                    _entry(_para(text=result["original"], classes=["course-original"])),
                    _entry(measured),
                ])
        if not rows:
            return [_para(text="아직 결과가 있는 실습 페이지가 없습니다.", classes=["course-empty"])]
        headers = ["강의·실습", "측정 항목", "원본 강의", "이 책"]
        return [_table(headers, [12, 56, 16, 16], rows,
                       classes=["course-results", *self.options.get("class", [])])]


# -- environment bookkeeping (parallel-safe) ---------------------------------------


def _purge(app, env, docname):
    users = getattr(env, "course_directive_docs", None)
    if users:
        users.discard(docname)


def _merge(app, env, docnames, other):
    theirs = getattr(other, "course_directive_docs", set())
    if not hasattr(env, "course_directive_docs"):
        env.course_directive_docs = set()
    env.course_directive_docs |= {d for d in theirs if d in docnames}


def _outdated(app, env, added, changed, removed):
    """Re-read the pages with course tables when a lecture or lab page comes or goes."""
    users = getattr(env, "course_directive_docs", set())
    if users and any(is_page(doc) for doc in set(added) | set(removed)):
        return sorted(d for d in users if d not in removed)
    return []


def _forget_reports(app):
    _REPORTED.clear()  # a long-lived process (autobuild) reports problems on every build


def _check_consistency(app, env):
    """Warn about lecture/lab pages that do not fit course.yml."""
    path = _course_path(env)
    course, error, stamp = _load_cached(path)
    if error is not None:
        _report(error, stamp)
        return
    pages, unmatched = match_pages(course, env.found_docs)
    for docname in unmatched:
        logger.warning(
            f"page {docname!r} has no entry in {env.config.course_yaml} "
            f"(name it '<id>-<slug>' after an id there) [course.page]",
            location=(docname, None), type="course", subtype="page",
        )
    for item_id, docs in pages.items():
        if len(docs) > 1:
            logger.warning(
                f"several pages for {item_id!r}: {', '.join(docs)}; the course tables link "
                f"{docs[0]!r} [course.page]",
                location=(docs[1], None), type="course", subtype="page",
            )


def setup(app):
    """Sphinx entry point."""
    app.add_config_value("course_yaml", COURSE_YAML_DEFAULT, "env", [str])
    app.add_directive("course-table", CourseTableDirective)
    app.add_directive("results-table", ResultsTableDirective)
    app.connect("builder-inited", _forget_reports)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-check-consistency", _check_consistency)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
