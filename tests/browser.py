"""Open the HTML papers in a real browser and report what a reader would find broken.

Headless Chromium from the operating system (Debian's ``chromium`` package; ``make test``
installs it) driven by Playwright's Python client with the executable path set, so Playwright
never downloads a browser of its own. :func:`inspect` loads one paper from ``file://`` and
returns a :class:`Report`; :func:`problems` turns it into readable findings. ``tests/test_browser.py``
runs them over every paper.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

# Chromium's flags and the one lookup of the system Chromium live in the workbench (it prints PDFs)
from carbonlib.workbench import paths
from carbonlib.workbench.pdf import CHROMIUM_ARGS as CHROMIUM_ARGS
from carbonlib.workbench.pdf import LOCAL_SCHEMES as LOCAL_SCHEMES
from carbonlib.workbench.pdf import chromium_path as chromium_path
from carbonlib.workbench.run import atomic_write

#: Folders (relative to the build folder) holding papers, one per language; missing ones are skipped.
PAPER_DIRS = ("html", "zh-TW/html")
#: Browser window: a desktop reader's width; screenshots are full-page.
VIEWPORT = {"width": 1280, "height": 900}
#: Seconds allowed for building the papers when they are missing.
BUILD_TIMEOUT_S = 1800

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
#: A snake_case identifier, which a reader should never meet as a table's header or row label.
IDENTIFIER = re.compile(r"[a-z0-9]+_[a-z0-9_]+")
_ID_ATTR = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

#: Runs in the page: makes every image load, waits for images and fonts, reads the DOM, follows
#: every in-page link (``:target`` tells whether the browser found where it points) and looks
#: for tofu: a character its element's fonts (and the browser's fallback) cannot draw comes out
#: as the same box as U+10FFFD, a private-use code point no font has.
_READ_PAGE = r"""
async () => {
  const imgs = [...document.images];
  for (const img of imgs) { if (img.loading === 'lazy') img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  // follow each in-page link as a click would (same-document navigation) and see if it lands
  const links = [...document.querySelectorAll('a[href], area[href]')].map(a => (
    {href: a.getAttribute('href'), url: a.href, target: null}));
  for (const link of links) {
    if (link.href.startsWith('#') && link.href.length > 1) {
      location.hash = link.href;
      link.target = document.querySelector(':target') !== null;
    }
  }
  history.replaceState(null, '', location.pathname);
  window.scrollTo(0, 0);
  // tofu: a character drawn in its element's font exactly like a code point no font has
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (font, ch) => {
    ctx.clearRect(0, 0, 48, 48); ctx.font = font; ctx.textBaseline = 'top'; ctx.fillText(ch, 4, 4);
    return ctx.getImageData(0, 0, 48, 48).data.filter((v, i) => i % 4 === 3).join(',');
  };
  const blank = new Array(48 * 48).fill(0).join(',');
  const nowhere = new Map(), seen = new Set(), tofu = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || !el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    const font = `${cs.fontStyle} ${cs.fontWeight} 32px ${cs.fontFamily}`;
    for (const ch of walker.currentNode.data) {
      if (ch.codePointAt(0) < 0x80 || /\s/u.test(ch) || seen.has(font + ch)) continue;
      seen.add(font + ch);
      if (!nowhere.has(font)) nowhere.set(font, draw(font, '\u{10FFFD}'));
      const box = nowhere.get(font);
      if (box !== blank && draw(font, ch) === box) tofu.push({char: ch, tag: el.tagName.toLowerCase(), font: cs.fontFamily});
    }
  }
  return {
    images: imgs.map(img => ({
      src: (img.getAttribute('src') || '').slice(0, 60), alt: img.alt || '',
      complete: img.complete, width: img.naturalWidth, height: img.naturalHeight})),
    tables: [...document.querySelectorAll('table')].filter(t => !t.closest('.run-record')).length,
    // what a reader reads as a table's labels: every header cell and each row's first cell
    headers: [...document.querySelectorAll('table')].filter(t => !t.closest('.run-record'))
      .flatMap(t => [...t.querySelectorAll('th')].map(c => c.innerText.trim())),
    first_cells: [...document.querySelectorAll('table')].filter(t => !t.closest('.run-record'))
      .flatMap(t => [...t.rows].map(r => r.cells.length ? r.cells[0].innerText.trim() : '')),
    // Markdown left unrendered: "**" in visible prose (code cells excluded)
    asterisks: (() => {
      const found = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (w.nextNode()) {
        const el = w.currentNode.parentElement;
        if (!el || el.closest('pre, code, style, script') || !el.getClientRects().length) continue;
        if (w.currentNode.data.includes('**')) found.push(w.currentNode.data.trim().slice(0, 120));
      }
      return found;
    })(),
    appendix_tables: document.querySelectorAll('.run-record table').length,
    links: links,
    tofu: tofu,
    stderr: [...document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.textContent.trim()).filter(t => t.length > 0),
    failed_fonts: [...document.fonts].filter(f => f.status === 'error').map(f => f.family),
    height: document.documentElement.scrollHeight,
  };
}
"""


def ensure_built(build_root: Path) -> None:
    """Build every paper with ``python -m carbonlib build`` if ``html/index.html`` is missing.

    Parameters
    ----------
    build_root : Path
        The build folder (:func:`carbonlib.workbench.paths.build_dir`).

    Raises
    ------
    RuntimeError
        If the build leaves no ``html/index.html``, with the end of its log.
    """
    import fcntl

    index = build_root / "html" / "index.html"
    if index.is_file():
        return
    build_root.mkdir(parents=True, exist_ok=True)
    with open(build_root / ".ensure-built.lock", "w") as lock:  # one pytest worker builds, the others wait
        fcntl.flock(lock, fcntl.LOCK_EX)
        if index.is_file():
            return
        result = subprocess.run([sys.executable, "-m", "carbonlib", "build"], cwd=paths.ROOT,
                                capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    if not index.is_file():
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RuntimeError(f"{index}: missing after `python -m carbonlib build` "
                           f"(exit {result.returncode}):\n{tail}")


def papers(build_root: Path) -> list[Path]:
    """Every ``*.html`` under the build's paper folders (``html/``, ``zh-TW/html/`` if present)."""
    found: list[Path] = []
    for rel in PAPER_DIRS:
        folder = build_root / rel
        if folder.is_dir():
            found += sorted(p for p in folder.rglob("*.html") if not p.name.startswith("."))
    return found


