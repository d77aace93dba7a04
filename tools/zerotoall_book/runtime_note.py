"""The "실행 시간과 무료 GPU" note of the heavy pages, added by the tooling (issue 16, part 5).

A lecture or lab whose item in ``book/course.yml`` has ``heavy: true`` (Lab 10, 11-2, 11-3,
Lec 10-1..10-3: minutes of training on a CPU) tells the learner how long the build took to run
it and how to switch Colab or Kaggle to a free GPU. The pages' sources do not carry that note:
:func:`insert` adds two things to the MyST text, and both the book build
(:mod:`zerotoall_book.sphinx.runtime_note`, on Sphinx's ``source-read``) and the notebook
generator (:mod:`zerotoall_book.notebooks`) call it, so the site and the notebooks learners open
say the same thing:

* the note (an admonition) right after the page's first code cell, the one that imports the
  helper, starts the clock (``zta.quick_mode()``) and prints ``zta.show_versions()`` (versions,
  device, date); the run time itself is ``{glue:md}`<id>-runtime``;
* a hidden last code cell ``zta.glue_run_time("<id>")``, which measures the time since that first
  cell and glues the phrase (date, TensorFlow version, full or quick mode, CPU cores or GPU,
  minutes) under ``<id>-runtime``.

Nothing is typed into the pages, so the authors of those pages never merge this note by hand.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import outline

__all__ = ["NOTE_TITLE", "heavy_pages", "note", "glue_cell", "insert"]

NOTE_TITLE = "실행 시간과 무료 GPU"
#: a MyST code cell: its opening fence (3 backticks or more) up to the matching closing fence
_CODE_CELL = re.compile(r"^(?P<fence>`{3,})\{code-cell\}[^\n]*\n.*?^(?P=fence)[ \t]*$\n?", re.S | re.M)


def heavy_pages(root: str | os.PathLike = outline.ROOT, course: dict | None = None) -> dict[str, str]:
    """``{docname: item id}`` of every page whose outline item says ``heavy: true``."""
    course = course or outline.load_course(Path(root) / outline.COURSE_YAML_DEFAULT)
    found = outline.item_pages(root, course)
    return {found[item["id"]]: item["id"] for item in outline.iter_items(course)
            if item.get("heavy") and item["id"] in found}


def note(page_id: str) -> str:
    """The admonition inserted after the first code cell (MyST)."""
    return f"""```{{admonition}} {NOTE_TITLE}
:class: tip

책을 만들 때 이 페이지의 코드 전체에 걸린 시간: {{glue:md}}`{page_id}-runtime`.
GPU가 없는 컴퓨터에서는 이와 비슷하게 걸립니다. 위 셀의 `zta.show_versions()`가 출력하는 `device:`가 TensorFlow가 계산에 쓰는 장치입니다.
GPU를 쓰면 학습이 훨씬 빨라지고, 아래 두 곳에서는 무료로 쓸 수 있습니다.

- **Colab**: 메뉴 **런타임 → 런타임 유형 변경**에서 하드웨어 가속기를 `T4 GPU`로 고른 뒤 **런타임 → 모두 실행**으로 처음부터 다시 실행합니다.
- **Kaggle**: 노트북 오른쪽 **Settings** 패널에서 **Accelerator**를 `GPU T4 x2`나 `GPU P100`으로 고르고 **Internet**을 켠 뒤(준비 셀과 데이터 내려받기에 필요합니다) **Run All**을 누릅니다.

GPU로 다시 실행하면 `device:`가 `GPU (...)`로 바뀌고, 마지막 셀이 이 노트북의 실행 시간을 출력합니다.
```
"""


def glue_cell(page_id: str) -> str:
    """The hidden last code cell that measures and glues the page's run time (MyST)."""
    return f"""```{{code-cell}} ipython3
:tags: [remove-cell]

zta.glue_run_time("{page_id}")  # how long this page ran: the "{NOTE_TITLE}" note
```
"""


def insert(text: str, page_id: str) -> str:
    """``text`` (a MyST page) with the note after its first code cell and the glue cell at the end.

    Raises ``ValueError`` when the page has no code cell or already carries the note.
    """
    if NOTE_TITLE in text:
        raise ValueError(f"{page_id}: the page already has a {NOTE_TITLE!r} note; the tooling adds it")
    first = _CODE_CELL.search(text)
    if first is None:
        raise ValueError(f"{page_id}: no code cell to put the {NOTE_TITLE!r} note after")
    head, tail = text[: first.end()], text[first.end():]
    return f"{head}\n{note(page_id)}{tail.rstrip()}\n\n{glue_cell(page_id)}"
