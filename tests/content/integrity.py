"""Content-integrity checks for the book's pages (issue 14): what the prose says, how it renders,
how it spells terms, and whether a result's bar and its assert state one rule.

Run it on the whole book, or on a few pages, of any checkout::

    .venv/bin/python tests/content/integrity.py --root .                        # every page
    .venv/bin/python tests/content/integrity.py --root . labs/lab02-linear-regression.md
    .venv/bin/python tests/content/integrity.py --root /work/wt-pa --rule prose-numbers

It prints one line per violation, ``file:line: rule: text`` (file relative to the root), and
exits with 1 if there is any. ``tests/content/test_integrity.py`` runs it in ``make test``. It
reads only files under ``--root``: ``book/course.yml`` (results, originals and bars),
``book/glossary.md`` (terms and the "표기 통일" spelling table) and
``tests/content/prose_numbers.yml`` (the narrow allowlist of numbers quoted in prose);
``--glossary FILE`` reads the terms and the spelling table from another glossary.md instead.

Rules (README, "Adding a lecture or a lab", "Authoring rules"):

``prose-numbers``
    In the prose of a lecture or lab (not in code fences, inline code, math, roles, URLs, front
    matter, directive options or HTML comments), a number with a decimal point, or followed by
    ``%``/``%p``, a time unit (초, 분, 시간, ms, s) or a ratio mark (배, x, ×; ``3×3``, a size, is
    not a ratio; nor is ``3.1절``, a section number). Exempt: a value equal to a result's
    ``original`` in course.yml (a percentage counts when it equals an original as a fraction;
    a time or ratio never does), and a value listed for the page in
    prose_numbers.yml. Measured values are glued with ``{glue:text}``, constants go in code/math.
``allowlist``
    Every prose_numbers.yml entry names a page, has a ``why``, and is used on its page.
``raw-markup``
    Markdown that does not render: the text a CommonMark + MyST parser leaves over contains
    ``**`` (or a lone ``*`` touching a word), ``__``, a stray backtick, ``:::``, an unresolved ``{role}`` or ``$$`` (the Korean
    bold trap ``**합성곱 층(convolution layer)**을`` is the common case).
``bold-particle-space``
    ``**용어** 을``: emphasis followed by a space and then a particle; write ``**용어**을``.
``term-variants``
    A spelling that the glossary's "표기 통일" table lists as avoided, anywhere in the prose of
    lectures, labs and ``book/*.md`` (outside code and math).
``term-links``
    On a lecture or lab, the first use of each core term (the "첫 사용에 링크하는 용어" list in the
    glossary's spelling section) is a ``{term}`` link. A term followed by a particle
    (``경사 하강법으로``) counts as a use; a term inside a longer word (``은닉층`` for ``층``) does not.
``bar-assert``
    For each course.yml result with a ``bar``, the page glues the key (``zta.glue("<key>", x)``)
    and its ``assert`` on ``x`` states the bar's full-mode rule: ``at-least o`` is
    ``x >= (q if QUICK else o)`` (or ``x == 1.0`` when ``o`` is 1.0, an accuracy's ceiling);
    ``within t`` is ``abs(x - o) <= t`` (``within 0`` is ``x == o``).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

RULES = (
    "prose-numbers", "allowlist", "raw-markup", "bold-particle-space",
    "term-variants", "term-links", "bar-assert",
)
PAGE_DIRS = ("lectures", "labs")
COURSE_YML = "book/course.yml"
GLOSSARY_MD = "book/glossary.md"
ALLOWLIST_YML = "tests/content/prose_numbers.yml"
SPELLING_HEADING = "표기 통일"
CORE_TERMS_HEADING = "첫 사용에 링크하는 용어"

#: directives whose body is code or math, not prose
CODE_DIRECTIVES = {
    "code-cell", "code", "code-block", "sourcecode", "literalinclude", "math", "raw", "eval-rst",
    "mermaid", "glue", "glue:any", "glue:figure", "glue:math", "toctree", "tableofcontents",
    "course-table", "results-table", "nb-exec-table",
}
#: directives whose argument is a label or a path, not a title
NO_TITLE_DIRECTIVES = {"solution", "solution-start", "solution-end", "exercise-end", "figure", "image", "include"}
HANGUL = "\uac00-\ud7a3"
#: particles (and copula endings) that may follow a term: 경사 하강법으로, 에폭마다, 가설입니다
PARTICLES = {
    "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "으로", "로", "와", "과", "도",
    "만", "나", "이나", "처럼", "보다", "까지", "부터", "마다", "란", "이란", "라고", "이라고",
    "라는", "이라는", "에는", "에서는", "으로는", "로는", "와는", "과는", "으로서", "로서",
    "으로써", "로써", "이다", "다", "입니다", "이고", "고", "이며", "며", "인", "이면", "면",
    "이지만", "지만", "이라", "라", "과의", "와의", "에서의", "으로의", "로의", "만큼", "뿐",
    "들", "들은", "들이", "들을", "들의", "들에", "들과", "이에요", "예요", "이죠", "죠", "을까",
    "이라면", "라면", "이어서", "여서", "이었", "였", "에도", "에만", "으로도", "로도", "이든",
    "든", "이나마", "인가", "인지", "이므로", "므로", "이니", "니", "당", "씩", "별",
}
#: after emphasis and a space, a particle that should have been attached: **용어** 을
LOOSE_PARTICLE_RE = re.compile(
    r"^ (은|는|을|를|의|에|에서|에게|으로|로|와|과|도|만|처럼|보다|까지|부터|이다|입니다|이고|이며|라고|이라고|"
    r"란|이란|라는|이라는|에는|으로는|로는|가)(?=[\s.,;:!?)\]]|$)"
)

URL_RE = re.compile(r"(?:https?://|www\.)\S+")
NUMBER_RE = re.compile(r"(?<![A-Za-z0-9_.])[-−+]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+−]?\d+)?(?![\d.,]\d)")
PERCENT_RE = re.compile(r"^\s?%p?")
TIME_RE = re.compile(r"^\s?(?:초(?!기)|분(?![의기])|시간|ms(?![A-Za-z])|s(?![A-Za-z]))")
RATIO_RE = re.compile(r"^\s?(?:배(?![치열포경])|[x×](?![A-Za-z])(?!\s*[\d(]))")
#: "3.1절", "12장": a section or chapter number of a cited book, not a measurement
SECTION_RE = re.compile(r"^(?:절|장)")
#: a lone * touching a word is an emphasis that did not close (*용어(term)*을)
RAW_RE = re.compile(r"\*\*|(?<![\s*])\*(?!\*)|(?<!\*)\*(?![\s*])|__|`|:::|\$\$|\{[a-z][\w:-]*\}")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.text}"


@dataclass
class Piece:
    """One inline piece of prose in document order."""

    line: int           # 1-based line in the file
    kind: str           # text | role | code | math | close (end of emphasis) | break
    text: str
    role: str = ""      # role name for kind == "role"
    heading: bool = False
    link: bool = False  # inside a link's text
    section: str = ""   # the nearest heading above


# ------------------------------------------------------------------------------------------ parsing


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(myst_block_plugin)
        .use(myst_role_plugin)
        .use(dollarmath_plugin)
        .use(amsmath_plugin)
        .use(colon_fence_plugin)
        .use(deflist_plugin)
    )


_MD = _parser()


def _directive_body(content: str) -> tuple[str, int]:
    """Strip a directive's options (``:key: value`` lines or a ``---`` YAML block)."""
    lines = content.split("\n")
    skip = 0
    if lines and lines[0].strip() == "---":
        for n, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                skip = n + 1
                break
    else:
        while skip < len(lines) and re.match(r"^\s*:[\w-]+:", lines[skip]):
            skip += 1
    return "\n".join(lines[skip:]), skip


