#!/bin/sh
# Graphviz's `dot` draws every diagram. Install it where we may (root on Debian/Ubuntu),
# otherwise say in one line how to.
set -e
if command -v dot >/dev/null 2>&1; then
    exit 0
fi
. "${0%/*}/apt.sh"
if can_apt; then
    echo "Graphviz not found: installing it with apt-get" >&2
    apt_install graphviz fonts-dejavu-core
    command -v dot >/dev/null 2>&1 && exit 0
fi
echo "error: Graphviz's dot is needed: sudo apt-get install graphviz (Debian/Ubuntu), sudo dnf install graphviz (Fedora), brew install graphviz (macOS)" >&2
exit 1
