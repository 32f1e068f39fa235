#!/usr/bin/env bash
# Builds the Debian packages into DIST_DIR (default dist/) from a CMake build
# tree that is already built, with debhelper (packaging/debian/):
#   dlpd      /usr/bin/dlpd, the plugins (/usr/lib/dlpd/plugins), the starter
#             rule packs (/usr/share/dlpd), /etc/dlpd/dlpd.yaml and
#             /etc/dlpd/dlpd.env (conffiles), the dlpd.service unit, and the
#             dlpd system user with /var/lib/dlpd, made by its postinst;
#   dlpd-dev  the plugin SDK: headers, the CMake package dlpd-sdk and
#             dlpd-plugin-check.
#
#   usage: scripts/package.sh [BUILD_DIR [DIST_DIR]]
#
# BUILD_DIR defaults to build-release/, which is configured and built here
# (Release, like scripts/run.sh) when it holds no dlpd yet; any other build
# tree must be built already (e.g. build/, which the tests package). Needs
# dpkg-dev, debhelper and fakeroot (scripts/debian-packages.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build_arg=${1:-build-release}
dist=${2:-$src/dist}

die() {
    echo "package.sh: $*" >&2
    exit 1
}

for tool in dpkg-buildpackage dh fakeroot; do
    command -v "$tool" >/dev/null || die "$tool is missing: apt-get install dpkg-dev debhelper fakeroot"
done
if [[ $build_arg == build-release && ! -x $build_arg/bin/dlpd ]]; then
    cmake --preset release
    cmake --build --preset release
fi
[[ -d $build_arg ]] || die "no build tree at $build_arg: configure and build it first (cmake --preset default && cmake --build build)"
build=$(cd "$build_arg" && pwd)
for file in bin/dlpd bin/dlpd-plugin-check CMakeCache.txt; do
    [[ -e $build/$file ]] || die "$build/$file is missing: build the tree first (cmake --build $build_arg)"
done

# The packages install under /usr with the plugins in /usr/lib/dlpd/plugins,
# which is what a tree configured for the default prefix (/usr/local, so
# CMAKE_INSTALL_LIBDIR=lib) gives when installed with --prefix /usr. A tree
# configured with the multiarch libdir would put them elsewhere.
cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
libdir=$(cache_value CMAKE_INSTALL_LIBDIR)
[[ $libdir == lib ]] || die "$build has CMAKE_INSTALL_LIBDIR=$libdir; the packages need lib (configure without -DCMAKE_INSTALL_PREFIX=/usr)"
version=$(cache_value CMAKE_PROJECT_VERSION)
changelog_version=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
[[ $version == "$changelog_version" ]] ||
    die "the project is version $version but packaging/debian/changelog's newest entry is $changelog_version: add an entry (dch -v $version)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
tree=$stage/dlpd-$version
mkdir -p "$tree/sdk"
cp -r packaging/debian "$tree/debian"
cp README.md "$tree/"
cp sdk/README.md "$tree/sdk/"

# /etc/dlpd/dlpd.yaml: config/dlpd.yaml (every key, commented) with the
# packaged paths. Each line replaced must be there exactly once, so a change
# to config/dlpd.yaml that moves one stops the build instead of shipping the
# working-directory defaults.
config=$tree/debian/dlpd.yaml
{
    echo "# /etc/dlpd/dlpd.yaml, installed by the dlpd package (a conffile: your edits are kept on upgrade)."
    echo "# dlpd.service runs \`dlpd run --config /etc/dlpd/dlpd.yaml\` as the dlpd user in /var/lib/dlpd."
    echo "# Secrets go in /etc/dlpd/dlpd.env (mode 0600), never here. Packaged paths: plugins in"
    echo "# /usr/lib/dlpd/plugins, the starter rule packs in /usr/share/dlpd, the SQLite store and the key"
    echo "# that seals message texts in /var/lib/dlpd. After an edit: systemctl restart dlpd"
    echo "#"
    cat config/dlpd.yaml
} >"$config"
set_line() {
    local count
    count=$(grep -cxF -- "$1" "$config" || true)
    [[ $count == 1 ]] || die "config/dlpd.yaml: expected the line '$1' once, found it $count time(s)"
    awk -v old="$1" -v new="$2" '$0 == old { print new; next } { print }' "$config" >"$config.new"
    mv "$config.new" "$config"
}
set_line '  dirs: []' '  dirs: [/usr/lib/dlpd/plugins]'
set_line '  pack: ""' '  pack: /usr/share/dlpd/patterns.yaml'
set_line '  url: ${DLPD_DATABASE_URL:-sqlite:dlpd.db}' '  url: ${DLPD_DATABASE_URL:-sqlite:/var/lib/dlpd/dlpd.db}'
set_line '  key_file: ""' '  key_file: /var/lib/dlpd/dlpd.key'
grep -qxF '  listen: 127.0.0.1:8080' "$config" || die "config/dlpd.yaml: the admin no longer listens on 127.0.0.1:8080 by default"

# Debug symbols are left out (noddebs) unless DEB_BUILD_OPTIONS says otherwise.
(cd "$tree" && DLPD_BUILD_DIR=$build DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-noddebs} \
    dpkg-buildpackage -b -us -uc --no-check-builddeps >"$stage/build.log" 2>&1) || {
    tail -n 40 "$stage/build.log" >&2
    die "dpkg-buildpackage failed (the last 40 lines of its output are above)"
}
mkdir -p "$dist"
shopt -s nullglob
debs=("$stage"/*.deb)
[[ ${#debs[@]} -gt 0 ]] || die "dpkg-buildpackage made no package"
for deb in "${debs[@]}"; do
    mv "$deb" "$dist/"
    echo "$dist/$(basename "$deb")"
done