def _lang_root(paper: Path, build_root: Path) -> Path:
    """The folder holding the ``html/`` that ``paper`` is in (``build/`` or ``build/zh-TW/``)."""
    rel = paper.relative_to(build_root)
    return build_root.joinpath(*rel.parts[: rel.parts.index("html")])


def outputs_index(paper: Path, build_root: Path) -> dict[str, Any] | None:
    """The output index (``outputs/<stem>.json``) of the workbook a paper shows, if it has one.

    A translated paper uses its language folder's index when there is one, else the English
    one: the same workbook records the same tables. The combined paper (``index.html``) has
    none unless the build writes ``outputs/index.json``.
    """
    for root in dict.fromkeys((_lang_root(paper, build_root), build_root)):
        file = root / "outputs" / f"{paper.stem}.json"
        if file.is_file():
            return json.loads(file.read_text(encoding="utf-8"))
    return None


def expected_tables(paper: Path, build_root: Path) -> int:
    """How many tables the paper's output index lists (0 when it has no index)."""
    index = outputs_index(paper, build_root)
    return sum(o.get("kind") == "table" for o in index["outputs"]) if index else 0


def screenshot_path(paper: Path, build_root: Path) -> Path:
    """``build/screenshots/<path of the paper under build/>.png``."""
    return build_root / "screenshots" / paper.relative_to(build_root).with_suffix(".png")


@dataclass
class Report:
    """What the browser saw of one paper."""

    paper: Path
    images: list[dict[str, Any]] = field(default_factory=list)
    tables: int = 0
    appendix_tables: int = 0
    links: list[dict[str, Any]] = field(default_factory=list)
    tofu: list[dict[str, str]] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    failed_fonts: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    height: int = 0
    headers: list[str] = field(default_factory=list)
    first_cells: list[str] = field(default_factory=list)
    asterisks: list[str] = field(default_factory=list)
    screenshot: Path | None = None


