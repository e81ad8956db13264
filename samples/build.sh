#!/usr/bin/env bash
# Rebuilds every image in samples/ from scratch, reproducibly (same bytes on every run with the
# same Debian packages), with Debian's umoci and skopeo plus GNU tar, zstd, sha256sum and
# /usr/bin/python3 -- deliberately never with imgslim's own code, so imgslim's tests read
# images it did not write. See samples/README.md for what each image contains.
#
# Usage: sudo samples/build.sh        (root: umoci keeps owners, modes and xattrs only as root)
# Then:  sudo samples/verify.sh       (checks every documented fact with independent tools)
set -euo pipefail

export SOURCE_DATE_EPOCH=1700000000 # 2023-11-14T22:13:20Z: every mtime and "created" time
export TZ=UTC LC_ALL=C
umask 022

samples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$samples")
native=$repo/native/build
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
work=$(mktemp -d /tmp/samples-build.XXXXXX)
trap 'rm -rf "$work"' EXIT

for tool in umoci skopeo tar zstd sha256sum make gcc musl-gcc busybox /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is required" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (umoci unpack/repack)" >&2; exit 1; }
make -s -C "$repo/native" glibc musl static static-pie static-musl

# --- helpers ------------------------------------------------------------------------------------

# Sets every mtime under $1 (symlinks too) to SOURCE_DATE_EPOCH.
stamp() { find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +; }

# new_image LAYOUT TAG: an empty image (no layers) with a fixed creation time.
new_image() {
  umoci init --layout "$1"
  umoci new --image "$1:$2"
  umoci config --image "$1:$2" --created "$created" --no-history
}

# unpack IMAGE BUNDLE: the image's filesystem into BUNDLE/rootfs, to edit and then repack.
unpack() { umoci unpack --image "$1" "$2"; }

# repack IMAGE BUNDLE CREATED_BY: one gzip layer holding the changes made under BUNDLE/rootfs.
repack() {
  stamp "$2/rootfs"
  umoci repack --image "$1" --history.created "$created" --history.created_by "$3" "$2"
  rm -rf "$2"
}

# configure IMAGE CREATED_BY ARGS...: changes the config; adds an empty_layer history entry.
configure() {
  local image=$1 created_by=$2
  shift 2
  umoci config --image "$image" --created "$created" \
    --history.created "$created" --history.created_by "$created_by" "$@"
}

# retar IN OUT: GNU tar rewrite of an archive skopeo wrote, with member mtimes set to
# SOURCE_DATE_EPOCH (skopeo 1.9 stamps the members of an oci-archive with the current time).
retar() {
  local dir=$work/retar
  rm -rf "$dir" && mkdir "$dir"
  tar -xf "$1" -C "$dir"
  (cd "$dir" && tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=root:0 --group=root:0 \
    --numeric-owner --format=ustar -cf "$2" blobs index.json oci-layout)
  rm -rf "$dir"
}

# to_oci_archive LAYOUT TAG OUT
to_oci_archive() {
  rm -f "$work/skopeo.tar" "$3"
  skopeo copy -q "oci:$1:$2" "oci-archive:$work/skopeo.tar:$2"
  retar "$work/skopeo.tar" "$3"
}

# to_docker_archive LAYOUT TAG OUT REPO_TAG (skopeo's docker-archive is reproducible as is).
to_docker_archive() {
  rm -f "$3"
  skopeo copy -q "oci:$1:$2" "docker-archive:$3:$4"
}

# --- the images ---------------------------------------------------------------------------------
source "$samples/tools/images.sh"
source "$samples/tools/layers.sh"

build_glibc_dynamic
build_musl_dynamic
build_static_oci
build_layers
build_glibc_apps
echo "build.sh: rebuilt samples:"
(cd "$samples" && sha256sum glibc-dynamic.tar musl-dynamic.tar layers.tar glibc-apps.tar static-oci/index.json)
