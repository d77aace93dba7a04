"""The course outline, ``book/course.yml``: load it, validate it, and say which page is which.

``book/course.yml`` is the single source of truth for the course outline (sections, lectures,
labs, YouTube ids) and for the numbers the original course reported. This module needs neither
Sphinx nor docutils: the Sphinx directives (:mod:`zerotoall_book.sphinx.course`), the notebook
generator, ``make reproduce`` and the tests all read the outline through it.

A page "exists" when the book has a document ``lectures/<id>-<slug>`` (for a lecture) or
``labs/<id>-<slug>`` (for a lab).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

__all__ = [
    "CourseError",
    "load_course",
    "iter_items",
    "iter_results",
    "item_label",
    "youtube_url",
    "match_pages",
    "PAGE_DIRS",
    "is_page",
    "section_title",
    "item_pages",
    "pages_by_section",
    "pages",
    "book_files",
]

COURSE_YAML_DEFAULT = "book/course.yml"

#: lec00, lab01, lec09-1, lec09-x, lab04-2, lab10
ID_RE = re.compile(r"^(lec|lab)(\d{2})(?:-(\d+|x))?$")

KIND_OF_PREFIX = {"lec": "lecture", "lab": "lab"}
PAGE_DIR = {"lecture": "lectures", "lab": "labs"}
NO_NUMBER = "—"  # "original" value of an entry the original course did not report
#: ``bar`` of a result: the measured value must be >= the original, or within a tolerance of it
BAR_RE = re.compile(r"^(?:at-least|within (?P<tol>\d*\.?\d+))$")
DEFAULT_FMT = ".4f"

SCHEMA_PATH = Path(__file__).with_name("course.schema.json")
#: the repository this tooling belongs to (installed editable from tools/)
ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------
# Loader (no Sphinx needed)
# --------------------------------------------------------------------------------------


class CourseError(ValueError):
    """``course.yml`` is missing, is not valid YAML, breaks the schema, or does not fit the pages.

    ``problems`` is a list of ``(line, message)`` pairs (``line`` is 1-based, or ``None``
    when unknown); ``path`` is the file that was read.
    """

    def __init__(self, path: str | os.PathLike, problems: list[tuple[int | None, str]]):
        self.path = str(path)
        self.problems = list(problems)
        lines = [
            f"  {self.path}:{line}: {msg}" if line else f"  {self.path}: {msg}"
            for line, msg in self.problems
        ]
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(
            f"invalid course outline {self.path} ({len(self.problems)} {noun}):\n"
            + "\n".join(lines)
        )


class _LinedDict(dict):
    """A dict that remembers the line of the YAML mapping and of each of its keys."""

    line: int | None = None
    key_lines: dict


class _LinedList(list):
    line: int | None = None


class _Loader(yaml.SafeLoader):
    """SafeLoader that records line numbers and rejects duplicate keys."""

    def construct_mapping(self, node, deep=False):  # noqa: D102
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.duplicate_keys.append(
                        (line, f"duplicate key {key!r} in one mapping (first at line {seen[key]})")
                    )
                else:
                    seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _construct_lined_map(loader: _Loader, node):
    data = _LinedDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {
        key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)
    }
    yield data
    data.update(loader.construct_mapping(node))


def _construct_lined_seq(loader: _Loader, node):
    data = _LinedList()
    data.line = node.start_mark.line + 1
    yield data
    data.extend(loader.construct_sequence(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_lined_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_lined_seq)


def _line(obj: Any, default: int | None = None) -> int | None:
    return getattr(obj, "line", None) or default


def _line_of(raw: Any, path: Iterable) -> int | None:
    """The line of the value at ``path`` (a JSON-Schema error's ``absolute_path``)."""
    line, node = _line(raw, 1), raw
    for step in path:
        if isinstance(node, dict) and step in node:
            line = getattr(node, "key_lines", {}).get(step, line)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            break
        line = _line(node, line)
    return line


def _where(path: Iterable) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "top level"


def _valid_fmt(fmt: str) -> bool:
    try:
        format(0.5, fmt)
    except (ValueError, TypeError):
        return False
    return True


def schema() -> dict:
    """The JSON Schema of ``course.yml`` (``course.schema.json`` beside this module)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_course(path: str | os.PathLike = ROOT / COURSE_YAML_DEFAULT) -> dict:
    """Read, validate and return the course outline in ``path`` (``book/course.yml``).

    Returns a dict of plain Python objects::

        {"version": 1,
         "course": {...},
         "book": {"root": "book/intro", "front": [{"caption": ..., "files": [...]}], "back": [...]},
         "sections": [{"number": 9, "title_ko": ..., "title_en": ...,
                       "items": [{"id": "lab09-1", "kind": "lab", "title_ko": ...,
                                  "title_en": ..., "video": ..., "section": 9,
                                  "results": [{"key": ..., "what": ..., "original": ...,
                                               "fmt": ".4f", "note": None, "bar": None}, ...]},
                                 ...]},
                      ...]}

    Every item gets ``results`` (possibly empty) and ``section``; every result gets
    ``fmt`` (default ``.4f``), ``note`` and ``bar`` (default ``None``).

    The file is checked against :func:`schema` (JSON Schema), then for what one field cannot
    say (ids against their section, unique ids and keys). Raises :class:`CourseError` listing
    every problem found, with line numbers.
    """
    import jsonschema  # only needed here

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CourseError(path, [(None, f"cannot read the file: {exc}")]) from exc

    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        raw = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CourseError(path, [(line, f"not valid YAML: {problem}")]) from exc
    finally:
        loader.dispose()

    problems: list[tuple[int | None, str]] = list(loader.duplicate_keys)
    validator = jsonschema.Draft202012Validator(schema())
    for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        hint = " (put it in quotes)" if error.validator == "type" and isinstance(error.instance, (int, float)) else ""
        line = _line_of(raw, error.absolute_path)
        if error.validator == "additionalProperties":  # point at the first unexpected key
            extra = [key for key in error.instance if key not in error.schema.get("properties", {})]
            line = min((getattr(error.instance, "key_lines", {}).get(k, line) for k in extra), default=line)
        problems.append((line, f"{_where(error.absolute_path)}: {error.message}{hint}"))
    if not problems:
        _check_across_fields(raw, problems)
    if problems:
        problems.sort(key=lambda p: (p[0] or 0))
        raise CourseError(path, problems)
    return _normalised(raw)


def _check_across_fields(raw: dict, problems: list) -> None:
    """What the schema cannot say: ids fit their kind and section, ids and keys are unique."""
    seen_ids: dict[str, int | None] = {}
    seen_keys: dict[str, int | None] = {}
    last_number = None
    for section in raw["sections"]:
        number = section["number"]
        if last_number is not None and number <= last_number:
            problems.append((_line(section), f"section {number}: section numbers must increase (previous: {last_number})"))
        last_number = number
        for item in section["items"]:
            item_id = item["id"]
            where = f"section {number}, item {item_id!r}"
            prefix, digits = ID_RE.match(item_id).group(1, 2)
            if KIND_OF_PREFIX[prefix] != item["kind"]:
                problems.append((_line(item), f"{where}: kind {item['kind']!r} does not match the id "
                                              f"(expected {KIND_OF_PREFIX[prefix]!r})"))
            if int(digits) != number:
                problems.append((_line(item), f"{where}: the id's number {digits} differs from the section number {number}"))
            if item_id in seen_ids:
                problems.append((_line(item), f"duplicate id {item_id!r} (first defined at line {seen_ids[item_id]})"))
            else:
                seen_ids[item_id] = _line(item)
            for result in item.get("results") or []:
                key = result["key"]
                where_r = f"{where}, result {key!r}"
                if not key.startswith(item_id + "-"):
                    problems.append((_line(result), f"{where_r}: key must start with the item id, '{item_id}-'"))
                if key in seen_keys:
                    problems.append((_line(result), f"duplicate results key {key!r} (first defined at line {seen_keys[key]})"))
                else:
                    seen_keys[key] = _line(result)
                if not _valid_fmt(result.get("fmt", DEFAULT_FMT)):
                    problems.append((_line(result), f"{where_r}: fmt {result['fmt']!r} is not a float format spec "
                                                    "such as '.4f', '.3e' or '.4g'"))
                if result.get("bar") and result["original"] == NO_NUMBER:
                    problems.append((_line(result), f"{where_r}: a bar needs an original number to compare with"))


def _normalised(raw: dict) -> dict:
    text = lambda value: value.strip() if isinstance(value, str) else value  # noqa: E731
    book = raw.get("book") or {}
    out: dict = {
        "version": 1,
        "course": {key: text(value) for key, value in (raw.get("course") or {}).items()},
        "book": {
            "root": book.get("root"),
            **{part: [{"caption": text(p["caption"]), "files": list(p["files"])} for p in book.get(part, [])]
               for part in ("front", "back")},
        },
        "sections": [],
    }
    for section in raw["sections"]:
        items = []
        for item in section["items"]:
            results = [
                {"key": r["key"], "what": text(r["what"]), "original": text(r["original"]),
                 "fmt": r.get("fmt", DEFAULT_FMT), "note": text(r.get("note")), "bar": text(r.get("bar"))}
                for r in item.get("results") or []
            ]
            items.append({**{key: text(item[key]) for key in ("id", "kind", "title_ko", "title_en", "video")},
                          "section": section["number"], "results": results})
        out["sections"].append({"number": section["number"], "title_ko": text(section["title_ko"]),
                                 "title_en": text(section["title_en"]), "items": items})
    return out


def iter_items(course: dict) -> Iterator[dict]:
    """Yield every item (lecture or lab) in course order."""
    for section in course["sections"]:
        yield from section["items"]


def iter_results(course: dict) -> Iterator[tuple[dict, dict]]:
    """Yield ``(item, result)`` for every results entry, in course order."""
    for item in iter_items(course):
        for result in item["results"]:
            yield item, result


def item_label(item_id: str) -> str:
    """``lab09-1`` -> ``Lab 09-1``, ``lec00`` -> ``Lec 00``, ``lec09-x`` -> ``Lec 09-x``."""
    match = ID_RE.match(item_id)
    if not match:
        return item_id
    prefix, number, sub = match.groups()
    return f"{prefix.capitalize()} {number}" + (f"-{sub}" if sub else "")


def youtube_url(video: str) -> str:
    return f"https://www.youtube.com/watch?v={video}"


def match_pages(course: dict, docnames: Iterable[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Map item ids to the documents that are their pages.

    A document ``lectures/<id>-<slug>`` (or ``lectures/<id>``) is the page of lecture
    ``<id>``; ``labs/<id>-<slug>`` of lab ``<id>``. When several ids fit, the longest wins
    (``labs/lab10-1-x`` belongs to ``lab10-1`` if that id exists, else to ``lab10``).

    Returns ``(pages, unmatched)``: ``pages[id]`` is the sorted list of matching documents
    (more than one is an error the extension reports), ``unmatched`` lists documents
    directly under ``lectures/`` or ``labs/`` that fit no id.
    """
    by_dir: dict[str, list[str]] = {}
    for item in iter_items(course):
        if item.get("id") and item.get("kind") in PAGE_DIR:
            by_dir.setdefault(PAGE_DIR[item["kind"]], []).append(item["id"])
    pages: dict[str, list[str]] = {}
    unmatched: list[str] = []
    for docname in sorted(docnames):
        folder, _, base = docname.partition("/")
        if folder not in PAGE_DIR.values() or not base or "/" in base:
            continue
        fits = [i for i in by_dir.get(folder, []) if base == i or base.startswith(i + "-")]
        if not fits:
            unmatched.append(docname)
            continue
        pages.setdefault(max(fits, key=len), []).append(docname)
    return pages, unmatched


# --------------------------------------------------------------------------------------
# Pages: the one list of the book's pages, in reading order
# --------------------------------------------------------------------------------------

#: the folders of lecture and lab pages (``PAGE_DIR`` by kind)
PAGE_DIRS: tuple[str, ...] = tuple(PAGE_DIR.values())


def is_page(docname: str) -> bool:
    """Whether ``docname`` (``labs/lab05-logistic``) is a lecture or lab page."""
    return docname.split("/", 1)[0] in PAGE_DIRS


def section_title(section: dict) -> str:
    """``Lec 09 · Neural Network 1: ...``: a section's heading in the outline table and the toc."""
    return f"Lec {section['number']:02d} · {section['title_ko']}"


def _page_files(root: Path) -> list[str]:
    return sorted(f"{folder}/{path.stem}" for folder in PAGE_DIRS for path in (root / folder).glob("*.md"))


def item_pages(root: str | os.PathLike = ROOT, course: dict | None = None) -> dict[str, str]:
    """``{item id: docname}`` for every lecture and lab of the outline that has a page.

    Raises :class:`CourseError` when a page file fits no id of the outline, or several files fit one id.
    """
    root = Path(root)
    course = course or load_course(root / COURSE_YAML_DEFAULT)
    found, unmatched = match_pages(course, _page_files(root))
    problems = [(None, f"{doc}.md: the name starts with no lecture/lab id of the outline "
                       "(name it '<id>-<slug>.md' after an id there)") for doc in unmatched]
    problems += [(None, f"several pages for {item_id!r}: {', '.join(docs)}")
                 for item_id, docs in found.items() if len(docs) > 1]
    if problems:
        raise CourseError(root / COURSE_YAML_DEFAULT, problems)
    return {item_id: docs[0] for item_id, docs in found.items()}


def pages_by_section(root: str | os.PathLike = ROOT, course: dict | None = None) -> list[tuple[dict, list[str]]]:
    """``(section, [docname, ...])`` for every section, its lecture and lab pages in course order."""
    course = course or load_course(Path(root) / COURSE_YAML_DEFAULT)
    found = item_pages(root, course)
    return [(section, [found[item["id"]] for item in section["items"] if item["id"] in found])
            for section in course["sections"]]


def pages(root: str | os.PathLike = ROOT, course: dict | None = None) -> list[str]:
    """Docnames of the lecture and lab pages (``labs/lab05-logistic``), in reading order."""
    return [doc for _, docs in pages_by_section(root, course) for doc in docs]


def book_files(root: str | os.PathLike = ROOT, course: dict | None = None) -> list[str]:
    """Every docname of the book in reading order: the root page, the front matter, the lecture
    and lab pages, the back matter (what ``_toc.yml`` lists)."""
    root = Path(root)
    course = course or load_course(root / COURSE_YAML_DEFAULT)
    book = course["book"]
    return ([book["root"]] + [f for part in book["front"] for f in part["files"]] + pages(root, course)
            + [f for part in book["back"] for f in part["files"]])
