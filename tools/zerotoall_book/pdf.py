"""The whole book as one PDF, printed from the built site by headless Chromium.

    python -m zerotoall_book.pdf build --site _build/html --out _build/pdf/zerotoall-season1.pdf
    python -m zerotoall_book.pdf check _build/pdf/zerotoall-season1.pdf --site _build/html
    python -m zerotoall_book.pdf render _build/pdf/zerotoall-season1.pdf --out _build/artifacts/pdf

How (see README "The PDF"): the pages of the built HTML site, in ``_toc.yml`` order, are put into
one HTML document (:func:`assemble`): each page's article with its ids prefixed by the page, links
between pages turned into links inside the document, part captions as top-level headings, collapsed
solutions and hidden code cells opened, a title page and a table of contents in front. Debian's
Chromium, driven by Playwright like the browser tests, typesets the math with the local MathJax copy
and prints it with bookmarks (``outline=True``) and page numbers. A first print gives the page of
every chapter; the second print writes those numbers into the table of contents.

Nothing is executed: the PDF shows exactly the outputs and figures of the site it is printed from
(``make book``: the full build; ``make test``: the quick build).

``check`` reads the PDF back (pypdf, poppler's ``pdffonts``) and lists its problems; the tests in
``tests/pdf`` assert that there are none and that the checks catch planted faults.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import mimetypes
import os
import posixpath
import re
import subprocess
import sys
import time
import typing
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--font-render-hinting=none",
]
MATHJAX_DIR = ROOT / "tests" / "browser" / "node_modules" / "mathjax"
MATHJAX_CDN_RE = re.compile(r"^https://cdn\.jsdelivr\.net/npm/mathjax@3[^/]*/(?P<path>[^?#]*)")
#: the origin the assembled document is served from (answered by a Playwright route, no socket)
ORIGIN = "http://book.pdf/"
DOCUMENT = "__book__.html"
PDF_NAME = "zerotoall-season1.pdf"
MAX_BYTES = 40 * 1024 * 1024
HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: markup that must never reach the reader's text (outside code): raw TeX delimiters, bold markers
RAW_MARKUP = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\*\*|\\frac\{|\\begin\{")
#: fonts that hold code and program output (their text may contain ``**`` or ``$$`` legitimately)
MONO_FONT = re.compile(r"mono|courier|cod(e|ing)|consol", re.I)
#: embedded fonts that can draw Hangul
CJK_FONT = re.compile(r"cjk|kr\b|korean|hangul|nanum|gothic|batang|dotum|gulim|myeongjo|un(dotum|batang)", re.I)
#: stylesheets of the site that only serve interaction (buttons, toggles, live code)
SKIP_CSS = ("togglebutton", "copybutton", "sphinx-thebe")


# --------------------------------------------------------------------------- the book's pages


@dataclasses.dataclass
class Page:
    docname: str  # labs/lab09-1-xor-nn
    part: str | None  # the part caption in _toc.yml (None for the root page)

    @property
    def html(self) -> str:
        return self.docname + ".html"

    @property
    def pid(self) -> str:
        return "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.docname)


def toc_pages(toc: Path) -> list[Page]:
    """Every page of ``_toc.yml`` in reading order, with the caption of its part."""
    import yaml

    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    pages = [Page(_strip_ext(data["root"]), None)]

    def walk(entries, part):
        for entry in entries or []:
            if "file" in entry:
                pages.append(Page(_strip_ext(entry["file"]), part))
            walk(entry.get("sections"), part)

    for part in data.get("parts", []):
        walk(part.get("chapters"), part.get("caption"))
    walk(data.get("chapters"), None)
    return pages


def _strip_ext(name: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", name)


def site_url(config: Path) -> str:
    """The published site's address (html.baseurl, else https://ORG.github.io/REPO/)."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    base = (data.get("html") or {}).get("baseurl")
    if base:
        return base.rstrip("/") + "/"
    org, repo = urlsplit(data["repository"]["url"]).path.strip("/").split("/")[:2]
    return f"https://{org.lower()}.github.io/{repo}/"


