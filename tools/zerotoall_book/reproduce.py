"""Reproduce the course's numbers: build the whole book in full mode from an empty cache, timed.

``make reproduce`` runs::

    python -m zerotoall_book.reproduce --build-dir _build --out _build/reproduce

1. deletes the execution cache and executed notebooks under ``--build-dir`` (so every page
   really runs), executes the generated notebooks (``make notebooks``) in full mode with nbval,
   ``--workers`` of them at a time (default 2, heavy pages first; ``--workers 1`` skips this
   step), puts each notebook that ran without an error into the build's execution cache
   (:mod:`zerotoall_book.executed`, as CI's quick build does), then runs the same strict
   full-mode build as ``make book``, which executes whatever is not cached (a page that failed
   under nbval runs again there and is reported). The whole of it is timed. One setting of the
   build differs from ``make book``: the build mode ``ZEROTOALL_BUILD_MODE=reproduce`` turns
   ``raise_on_error`` off (:mod:`zerotoall_book.sphinx.modes`), so a lab whose ``assert`` fails
   is reported with its error and the rest of the book still runs. Why two at a time on a 2-core
   machine: a page alone leaves part of the CPU idle (Lab 11-3's CNN training used 1.35
   CPU-seconds per second of its 2 cores; the light pages are mostly one Python thread), so a
   second notebook fills it. Each page's own time in the report is longer than alone, the total
   shorter: 40 notebooks took 23.2 min summed in 12.0 min of wall time here (2026-12-08);
2. reads each page's execution time from the jupyter-cache database the build filled, and the
   values each page recorded with ``zta.glue`` from the build's ``*.glue.json`` files — the same
   values the results page shows;
3. writes ``report.md`` and ``report.json`` with the total wall time against the 15-minute
   budget, each page's time, and each result next to the original course's number and its
   ``bar`` from ``book/course.yml`` (``at-least`` or ``within <tolerance>``).

It exits with status 1 when a page failed, the build failed, a bar is missed, the budget is
exceeded, or a declared result is missing. ``--no-build`` only re-reads an existing build (e.g. the one ``make book`` made).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import exec_cache, outline
from .notebooks import NOTEBOOKS_DIR
from .sphinx import modes

ROOT = Path(__file__).resolve().parents[2]
BUDGET_SECONDS = 15 * 60  # issue 13: the whole book in full mode, from an empty cache, on a 2-core CPU
#: notebooks executed at once before the build (``--workers``)
WORKERS = 2
#: the pre-run's recorded notebooks, under the build folder (``--record-executed``)
EXECUTED = "executed"
#: what a run clears under the build folder first, so that every page really runs (.doctrees too:
#: with Sphinx's saved environment left, unchanged pages would not be re-read, so not re-executed)
STALE = (".jupyter_cache", ".doctrees", "jupyter_execute", "html", EXECUTED)
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")  # colours in the tracebacks nbclient records


def full_mode_env() -> dict[str, str]:
    """This process's environment without the quick-mode switch: what the pre-run and the build run in."""
    from zerotoall.config import QUICK_ENV

    return {k: v for k, v in os.environ.items() if k != QUICK_ENV}


