#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser checks (tests/test_browser.py,
# tests/test_lab.py); `make test` runs this first. Installs it with apt-get only when it is
# missing: as root, or through password-less sudo. Otherwise says what to ask for and returns 0,
# so that every other test still runs and the browser tests fail naming the package.
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
   || [ -x /usr/bin/chromium ]; then
  exit 0
fi
install() {  # "$@": nothing, or sudo -n; apt's progress goes to /dev/null, its errors to stderr
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    && "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}
how="apt-get install -y --no-install-recommends chromium"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make test: chromium is missing and there is no apt-get here; install Chromium so that" \
       "'chromium' is on PATH, or the browser tests will fail" >&2
elif [ "$(id -u)" = 0 ]; then
  echo "make test: installing chromium for the browser tests ($how)"
  install || echo "make test: '$how' failed; the browser tests will fail" >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "make test: installing chromium for the browser tests (sudo $how)"
  install sudo -n || echo "make test: 'sudo $how' failed; the browser tests will fail" >&2
else
  echo "make test: chromium is missing, and this user is not root and cannot sudo without a" \
       "password; ask an administrator for: $how (the browser tests fail until then)" >&2
fi
exit 0
