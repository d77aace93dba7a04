"""One figure style for the whole book: zerotoall/zerotoall.mplstyle (white figure background, so
figures stay readable on the site's dark theme; colour-blind-safe colours).

``import zerotoall`` applies the style, so every page that draws must import zerotoall before
its first figure, and no page may switch the style or the figure background itself. The browser
tests check the result on the built site (no transparent pixels in any figure).
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest
from zerotoall_book import outline

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / f"{doc}.md" for doc in outline.pages(ROOT)]

DRAWS = re.compile(r"\bplt\.|\bzta\.plot_|\.plot\(|\.imshow\(|\.scatter\(")
OVERRIDES = re.compile(
    r"plt\.style\.use|matplotlib\.style\.use|rcParams|rc_context|plt\.rc\(|mpl\.rc\("
    r"|transparent\s*=\s*True|\.set_facecolor\(|facecolor\s*=\s*['\"](none|transparent)")


@pytest.mark.parametrize("path", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_pages_draw_with_the_book_style(path: Path):
    cells = [c.source for c in jupytext.read(str(path)).cells if c.cell_type == "code"]
    first_draw = next((i for i, src in enumerate(cells) if DRAWS.search(src)), None)
    if first_draw is not None:
        imported = next((i for i, src in enumerate(cells) if re.search(r"^\s*import zerotoall", src, re.M)), None)
        assert imported is not None and imported <= first_draw, (
            f"{path.name}: import zerotoall (it applies the book's figure style) before the first figure"
        )
    for n, src in enumerate(cells):
        m = OVERRIDES.search(src)
        assert not m, f"{path.name}, code cell {n}: {m.group(0)!r} overrides zerotoall.mplstyle"
