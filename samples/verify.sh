#!/usr/bin/env bash
# Checks every fact samples/README.md states about the sample images, with tools independent of
# imgslim: skopeo reads each format and copies it to an OCI layout, umoci unpack applies the
# layers and whiteouts, find/stat/readelf/tar/python3 read the result, and chroot runs each
# entrypoint. Prints "ok"/"FAIL" per fact; exits 1 if any fact fails.
#
# Usage: sudo samples/verify.sh          (root: umoci unpack and chroot)
set -uo pipefail
export LC_ALL=C

samples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/samples-verify.XXXXXX")
trap 'umount "$work"/*-bundle/rootfs/proc 2>/dev/null; rm -rf --one-file-system "$work"' EXIT
for tool in umoci skopeo tar readelf chroot /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "verify.sh: $tool is required" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "verify.sh: run as root (umoci unpack, chroot)" >&2; exit 2; }

failures=0
# check DESCRIPTION EXPECTED ACTUAL
check() {
  if [ "$2" == "$3" ]; then
    echo "ok   $1"
  else
    echo "FAIL $1"
    echo "     expected: $2"
    echo "     actual:   $3"
    failures=$((failures + 1))
  fi
}

# rootfs_of TRANSPORT:PATH NAME: unpacks the image with skopeo + umoci; prints the rootfs path.
# Layers are recompressed to gzip on the way, since umoci 0.4 cannot read zstd.
rootfs_of() {
  skopeo copy -q --dest-compress --dest-compress-format gzip "$1" "oci:$work/$2:latest" >&2
  umoci unpack --image "$work/$2:latest" "$work/$2-bundle" >&2
  echo "$work/$2-bundle/rootfs"
}

# json EXPRESSION: a Python expression over the JSON document `d` read from stdin, as JSON.
json() { /usr/bin/python3 -c "import json, sys; d = json.load(sys.stdin); print(json.dumps($1))"; }

# elf FILE: "TYPE interp=... needed=a,b soname=... rpath=... runpath=..." from readelf.
elf() {
  local type interp needed soname rpath runpath
  type=$(readelf -h "$1" | awk '/Type:/ {print $2}')
  interp=$(readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
  needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | paste -sd, -)
  soname=$(readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  rpath=$(readelf -d "$1" | sed -n 's/.*(RPATH).*\[\(.*\)\]/\1/p')
  runpath=$(readelf -d "$1" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  echo "$type interp=$interp needed=$needed soname=$soname rpath=$rpath runpath=$runpath"
}

# run ROOTFS USERSPEC ARGS...: runs ARGS in a chroot; prints stdout then "exit=N".
run() {
  local root=$1 user=$2 out status
  shift 2
  out=$(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ${HELLO_EXIT:+HELLO_EXIT=$HELLO_EXIT} \
    chroot --userspec="$user" "$root" "$@" 2>&1)
  status=$?
  printf '%s exit=%s' "$out" "$status"
}

source "$samples/tools/verify-small.sh"
source "$samples/tools/verify-layers.sh"
source "$samples/tools/verify-apps.sh"

verify_glibc_dynamic
verify_musl_dynamic
verify_static_oci
verify_layers
verify_glibc_apps

if [ "$failures" -gt 0 ]; then
  echo "verify.sh: $failures fact(s) FAILED"
  exit 1
fi
echo "verify.sh: every fact holds"
