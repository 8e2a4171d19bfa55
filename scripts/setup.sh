#!/usr/bin/env bash
# Install everything Crampwise needs on a fresh Debian machine, idempotently.
#   scripts/setup.sh          runtime: a virtualenv with Crampwise and its extras (web, PDF, PostgreSQL)
#   scripts/setup.sh --dev    also test tools, Debian's chromium and poppler-utils, and a running PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
dev=0
[ "${1:-}" = "--dev" ] && dev=1
PY=${PYTHON:-python3}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

apt_missing=()
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || apt_missing+=("$1"); }
# WeasyPrint renders PDFs with Pango; fonts make the report readable.
need_pkg libpango-1.0-0
need_pkg libpangoft2-1.0-0
need_pkg fonts-dejavu-core
if [ "$dev" = 1 ]; then
  need_pkg chromium          # the real browser the end-to-end tests drive (Playwright, executable_path)
  need_pkg poppler-utils     # pdftoppm: the report tests rasterise the PDF
fi
if [ ${#apt_missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian packages: ${apt_missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$dev" = 1 ]; then
  .venv/bin/pip install -q -e '.[all,dev]'
else
  .venv/bin/pip install -q -e '.[all]'
fi

# Bytecode, once: with PYTHONDONTWRITEBYTECODE set (as on our machines) Python never writes .pyc files, so
# every `crampwise` start would recompile the project's sources (~40 ms). pip has already compiled the
# dependencies; a .pyc made stale by a later edit is simply ignored.
.venv/bin/python -m compileall -q -j 0 src/crampwise >/dev/null

if [ "$dev" = 1 ]; then
  # The PostgreSQL store tests run against the real server on 127.0.0.1:5432.
  if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
  fi
fi
echo "setup: done ($(.venv/bin/crampwise --version))"