def pieces(text: str, offset: int = 0, section: str = "") -> list[Piece]:
    """The prose of a MyST-markdown text as inline pieces, in document order."""
    out: list[Piece] = []
    tokens = _MD.parse(text)
    heading = False
    for tok in tokens:
        if tok.type == "heading_open":
            heading = True
            continue
        if tok.type == "heading_close":
            heading = False
            continue
        if tok.type in ("fence", "colon_fence"):
            info = tok.info.strip()
            m = re.match(r"^\{([^}]+)\}\s*(.*)$", info)
            if not m or m.group(1) in CODE_DIRECTIVES:
                continue
            start = tok.map[0] + offset
            if m.group(2) and m.group(1) not in NO_TITLE_DIRECTIVES:
                out.extend(pieces(m.group(2), start, section))
            body, skipped = _directive_body(tok.content)
            out.extend(pieces(body, start + 1 + skipped, section))
            continue
        if tok.type != "inline" or not tok.map:
            continue
        line = tok.map[0] + offset + 1
        if heading:
            section = tok.content
        link = False
        for child in tok.children or []:
            t = child.type
            if t in ("softbreak", "hardbreak"):
                out.append(Piece(line, "break", " ", heading=heading, section=section))
                line += 1
            elif t == "text":
                out.append(Piece(line, "text", child.content, heading=heading, link=link, section=section))
            elif t == "myst_role":
                out.append(Piece(line, "role", child.content, role=child.meta.get("name", ""),
                                 heading=heading, section=section))
            elif t == "code_inline":
                out.append(Piece(line, "code", child.content, heading=heading, section=section))
            elif t.startswith("math"):
                out.append(Piece(line, "math", child.content, heading=heading, section=section))
            elif t in ("strong_close", "em_close"):
                out.append(Piece(line, "close", "", heading=heading, section=section))
            elif t == "link_open":
                link = True
            elif t == "link_close":
                link = False
    return out


