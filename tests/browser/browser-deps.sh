#!/usr/bin/env bash
# What the browser tests need, installed only where missing (`make browser-deps` runs this; it is
# quick when everything is there):
#   - Debian's Chromium, a Korean font (Nanum) and poppler-utils, with apt-get, as root or with `sudo -n`;
#     for `make pdf` also poppler-utils (pdftohtml, pdffonts, pdftoppm) and fonts-nanum (TrueType
#     Hangul that the PDF embeds);
#   - MathJax and axe-core from the npm registry, at the exact versions and hashes of
#     package-lock.json, into tests/browser/node_modules (ignored by git), by fetch_npm.py: no
#     Node.js or npm is needed for two dependency-free packages.
# Playwright's own browser download is never used: the tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"

chromium=${CHROMIUM:-/usr/bin/chromium}
missing=()
[[ -x $chromium ]] || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)  # `make pdf`: pdftohtml, pdffonts, pdftoppm
# Hangul for the screenshots and the PDF: Nanum's TrueType fonts (10 MB; the PDF needs TrueType,
# see tools/zerotoall_book/pdf.py), enough for both, so the 57 MB Noto CJK set is not installed.
if ! command -v fc-list >/dev/null || [[ -z $(fc-list :family=NanumBarunGothic family 2>/dev/null) ]]; then
  missing+=(fonts-nanum)
fi

if (( ${#missing[@]} )); then
  if [[ $(id -u) == 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "browser-deps: missing Debian packages: ${missing[*]}" >&2
    echo "  install them as root:  apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "  (this script needs root or password-less sudo to do it itself)" >&2
    exit 1
  fi
  echo "browser-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ -x $chromium ]] || { echo "browser-deps: $chromium still missing after the install" >&2; exit 1; }

if ! cmp -s package-lock.json node_modules/.installed-package-lock.json; then
  echo "browser-deps: MathJax and axe-core from the npm registry (package-lock.json)"
  python3 fetch_npm.py
  cp package-lock.json node_modules/.installed-package-lock.json
fi
