#!/usr/bin/env bash
# Installs everything reslib needs on a fresh Debian/Ubuntu machine; safe to run again.
#   scripts/setup.sh          the engine, the web server and the test tools
# System packages: PyICU compiles against the system ICU (libicu-dev, found by pkg-config);
# the browser tests drive Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_missing=()
command -v pkg-config >/dev/null 2>&1 || apt_missing+=(pkg-config)
pkg-config --exists icu-i18n 2>/dev/null || apt_missing+=(libicu-dev)
command -v g++ >/dev/null 2>&1 || apt_missing+=(g++)
# 'reslib publish HOST:PATH' copies with rsync; the replica test and benchmark put HAProxy in
# front of two replicas.
command -v rsync >/dev/null 2>&1 || apt_missing+=(rsync)
command -v haproxy >/dev/null 2>&1 || apt_missing+=(haproxy)
# Scanned PDFs are read with Tesseract (Burmese and English models), their pages rendered
# with poppler's pdftoppm (reslib.importers.ocr).
command -v tesseract >/dev/null 2>&1 || apt_missing+=(tesseract-ocr)
dpkg -s tesseract-ocr-mya >/dev/null 2>&1 || apt_missing+=(tesseract-ocr-mya)
dpkg -s tesseract-ocr-eng >/dev/null 2>&1 || apt_missing+=(tesseract-ocr-eng)
command -v pdftoppm >/dev/null 2>&1 || apt_missing+=(poppler-utils)
if [ "${RESLIB_SKIP_BROWSER:-0}" != 1 ]; then
  command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
  # A Myanmar font, so pages (and the browser tests' screenshots) render Burmese.
  dpkg -s fonts-sil-padauk >/dev/null 2>&1 || apt_missing+=(fonts-sil-padauk)
  # npm fetches axe-core, the accessibility rules the browser tests run (below).
  command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing system packages: ${apt_missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,web]"

# axe-core (Deque's accessibility rules) for the browser tests, pinned, from the npm registry.
if [ "${RESLIB_SKIP_BROWSER:-0}" != 1 ] && [ ! -f tests/.axe/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix tests/.axe axe-core@4.14.1
fi