def code_cells(text: str) -> Iterator[tuple[int, str]]:
    """(first line of the code, source) of every ``{code-cell}`` of a page."""
    for tok in _MD.parse(text):
        if tok.type == "fence" and tok.info.strip().startswith("{code-cell}") and tok.map:
            body, skipped = _directive_body(tok.content)
            yield tok.map[0] + 2 + skipped, body


# ------------------------------------------------------------------------------------------ the book


class Book:
    """Everything the rules read from one checkout."""

    def __init__(self, root: Path, glossary: Path | None = None):
        self.root = root
        course = yaml.safe_load((root / COURSE_YML).read_text(encoding="utf-8"))
        self.items = {item["id"]: item for s in course["sections"] for item in s.get("items", [])}
        self.results = [(item["id"], r) for item in self.items.values() for r in item.get("results") or []]
        self.originals = set()
        for _, r in self.results:
            try:
                self.originals.add(float(str(r["original"]).replace("−", "-")))
            except ValueError:
                pass
        allow_path = root / ALLOWLIST_YML
        self.allowlist = (yaml.safe_load(allow_path.read_text(encoding="utf-8")) or {}) if allow_path.exists() else {}
        glossary = (glossary or root / GLOSSARY_MD).read_text(encoding="utf-8")
        self.glossary_terms = _glossary_terms(glossary)
        self.variants, self.core_terms, self.spelling_lines = _spelling_section(glossary)

    def page_id(self, rel: str) -> str | None:
        stem = Path(rel).stem
        ids = [i for i in self.items if stem == i or stem.startswith(i + "-")]
        return max(ids, key=len) if ids else None

    def pages(self) -> list[str]:
        out = [p.relative_to(self.root).as_posix() for d in PAGE_DIRS for p in sorted((self.root / d).glob("*.md"))]
        out += [p.relative_to(self.root).as_posix() for p in sorted((self.root / "book").glob("*.md"))]
        return out

    def page_of(self, item_id: str) -> str | None:
        for d in PAGE_DIRS:
            for p in sorted((self.root / d).glob(f"{item_id}*.md")):
                if self.page_id(p.relative_to(self.root).as_posix()) == item_id:
                    return p.relative_to(self.root).as_posix()
        return None