def book_meta(config: Path, quick: bool) -> dict:
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    try:
        commit = subprocess.run(["git", "-C", str(config.parent), "describe", "--always", "--dirty", "--tags"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "title": data.get("title", ""),
        "author": data.get("author", ""),
        "repository": data["repository"]["url"],
        "site": site_url(config),
        "commit": commit,
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": quick,
    }


# --------------------------------------------------------------------------- one HTML document


@dataclasses.dataclass
class Assembled:
    html: str
    titles: list[str]  # every page's title, in toc order
    parts: list[str]  # the part captions, in toc order
    figures: int  # raster images in the pages' content
    internal_links: int
    problems: list[str]  # links that lead nowhere, pages missing from the site
    numbered: typing.Callable[[dict[str, int]], str]  # the same document, its contents with page numbers


def _page_title(article) -> str:
    h1 = article.find("h1")
    if h1 is None:
        return ""
    for a in h1.select("a.headerlink"):
        a.decompose()
    return " ".join(h1.get_text(" ").split())


def assemble(site: Path, pages: list[Page], meta: dict, page_numbers: dict[str, int] | None = None) -> Assembled:
    """The book as one HTML document, served from :data:`ORIGIN` (the site's files at the root)."""
    from bs4 import BeautifulSoup

    pids = {p.html: p.pid for p in pages}
    problems: list[str] = []
    bodies, titles, figures = [], [], 0
    head_css: list[str] = []
    mathjax_config: dict = {}
    for page in pages:
        file = site / page.html
        if not file.is_file():
            problems.append(f"page {page.html} missing from the site {site}")
            continue
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        if not head_css:
            for link in soup.select("head link[rel~=stylesheet]"):
                href = _site_path(page.html, link["href"])
                if not any(s in href for s in SKIP_CSS):
                    head_css.append(href)
            for script in soup.select("head script"):
                if "window.MathJax" in (script.string or ""):
                    mathjax_config = json.loads(script.string.split("=", 1)[1].strip().rstrip(";"))
        article = soup.select_one("article.bd-article")
        if article is None:
            problems.append(f"{page.html}: no <article class=bd-article>")
            continue
        titles.append(_page_title(article))
        _rewrite(article, page, pids, meta["site"])
        figures += sum(1 for img in article.find_all("img") if not img["src"].lower().endswith(".svg"))
        bodies.append((page, article))

    # every #anchor must name an element of the document
    ids = {page.pid for page, _ in bodies}
    for _, article in bodies:
        ids.update(el["id"] for el in article.find_all(id=True))
    internal = 0
    for page, article in bodies:
        for a in article.find_all("a", href=True):
            if a["href"].startswith("#"):
                internal += 1
                if a["href"][1:] not in ids:
                    problems.append(f"{page.html}: link to {a.get('data-pdf-from', a['href'])} leads nowhere")
    html = _document(bodies, titles, meta, head_css, mathjax_config, page_numbers or {})
    parts = list(dict.fromkeys(p.part for p, _ in bodies if p.part))

    def numbered(numbers: dict[str, int]) -> str:
        return _document(bodies, titles, meta, head_css, mathjax_config, numbers)

    return Assembled(html, titles, parts, figures, internal, problems, numbered)


def _site_path(page: str, href: str) -> str:
    """A link of ``page`` as an absolute path in the site (``/labs/x.html#y``)."""
    return urlsplit(urljoin(ORIGIN + page, href)).path + (f"#{urlsplit(href).fragment}" if "#" in href else "")


def _rewrite(article, page: Page, pids: dict[str, str], site: str) -> None:
    """Make one page's article a chapter of the document (ids, links, images, headings, toggles)."""
    for el in article.select("a.headerlink, button, .toggle-button, script, .pst-js-only"):
        el.decompose()
    for el in article.find_all(id=True):
        el["id"] = f"{page.pid}--{el['id']}"
    for a in article.find_all("a", href=True):
        href = a["href"]
        scheme = urlsplit(href).scheme
        if scheme in ("http", "https", "mailto"):
            text = " ".join(a.get_text(" ").split())
            if text.rstrip("/") != href.removeprefix("mailto:").rstrip("/"):
                a["class"] = a.get("class", []) + ["pdf-url"]
            continue
        a["data-pdf-from"] = href
        absolute = urljoin(ORIGIN + page.html, href)
        path, _, fragment = absolute[len(ORIGIN):].partition("#")
        path = unquote(path)
        if not path or path == page.html:
            a["href"] = f"#{page.pid}--{fragment}" if fragment else f"#{page.pid}"
        elif path in pids:
            a["href"] = f"#{pids[path]}--{fragment}" if fragment else f"#{pids[path]}"
        else:  # a file of the site that is not a page of the book (a download, the index): the web
            a["href"] = site + path + (f"#{fragment}" if fragment else "")
            a["class"] = a.get("class", []) + ["pdf-url"]
    for img in article.find_all("img", src=True):
        if not img["src"].startswith("data:"):
            img["src"] = urlsplit(urljoin(ORIGIN + page.html, img["src"])).path
        img.attrs.pop("loading", None)
    for details in article.find_all("details"):
        details["open"] = ""
    # headings: the part is level 1, a page's title level 2 (the root page keeps level 1)
    if page.part is not None:
        for h in article.find_all(re.compile(r"^h[1-5]$")):
            h.name = f"h{int(h.name[1]) + 1}"
    article.name = "section"
    article["class"] = ["bd-article", "pdf-chapter"]
    article["id"] = page.pid


_CSS = r"""
@page { size: A4; margin: 20mm 16mm 18mm 16mm; }
/* Korean TrueType fonts (Debian's fonts-nanum): Chromium embeds TrueType fonts as named, subset
   CID fonts; OpenType/CFF fonts such as Noto Sans CJK would become unnamed Type 3 fonts. */
:root, html[data-theme] { --pst-font-family-base: "NanumBarunGothic", "NanumGothic", sans-serif;
  --pst-font-family-heading: "NanumBarunGothic", "NanumGothic", sans-serif;
  --pst-font-family-monospace: "DejaVu Sans Mono", "NanumGothicCoding", monospace; }
/* Chromium prints shadows and filters as full-page bitmaps: megabytes per page */
/* (:not(#pdf-none) gives the rule an id's weight over the themes' own !important shadows) */
*:not(#pdf-none), *:not(#pdf-none)::before, *:not(#pdf-none)::after { box-shadow: none !important; text-shadow: none !important; filter: none !important;
  backdrop-filter: none !important; }
html { font-size: 10pt; }
html, body { background: #fff !important; }
body { font-family: var(--pst-font-family-base); line-height: 1.55;
       word-break: keep-all; overflow-wrap: break-word; }
code, pre, kbd, samp, .highlight pre { font-family: var(--pst-font-family-monospace) !important; }
.bd-article-container, .bd-content, .bd-main, article.bd-article, section.pdf-chapter { max-width: none !important; width: auto !important; padding: 0 !important; }
.pdf-chapter { break-before: page; }
/* sphinx-book-theme hides a page's first h1 (the site shows the title elsewhere); the root page keeps it */
.bd-main .bd-content .bd-article.pdf-chapter h1:first-of-type { display: block; }
.pdf-part > h1 { font-size: 2rem; margin: 0 0 1.5rem; padding-bottom: .4rem; border-bottom: 2px solid #2b5aa8; color: #2b5aa8; }
.pdf-part > .pdf-chapter:first-of-type { break-before: avoid; }
.pdf-part { break-before: page; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; }
pre, .highlight pre { white-space: pre-wrap !important; word-break: break-all; overflow: visible !important;
      max-height: none !important; font-size: 8.5pt; line-height: 1.35; }
.cell_output pre, .output pre { font-size: 8pt; }
div.cell_output, div.output { max-height: none !important; overflow: visible !important; }
img { max-width: 100% !important; height: auto; break-inside: avoid; }
figure, .figure, .cell_output img, table { break-inside: avoid; }
table { font-size: 8.5pt; }
/* table cells wrap, code in them too: a table wider than the page makes Chromium shrink every page */
table td, table th { white-space: normal !important; overflow-wrap: anywhere; }
table code, table span.pre { white-space: pre-wrap !important; overflow-wrap: anywhere; word-break: break-all; }
table.course-table .course-original, table.course-table .course-measured { overflow-wrap: normal; }
/* the site scrolls wide tables sideways; on paper they must fit: cells wrap (the site keeps some on one line) */
.pst-scrollable-table-container, .table-wrapper { overflow: visible !important; }
.pst-scrollable-table-container > table, .table-wrapper > table { max-width: 100%; }
table.course-table td, table.course-table th { white-space: normal !important; }
table.course-table td .doc, table.course-table td .pasted-text { white-space: nowrap; }
details > summary { display: none !important; }
details.hide > .cell_input, details > div { display: block !important; }
.admonition, div.admonition { break-inside: auto; }
a { color: #1a4c9c; text-decoration: none; }
a.pdf-url::after { content: " (" attr(href) ")"; font-size: 85%; color: #555; word-break: break-all; }
mjx-container[display="true"] { overflow: visible !important; }
.sd-tab-set > input, .sd-tab-set > label { display: none; }
.sd-tab-set > .sd-tab-content { display: block !important; }
.pdf-title { height: 240mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.pdf-title .t { font-size: 28pt; font-weight: 700; line-height: 1.3; margin-bottom: 8mm; text-wrap: balance; }
.pdf-title .s { font-size: 13pt; color: #444; margin-bottom: 18mm; }
.pdf-title .orig { font-size: 12pt; margin-bottom: 4mm; }
.pdf-title .meta { font-size: 9.5pt; color: #555; margin-top: 20mm; line-height: 1.7; }
.pdf-title .quick { margin-top: 8mm; padding: 3mm 6mm; border: 1px solid #c0392b; color: #c0392b; font-size: 10pt; }
.pdf-toc { break-before: page; }
.pdf-toc h1 { font-size: 1.8rem; }
.pdf-toc ol { list-style: none; padding: 0; margin: 0; }
.pdf-toc li.part { font-weight: 700; margin-top: 3mm; }
.pdf-toc li.chapter { margin-left: 6mm; font-weight: 400; }
.pdf-toc a { display: flex; color: #000; }
.pdf-toc a .t { flex: 0 1 auto; }
.pdf-toc a .dots { flex: 1 1 auto; border-bottom: 1px dotted #999; margin: 0 2mm .35em; }
.pdf-toc a .n { flex: 0 0 auto; min-width: 8mm; text-align: right; }
"""


def _document(bodies, titles, meta, head_css, mathjax_config, page_numbers) -> str:
    from html import escape

    css_links = "\n".join(f'<link rel="stylesheet" href="{escape(h)}">' for h in head_css)
    quick = ('<div class="quick">빠른 모드(quick mode) 빌드: 실습의 숫자는 코드가 돌아가는지만 확인하는 '
             "스모크 테스트 값입니다. 원본과 비교하지 마세요.</div>") if meta["quick"] else ""
    title = f"""
<div class="pdf-title">
  <div class="t">{escape(meta['title'])}</div>
  <div class="s">Deep Learning Zero To All, Season 1 — rewritten for TensorFlow 2 and Keras 3</div>
  <div class="orig">원본 강의: 김성훈(Sung Kim), 「모두를 위한 딥러닝 시즌 1」(2016–2017)</div>
  <div class="orig">지은이: {escape(meta['author'])}</div>
  <div class="meta">판(version): {escape(meta['commit'])} · 빌드: {escape(meta['date'])}<br>
  웹사이트: {escape(meta['site'])}<br>저장소: {escape(meta['repository'])}</div>
  {quick}
</div>"""
    toc, chapters, open_part = [], [], None

    def entry(page, text, css):
        if not page_numbers:  # first print: links only, the numbers' room kept empty
            return f'<li class="{css}"><a href="#{page.pid}"><span class="t">{escape(text)}</span></a></li>'
        return (f'<li class="{css}"><a href="#{page.pid}"><span class="t">{escape(text)}</span>'
                f'<span class="dots"></span><span class="n">{page_numbers.get(page.pid, "")}</span></a></li>')

    for (page, article), text in zip(bodies, titles):
        if page.part != open_part:
            if open_part is not None:
                chapters.append("</section>")
            if page.part is not None:
                chapters.append(f'<section class="pdf-part"><h1>{escape(page.part)}</h1>')
                toc.append(f'<li class="part">{escape(page.part)}</li>')
            open_part = page.part
        toc.append(entry(page, text, "chapter" if page.part else "part"))
        chapters.append(str(article))
    if open_part is not None:
        chapters.append("</section>")
    config = {**mathjax_config, "svg": {"fontCache": "global"}}
    mathjax = (f"<script>window.MathJax = {json.dumps(config)};</script>"
               '<script defer src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-svg.js"></script>')
    return f"""<!DOCTYPE html>
<html lang="ko" data-theme="light"><head><meta charset="utf-8"><title>{escape(meta['title'])}</title>
{css_links}
<style>{_CSS}</style>
{mathjax}
</head><body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">
{title}
<nav class="pdf-toc"><h1>차례</h1><ol>{''.join(toc)}</ol></nav>
{''.join(chapters)}
</div></div></main></body></html>"""


# --------------------------------------------------------------------------- printing


def _route(route, site: Path, document: str) -> None:
    url = route.request.url
    m = MATHJAX_CDN_RE.match(url)
    if m:
        file = (MATHJAX_DIR / unquote(m.group("path"))).resolve()
        if MATHJAX_DIR.resolve() in file.parents and file.is_file():
            return route.fulfill(path=str(file))
        return route.fulfill(status=404, body="not in the local MathJax copy")
    if not url.startswith(ORIGIN):
        return route.abort("blockedbyclient")  # the PDF is printed offline
    path = unquote(urlsplit(url).path).lstrip("/")
    if path == DOCUMENT:
        return route.fulfill(body=document, content_type="text/html; charset=utf-8")
    file = (site / path).resolve()
    if site.resolve() in file.parents and file.is_file():
        return route.fulfill(path=str(file), content_type=mimetypes.guess_type(file.name)[0])
    return route.fulfill(status=404, body="")


def print_html(document: str, site: Path, out: Path, *, header: str = "", env: dict | None = None) -> dict:
    """Print an HTML document whose files are under ``site`` to ``out`` with Debian's Chromium."""
    return print_many([(document, out)], site, header=header, env=env)[0]


def print_many(jobs: list[tuple[str, Path]], site: Path, *, header: str = "", env: dict | None = None) -> list[dict]:
    """Print each (HTML document, PDF path) of ``jobs`` with one Chromium (``env``: its environment).

    Returns each print's times: wall seconds to load and typeset, to print, and the CPU seconds the
    browser's processes spent on it (a measure that, unlike wall time, does not grow when other jobs
    share the machine)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: run `make browser-deps`")
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)
        try:
            for document, out in jobs:
                out.parent.mkdir(parents=True, exist_ok=True)
                context = browser.new_context(locale="ko-KR", service_workers="block")
                context.route(re.compile(r"^(https?|wss?):"), _router(site, document))
                cpu = _browser_cpu()
                times.append(_print_page(context.new_page(), out, header))
                times[-1]["cpu"] = round(_browser_cpu() - cpu, 1)
                context.close()
                print(f"pdf: {out.name}: loaded and typeset in {times[-1]['load']:.0f} s, printed in "
                      f"{times[-1]['print']:.0f} s (browser CPU {times[-1]['cpu']:.0f} s, load average "
                      f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)", file=sys.stderr)
        finally:
            browser.close()
    return times


def _browser_cpu() -> float:
    """CPU seconds (user + system) of this process's descendants so far: Playwright's driver and
    Chromium. (Chromium is not this process's child, so its time never reaches getrusage.)"""
    import psutil

    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def _router(site: Path, document: str):
    # (Playwright passes the request too when the handler takes two arguments: keep it to one)
    return lambda route: _route(route, site, document)


def _print_page(page, out: Path, header: str) -> dict:
    page.set_default_timeout(600_000)
    page.emulate_media(media="print")
    started = time.perf_counter()
    page.goto(ORIGIN + DOCUMENT, wait_until="load")
    if page.query_selector("script[src*='mathjax']"):
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    loaded = time.perf_counter()
    small = 'style="font-size:7.5pt;width:100%;color:#666;font-family:sans-serif;padding:0 16mm;"'
    page.pdf(path=str(out), format="A4", print_background=True, outline=True, tagged=True,
             display_header_footer=True,
             margin={"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
             header_template=f'<div {small}><span>{header}</span></div>',
             footer_template=f'<div {small}><div style="text-align:center">'
                             '<span class="pageNumber"></span> / <span class="totalPages"></span></div></div>')
    return {"load": round(loaded - started, 1), "print": round(time.perf_counter() - loaded, 1)}


def chapter_pages(pdf: Path, pids: list[str]) -> dict[str, int]:
    """The page (1-based) each chapter starts on, from the named destinations Chromium writes."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    number_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    dests = reader.named_destinations
    found = {}
    for pid in pids:
        for name in (pid, "/" + pid):  # pypdf keeps the name's leading slash
            if name in dests:
                number = number_of.get(getattr(dests[name].page, "idnum", None))
                found[pid] = number or reader.get_destination_page_number(dests[name]) + 1
    return found


def build(site: Path, out: Path, *, toc: Path, config: Path, quick: bool, toc_numbers: bool = True) -> dict:
    """Print the book; returns the facts of the build (also written next to the PDF as JSON).

    ``toc_numbers``: print twice, the second time with every chapter's page number in the table of
    contents (without it the entries are links only; ``make test`` saves the second print).
    The report's ``phases`` give each phase's wall seconds and CPU seconds (this process, plus the
    browser's processes for a print): on a shared machine the wall time grows, the CPU time not."""
    start = time.perf_counter()
    phases: dict[str, dict] = {}

    def phase(name, wall, cpu, **more):
        phases[name] = {"wall": round(wall, 1), "cpu": round(cpu, 1), **more}

    mark, cpu = time.perf_counter(), time.process_time()
    pages = toc_pages(toc)
    meta = book_meta(config, quick)
    first = assemble(site, pages, meta)
    phase("assemble", time.perf_counter() - mark, time.process_time() - cpu)
    print(f"pdf: assembled {len(pages)} pages in {phases['assemble']['wall']:.0f} s", file=sys.stderr)
    if first.problems:
        raise SystemExit("pdf: cannot assemble the book:\n  " + "\n  ".join(first.problems))
    header = meta["title"]

    def print_and_find(html, name):
        mark, cpu = time.perf_counter(), time.process_time()
        times = print_html(html, site, out, header=header)
        numbers = chapter_pages(out, [p.pid for p in pages])
        phase(name, time.perf_counter() - mark, time.process_time() - cpu + times["cpu"],
              load_typeset=times["load"], print=times["print"])
        return numbers

    numbers = print_and_find(first.html, "print")
    moved = {}
    if toc_numbers:  # a second print with the page numbers in the table of contents
        again = print_and_find(first.numbered(numbers), "print with page numbers")
        moved = {pid: n for pid, n in again.items() if numbers.get(pid) != n}
    from pypdf import PdfReader

    report = {
        "pdf": str(out), "site": str(site), "quick": quick, "commit": meta["commit"], "date": meta["date"],
        "seconds": round(time.perf_counter() - start, 1), "phases": phases,
        "cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1),
        "pages": len(PdfReader(str(out)).pages),
        "bytes": out.stat().st_size, "titles": first.titles, "parts": first.parts,
        "figures": first.figures, "internal_links": first.internal_links, "chapter_pages": numbers,
        "toc_numbers_moved": moved,
    }
    out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


# --------------------------------------------------------------------------- reading the PDF back


def read_report(pdf: Path) -> dict:
    """What :func:`build` wrote next to the PDF (titles, parts, figures, time)."""
    return json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))


@dataclasses.dataclass
class Facts:
    path: Path
    bytes: int
    pages: int
    texts: list[str]  # every page's text
    prose: list[str]  # every page's text outside code/output fonts
    fonts: list[tuple[str, bool]]  # (name, embedded) from pdffonts
    page_images: list[int]  # images each page draws (its image XObjects, forms included)
    outline: list[tuple[int, str, int]]  # (depth, title, page 1-based)
    goto_links: int  # link annotations that jump inside the document
    uri_links: int
    prose_sizes: dict[float, int] = dataclasses.field(default_factory=dict)  # font size (pt) -> characters

    @property
    def images(self) -> int:
        return sum(self.page_images)


def read_pdf(path: Path) -> Facts:
    """What the checks look at. The text comes from poppler's ``pdftohtml -xml`` (each run with its
    font; seconds for the whole book, where pypdf's text extraction took minutes); the structure
    (outline, links, images) from pypdf, which reads it without parsing any page's content."""
    from pypdf import PdfReader

    path = Path(path)
    reader = PdfReader(str(path))
    number_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    goto = uri = 0
    page_images = []
    for page in reader.pages:
        page_images.append(_count_images(page.get("/Resources"), set()))
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else {}
            if "/Dest" in annot or action.get("/S") == "/GoTo":
                goto += 1
            elif action.get("/S") == "/URI":
                uri += 1
    outline: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                number = number_of.get(getattr(item.page, "idnum", None))
                if number is None:  # not a reference to a page object: ask pypdf (slow, rare)
                    number = reader.get_destination_page_number(item) + 1
                outline.append((depth, str(item.title), number))

    walk(reader.outline, 0)
    texts, prose, sizes = _page_texts(path, len(reader.pages), float(reader.pages[0].mediabox.width))
    return Facts(path, path.stat().st_size, len(reader.pages), texts, prose, _pdffonts(path),
                 page_images, outline, goto, uri, sizes)


def _count_images(resources, seen: set) -> int:
    resources = resources.get_object() if resources is not None else None
    xobjects = (resources or {}).get("/XObject")
    count = 0
    for ref in (xobjects.get_object() if xobjects is not None else {}).values():
        key = getattr(ref, "idnum", None)
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            count += 1
        elif obj.get("/Subtype") == "/Form" and key not in seen:
            count += _count_images(obj.get("/Resources"), seen | {key})
    return count


_XML_PAGE = re.compile(r'<page number="(\d+)"(.*?)</page>', re.S)
_XML_FONT = re.compile(r'<fontspec id="(\d+)" size="(-?[\d.]+)" family="([^"]*)"')
_XML_TEXT = re.compile(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', re.S)
_XML_TAG = re.compile(r"<[^>]+>")


def _page_texts(path: Path, pages: int, width_pt: float) -> tuple[list[str], list[str], dict[float, int]]:
    """Every page's text, its text outside code fonts (:data:`MONO_FONT`), and how many characters
    of that prose are set at each font size (pt): one pass of poppler."""
    from html import unescape

    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-nodrm", "-stdout", str(path)],
                         capture_output=True, text=True, errors="replace", check=True).stdout
    texts, prose = [""] * pages, [""] * pages
    families: dict[str, tuple[str, float]] = {}  # font ids are numbered across the whole document
    sizes: dict[float, int] = {}
    for m in _XML_PAGE.finditer(xml):
        number, body = int(m.group(1)), m.group(2)
        scale = width_pt / float(re.search(r'width="([\d.]+)"', body).group(1))  # pdftohtml's px -> pt
        families.update((i, (family, float(size) * scale)) for i, size, family in _XML_FONT.findall(body))
        runs, plain = [], []
        for font, raw in _XML_TEXT.findall(body):
            text = unescape(_XML_TAG.sub("", raw))
            runs.append(text)
            family, size = families.get(font, ("", 0.0))
            if not MONO_FONT.search(family):
                plain.append(text)
                size = round(size * 2) / 2
                sizes[size] = sizes.get(size, 0) + len(text.strip())
        if 1 <= number <= pages:
            texts[number - 1], prose[number - 1] = "\n".join(runs), "\n".join(plain)
    return texts, prose, sizes


def _pdffonts(path: Path) -> list[tuple[str, bool]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        # name type... emb sub uni object ID: 'emb' is the 5th column from the end
        if len(cols) >= 6:
            fonts.append((cols[0], cols[-5] == "yes"))
    return fonts


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- checks (problems; [] = fine)


def check_titles(facts: Facts, titles: list[str]) -> list[str]:
    """Every page title is a bookmark, in toc order, and its text is on the page it points to."""
    problems, last = [], 0
    marks = [(_squash(t), p) for _, t, p in facts.outline]
    start = 0
    for title in titles:
        want = _squash(title)
        # (Chromium sometimes repeats a heading's text in its bookmark: containment, not equality)
        hit = next((i for i in range(start, len(marks)) if want and want in marks[i][0]), None)
        if hit is None:
            problems.append(f"no bookmark {title!r} after the previous title (missing or out of toc order)")
            continue
        start, page = hit + 1, marks[hit][1]
        if page < last:
            problems.append(f"{title!r} starts on page {page}, before the previous title (page {last})")
        last = page
        if want not in _squash(facts.texts[page - 1]):
            problems.append(f"{title!r}: its bookmark points to page {page}, which does not show the title")
    return problems


def check_hangul(facts: Facts, min_chars: int = 200) -> list[str]:
    """Hangul can be extracted, and a font that can draw it is embedded (no tofu)."""
    problems = []
    count = sum(len(HANGUL.findall(t)) for t in facts.texts)
    if count < min_chars:
        problems.append(f"only {count} Hangul syllables extractable (expected at least {min_chars})")
    cjk = [name for name, emb in facts.fonts if emb and CJK_FONT.search(name)]
    if not cjk:
        problems.append("no embedded CJK/Korean font: Hangul is drawn as tofu or not at all "
                        f"(fonts: {sorted({n for n, _ in facts.fonts})})")
    not_embedded = [name for name, emb in facts.fonts if not emb]
    if not_embedded:
        problems.append(f"fonts not embedded: {not_embedded}")
    return problems


def check_images(facts: Facts, figures: int) -> list[str]:
    if facts.images < figures:
        return [f"{facts.images} images in the PDF, but the site's pages have {figures} figures"]
    return []


def check_raw_markup(facts: Facts) -> list[str]:
    """No raw TeX delimiters or ``**`` in the text outside code and outputs."""
    problems = []
    for number, text in enumerate(facts.prose, 1):
        for m in RAW_MARKUP.finditer(text):
            snippet = " ".join(text[max(0, m.start() - 30): m.end() + 30].split())
            problems.append(f"page {number}: raw markup {m.group()!r} in {snippet!r}")
    return problems


def check_bookmarks(facts: Facts, parts: list[str], titles: list[str]) -> list[str]:
    """The bookmarks follow the parts: each part is a top-level bookmark, with its pages below it."""
    if not facts.outline:
        return ["the PDF has no bookmarks"]
    top = [_squash(t) for depth, t, _ in facts.outline if depth == 0]
    missing = [p for p in parts if not any(_squash(p) in t for t in top)]
    problems = [f"part {p!r} is not a top-level bookmark" for p in missing]
    if len(facts.outline) < len(parts) + len(titles):
        problems.append(f"only {len(facts.outline)} bookmarks for {len(parts)} parts and {len(titles)} pages")
    return problems


def check_links(facts: Facts, internal_links: int) -> list[str]:
    if internal_links and facts.goto_links == 0:
        return [f"the pages have {internal_links} links between them but the PDF has no internal link"]
    return []


#: the body text's size in the PDF (html { font-size: 10pt }); smaller means Chromium shrank the pages
BODY_PT = 10.0


def check_scale(facts: Facts, body_pt: float = BODY_PT) -> list[str]:
    """The prose is set at the body size: when anything is wider than the page (a table, a line of
    code), Chromium shrinks every page of the document to fit it, and all the text gets smaller."""
    if not facts.prose_sizes:
        return ["no prose text found"]
    common = max(facts.prose_sizes, key=facts.prose_sizes.get)
    if abs(common - body_pt) > 0.75:
        return [f"most prose is set at {common} pt, not {body_pt} pt: something is wider than the page "
                "and Chromium shrank the whole document to fit it"]
    return []


def check_size(facts: Facts, limit: int = MAX_BYTES) -> list[str]:
    if facts.bytes >= limit:
        return [f"the PDF is {facts.bytes / 2**20:.1f} MiB (limit {limit / 2**20:.0f} MiB)"]
    return []


def check_all(pdf: Path, report: dict) -> dict[str, list[str]]:
    facts = read_pdf(pdf)
    return {
        "titles": check_titles(facts, report["titles"]),
        "hangul": check_hangul(facts),
        "images": check_images(facts, report["figures"]),
        "raw markup": check_raw_markup(facts),
        "bookmarks": check_bookmarks(facts, report["parts"], report["titles"]),
        "links": check_links(facts, report["internal_links"]),
        "size": check_size(facts),
        "scale": check_scale(facts),
    }


# --------------------------------------------------------------------------- pictures of pages


def find_page(facts: Facts, needle: str, after: int = 0) -> int | None:
    """The first page (1-based) after ``after`` whose text contains ``needle`` (spaces ignored)."""
    want = _squash(needle)
    for number in range(after + 1, facts.pages + 1):
        if want in _squash(facts.texts[number - 1]):
            return number
    return None


#: the pages :func:`render` pictures: (name, the chapter it is looked for in, what it must show)
RENDERED = (
    ("title", None, "the title page"),
    ("lecture-math", "p-lectures-lec05-2-logistic-cost", "a numbered display formula"),
    ("lab-figure", "p-labs-lab09-1-xor-nn", "a figure after code and its output"),
    ("results-table", "p-book-results", "the results table"),
)
EQNO = re.compile(r"^\(\d+\)$", re.M)  # a display formula's number, alone on its line


def pick_pages(facts: Facts, report: dict) -> dict[str, int]:
    """The pages :data:`RENDERED` names, found by what they show (missing ones are left out)."""
    starts = report.get("chapter_pages", {})
    chosen = {"title": 1}

    def pages_of(pid):
        first = starts.get(pid)
        if not first:
            return []
        later = [n for n in starts.values() if n > first]
        return list(range(first, min(later, default=facts.pages + 1)))

    math = [n for n in pages_of(RENDERED[1][1]) if EQNO.search(facts.texts[n - 1])]
    if math:
        chosen["lecture-math"] = math[0]
    lab = pages_of(RENDERED[2][1])
    # a page with a figure that also shows code (in a code font) and its printed output
    figure = [n for n in lab if facts.page_images[n - 1] and facts.texts[n - 1] != facts.prose[n - 1]]
    if figure:
        chosen["lab-figure"] = figure[0]
    table = [n for n in pages_of(RENDERED[3][1]) if "Lab 09-1" in facts.texts[n - 1]]
    if table:
        chosen["results-table"] = table[0]
    return chosen


def render(pdf: Path, out: Path, chosen: dict[str, int], dpi: int = 110) -> list[Path]:
    """PNGs of the chosen pages (pdftoppm), for people to look at: ``out/<name>-p<page>.png``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, number in chosen.items():
        stem = out / f"{name}-p{number}"
        subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-png",
                        "-singlefile", str(pdf), str(stem)], check=True)
        written.append(stem.with_suffix(".png"))
    return written


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="print the built site as one PDF")
    b.add_argument("--site", type=Path, required=True, help="the built _build/html folder")
    b.add_argument("--out", type=Path, required=True, help="the PDF to write (report: same name, .json)")
    b.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    b.add_argument("--config", type=Path, default=ROOT / "_config.yml")
    b.add_argument("--quick", action="store_true", help="the site is a quick-mode build (said on the title page)")
    b.add_argument("--no-toc-numbers", dest="toc_numbers", action="store_false",
                   help="print once: the table of contents without page numbers (faster)")
    b.add_argument("--copy-to-site", action="store_true", help=f"also copy the PDF to SITE/{PDF_NAME}")
    c = sub.add_parser("check", help="read a built PDF back and list its problems")
    c.add_argument("pdf", type=Path)
    r = sub.add_parser("render", help="PNGs of a few pages (pdftoppm)")
    r.add_argument("pdf", type=Path)
    r.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "build":
        report = build(args.site, args.out, toc=args.toc, config=args.config, quick=args.quick,
                       toc_numbers=args.toc_numbers)
        if args.copy_to_site:
            (args.site / PDF_NAME).write_bytes(args.out.read_bytes())
        print(f"pdf: {args.out}: {report['pages']} pages, {report['bytes'] / 2**20:.1f} MiB, "
              f"{report['figures']} figures, built in {report['seconds']} s")
        for name, p in report["phases"].items():
            print(f"pdf:   {name}: {p['wall']} s ({p['cpu']} CPU-s)")
        if report["toc_numbers_moved"]:
            print(f"pdf: warning: chapters moved between the two prints: {report['toc_numbers_moved']}")
        return 0
    report = read_report(args.pdf)
    if args.command == "check":
        problems = check_all(args.pdf, report)
        for name, items in problems.items():
            print(f"{name}: {'ok' if not items else ''}")
            for item in items:
                print(f"  {item}")
        return 1 if any(problems.values()) else 0
    if args.command == "render":
        for png in render(args.pdf, args.out, pick_pages(read_pdf(args.pdf), report)):
            print(png)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
