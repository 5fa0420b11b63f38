#!/bin/sh
# Install what lockstep needs from Debian, then configure and build it.
#   sh bootstrap.sh            build in this directory
#   sh bootstrap.sh --werror   the same, with warnings as errors (CI)
# Runs apt-get as root, or through sudo when you are not root.
set -eu
cd "$(dirname "$0")"

packages="build-essential autoconf automake pkg-config
          gettext autopoint libncurses-dev libcyaml-dev libyaml-dev libcmocka-dev
          tmux python3 python3-yaml python3-jsonschema procps strace"

if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bootstrap: installing:$missing"
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi

configure_flags=
[ "${1:-}" = --werror ] && configure_flags=--enable-werror

./autogen.sh
./configure $configure_flags
make -j"$(nproc)"
echo "bootstrap: built src/lockstep"