def _glossary_terms(text: str) -> list[str]:
    """Every term line of the ``{glossary}`` directive (a term may have several lines)."""
    terms = []
    for tok in _MD.parse(text):
        if tok.type in ("fence", "colon_fence") and tok.info.strip().startswith("{glossary}"):
            body, _ = _directive_body(tok.content)
            terms += [l.strip() for l in body.split("\n") if l.strip() and not l[0].isspace()]
    return terms


def _spelling_section(text: str) -> tuple[dict[str, str], list[str], range]:
    """From the glossary's "표기 통일" section: {avoided variant: chosen form}, the core terms
    (the comma-separated first paragraph under the "첫 사용에 링크하는 용어" heading) and the section's line range."""
    tokens = _MD.parse(text)
    variants: dict[str, str] = {}
    core: list[str] = []
    start = end = None
    level = None
    where = None
    row: list[str] = []
    cell = False
    for n, tok in enumerate(tokens):
        if tok.type == "heading_open":
            title = tokens[n + 1].content.strip()
            if start is None and title == SPELLING_HEADING:
                start, level, where = tok.map[0], tok.tag, "spelling"
            elif start is not None and end is None:
                if tok.tag <= level:
                    end = tok.map[0]
                    where = None
                elif title == CORE_TERMS_HEADING:
                    where = "core"
                else:
                    where = None
            continue
        if where == "spelling" and tok.type == "tr_open":
            row = []
        elif where == "spelling" and tok.type in ("td_open",):
            cell = True
        elif where == "spelling" and tok.type == "inline" and cell:
            row.append(tok.content)
            cell = False
        elif where == "spelling" and tok.type == "tr_close" and len(row) >= 2:
            chosen = re.sub(r"\s*\(.*\)\s*$", "", row[0]).strip()
            for variant in row[1].split(","):
                if variant.strip():
                    variants[variant.strip()] = chosen
        elif where == "core" and tok.type == "inline" and tokens[n - 1].type == "paragraph_open":
            # the first paragraph under the heading is the list; what follows explains it
            core += [t.strip() for t in tok.content.split(",") if t.strip()]
            where = None
    lines = range(start + 1, (end if end is not None else len(text.splitlines())) + 1) if start is not None else range(0)
    return variants, core, lines


# ------------------------------------------------------------------------------------------ rules


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("−", "-"))
    except ValueError:
        return None


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 25): end + 15].replace("\n", " ").strip()


def check_prose_numbers(book: Book, rel: str, ps: list[Piece], used: set) -> Iterator[Violation]:
    page = book.page_id(rel)
    allowed = {str(e.get("value")): e for e in (book.allowlist.get(page) or []) if isinstance(e, dict)}
    for p in ps:
        if p.kind != "text":
            continue
        text = URL_RE.sub(lambda m: " " * len(m.group(0)), p.text)
        for m in NUMBER_RE.finditer(text):
            raw = m.group(0)
            after = text[m.end():]
            decimal = "." in raw or "e" in raw.lower()
            percent = bool(PERCENT_RE.match(after))
            unit = TIME_RE.match(after) or RATIO_RE.match(after)
            if not (decimal or percent or unit) or SECTION_RE.match(after):
                continue
            value = _number(raw)
            # an original course result is an accuracy, cost or weight, never a time or a ratio
            if value is not None and not unit and (value in book.originals or (percent and any(
                    abs(value / 100 - o) < 1e-9 for o in book.originals))):
                continue
            hit = [k for k, e in allowed.items() if k == raw or (_number(k) is not None and _number(k) == value)]
            if hit:
                used.update((page, k) for k in hit)
                continue
            kind = "a decimal" if decimal else "a percentage" if percent else "a time or ratio"
            yield Violation(rel, p.line, "prose-numbers",
                            f"{kind} typed into prose: {raw!r} in \"{_context(text, m.start(), m.end())}\" "
                            "(glue it, put a constant in code/math, or allowlist an original's number)")


