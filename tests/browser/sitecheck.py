"""Look at a built site the way a learner does: in headless Chromium, driven by Playwright.

This module is the machinery of the browser tests (tests/browser/test_*.py); it holds no tests.

* :func:`serve` serves a folder on a loopback port (a thread of this process).
* :func:`launch` starts Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``); Playwright's
  own browser download is never used.
* :func:`new_context` routes the MathJax CDN URL that the pages load to the copy that
  ``make browser-deps`` installed from the npm registry, so every page keeps its real
  published ``<script>`` tag; any other request that leaves the loopback server is aborted and
  reported (the tests run offline).
* :func:`visit` loads one page and records what the checks need in a :class:`PageReport`.
* ``check_*`` functions turn a report into a list of problems (empty = fine). The tests assert on
  them, and ``test_checks_bite.py`` proves on a deliberately broken fixture site that they do
  report problems.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import os
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
MATHJAX_DIR = NODE_MODULES / "mathjax"
#: the CDN address Sphinx's MathJax 3 tag uses (any mathjax@3.x.y on jsdelivr)
MATHJAX_CDN_RE = re.compile(r"^https://cdn\.jsdelivr\.net/npm/mathjax@3[^/]*/(?P<path>[^?#]*)")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: flags that keep Chromium quiet on a machine without a network (no background fetches)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--font-render-hinting=none",
]
VIEWPORT = {"width": 1280, "height": 900}

#: axe-core impacts the tests hold the site to
AXE_IMPACTS = ("serious", "critical")

#: Known theme problems, not fixable from this repository by CSS or configuration: axe rule ->
#: class names of the theme elements on which that rule may fail. The rule still
#: applies to every other element (test_checks_bite.py checks that the exclusion is this narrow).
AXE_IGNORE: dict[str, tuple[str, ...]] = {
    # WCAG 2.5.3 "label in name" on pydata-sphinx-theme 0.17.1's header buttons: the search
    # button's accessible name is aria-label="검색" while its visible text is "검색 Ctrl+K", and the
    # colour-mode button is aria-label="Color mode" around icons titled "Light"/"Dark"/"System
    # Settings". Both labels come from the theme's templates (search-button-field.html,
    # theme-switcher.html); hiding the visible text with CSS would remove the keyboard hint.
    "label-content-name-mismatch": ("search-button__button", "theme-switch-button"),
}


# --------------------------------------------------------------------------- serving


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@dataclasses.dataclass
class Server:
    root: Path
    url: str  # http://127.0.0.1:PORT/ (with the trailing slash)
    _httpd: ThreadingHTTPServer

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def serve(root: Path) -> Server:
    """Serve ``root`` on 127.0.0.1 (a free port) from a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, name=f"serve {root}", daemon=True).start()
    return Server(Path(root), f"http://127.0.0.1:{httpd.server_address[1]}/", httpd)


# --------------------------------------------------------------------------- browser


