# Sourced by samples/build.sh (which defines the helpers and $samples, $native, $work).
# layers.tar: an OCI archive whose layers exercise every layer-merging rule. OCI archive
# because it is the format that carries a zstd layer (application/vnd.oci.image.layer.v1.tar+zstd).

# Deterministic filler text: $1 bytes of the line $2 repeated.
filler() { { yes "$2" || true; } | head -c "$1"; }

# security.capability v2 for cap_net_bind_service=ep (struct vfs_cap_data, little endian).
set_cap_net_bind_service() {
  /usr/bin/python3 -c 'import os, struct, sys
os.setxattr(sys.argv[1], "security.capability", struct.pack("<5I", 0x02000001, 1 << 10, 0, 0, 0))' "$1"
}

# Layer 1: busybox with its applet symlinks and the fixtures later layers change.
layers_base() {
  local root=$1 applet
  mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/var/cache"
  install -m 0755 /usr/bin/busybox "$root/bin/busybox"
  for applet in $(busybox --list-full | sort); do
    [ "$applet" = bin/busybox ] && continue
    if [ "$applet" = bin/sh ]; then ln -s busybox "$root/bin/sh"; else ln -s /bin/busybox "$root/$applet"; fi
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  install -d -m 1777 "$root/tmp"

  mkdir -p "$root/data/dir-to-remove/nested" "$root/data/dir-becomes-file" "$root/opt/opaque/sub" \
    "$root/data/hardlinks" "$root/data/overwrite" "$root/srv" "$root/links" "$root/usr/local/bin"
  echo "kept in every layer" >"$root/data/keep.txt"
  echo "removed by a file whiteout in layer 2" >"$root/data/remove-me.txt"
  echo "a" >"$root/data/dir-to-remove/a.txt"
  echo "b" >"$root/data/dir-to-remove/b.txt"
  echo "c" >"$root/data/dir-to-remove/nested/c.txt"
  echo "old 1" >"$root/opt/opaque/old-1.txt"
  echo "old 2" >"$root/opt/opaque/old-2.txt"
  echo "old 3" >"$root/opt/opaque/sub/old-3.txt"
  echo "a file until layer 4 makes it a directory" >"$root/data/file-becomes-dir"
  echo "x" >"$root/data/dir-becomes-file/x.txt"
  echo "y" >"$root/data/dir-becomes-file/y.txt"

  echo "four names, one inode" >"$root/data/hardlinks/one"
  ln "$root/data/hardlinks/one" "$root/data/hardlinks/two"
  ln "$root/data/hardlinks/one" "$root/data/hardlinks/three"
  ln "$root/data/hardlinks/one" "$root/srv/also-one"
  echo "original bytes" >"$root/data/overwrite/a-original"
  ln "$root/data/overwrite/a-original" "$root/data/overwrite/b-link"

  ln -s b "$root/links/a"
  ln -s /links/c "$root/links/b"
  ln -s ../bin/busybox "$root/links/c"
  ln -s /does/not/exist "$root/links/dangling"
  ln -s loop-2 "$root/links/loop-1"
  ln -s loop-1 "$root/links/loop-2"
  ln -s /data "$root/links/to-dir"

  install -m 4755 "$native/static-musl/hello" "$root/usr/local/bin/suid-hello"
  filler 2097152 "imgslim sample: version 1 of a big file that layer 2 replaces" >"$root/var/cache/big.bin"
}

# Layer 2 (umoci repack): deletions, which umoci writes as a file whiteout and one
# whole-directory whiteout, and a replaced big file (the first copy becomes wasted bytes).
layers_update() {
  local root=$1
  rm "$root/data/remove-me.txt"
  rm -r "$root/data/dir-to-remove"
  rm "$root/var/cache/big.bin"
  filler 2097152 "imgslim sample: version 2 of the big file, the only one left" >"$root/var/cache/big.bin"
}