def check_allowlist(book: Book, pages: list[str], used: set) -> Iterator[Violation]:
    path = book.root / ALLOWLIST_YML
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8").splitlines()
    checked = {book.page_id(p) for p in pages}

    def line_of(page, value=None):
        for n, l in enumerate(lines, 1):
            if (value is None and l.startswith(f"{page}:")) or (value is not None and f'"{value}"' in l):
                return n
        return 1

    for page, entries in book.allowlist.items():
        if page not in book.items:
            yield Violation(ALLOWLIST_YML, line_of(page), "allowlist", f"{page!r} is no page id of course.yml")
            continue
        for e in entries or []:
            if not isinstance(e, dict) or "value" not in e:
                yield Violation(ALLOWLIST_YML, line_of(page), "allowlist", f"{page}: entries are {{value, why}}")
                continue
            value = str(e["value"])
            if not str(e.get("why") or "").strip():
                yield Violation(ALLOWLIST_YML, line_of(page, value), "allowlist", f"{page}: {value!r} has no 'why'")
            if page in checked and (page, value) not in used:
                yield Violation(ALLOWLIST_YML, line_of(page, value), "allowlist",
                                f"{page}: {value!r} is not used in the page's prose (stale entry)")


def check_raw_markup(rel: str, ps: list[Piece]) -> Iterator[Violation]:
    seen = set()
    for p in ps:
        if p.kind != "text":
            continue
        for m in RAW_RE.finditer(p.text):
            if (p.line, m.group(0)) in seen:  # the two halves of one broken **...** are one problem
                continue
            seen.add((p.line, m.group(0)))
            yield Violation(rel, p.line, "raw-markup",
                            f"{m.group(0)!r} would show literally: \"{_context(p.text, m.start(), m.end() + 25)}\""
                            + (" (Korean-safe: **합성곱 층**(convolution layer)을)" if m.group(0) == "**" else ""))


def check_bold_particle(rel: str, ps: list[Piece]) -> Iterator[Violation]:
    for prev, p in zip(ps, ps[1:]):
        if prev.kind == "close" and p.kind == "text":
            m = LOOSE_PARTICLE_RE.match(p.text)
            if m:
                yield Violation(rel, p.line, "bold-particle-space",
                                f"a space before the particle {m.group(1)!r} after emphasis: "
                                f"write **용어**{m.group(1)}, not **용어** {m.group(1)}")


def check_term_variants(book: Book, rel: str, ps: list[Piece]) -> Iterator[Violation]:
    skip = book.spelling_lines if rel == GLOSSARY_MD else range(0)
    for p in ps:
        if p.line in skip:
            continue
        if p.kind == "text" or (p.kind == "role" and not p.role.startswith(("glue", "math"))):
            for variant, chosen in book.variants.items():
                if variant in p.text:
                    yield Violation(rel, p.line, "term-variants",
                                    f"{variant!r}: the glossary's spelling is {chosen!r} (표기 통일)")


def _term_at(text: str, term: str) -> int:
    """Index of the first use of ``term`` as a word in ``text`` (a particle may follow), or -1."""
    for m in re.finditer(re.escape(term), text):
        before = text[m.start() - 1] if m.start() else " "
        if re.match(f"[{HANGUL}]", before):
            continue
        tail = re.match(f"[{HANGUL}]*", text[m.end():]).group(0)
        if not tail or tail in PARTICLES:
            return m.start()
    return -1


def check_term_links(book: Book, rel: str, ps: list[Piece]) -> Iterator[Violation]:
    known = {t.lower() for t in book.glossary_terms}
    for p in ps:
        if p.kind == "role" and p.role == "term":
            m = re.match(r"^(.*?)\s*<([^>]+)>$", p.text, re.S)
            target = (m.group(2) if m else p.text).strip()
            if target.lower() not in known:
                yield Violation(rel, p.line, "term-links",
                                f"{{term}}`{p.text}` names no entry of book/glossary.md (the strict build fails)")
    if not rel.startswith(tuple(d + "/" for d in PAGE_DIRS)):
        return
    for term in book.core_terms:
        for p in ps:
            if p.heading or p.link:
                continue
            if p.kind == "role" and p.role == "term":
                m = re.match(r"^(.*?)\s*<([^>]+)>$", p.text, re.S)
                shown, target = (m.group(1), m.group(2)) if m else (p.text, p.text)
                if target.strip() == term or _term_at(shown, term) >= 0:
                    break
            elif p.kind == "text" and _term_at(p.text, term) >= 0:
                yield Violation(rel, p.line, "term-links",
                                f"first use of {term!r} on the page is not linked: write {{term}}`{term}`")
                break