def launch(playwright):
    """Debian's Chromium, headless, with the offline flags."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: run `make browser-deps` (installs Debian's chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def new_context(browser, server: Server, *, dark: bool = False, blocked: list[str] | None = None):
    """A fresh browser context (own storage) that sees only ``server`` and the local MathJax.

    ``blocked`` collects the URLs of requests that tried to leave the machine.
    """
    context = browser.new_context(viewport=VIEWPORT, color_scheme="dark" if dark else "light",
                                  locale="ko-KR", service_workers="block")
    if dark:  # pydata-sphinx-theme reads the reader's choice from localStorage
        context.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    blocked = blocked if blocked is not None else []
    context.route(_external_re(server), functools.partial(_route_external, blocked=blocked))
    context.blocked = blocked
    return context


def _external_re(server: Server) -> re.Pattern:
    """Every URL that is not the loopback server (matched inside the Playwright driver)."""
    return re.compile(r"^(?!" + re.escape(server.url) + r")(https?|wss?):")


def _route_external(route, blocked: list[str]) -> None:
    """Serve the MathJax CDN from the local npm copy; abort (and record) anything else."""
    url = route.request.url
    m = MATHJAX_CDN_RE.match(url)
    if m:
        path = (MATHJAX_DIR / unquote(m.group("path"))).resolve()
        if MATHJAX_DIR in path.parents and path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="not in the local MathJax copy")
        return
    blocked.append(url)
    route.abort("blockedbyclient")


# --------------------------------------------------------------------------- one page

_COLLECT_JS = r"""
() => {
  const article = document.querySelector("article") || document.querySelector("main") || document.body;
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  // text outside code, scripts and rendered math: where raw TeX must not be left
  const rawMath = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement.closest(
      "pre, code, script, style, textarea, mjx-container, .highlight, [aria-hidden=true]")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    const m = text.match(/\$\$|\\\[|\\\]|\\\(|\\\)|\\begin\{|\\frac\{/);
    if (m) rawMath.push(text.slice(Math.max(0, m.index - 30), m.index + 40).trim());
  }
  const highlights = [...document.querySelectorAll("div.highlight")].filter((d) => d.querySelector("pre"));
  return {
    title: document.title,
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    images: [...document.images].map((img) => ({
      src: img.currentSrc || img.src,
      alt: img.getAttribute("alt"),
      complete: img.complete,
      width: img.naturalWidth,
      inArticle: article.contains(img),
      visible: visible(img),
    })),
    mathElements: document.querySelectorAll(".math").length,
    mathUnrendered: [...document.querySelectorAll(".math")]
      .filter((el) => !el.querySelector("mjx-container")).map((el) => el.textContent.trim().slice(0, 60)),
    mathRendered: document.querySelectorAll("mjx-container").length,
    rawMath: rawMath,
    codeBlocks: highlights.length,
    codeBlocksWithoutCopy: highlights.filter((d) => !d.querySelector("button.copybtn"))
      .map((d) => d.textContent.trim().slice(0, 60)),
    headings: [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")]
      .map((h) => [Number(h.tagName[1]), h.textContent.trim().replace(/[#¶]\s*$/, "").trim()]),
    prev: (document.querySelector("a.left-prev") || {}).href || null,
    next: (document.querySelector("a.right-next") || {}).href || null,
    theme: document.documentElement.dataset.theme || null,
  };
}
"""

#: axe-core options: violations only; MathJax's output (one element per glyph, coloured like the
#: surrounding text, with its own assistive MathML) is left out because it makes the colour
#: contrast rule several times slower without telling anything new.
AXE_CONTEXT = {"exclude": [["mjx-container"]]}
AXE_OPTIONS = {"resultTypes": ["violations"]}

#: Syntax-highlighted code is thousands of Pygments token spans per page, coloured by one stylesheet
#: (``_static/pygments.css``) for the whole site. The per-page audit leaves these spans out of the
#: colour-contrast rule only (every other rule still sees them; that rule on the token spans took
#: about a third of the audit's time); :func:`check_code_token_contrast` audits every token class the
#: stylesheet defines instead, once per colour mode, in a real code block of the built site.
CODE_TOKENS = ".highlight span"

_AXE_START_JS = """
([context, options, tokens]) => {
  axe.configure({rules: [{id: "color-contrast", selector: "*:not(" + tokens + ")"}]});
  window.__axeResult = axe.run(context, options).then((result) => result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + " " + n.html.slice(0, 300)),
  })));
}
"""


@dataclasses.dataclass
class PageReport:
    """What one page looked like in the browser."""

    path: str  # relative to the site root, e.g. labs/lab09-1-xor-nn.html
    url: str
    status: int | None = None
    console_errors: list[str] = dataclasses.field(default_factory=list)
    failed_requests: list[str] = dataclasses.field(default_factory=list)
    external_requests: list[str] = dataclasses.field(default_factory=list)
    mathjax_error: str | None = None
    dom: dict = dataclasses.field(default_factory=dict)
    axe: list[dict] | None = None
    seconds: float = 0.0
    visit_error: str | None = None  # the page could not be loaded or inspected at all


def _open(context, server: Server, path: str, timeout_ms: int):
    """Open a tab on ``path`` and return at once (the browser goes on loading it)."""
    report = PageReport(path=path, url=server.url + path)
    report.seconds = -time.perf_counter()
    page = context.new_page()
    page.set_default_timeout(timeout_ms)

    def on_console(msg):
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            report.console_errors.append(f"{msg.text} ({where})" if where else msg.text)

    def on_response(resp):
        if resp.url.startswith(server.url) and resp.status >= 400:
            report.failed_requests.append(f"{resp.url}: HTTP {resp.status}")
        if resp.url == report.url:
            report.status = resp.status

    page.on("console", on_console)
    page.on("pageerror", lambda exc: report.console_errors.append(f"uncaught: {exc}"))
    page.on("response", on_response)
    page.on("requestfailed", lambda req: req.url.startswith(server.url) and report.failed_requests.append(
        f"{req.url}: {req.failure}"))
    page.route(_external_re(server), functools.partial(_route_external, blocked=report.external_requests))
    page.goto(report.url, wait_until="commit")
    return report, page


def _settle(report: PageReport, page, axe: bool) -> None:
    """Wait until the page and its math are rendered, collect the DOM facts, start axe-core."""
    page.wait_for_load_state("load")
    if page.query_selector("script[src*='mathjax']"):
        try:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=15000)
            page.evaluate("() => MathJax.startup.promise.then(() => true)")
        except Exception as exc:  # noqa: BLE001 - reported as a problem, not raised
            report.mathjax_error = f"MathJax did not start: {type(exc).__name__}"
    report.dom = page.evaluate(_COLLECT_JS)
    if axe:
        page.add_script_tag(path=str(AXE_JS))
        page.evaluate(_AXE_START_JS, [AXE_CONTEXT, AXE_OPTIONS, CODE_TOKENS])


def _finish(report: PageReport, page, axe: bool) -> None:
    try:
        if axe:
            report.axe = page.evaluate("() => window.__axeResult")
    except Exception as exc:  # noqa: BLE001 - reported by check_axe ("axe-core did not run")
        report.visit_error = report.visit_error or f"axe-core: {type(exc).__name__}"
    finally:
        page.close()
        report.seconds += time.perf_counter()


def visit_many(context, server: Server, paths: list[str], *, axe: bool = True, parallel: int = 3,
               timeout_ms: int = 30000) -> dict[str, PageReport]:
    """Visit ``paths`` with up to ``parallel`` tabs loading at once; one :class:`PageReport` each.

    Python only orchestrates: while it waits on one tab, Chromium's renderer processes go on
    loading, typesetting and auditing the others, which is what makes this fast on two cores.
    """
    reports: dict[str, PageReport] = {}
    queue = list(paths)
    loading: collections.deque = collections.deque()
    auditing: collections.deque = collections.deque()
    while queue or loading or auditing:
        while queue and len(loading) + len(auditing) < parallel:
            loading.append(_open(context, server, queue.pop(0), timeout_ms))
        if loading:
            report, page = loading.popleft()
            try:
                _settle(report, page, axe)
            except Exception as exc:  # noqa: BLE001 - one broken page must not stop the others
                report.visit_error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                page.close()
                report.seconds += time.perf_counter()
                reports[report.path] = report
                continue
            auditing.append((report, page))
        if auditing and (len(auditing) > 1 or not loading):
            report, page = auditing.popleft()
            _finish(report, page, axe)
            reports[report.path] = report
    return reports


def visit(context, server: Server, path: str, *, axe: bool = True) -> PageReport:
    """Visit one page: see :func:`visit_many`."""
    return visit_many(context, server, [path], axe=axe)[path]


# --------------------------------------------------------------------------- checks
# Each takes a PageReport (and what it needs) and returns a list of problems; [] means fine.


def check_loaded(report: PageReport) -> list[str]:
    problems = []
    if report.visit_error:
        problems.append(f"could not visit the page: {report.visit_error}")
    if report.status != 200:
        problems.append(f"HTTP status {report.status}")
    problems += [f"console error: {e}" for e in report.console_errors]
    problems += [f"failed request: {r}" for r in report.failed_requests]
    problems += [f"request left the machine (offline site?): {u}" for u in report.external_requests]
    return problems


@functools.lru_cache(maxsize=None)
def _ids(file: Path) -> frozenset[str]:
    text = file.read_text(encoding="utf-8", errors="replace")
    return frozenset(unquote(m) for m in re.findall(r"""\s(?:id|name)=["']([^"']+)["']""", text))


def _local_file(server: Server, url: str) -> Path | None:
    """The file under the served root that a same-origin URL names (None for other origins)."""
    if not url.startswith(server.url):
        return None
    path = unquote(urlsplit(url).path)
    file = server.root / path.lstrip("/")
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file


def check_links(report: PageReport, server: Server) -> list[str]:
    """Every link to this site points at a file that exists, and its #fragment at an id there."""
    problems = []
    for href in sorted(set(report.dom.get("links", []))):
        if not href.startswith(server.url):
            continue  # external (checked weekly by `make linkcheck`), mailto:, javascript:
        target, fragment = urldefrag(href)
        file = _local_file(server, target)
        if not file.is_file():
            problems.append(f"broken link {href} (no file {file.relative_to(server.root)})")
        elif fragment and file.suffix == ".html" and unquote(fragment) not in _ids(file):
            problems.append(f"broken link {href} (no id {fragment!r} in {file.relative_to(server.root)})")
    return problems


def check_images(report: PageReport, server: Server) -> list[str]:
    """Every image loads (the file exists, the browser could decode it)."""
    problems = []
    for img in report.dom.get("images", []):
        src = img["src"]
        if not src:
            problems.append("an <img> without src")
            continue
        file = _local_file(server, src.split("#")[0].split("?")[0])
        if file is not None and not file.is_file():
            problems.append(f"broken image {src}")
        elif img["complete"] and img["width"] == 0:
            problems.append(f"image {src[:80]} did not render (not an image?)")
    return problems


def check_alt_text(report: PageReport) -> list[str]:
    """Every image has an alt attribute; every image in the page's content has real alt text."""
    problems = []
    for img in report.dom.get("images", []):
        alt = img["alt"]
        if alt is None:
            problems.append(f"image {img['src'][:80]} has no alt attribute")
        elif img["inArticle"] and not alt.strip():
            problems.append(f"figure {img['src'][:80]} has empty alt text")
    return problems


def check_math(report: PageReport) -> list[str]:
    """MathJax rendered every formula and no raw TeX delimiters are left in the text."""
    problems = []
    dom = report.dom
    if report.mathjax_error:
        problems.append(report.mathjax_error)
    if dom.get("mathElements") and not dom.get("mathRendered"):
        problems.append(f"{dom['mathElements']} formulas but no MathJax output")
    problems += [f"formula not rendered: {t!r}" for t in dom.get("mathUnrendered", [])]
    problems += [f"raw TeX in the text: {t!r}" for t in dom.get("rawMath", [])]
    return problems


def check_copy_buttons(report: PageReport) -> list[str]:
    return [f"code block without a copy button: {t!r}" for t in report.dom.get("codeBlocksWithoutCopy", [])]


def check_headings(report: PageReport) -> list[str]:
    """One h1 first, then no skipped levels (h2 -> h4) in the page's content."""
    headings = report.dom.get("headings", [])
    if not headings:
        return ["no headings"]
    problems = []
    levels = [level for level, _ in headings]
    if levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]}, not h1: {headings[0][1]!r}")
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings")
    for (prev, _), (cur, text) in zip(headings, headings[1:]):
        if cur > prev + 1:
            problems.append(f"skipped heading level h{prev} -> h{cur} at {text!r}")
    return problems


