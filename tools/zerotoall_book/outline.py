"""The course outline, ``book/course.yml``: load it, validate it, and say which page is which.

``book/course.yml`` is the single source of truth for the course outline (sections, lectures,
labs, YouTube ids) and for the numbers the original course reported. This module needs neither
Sphinx nor docutils: the Sphinx directives (:mod:`zerotoall_book.sphinx.course`), the notebook
generator, ``make reproduce`` and the tests all read the outline through it.

A page "exists" when the book has a document ``lectures/<id>-<slug>`` (for a lecture) or
``labs/<id>-<slug>`` (for a lab).
"""

from __future__ import annotations

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
]

COURSE_YAML_DEFAULT = "book/course.yml"

#: lec00, lab01, lec09-1, lec09-x, lab04-2, lab10
ID_RE = re.compile(r"^(lec|lab)(\d{2})(?:-(\d+|x))?$")
#: glue keys: lower-case words joined by single hyphens
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: YouTube video ids are 11 characters of [A-Za-z0-9_-]
VIDEO_RE = re.compile(r"^[A-Za-z0-9_-]{11}$")

KIND_OF_PREFIX = {"lec": "lecture", "lab": "lab"}
PAGE_DIR = {"lecture": "lectures", "lab": "labs"}
NO_NUMBER = "—"  # "original" value of an entry the original course did not report
#: ``bar`` of a result: the measured value must be >= the original, or within a tolerance of it
BAR_RE = re.compile(r"^(?:at-least|within (?P<tol>\d*\.?\d+))$")
DEFAULT_FMT = ".4f"

_TOP_KEYS = {"version", "course", "sections"}
_COURSE_KEYS = {"title_ko", "title_en", "author", "original_site", "original_repo", "playlist"}
_SECTION_KEYS = {"number", "title_ko", "title_en", "items"}
_ITEM_KEYS = {"id", "kind", "title_ko", "title_en", "video", "results"}
_ITEM_REQUIRED = ("id", "kind", "title_ko", "title_en", "video")
_RESULT_KEYS = {"key", "what", "original", "fmt", "note", "bar"}
_RESULT_REQUIRED = ("key", "what", "original")


# --------------------------------------------------------------------------------------
# Loader (no Sphinx needed)
# --------------------------------------------------------------------------------------


