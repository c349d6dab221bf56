# Sourced by the ensure-*.sh scripts: the one way they install a missing Debian package.
# can_apt: whether we may (root, with apt-get). apt_install PACKAGE...: update the lists and
# install, quietly; under the caller's `set -e` a failure of apt-get stops the caller.
can_apt() {
    [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1
}

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
