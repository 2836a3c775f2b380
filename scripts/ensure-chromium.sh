#!/usr/bin/env bash
# The browser tests (test/browser) drive Debian's Chromium through playwright-core, which downloads
# no browser of its own. Installs it when it is missing; prints where it is. Used by .ci/run.
set -euo pipefail

browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  echo "chromium: $browser"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
    echo "chromium is missing and this user cannot install it: apt-get install chromium (as root)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet; an install from stale lists is tried first.
if ! "${as_root[@]}" apt-get install -y -qq chromium >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq chromium
fi
echo "chromium: $(command -v chromium)"
