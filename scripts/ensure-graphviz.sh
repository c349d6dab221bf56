#!/bin/sh
# Graphviz's `dot` draws every diagram. Install it where we may (root on Debian/Ubuntu),
# otherwise say in one line how to.
set -e
if command -v dot >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Graphviz not found: installing it with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends graphviz fonts-dejavu-core >/dev/null
    command -v dot >/dev/null 2>&1 && exit 0
fi
echo "error: Graphviz's dot is needed: sudo apt-get install graphviz (Debian/Ubuntu), sudo dnf install graphviz (Fedora), brew install graphviz (macOS)" >&2
exit 1
