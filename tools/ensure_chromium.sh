#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser checks (tests/test_browser.py,
# tests/test_lab.py), and poppler-utils (pdftoppm, pdftotext) for the PDF checks
# (tests/test_pdf.py); `make test` runs this first. Installs what is missing with apt-get, and
# only what is missing: as root, or through password-less sudo. Otherwise says what to ask for
# and returns 0, so that every other test still runs and the tests that need it fail naming the
# package.
set -u
missing=()
if ! { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
       || [ -x /usr/bin/chromium ]; }; then
  missing+=(chromium)
fi
if ! { command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; }; then
  missing+=(poppler-utils)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
what="${missing[*]}"
install() {  # "$@": nothing, or sudo -n; apt's progress goes to /dev/null, its errors to stderr
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    && "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
how="apt-get install -y --no-install-recommends $what"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make test: not installed: $what, and there is no apt-get here; install them so that 'chromium'," \
       "'pdftoppm' and 'pdftotext' are on PATH, or the browser and PDF tests will fail" >&2
elif [ "$(id -u)" = 0 ]; then
  echo "make test: installing $what for the browser and PDF tests ($how)"
  install || echo "make test: '$how' failed; the browser and PDF tests will fail" >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "make test: installing $what for the browser and PDF tests (sudo $how)"
  install sudo -n || echo "make test: 'sudo $how' failed; the browser and PDF tests will fail" >&2
else
  echo "make test: not installed: $what, and this user is not root and cannot sudo without a" \
       "password; ask an administrator for: $how (the browser and PDF tests fail until then)" >&2
fi
exit 0
