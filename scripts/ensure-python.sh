#!/bin/sh
# What the Makefile needs before it can set anything up: make itself, and a Python that can
# create a venv (Debian ships ensurepip apart, in python3-venv). A fresh Debian 12 has
# neither: install them where we may (root with apt-get), otherwise say in one line how to.
# Usage: ensure-python.sh [PYTHON]   (default python3)
set -e
python=${1:-python3}
missing=""
command -v make >/dev/null 2>&1 || missing="$missing make"
if ! command -v "$python" >/dev/null 2>&1; then
    missing="$missing python3 python3-venv"
elif ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing="$missing python3-venv"
fi
[ -z "$missing" ] && exit 0
. "${0%/*}/apt.sh"
if can_apt; then
    echo "not found:$missing: installing with apt-get" >&2
    # shellcheck disable=SC2086 # one word per package
    apt_install $missing
    exit 0
fi
echo "error: archgen's set-up needs$missing: sudo apt-get install$missing (Debian/Ubuntu)" >&2
exit 1
