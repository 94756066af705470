#!/bin/sh
# Builds secretscan's Debian package from a source tree, after installing the build's
# dependencies with apt-get (through sudo when not root). Prints the .deb's path on stdout; the
# build's own output goes to stderr. The GitHub Action (action.yml) and the GitLab template
# (ci/gitlab/secretscan.gitlab-ci.yml) run it when they are given no .deb.
#
# usage: build-deb.sh SOURCE_DIR BUILD_DIR      (Debian 12, or an Ubuntu with the same packages)
set -eu
source_dir=${1:?usage: build-deb.sh SOURCE_DIR BUILD_DIR}
build_dir=${2:?usage: build-deb.sh SOURCE_DIR BUILD_DIR}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# gettext: msgfmt compiles the message catalogues; file and dpkg-dev: CPack reads the binary's
# shared libraries into Depends. Hyperscan is optional and packaged for amd64 only.
packages="cmake ninja-build g++ pkg-config git gettext wamerican file dpkg-dev
  libgit2-dev libre2-dev libcli11-dev libyaml-cpp-dev nlohmann-json3-dev libtomlplusplus-dev libdeflate-dev libjemalloc-dev libmbedtls-dev libsqlite3-dev"
[ "$(dpkg --print-architecture)" != amd64 ] || packages="$packages libhyperscan-dev"
as_root apt-get update -qq >&2
# shellcheck disable=SC2086 # one package a word
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >&2

cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSECRETSCAN_BUILD_TESTS=OFF >&2
cmake --build "$build_dir" >&2
(cd "$build_dir" && cpack -G DEB) >&2
# shellcheck disable=SC2012 # package file names are plain
ls -t "$build_dir"/secretscan_*.deb | head -n 1 # the newest, should the folder hold an older one
