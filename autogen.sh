#!/bin/sh
# Make configure and the Makefile.in files (they are not kept in git).
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --install --force
# automake does not copy its TAP driver on its own.
am=$(automake --print-libdir)
cp -f "$am/tap-driver.sh" build-aux/tap-driver.sh
