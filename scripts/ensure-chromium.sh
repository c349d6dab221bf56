#!/bin/sh
# The gallery test opens output/index.html in a headless browser. Debian's `chromium` is
# installed where we may (root with apt-get); a Chrome or Chromium already on PATH will do.
set -e
for browser in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$browser" >/dev/null 2>&1; then
        exit 0
    fi
done
. "${0%/*}/apt.sh"
if can_apt; then
    echo "Chromium not found: installing it with apt-get (for the gallery test)" >&2
    apt_install chromium fonts-dejavu-core
    command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "error: the gallery test needs Chromium: sudo apt-get install chromium (Debian), sudo apt-get install chromium-browser (Ubuntu), brew install --cask chromium (macOS)" >&2
exit 1