def build_command(build_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The full-mode build ``make reproduce`` runs: ``make book``'s command, in the ``reproduce``
    build mode (:mod:`zerotoall_book.sphinx.modes`), without quick mode. Returns (command, environment)."""
    env = full_mode_env()
    env[modes.ENV_VAR] = "reproduce"
    path_output = build_dir.parent if build_dir.name == "_build" else build_dir
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "-W", "-n", "--keep-going"]
    if path_output.resolve() != ROOT.resolve():
        command += ["--path-output", str(path_output)]
    return command, env


def prerun_command(executed_dir: Path, workers: int) -> tuple[list[str], dict[str, str]]:
    """nbval over the generated notebooks in full mode, ``workers`` at a time, heavy pages first,
    recording each notebook that ran without an error into ``executed_dir`` (``make
    test-notebooks``'s command, without quick mode). Returns (command, environment)."""
    env = full_mode_env()
    command = [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=1800",
               "-n", str(workers), "--dist", "loadfile", "-p", "no:cacheprovider", "-q",
               "-p", "zerotoall_book.executed", "--record-executed", str(executed_dir), "--heavy-first",
               str(ROOT / NOTEBOOKS_DIR)]
    return command, env


def run_build(build_dir: Path, workers: int = WORKERS) -> tuple[float, int]:
    """Full-mode strict build from an empty execution cache, the notebooks executed ``workers`` at
    a time first; returns (wall seconds, exit status of the build)."""
    executed_dir = build_dir / EXECUTED
    for stale in STALE:
        shutil.rmtree(build_dir / stale, ignore_errors=True)
    exec_cache.store(build_dir, ROOT)  # the empty cache now matches this helper and these pins
    start = time.perf_counter()
    if workers > 1:
        if not (ROOT / NOTEBOOKS_DIR).is_dir():
            raise SystemExit(f"reproduce: {NOTEBOOKS_DIR} is missing; run `make notebooks` (make reproduce does)")
        command, env = prerun_command(executed_dir, workers)
        subprocess.run(command, cwd=ROOT, env=env)  # a failed notebook is not recorded: the build runs it again
        from . import executed

        result = executed.seed(executed_dir, build_dir / ".jupyter_cache", "full")
        seeded = sum(what == "seeded" for what in result.values())
        print(f"reproduce: {seeded} pages executed {workers} at a time and cached; the build executes the rest", flush=True)
    command, env = build_command(build_dir)
    status = subprocess.run(command, cwd=ROOT, env=env).returncode
    return time.perf_counter() - start, status


def failed_pages(build_dir: Path) -> dict[str, str]:
    """``docname -> last line of the traceback`` for every page whose execution failed
    (myst-nb writes the traceback to ``html/reports/<docname>.err.log``)."""
    reports = build_dir / "html" / "reports"
    failed = {}
    for path in sorted(reports.rglob("*.err.log")) if reports.is_dir() else []:
        text = ANSI_RE.sub("", path.read_text(encoding="utf-8", errors="replace"))
        lines = [line for line in text.splitlines() if line.strip()]
        failed[path.relative_to(reports).as_posix()[: -len(".err.log")]] = lines[-1].strip() if lines else "?"
    return failed


def read_cache(build_dir: Path) -> tuple[dict[str, float], list[str]]:
    """One pass over the build's jupyter-cache: seconds each page's notebook took (by docname),
    and the pages whose version line (``zta.show_versions()``) says quick mode was on."""
    from jupyter_cache import get_cache

    cache = get_cache(str(build_dir / ".jupyter_cache"))
    times, quick = {}, []
    for record in _latest_records(cache):
        docname = _docname(record.uri)
        times[docname] = float((record.data or {}).get("execution_seconds", math.nan))
        outputs = json.dumps([cell.get("outputs", []) for cell in cache.get_cache_bundle(record.pk).nb.cells])
        if "quick mode: on" in outputs:
            quick.append(docname)
    return times, sorted(quick)


def glued_values(build_dir: Path) -> dict[str, tuple[str, float]]:
    """``key -> (docname, value)`` for every value the executed pages recorded with glue."""
    values = {}
    for path in sorted((build_dir / "jupyter_execute").rglob("*.glue.json")):
        docname = path.relative_to(build_dir / "jupyter_execute").as_posix()[: -len(".glue.json")]
        for key, output in json.loads(path.read_text(encoding="utf-8")).items():
            text = output.get("data", {}).get("text/plain", "nan")
            try:
                values[key] = (docname, float(text))
            except ValueError:
                values[key] = (docname, math.nan)
    return values


def _latest_records(cache) -> list:
    """One cache record per notebook: the newest (a cache kept across edits holds older ones too)."""
    latest = {}
    for record in sorted(cache.list_cache_records(), key=lambda r: r.created):
        latest[record.uri] = record
    return list(latest.values())


def _docname(uri: str) -> str:
    path = Path(uri)
    try:
        return path.resolve().relative_to(ROOT).with_suffix("").as_posix()
    except ValueError:
        return path.with_suffix("").as_posix()


def meets(bar: str | None, measured: float, original: str) -> bool | None:
    """``None`` when there is no bar; otherwise whether ``measured`` clears it."""
    if not bar:
        return None
    if math.isnan(measured):
        return False
    target = float(original)
    match = outline.BAR_RE.match(bar)
    if match and match["tol"]:
        return abs(measured - target) <= float(match["tol"]) + 1e-12
    return measured >= target - 1e-12


def collect(build_dir: Path, wall_seconds: float | None, build_status: int | None = None) -> dict:
    course = outline.load_course(ROOT / "book" / "course.yml")
    times, quick = read_cache(build_dir)
    failed = failed_pages(build_dir)
    for docname in failed:
        times.setdefault(docname, math.nan)  # a failed run is not cached, so its time is unknown
    values = glued_values(build_dir)
    pages, _ = outline.match_pages(course, times)
    page_of = {docs[0]: item_id for item_id, docs in pages.items()}
    results, problems = [], []
    for item, result in outline.iter_results(course):
        if item["id"] not in pages:
            continue
        docname, measured = values.get(result["key"], (pages[item["id"]][0], math.nan))
        ok = meets(result["bar"], measured, result["original"])
        if result["key"] not in values:
            problems.append(f"{result['key']}: declared in course.yml but not glued by {docname}")
        elif ok is False:
            problems.append(f"{result['key']}: measured {measured:.4f} misses the bar {result['bar']} {result['original']}")
        results.append({
            "item": item["id"], "key": result["key"], "what": result["what"], "original": result["original"],
            "measured": measured, "bar": result["bar"], "meets": ok, "page": docname,
        })
    problems += [f"{doc}: execution failed: {error}" for doc, error in failed.items()]
    if build_status:
        problems.append(f"the build exited with status {build_status} (see its log above)")
    if quick:
        problems.append(f"built in quick mode, not full mode: {', '.join(quick)}")
    total_exec = sum(t for t in times.values() if not math.isnan(t))
    if wall_seconds is not None and wall_seconds > BUDGET_SECONDS:
        problems.append(f"full build took {wall_seconds / 60:.1f} min, over the {BUDGET_SECONDS // 60}-minute budget")
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": _machine(),
        "build_wall_seconds": wall_seconds,
        "build_status": build_status,
        "execution_seconds_total": total_exec,
        "budget_seconds": BUDGET_SECONDS,
        "pages": [{"page": doc, "item": page_of.get(doc), "seconds": t, "error": failed.get(doc)}
                  for doc, t in sorted(times.items())],
        "results": results,
        "problems": problems,
    }


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    tf_version = "?"
    for dist in ("tensorflow-cpu", "tensorflow"):
        try:
            tf_version = metadata.version(dist)
            break
        except metadata.PackageNotFoundError:
            continue
    return f"{os.cpu_count()} CPU cores ({cpu}), Python {platform.python_version()}, TensorFlow {tf_version}"


def _fmt(value: float | None, spec: str = ".4f") -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, spec)