# ---- bar / assert


def _strip_float(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float" and node.args:
        node = node.args[0]
    return node


def _const(node: ast.AST) -> float | None:
    """The full-mode value of a threshold: ``q if QUICK else f`` -> f; arithmetic of constants."""
    if isinstance(node, ast.IfExp) and _is_quick(node.test):
        node = node.orelse
    try:
        value = eval(compile(ast.Expression(node), "<threshold>", "eval"), {"__builtins__": {}}, {})
    except Exception:
        return None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _is_quick(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "QUICK"


def _full_mode(test: ast.AST) -> list[ast.AST]:
    """The conjuncts an assert checks in full mode."""
    if isinstance(test, ast.IfExp) and _is_quick(test.test):
        return _full_mode(test.orelse)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and _is_quick(test.values[0]):
        rest = test.values[1:]
        return _full_mode(rest[0] if len(rest) == 1 else ast.BoolOp(op=ast.Or(), values=rest))
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [c for v in test.values for c in _full_mode(v)]
    return [test]


def _rule(conj: ast.AST, target: str) -> tuple[str, float, float] | None:
    """('at-least'|'equal'|'greater'|'within'|'within-strict', value, tol) if ``conj`` bounds ``target``
    by constants, else None."""
    same = lambda n: ast.dump(_strip_float(n)) == target  # noqa: E731
    if not isinstance(conj, ast.Compare) or len(conj.ops) != 1:
        return None
    left, op, right = conj.left, conj.ops[0], conj.comparators[0]
    flip = {ast.GtE: ast.LtE, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.Lt: ast.Gt, ast.Eq: ast.Eq}
    if same(right) and not same(left):
        left, right, op = right, left, flip.get(type(op), type(op))()
    if same(left):
        c = _const(right)
        if c is None:
            return None
        kind = {ast.GtE: "at-least", ast.Gt: "greater", ast.Eq: "equal"}.get(type(op))
        return (kind, c, 0.0) if kind else ("other", c, 0.0)
    # abs(target - c) <= tol
    if (isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "abs"
            and left.args and isinstance(left.args[0], ast.BinOp) and isinstance(left.args[0].op, ast.Sub)
            and same(left.args[0].left)):
        c, tol = _const(left.args[0].right), _const(right)
        if c is None or tol is None:
            return None
        kind = {ast.LtE: "within", ast.Lt: "within-strict"}.get(type(op), "other")
        return (kind, c, tol)
    return None


def _states_bar(rule: tuple[str, float, float], bar: str, original: float) -> bool:
    kind, value, tol = rule
    close = abs(value - original) <= 1e-6
    if bar == "at-least":
        return close and (kind == "at-least" or (kind == "equal" and original == 1.0))
    m = re.match(r"^within (\d*\.?\d+)$", bar)
    if m:
        want = float(m.group(1))
        if want == 0:
            return close and (kind == "equal" or (kind == "within" and tol == 0))
        return close and kind == "within" and abs(tol - want) <= 1e-12
    return False


def check_bar_assert(book: Book, pages: list[str], texts: dict[str, str]) -> Iterator[Violation]:
    for item_id, result in book.results:
        bar = result.get("bar")
        if not bar:
            continue
        rel = book.page_of(item_id)
        if rel is None or rel not in pages:
            continue
        key, original = result["key"], _number(str(result["original"]))
        glued, asserts = None, []
        for first, src in code_cells(texts[rel]):
            clean = "\n".join("" if l.lstrip().startswith(("%", "!")) else l for l in src.split("\n"))
            try:
                tree = ast.parse(clean)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "glue"
                        and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) and node.args[0].value == key):
                    glued = (first + node.lineno - 1, ast.dump(_strip_float(node.args[1])))
                if isinstance(node, ast.Assert):
                    asserts.append((first + node.lineno - 1, node))
        if glued is None:
            yield Violation(rel, 1, "bar-assert", f"{key}: has a bar ({bar}) but the page never glues it")
            continue
        rules = [(line, r) for line, a in asserts for c in _full_mode(a.test) if (r := _rule(c, glued[1]))]
        if not rules:
            yield Violation(rel, glued[0], "bar-assert",
                            f"{key}: no assert checks the glued value against a constant (bar: {bar} {result['original']})")
            continue
        for line, r in rules:
            if not _states_bar(r, bar, original):
                kind, value, tol = r
                said = {"within": f"within {tol:g} of {value:g}", "within-strict": f"strictly within {tol:g} of {value:g}",
                        "at-least": f">= {value:g}", "equal": f"== {value:g}", "greater": f"> {value:g}"}.get(kind, f"{kind} {value:g}")
                yield Violation(rel, line, "bar-assert",
                                f"{key}: the full-mode assert says {said}, course.yml's bar says {bar} {result['original']}")