# Layer 3 source (GNU tar, then umoci raw add-layer): what umoci cannot write correctly.
# umoci repack writes no opaque whiteouts, re-emits every name of a hard-link group whose link
# count changed, and umoci 0.4.7's insert leaves its tar without the end-of-archive blocks
# (umoci issue #436, fixed in 0.5). So, by hand: an opaque directory, a directory replacing a
# file and a file replacing a directory (both without whiteouts), and a new inode for the
# name that layer 1's hard link points to.
layers_replace() {
  local dir=$1
  mkdir -p "$dir/opt/opaque" "$dir/data/file-becomes-dir" "$dir/data/overwrite"
  : >"$dir/opt/opaque/.wh..wh..opq"
  echo "the only entry left in /opt/opaque" >"$dir/opt/opaque/new-1.txt"
  echo "inside the directory that replaced a file" >"$dir/data/file-becomes-dir/inside.txt"
  echo "a file that replaced a directory" >"$dir/data/dir-becomes-file"
  echo "new bytes in a new inode" >"$dir/data/overwrite/a-original"
}

# tar_layer DIR OUT PATHS...: a reproducible layer tar of PATHS under DIR (PAX, for xattrs).
tar_layer() {
  local dir=$1 out=$2
  shift 2
  stamp "$dir"
  tar -C "$dir" --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --xattrs --xattrs-include=security.capability --sort=name --mtime="@$SOURCE_DATE_EPOCH" \
    --owner=0 --group=0 --numeric-owner -cf "$out" "$@"
}

build_layers() {
  local layout=$work/layers image=$work/layers:latest src=$work/layers-src
  new_image "$layout" latest

  unpack "$image" "$work/bundle"
  layers_base "$work/bundle/rootfs"
  repack "$image" "$work/bundle" "busybox 1.35 (static) with applet symlinks; test fixtures"
  configure "$image" "ENV PATH" --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

  unpack "$image" "$work/bundle"
  layers_update "$work/bundle/rootfs"
  repack "$image" "$work/bundle" "rm /data/remove-me.txt /data/dir-to-remove; replace /var/cache/big.bin"
  configure "$image" "LABEL" --config.label org.opencontainers.image.title=layers

  layers_replace "$src/replace"
  tar_layer "$src/replace" "$work/replace-layer.tar" opt/opaque data/file-becomes-dir data/dir-becomes-file \
    data/overwrite/a-original
  umoci raw add-layer --image "$image" --history.created "$created" \
    --history.created_by "COPY --opaque /opt/opaque; file<->dir replacements; new /data/overwrite/a-original" \
    "$work/replace-layer.tar"

  # umoci writes only gzip layers: the zstd layer (with the capability xattr) is made by hand.
  mkdir -p "$src/zstd/usr/local/bin"
  install -m 0755 "$native/static-musl/hello" "$src/zstd/usr/local/bin/cap-hello"
  set_cap_net_bind_service "$src/zstd/usr/local/bin/cap-hello"
  tar_layer "$src/zstd" "$work/zstd-layer.tar" usr/local/bin/cap-hello
  zstd -q -19 -f "$work/zstd-layer.tar" -o "$work/zstd-layer.tar.zst"
  /usr/bin/python3 "$samples/tools/append-layer.py" "$layout" latest "$work/zstd-layer.tar.zst" \
    application/vnd.oci.image.layer.v1.tar+zstd "sha256:$(sha256sum <"$work/zstd-layer.tar" | cut -d' ' -f1)" \
    "$created" "COPY cap-hello /usr/local/bin/ + setcap cap_net_bind_service=ep (GNU tar --xattrs | zstd -19)"

  configure "$image" "CMD echo hi from busybox; WORKDIR /data" --clear config.entrypoint \
    --config.cmd /bin/sh --config.cmd -c --config.cmd "echo hi from busybox" --config.workingdir /data
  umoci gc --layout "$layout"
  to_oci_archive "$layout" latest "$samples/layers.tar"
}