def write_report(data: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    wall = data["build_wall_seconds"]
    lines = [
        "# Reproduction report: the whole book in full mode",
        "",
        f"- date: {data['date']}",
        f"- machine: {data['machine']}",
        f"- full build from an empty cache: {_fmt(wall and wall / 60, '.1f')} min "
        f"(budget {data['budget_seconds'] // 60} min)" + ("" if wall is None else (" ✓" if wall <= data["budget_seconds"] else " ✗")),
        f"- notebook execution, summed: {data['execution_seconds_total'] / 60:.1f} min"
        + (f" ({data['workers']} notebooks at a time: each page's time below is longer than alone)" if (data.get("workers") or 1) > 1 else ""),
        "",
        "## Results against the original course",
        "",
        "| page | result | original | measured | bar | |",
        "|---|---|---:|---:|---|---|",
    ]
    for r in data["results"]:
        mark = {True: "✓", False: "✗", None: ""}[r["meets"]]
        lines.append(f"| {r['item']} | `{r['key']}` | {r['original']} | {_fmt(r['measured'])} | {r['bar'] or ''} | {mark} |")
    lines += ["", "## Execution time per page", "", "| page | seconds | |", "|---|---:|---|"]
    for p in sorted(data["pages"], key=lambda p: -p["seconds"] if not math.isnan(p["seconds"]) else -math.inf):
        status = f"✗ {p['error']}" if p.get("error") else "✓"
        lines.append(f"| {p['page']} | {_fmt(p['seconds'], '.1f')} | {status} |")
    lines += ["", "## Problems", ""] + ([f"- {p}" for p in data["problems"]] or ["none"])
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=str(ROOT / "_build"), help="the build's _build folder")
    parser.add_argument("--out", default=str(ROOT / "_build" / "reproduce"))
    parser.add_argument("--no-build", action="store_true", help="only read an existing full-mode build")
    parser.add_argument("--dry-run", action="store_true", help="print the build command and its settings, run nothing")
    parser.add_argument("--workers", type=int, default=WORKERS,
                        help=f"notebooks executed at once before the build (default {WORKERS}; 1: the build executes every page, one at a time)")
    args = parser.parse_args(argv)
    if os.environ.get("ZEROTOALL_QUICK"):
        print("note: ZEROTOALL_QUICK is ignored here; the report is about full mode", file=sys.stderr)
    build_dir = Path(args.build_dir).resolve()
    out = Path(args.out).resolve()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.dry_run:
        if args.workers > 1:
            print(" ".join(prerun_command(build_dir / EXECUTED, args.workers)[0]))
        command, env = build_command(build_dir)
        print(f"{modes.ENV_VAR}={env[modes.ENV_VAR]} " + " ".join(command))
        print(f"settings changed by the build mode: {modes.overrides(env[modes.ENV_VAR])}")
        print(f"ZEROTOALL_QUICK: {env.get('ZEROTOALL_QUICK', 'unset')}; cleared first: "
              + ", ".join(str(build_dir / d) for d in STALE))
        return 0
    wall, status = (None, None) if args.no_build else run_build(build_dir, args.workers)
    data = collect(build_dir, wall, status)
    data["workers"] = None if args.no_build else args.workers
    path = write_report(data, out)
    print(path.read_text(encoding="utf-8"))
    print(f"report: {path}")
    return 1 if data["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