# ------------------------------------------------------------------------------------------ driver


def check(root: str | Path, pages: Iterable[str] | None = None, rules: Iterable[str] = RULES,
          glossary: str | Path | None = None) -> list[Violation]:
    """All violations of ``rules`` on ``pages`` (paths relative to ``root``; default: the whole book).
    ``glossary``: read the terms and the spelling table from this file instead of the root's."""
    root = Path(root).resolve()
    book = Book(root, Path(glossary) if glossary else None)
    rules = set(rules)
    pages = [Path(p).resolve().relative_to(root).as_posix() if Path(p).is_absolute() else Path(p).as_posix()
             for p in pages] if pages else book.pages()
    texts = {rel: (root / rel).read_text(encoding="utf-8") for rel in pages}
    out: list[Violation] = []
    used: set = set()
    for rel in pages:
        ps = pieces(texts[rel])
        is_page = rel.startswith(tuple(d + "/" for d in PAGE_DIRS))
        if "prose-numbers" in rules and is_page:
            out += check_prose_numbers(book, rel, ps, used)
        if "raw-markup" in rules:
            out += check_raw_markup(rel, ps)
        if "bold-particle-space" in rules:
            out += check_bold_particle(rel, ps)
        if "term-variants" in rules:
            out += check_term_variants(book, rel, ps)
        if "term-links" in rules:
            out += check_term_links(book, rel, ps)
    if "allowlist" in rules and "prose-numbers" in rules:
        out += check_allowlist(book, [p for p in pages if p.startswith(tuple(d + "/" for d in PAGE_DIRS))], used)
    if "bar-assert" in rules:
        out += check_bar_assert(book, pages, texts)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="the book's checkout (default: .)")
    parser.add_argument("--rule", action="append", choices=RULES, help="only these rules (repeatable)")
    parser.add_argument("--count", action="store_true", help="print counts per file and rule instead")
    parser.add_argument("--glossary", help="take terms and the spelling table from this glossary.md "
                        "(default: the root's book/glossary.md)")
    parser.add_argument("pages", nargs="*", help="pages to check, relative to --root (default: all)")
    args = parser.parse_args(argv)
    found = check(args.root, args.pages or None, args.rule or RULES, args.glossary)
    if args.count:
        counts: dict[tuple[str, str], int] = {}
        for v in found:
            counts[(v.path, v.rule)] = counts.get((v.path, v.rule), 0) + 1
        for (path, rule), n in sorted(counts.items()):
            print(f"{path}\t{rule}\t{n}")
        print(f"total\t\t{len(found)}")
    else:
        for v in found:
            print(v)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