def check_axe(report: PageReport, ignore: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """No serious or critical axe-core violations, except rule ``r`` on an element whose selector
    contains one of ``ignore[r]`` (known theme problems, documented where ``ignore`` is defined)."""
    ignore = ignore or {}
    if report.axe is None:
        return ["axe-core did not run"]
    return [
        f"axe {v['impact']} {v['id']}: {v['help']} ({len(nodes)} elements, e.g. {nodes[:3]})"
        for v in report.axe
        if v["impact"] in AXE_IMPACTS
        for nodes in [[n for n in v["nodes"] if not _ignored(v["id"], n, ignore)]]
        if nodes
    ]


def _ignored(rule: str, target: str, ignore: dict) -> bool:
    """``ignore`` maps a rule id to class names of the theme elements it may fail on; ``target``
    is axe's selector of the element followed by its HTML."""
    return any(fragment in target for fragment in ignore.get(rule, ()))


# --------------------------------------------------------------------------- code colours

_TOKEN_RULE = re.compile(r'html\[data-theme="(?P<mode>light|dark)"\] \.highlight \.(?P<cls>[A-Za-z0-9]+) \{[^}]*\bcolor:')


def pygments_token_classes(css: Path, mode: str) -> list[str]:
    """The token classes (``k``, ``nf``, ``s2`` …) to which the site's Pygments stylesheet gives a
    colour in colour mode ``mode`` (``light`` or ``dark``)."""
    found = [m["cls"] for m in _TOKEN_RULE.finditer(css.read_text(encoding="utf-8")) if m["mode"] == mode]
    return sorted(set(found) - {"hll"})  # .hll is a line background, not a token colour


_TOKEN_SAMPLE_JS = """
async ([classes]) => {
  const pre = document.querySelector("div.highlight pre");
  if (!pre) return null;
  const block = document.createElement("div");
  block.className = pre.parentElement.className;   // the same "highlight" block, in the same place
  const sample = document.createElement("pre");
  sample.id = "zerotoall-token-sample";
  for (const cls of classes) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = "token_" + cls;
    sample.append(span, document.createTextNode("\\n"));
  }
  block.append(sample);
  pre.parentElement.after(block);
  const result = await axe.run({include: [["#zerotoall-token-sample"]]},
                               {runOnly: {type: "rule", values: ["color-contrast"]}});
  const checked = ["passes", "violations", "incomplete"]
    .flatMap((kind) => result[kind].flatMap((rule) => rule.nodes)).length;
  return {checked, violations: result.violations.flatMap((v) => v.nodes.map(
    (n) => v.impact + " " + n.html.slice(0, 120) + ": " + n.failureSummary.replace(/\\s+/g, " ")))};
}
"""


def check_code_token_contrast(context, server: Server, path: str, classes: list[str]) -> tuple[list[str], int]:
    """Append one sample span of each token class to a copy of the first code block of ``path``
    and run axe-core's colour-contrast rule on it. Returns (problems, how many spans axe checked)."""
    page = context.new_page()
    try:
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(_TOKEN_SAMPLE_JS, [classes])
    finally:
        page.close()
    if result is None:
        return [f"{path}: no code block to put the token sample in"], 0
    return result["violations"], result["checked"]