class CourseError(ValueError):
    """``course.yml`` is missing, is not valid YAML, or breaks the schema.

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
    """A dict that remembers the line of the YAML mapping it came from."""

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
    yield data
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_lined_map)


def _line(obj: Any, default: int | None = None) -> int | None:
    return getattr(obj, "line", None) or default


def _valid_fmt(fmt: str) -> bool:
    if not fmt or fmt[-1] not in "eEfFgGn%":
        return False
    try:
        format(0.5, fmt)
    except (ValueError, TypeError):
        return False
    return True


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def load_course(path: str | os.PathLike) -> dict:
    """Read, validate and return the course outline in ``path`` (``book/course.yml``).

    Returns a dict of plain Python objects::

        {"version": 1,
         "course": {...},
         "sections": [{"number": 9, "title_ko": ..., "title_en": ...,
                       "items": [{"id": "lab09-1", "kind": "lab", "title_ko": ...,
                                  "title_en": ..., "video": ..., "section": 9,
                                  "results": [{"key": ..., "what": ..., "original": ...,
                                               "fmt": ".4f", "note": None}, ...]},
                                 ...]},
                      ...]}

    Every item gets ``results`` (possibly empty) and ``section``; every result gets
    ``fmt`` (default ``.4f``) and ``note`` (default ``None``).

    Raises :class:`CourseError` listing every problem found, with line numbers.
    """
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
    course = _validate(raw, problems)
    if problems:
        problems.sort(key=lambda p: (p[0] or 0))
        raise CourseError(path, problems)
    return course


def _validate(raw: Any, problems: list) -> dict:
    def err(obj_or_line, msg):
        line = obj_or_line if isinstance(obj_or_line, int) or obj_or_line is None else _line(obj_or_line)
        problems.append((line, msg))

    def text_field(mapping, key, where, required=True):
        value = mapping.get(key)
        if value is None:
            if required:
                err(mapping, f"{where}: missing {key!r}")
            return None
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, (int, float)) else ""
            err(mapping, f"{where}: {key!r} must be a string, not {type(value).__name__}{hint}")
            return None
        if not value.strip():
            err(mapping, f"{where}: {key!r} is empty")
            return None
        return value.strip()

    def unknown_keys(mapping, allowed, where):
        for key in mapping:
            if key not in allowed:
                err(mapping, f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    out: dict = {"version": 1, "course": {}, "sections": []}
    if not isinstance(raw, dict):
        err(1, "the file must hold a mapping with 'sections' (and optional 'version', 'course')")
        return out
    unknown_keys(raw, _TOP_KEYS, "top level")

    version = raw.get("version", 1)
    if version != 1:
        err(raw, f"unsupported version {version!r} (this extension reads version 1)")

    meta = raw.get("course", {}) or {}
    if not isinstance(meta, dict):
        err(raw, "'course' must be a mapping")
    else:
        unknown_keys(meta, _COURSE_KEYS, "course")
        for key in _COURSE_KEYS:
            if key in meta:
                value = text_field(meta, key, "course")
                if value is not None:
                    out["course"][key] = value

    sections = raw.get("sections")
    if not isinstance(sections, list) or not sections:
        err(raw, "'sections' must be a non-empty list")
        return out

    seen_ids: dict[str, int | None] = {}
    seen_keys: dict[str, int | None] = {}
    last_number = None
    for s_index, section in enumerate(sections):
        where_s = f"sections[{s_index}]"
        if not isinstance(section, dict):
            err(_line(sections), f"{where_s} must be a mapping")
            continue
        unknown_keys(section, _SECTION_KEYS, where_s)
        number = section.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            err(section, f"{where_s}: 'number' must be a non-negative integer, got {number!r}")
            number = None
        else:
            where_s = f"section {number}"
            if last_number is not None and number <= last_number:
                err(section, f"{where_s}: section numbers must increase (previous: {last_number})")
            last_number = number
        out_section = {
            "number": number,
            "title_ko": text_field(section, "title_ko", where_s),
            "title_en": text_field(section, "title_en", where_s),
            "items": [],
        }
        items = section.get("items")
        if not isinstance(items, list) or not items:
            err(section, f"{where_s}: 'items' must be a non-empty list")
            items = []
        for i_index, item in enumerate(items):
            where_i = f"{where_s}, items[{i_index}]"
            if not isinstance(item, dict):
                err(section, f"{where_i} must be a mapping")
                continue
            unknown_keys(item, _ITEM_KEYS, where_i)
            values = {k: text_field(item, k, where_i) for k in _ITEM_REQUIRED}
            item_id = values["id"]
            if item_id is not None:
                where_i = f"{where_s}, item {item_id!r}"
                match = ID_RE.match(item_id)
                if not match:
                    err(item, f"{where_i}: id must look like lec00, lab01, lec09-1, lec09-x or lab04-2")
                else:
                    kind = KIND_OF_PREFIX[match.group(1)]
                    if values["kind"] is not None and values["kind"] != kind:
                        err(item, f"{where_i}: kind {values['kind']!r} does not match the id (expected {kind!r})")
                    if number is not None and int(match.group(2)) != number:
                        err(item, f"{where_i}: the id's number {match.group(2)} differs from the section number {number}")
                if item_id in seen_ids:
                    err(item, f"duplicate id {item_id!r} (first defined at line {seen_ids[item_id]})")
                else:
                    seen_ids[item_id] = _line(item)
            if values["kind"] is not None and values["kind"] not in PAGE_DIR:
                err(item, f"{where_i}: kind must be 'lecture' or 'lab', got {values['kind']!r}")
            if values["video"] is not None and not VIDEO_RE.match(values["video"]):
                err(item, f"{where_i}: video {values['video']!r} is not a YouTube video id (11 characters)")

            out_item = dict(values)
            out_item["section"] = number
            out_item["results"] = []
            results = item.get("results", [])
            if results is None:
                results = []
            if not isinstance(results, list):
                err(item, f"{where_i}: 'results' must be a list")
                results = []
            for r_index, entry in enumerate(results):
                where_r = f"{where_i}, results[{r_index}]"
                if not isinstance(entry, dict):
                    err(item, f"{where_r} must be a mapping with key, what, original")
                    continue
                unknown_keys(entry, _RESULT_KEYS, where_r)
                r = {k: text_field(entry, k, where_r) for k in _RESULT_REQUIRED}
                key = r["key"]
                if key is not None:
                    where_r = f"{where_i}, result {key!r}"
                    if not KEY_RE.match(key):
                        err(entry, f"{where_r}: key must be lower-case words joined by '-'")
                    if item_id is not None and not key.startswith(item_id + "-"):
                        err(entry, f"{where_r}: key must start with the item id, '{item_id}-'")
                    if key in seen_keys:
                        err(entry, f"duplicate results key {key!r} (first defined at line {seen_keys[key]})")
                    else:
                        seen_keys[key] = _line(entry)
                original = r["original"]
                if original is not None and original != NO_NUMBER and not _is_number(original):
                    err(entry, f"{where_r}: original {original!r} must be a number written as a string, or {NO_NUMBER!r}")
                fmt = entry.get("fmt", DEFAULT_FMT)
                if not isinstance(fmt, str) or not _valid_fmt(fmt):
                    err(entry, f"{where_r}: fmt {fmt!r} is not a float format spec such as '.4f', '.3e' or '.4g'")
                    fmt = DEFAULT_FMT
                r["fmt"] = fmt
                r["note"] = text_field(entry, "note", where_r, required=False)
                r["bar"] = text_field(entry, "bar", where_r, required=False)
                if r["bar"] is not None and not BAR_RE.match(r["bar"]):
                    err(entry, f"{where_r}: bar {r['bar']!r} must be 'at-least' or 'within <tolerance>'")
                elif r["bar"] is not None and (original is None or original == NO_NUMBER):
                    err(entry, f"{where_r}: a bar needs an original number to compare with")
                out_item["results"].append(r)
            out_section["items"].append(out_item)
        out["sections"].append(out_section)
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
