"""The outline (zerotoall_book.outline): the JSON Schema check with file:line messages, the one
list of pages, and the table of contents generated from it (zerotoall_book.toc)."""

from __future__ import annotations

import shutil
from pathlib import Path

import jsonschema
import pytest
from zerotoall_book import outline, toc

ROOT = Path(__file__).resolve().parents[2]
COURSE = (ROOT / "book" / "course.yml").read_text(encoding="utf-8")


def _problems(tmp_path: Path, text: str) -> list[tuple[int | None, str]]:
    path = tmp_path / "course.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(outline.CourseError) as info:
        outline.load_course(path)
    assert str(path) in str(info.value)
    return info.value.problems


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(outline.schema())


def test_the_book_outline_is_valid():
    course = outline.load_course()
    assert course["book"]["root"] and course["sections"]


def test_a_wrong_value_is_reported_at_its_line(tmp_path):
    needle = "\n        video: oFGHOsAYiz0"
    assert needle in COURSE
    text = COURSE.replace(needle, "\n        video: too-short", 1)
    (line, message), = _problems(tmp_path, text)
    assert line == _line_of(text, "video: too-short")
    assert ".video: 'too-short' does not match" in message


def test_an_unknown_key_and_a_missing_key_are_reported(tmp_path):
    text = COURSE.replace("        kind: lab\n", "        kind: lab\n        colour: red\n", 1)
    problems = _problems(tmp_path, text)
    assert any("'colour' was unexpected" in m and line == _line_of(text, "colour: red") for line, m in problems)
    text = COURSE.replace("        kind: lab\n", "", 1)
    assert any("'kind' is a required property" in m for _, m in _problems(tmp_path, text))


def test_checks_across_fields(tmp_path):
    text = COURSE.replace("  - id: lab01\n", "  - id: lab02\n", 1).replace("- id: lab01\n", "- id: lab02\n", 1)
    messages = [m for _, m in _problems(tmp_path, text)]
    assert any("differs from the section number" in m for m in messages), messages


def test_a_number_needs_quotes(tmp_path):
    anchor = '            original: "4.89449"\n'
    assert anchor in COURSE
    (line, message), = _problems(tmp_path, COURSE.replace(anchor, "            original: 4.89449\n", 1))
    assert "is not of type 'string' (put it in quotes)" in message and line


def test_pages_follow_the_outline():
    pages = outline.pages(ROOT)
    assert pages and all(outline.is_page(p) and (ROOT / f"{p}.md").exists() for p in pages)
    assert outline.book_files(ROOT)[0] == outline.load_course()["book"]["root"]
    assert set(outline.item_pages(ROOT).values()) == set(pages)


def _copy_book(tmp_path: Path) -> Path:
    root = tmp_path / "book-root"
    (root / "book").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "course.yml", root / "book" / "course.yml")
    for doc in outline.pages(ROOT):
        (root / doc).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / f"{doc}.md", root / f"{doc}.md")
    shutil.copy(ROOT / "_toc.yml", root / "_toc.yml")
    return root


def test_a_page_without_an_outline_entry_is_an_error(tmp_path):
    root = _copy_book(tmp_path)
    folder = outline.PAGE_DIR["lab"]
    (root / folder / "lab99-extra.md").write_text("# stray\n", encoding="utf-8")
    with pytest.raises(outline.CourseError, match="lab99-extra.md: the name starts with no lecture/lab id"):
        outline.pages(root)


def test_toc_check_finds_a_stale_toc(tmp_path):
    root = _copy_book(tmp_path)
    assert toc.check(root) is None
    first = outline.pages(root)[0]
    (root / f"{first}.md").unlink()  # a page goes away: the committed toc is stale
    assert "run `make toc`" in toc.check(root)
    assert toc.main(["--root", str(root)]) == 0 and toc.check(root) is None
    assert f"file: {first}\n" not in (root / "_toc.yml").read_text(encoding="utf-8")