def inspect(browser, paper: Path, screenshot: Path | None = None) -> Report:
    """Load ``paper`` from ``file://`` in a fresh browser context and read what it shows.

    Requests to anything but ``file:`` and ``data:`` URLs are recorded and aborted, so the
    check never touches the network.

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        A launched Chromium.
    paper : Path
        The HTML file.
    screenshot : Path, optional
        Where to save a full-page PNG (written atomically).

    Returns
    -------
    Report
    """
    report = Report(paper=paper)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.route(lambda url: not url.startswith(LOCAL_SCHEMES), lambda route: route.abort())
        page = context.new_page()
        page.on("console", lambda m: report.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: report.page_errors.append(str(exc)))
        page.on("request", lambda r: None if r.url.startswith(LOCAL_SCHEMES) else report.requests.append(r.url))
        page.goto(paper.resolve().as_uri(), wait_until="load")
        seen = page.evaluate(_READ_PAGE)
        for key in ("images", "tables", "appendix_tables", "links", "tofu", "stderr", "failed_fonts",
                    "height", "headers", "first_cells", "asterisks"):
            setattr(report, key, seen[key])
        if screenshot is not None:
            png = page.screenshot(full_page=True, type="png")
            atomic_write(screenshot, lambda tmp: tmp.write_bytes(png))
            report.screenshot = screenshot
    finally:
        context.close()
    return report


def _anchors(file: Path, cache: dict[Path, set[str]]) -> set[str]:
    if file not in cache:
        text = file.read_text(encoding="utf-8", errors="replace")
        cache[file] = {html.unescape(a or b) for a, b in _ID_ATTR.findall(text)}
    return cache[file]


def broken_links(report: Report) -> list[str]:
    """Internal links of a paper that lead nowhere.

    An internal link is a fragment (``#id``: followed in the page, the browser must find its
    target, matching the id as written or percent-decoded, as the HTML standard says) or a
    relative path (the file must exist, and an ``.html`` file must hold the fragment if the link
    has one). A link by absolute path or ``file:`` URL is reported too: it breaks as soon as
    ``build/`` moves. Links to other hosts are not followed (a link is not a request).
    """
    broken: list[str] = []
    cache: dict[Path, set[str]] = {}
    for link in report.links:
        href = link["href"]
        if href.startswith("#"):
            if href != "#" and not link["target"]:
                broken.append(f"{href}: no element with this id")
            continue
        if href.startswith("//") or (_SCHEME.match(href) and not href.lower().startswith("file:")):
            continue  # another host (or mailto:, tel:): not internal
        if href.startswith("/") or href.lower().startswith("file:"):
            broken.append(f"{href}: absolute link, breaks when the build folder moves")
            continue
        url = urlsplit(link["url"])
        target = Path(url2pathname(url.path))
        if not target.exists():
            broken.append(f"{href}: no file {target}")
            continue
        fragment = href.partition("#")[2]
        if fragment and target.suffix == ".html" and not {fragment, unquote(fragment)} & _anchors(target, cache):
            broken.append(f"{href}: {target.name} has no element with id {unquote(fragment)!r}")
    return broken


def problems(report: Report, build_root: Path) -> list[str]:
    """Everything wrong with a paper, one readable line each (empty when it is fine)."""
    found: list[str] = []
    for img in report.images:
        if not (img["complete"] and img["width"] > 0):
            found.append(f"image not decoded: src={img['src']!r} alt={img['alt']!r} "
                         f"(complete={img['complete']}, naturalWidth={img['width']})")
    wanted = expected_tables(report.paper, build_root)
    if report.tables < wanted:
        found.append(f"shows {report.tables} tables outside the run-record appendix, but its "
                     f"output index lists {wanted}")
    found += [f"broken link {b}" for b in broken_links(report)]
    if report.tofu:
        chars = "".join(dict.fromkeys(t["char"] for t in report.tofu))
        where = ", ".join(sorted({t["tag"] for t in report.tofu}))
        fonts = "; ".join(sorted({t["font"] for t in report.tofu}))
        found.append(f"tofu: no font draws {len(chars)} characters {chars[:40]!r}"
                     f"{'…' if len(chars) > 40 else ''} (in {where}; font-family {fonts})")
    for text in report.stderr:  # warnings printed by a cell; matplotlib's name tofu in a figure
        first = text.splitlines()[0][:200]
        kind = "tofu in a figure" if "missing from font" in text else "stderr shown in the paper"
        found.append(f"{kind}: {first}")
    found += [f"font failed to load: {f}" for f in report.failed_fonts]
    shown = dict.fromkeys(t for t in report.headers if IDENTIFIER.search(t))
    found += [f"identifier in a table header: {t!r}" for t in shown]
    shown = dict.fromkeys(t for t in report.first_cells if IDENTIFIER.search(t))
    found += [f"identifier in the first column of a table: {t!r}" for t in shown]
    found += [f"Markdown not rendered, '**' shown: {t!r}" for t in dict.fromkeys(report.asterisks)]
    found += [f"console error: {m}" for m in report.console_errors]
    found += [f"page error: {m}" for m in report.page_errors]
    found += [f"request leaves the page: {u}" for u in report.requests]
    return found
