"""Print the HTML papers to PDF through headless Chromium (``python -m carbonlib pdf``).

Each edition's combined paper (``html/index.html``) and every workbook's paper
(``html/<notebook>.html``) are opened from ``file://`` in Debian's Chromium, driven by
Playwright's Python client with the executable path set (Playwright never downloads a browser
of its own), and printed with the paper's print stylesheet (``@media print`` and ``@page`` in
:data:`carbonlib.workbench.paper.CSS`) into ``pdf/<notebook>.pdf`` and ``pdf/index.pdf`` beside
the edition's ``html/``: ``build/pdf/`` for English, ``build/zh-TW/pdf/`` for Traditional
Chinese. Nothing is printed before every image has decoded and every font has loaded; each PDF
is written atomically, so a failed print leaves the previous PDF (or none), never half a file.
A request to anything but ``file:`` and ``data:`` is aborted, so printing needs no network.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carbonlib.errors import CarbonlibError

from . import paths
from .i18n import LANGS
from .run import atomic_write

#: Folder of an edition's papers, and of its PDFs (both relative to the edition's build folder).
PAPERS_DIR = "html"
PDF_DIR = "pdf"
#: The combined paper's name (without suffix), printed first.
INDEX = "index"
#: URL schemes a paper may load while printing; any other request is aborted.
LOCAL_SCHEMES = ("file:", "data:")
#: Chromium's flags: no sandbox (root, as in a container), no GPU, and none of its background
#: connections, which a closed network would refuse.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Milliseconds one paper may take to load, settle and print (the combined paper is the longest).
PRINT_TIMEOUT_MS = 180_000
#: Page footer: page number and page count (the page size and margins come from ``@page``).
FOOTER = ('<div style="width:100%; font-size:8px; color:#555; text-align:center; '
          'font-family:sans-serif;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>')

#: Runs in the page before printing: makes every image load now, waits until each has decoded
#: and every font in use has loaded, and reports the images and fonts that failed.
_SETTLE = r"""
async () => {
  const imgs = [...document.images];
  for (const img of imgs) { if (img.loading === 'lazy') img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  return {
    broken: imgs.filter(img => !(img.complete && img.naturalWidth > 0))
      .map(img => img.alt || (img.getAttribute('src') || '').slice(0, 60)),
    fonts: [...document.fonts].filter(f => f.status === 'error').map(f => f.family),
  };
}
"""


class PdfError(CarbonlibError, RuntimeError):
    """The papers cannot be printed (none built, no browser) or a paper failed to print."""


def chromium_path() -> str:
    """The system Chromium's executable.

    Returns
    -------
    str
        ``chromium`` (or ``chromium-browser``) on ``PATH``, else ``/usr/bin/chromium``.

    Raises
    ------
    FileNotFoundError
        If none is installed, naming the package to install.
    """
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    raise FileNotFoundError(
        "chromium: no executable on PATH or at /usr/bin/chromium; install Debian's package: "
        "apt-get install -y --no-install-recommends chromium (make browser, which make test runs, "
        "does it as root or with password-less sudo)"
    )


def pdf_dir(lang: str = "en") -> Path:
    """Where an edition's PDFs go: ``build/pdf/`` for English, ``build/<lang>/pdf/`` otherwise."""
    return paths.edition_dir(lang) / PDF_DIR


@dataclass
class Printed:
    """One PDF written (or found up to date)."""

    paper: Path
    pdf: Path
    seconds: float
    skipped: bool = False


def papers(lang: str = "en") -> list[Path]:
    """The papers of an edition to print: the combined paper first, then each workbook's.

    Parameters
    ----------
    lang : {"en", "zh-TW"}
        The edition.

    Returns
    -------
    list of Path
        ``html/index.html`` and ``html/<notebook>.html`` for every workbook in ``notebooks/``,
        in order.

    Raises
    ------
    PdfError
        If the edition's paper folder, or any of those papers, is missing (the papers are
        built by ``make``).
    """
    from .build import notebooks

    folder = paths.edition_dir(lang) / PAPERS_DIR
    how = "make" if lang == "en" else f"make (or python -m carbonlib build --lang {lang})"
    if not folder.is_dir():
        raise PdfError(f"no papers built yet: {folder} is missing; run `{how}` first")
    wanted = [folder / f"{INDEX}.html"] + [folder / f"{nb.stem}.html" for nb in notebooks()]
    missing = [p.name for p in wanted if not p.is_file()]
    if missing:
        raise PdfError(f"papers not built yet in {folder}: {', '.join(missing)}; run `{how}` first")
    return wanted


def print_paper(browser, paper: Path, target: Path) -> Path:
    """Print one paper to ``target`` (A4, the paper's print stylesheet, written atomically).

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        A launched Chromium.
    paper : Path
        The HTML paper.
    target : Path
        The PDF to write.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    PdfError
        If an image of the paper does not decode or a font fails to load; ``target`` is left
        as it was.
    """
    context = browser.new_context()
    try:
        context.route(lambda url: not url.startswith(LOCAL_SCHEMES), lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(PRINT_TIMEOUT_MS)
        page.goto(paper.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        seen: dict[str, Any] = page.evaluate(_SETTLE)
        faults = [f"image not decoded: {b!r}" for b in seen["broken"]]
        faults += [f"font failed to load: {f}" for f in seen["fonts"]]
        if faults:
            raise PdfError(f"{paper}: not printed, " + "; ".join(faults))
        data = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True,
                        display_header_footer=True, header_template="<span></span>",
                        footer_template=FOOTER)
    finally:
        context.close()
    return atomic_write(target, lambda tmp: tmp.write_bytes(data))


def _up_to_date(paper: Path, target: Path) -> bool:
    return target.is_file() and target.stat().st_mtime >= paper.stat().st_mtime


def print_edition(browser, lang: str = "en", out_dir: Path | None = None, force: bool = False,
                  say=None) -> list[Printed]:
    """Print every paper of one edition.

    Parameters
    ----------
    browser : playwright.sync_api.Browser or None
        A launched Chromium (``None`` will do when every PDF is up to date).
    lang : {"en", "zh-TW"}
        The edition.
    out_dir : Path, optional
        Folder for the PDFs (default :func:`pdf_dir`).
    force : bool
        Print even a paper whose PDF is newer than the paper.
    say : callable, optional
        Called with one line per PDF.

    Returns
    -------
    list of Printed
    """
    out = out_dir if out_dir is not None else pdf_dir(lang)
    done: list[Printed] = []
    for paper in papers(lang):
        target = out / f"{paper.stem}.pdf"
        start = time.monotonic()
        skipped = not force and _up_to_date(paper, target)
        if not skipped:
            print_paper(browser, paper, target)
        done.append(Printed(paper, target, time.monotonic() - start, skipped))
        if say is not None:
            rel = os.path.relpath(target, paths.ROOT) if target.is_relative_to(paths.ROOT) else str(target)
            say(f"{rel}: up to date" if skipped else f"{rel}: printed ({done[-1].seconds:.1f} s)")
    return done


def print_pdfs(langs: list[str] | None = None, out_dirs: dict[str, Path] | None = None,
               force: bool = False, say=None) -> list[Printed]:
    """Print both editions (or those in ``langs``) with one browser.

    Parameters
    ----------
    langs : list of str, optional
        Editions to print (default: every one in :data:`carbonlib.workbench.i18n.LANGS`).
    out_dirs : dict, optional
        Per edition, a folder for its PDFs instead of :func:`pdf_dir`.
    force : bool
        Print even the papers whose PDF is up to date.
    say : callable, optional
        Called with one line per PDF.

    Returns
    -------
    list of Printed

    Raises
    ------
    PdfError
        If an edition has no papers, Chromium or Playwright is missing, or a paper fails to print.
    """
    langs = list(langs or LANGS)
    targets = {lang: (out_dirs or {}).get(lang) or pdf_dir(lang) for lang in langs}
    # every edition's papers are there before the browser starts, and it starts only if needed
    if not force and all(_up_to_date(paper, targets[lang] / f"{paper.stem}.pdf")
                         for lang in langs for paper in papers(lang)):
        return [item for lang in langs for item in print_edition(None, lang, targets[lang], say=say)]
    try:
        executable = chromium_path()
    except FileNotFoundError as exc:
        raise PdfError(str(exc)) from None
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfError("playwright is not installed in this environment; run `make setup` "
                       "(it installs the dev extra, which has it)") from None
    done: list[Printed] = []
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise PdfError(f"chromium did not start: {first}") from None
        try:
            for lang in langs:
                done += print_edition(browser, lang, out_dir=targets[lang], force=force, say=say)
        except PlaywrightError as exc:
            raise PdfError(f"printing failed: {str(exc).strip().splitlines()[0]}") from None
        finally:
            browser.close()
    return done


def run_cli(args: Any) -> int:
    """Entry point of ``python -m carbonlib pdf``."""

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    start = time.monotonic()
    try:
        done = print_pdfs([args.lang] if args.lang else None, force=args.force, say=say)
    except PdfError as exc:
        say(f"error: {exc}")
        return 1
    printed = sum(not d.skipped for d in done)
    say(f"{printed} PDF(s) printed, {len(done) - printed} up to date, in {time.monotonic() - start:.1f} s")
    return 0


__all__ = ["CHROMIUM_ARGS", "PdfError", "Printed", "chromium_path", "papers", "pdf_dir", "print_edition",
           "print_paper", "print_pdfs", "run_cli"]
