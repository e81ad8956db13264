# Sourced by samples/verify.sh (which defines check, rootfs_of, json, elf, run and $samples).
# Facts about layers.tar (see samples/README.md).

# decompress TAR BLOB: the layer's tar stream (zstd or gzip, told apart by magic bytes).
decompress() {
  local magic
  magic=$(tar -xOf "$1" "blobs/sha256/$2" | head -c 4 | od -An -tx1 | tr -d ' \n')
  if [ "$magic" = 28b52ffd ]; then tar -xOf "$1" "blobs/sha256/$2" | zstd -dcq; else tar -xOf "$1" "blobs/sha256/$2" | gzip -dc; fi
}

# layer_list TAR BLOB: "type mode uid/gid size name[ -> target]" per entry of a layer (Python
# tarfile drops the trailing slash of directory names).
layer_list() {
  decompress "$1" "$2" |
    /usr/bin/python3 -c 'import sys, tarfile
for m in tarfile.open(fileobj=sys.stdin.buffer, mode="r|"):
    link = " -> " + m.linkname if m.issym() else " link to " + m.linkname if m.islnk() else ""
    print(m.type.decode(), oct(m.mode)[2:], f"{m.uid}/{m.gid}", m.size, m.name + link)'
}

# diff_id TAR BLOB: sha256 of the decompressed layer.
diff_id() { decompress "$1" "$2" | sha256sum | cut -c1-64; }

verify_layers() {
  local tar=$samples/layers.tar root config manifest
  local l1=149c898357b91204613aa5f7cd47f5e7e34e01a42ff45fbf7ebd48e4786aec35
  local l2=851eda6d01247020307d06cf5fa58c2d0348f67bca03e945b8e39e459b2714cc
  local l3=8be51f42b5abbf3a0c6b2d309295ab71d318ce2f1976e26f825d0ad8d38db3d4
  local l4=6c1d0d3109f1a733b81e5474ab06f7a9a3c291f4652043e6f675064025e2a538
  echo "== layers.tar (OCI archive)"
  manifest=$(tar -xOf "$tar" blobs/sha256/9c3a5dbd8264d3a4edffa628adaf4d1e1461c525c09e7652d4820d0bb42654ba)
  check "layers: index.json points at the manifest" '["sha256:9c3a5dbd8264d3a4edffa628adaf4d1e1461c525c09e7652d4820d0bb42654ba", "latest"]' \
    "$(tar -xOf "$tar" index.json | json '[d["manifests"][0]["digest"], d["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"]]')"
  check "layers: manifest layers (media type suffix, digest, size)" \
    "[[\"gzip\", \"sha256:$l1\", 1115062], [\"gzip\", \"sha256:$l2\", 9687], [\"gzip\", \"sha256:$l3\", 385], [\"zstd\", \"sha256:$l4\", 15657]]" \
    "$(json '[[l["mediaType"].split("+")[1], l["digest"], l["size"]] for l in d["layers"]]' <<<"$manifest")"
  config=$(skopeo inspect --config "oci-archive:$tar")
  check "layers: diff_ids are the sha256 of each decompressed layer" \
    "$(json '" ".join(x[7:] for x in d["rootfs"]["diff_ids"])' <<<"$config" | tr -d '"')" \
    "$(for l in $l1 $l2 $l3 $l4; do diff_id "$tar" $l; done | paste -sd' ' -)"
  check "layers: history empty_layer flags" "[false, true, false, true, false, false, true]" \
    "$(json '[h.get("empty_layer", False) for h in d["history"]]' <<<"$config")"
  check "layers: config (no Entrypoint; shell-form Cmd)" \
    '[null, ["/bin/sh", "-c", "echo hi from busybox"], "/data", ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], {"org.opencontainers.image.title": "layers"}]' \
    "$(json '[d["config"].get(k) for k in ("Entrypoint", "Cmd", "WorkingDir", "Env", "Labels")]' <<<"$config")"

  check "layers: layer 1 has busybox, 267 applet symlinks to /bin/busybox and bin/sh -> busybox" \
    "1982256 267 1" \
    "$(layer_list "$tar" $l1 | awk '$5 == "bin/busybox" {s = $4} $6 == "->" && $7 == "/bin/busybox" {n++} $5 == "bin/sh" && $7 == "busybox" {sh++} END {print s, n, sh}')"
  check "layers: layer 1 hard links (type 1 entries)" "$(
    cat <<'EOF'
1 644 0/0 0 data/hardlinks/three link to data/hardlinks/one
1 644 0/0 0 data/hardlinks/two link to data/hardlinks/one
1 644 0/0 0 data/overwrite/b-link link to data/overwrite/a-original
1 644 0/0 0 srv/also-one link to data/hardlinks/one
EOF
  )" "$(layer_list "$tar" $l1 | grep '^1 ')"
  check "layers: layer 2 (umoci repack): whiteouts and the replaced big file" "$(
    cat <<'EOF'
5 755 0/0 0 data
0 0 0/0 0 data/.wh.dir-to-remove
0 0 0/0 0 data/.wh.remove-me.txt
0 644 0/0 2097152 var/cache/big.bin
EOF
  )" "$(layer_list "$tar" $l2)"
  check "layers: layer 3 (GNU tar): opaque dir, file<->dir replacements, new hard-link target" "$(
    cat <<'EOF'
5 755 0/0 0 opt/opaque
0 644 0/0 0 opt/opaque/.wh..wh..opq
0 644 0/0 35 opt/opaque/new-1.txt
5 755 0/0 0 data/file-becomes-dir
0 644 0/0 42 data/file-becomes-dir/inside.txt
0 644 0/0 33 data/dir-becomes-file
0 644 0/0 25 data/overwrite/a-original
EOF
  )" "$(layer_list "$tar" $l3)"
  check "layers: layer 4 (zstd): cap-hello with SCHILY.xattr.security.capability" \
    "0 755 0/0 38280 usr/local/bin/cap-hello 0100000200040000000000000000000000000000" \
    "$(tar -xOf "$tar" blobs/sha256/$l4 | zstd -dcq | /usr/bin/python3 -c 'import sys, tarfile
for m in tarfile.open(fileobj=sys.stdin.buffer, mode="r|"):
    cap = m.pax_headers["SCHILY.xattr.security.capability"].encode("utf-8", "surrogateescape").hex()
    print(m.type.decode(), oct(m.mode)[2:], f"{m.uid}/{m.gid}", m.size, m.name, cap)')"

  root=$(rootfs_of "oci-archive:$tar" layers)
  verify_layers_rootfs "$root"
  # Every final inode comes from exactly one stored entry, so stored minus final = hidden bytes.
  check "layers: bytes stored in layers that the final filesystem hides" "2097260" \
    "$(($(for l in $l1 $l2 $l3 $l4; do layer_list "$tar" $l; done | awk '$1 == "0" {s += $4} END {print s}') - \
      $(find "$root" -type f -printf '%i %s\n' | sort -u | awk '{s += $2} END {print s}')))"
}

verify_layers_rootfs() {
  local root=$1
  check "layers: gone: remove-me.txt, dir-to-remove, opaque's old entries" "" \
    "$(cd "$root" && ls -d data/remove-me.txt data/dir-to-remove opt/opaque/old-1.txt opt/opaque/old-2.txt opt/opaque/sub 2>/dev/null)"
  check "layers: /opt/opaque holds only new-1.txt" "new-1.txt" "$(ls -A "$root/opt/opaque")"
  check "layers: /data" "dir-becomes-file file-becomes-dir hardlinks keep.txt overwrite" "$(ls -A "$root/data" | paste -sd' ' -)"
  check "layers: file became a directory; directory became a file" \
    "directory inside.txt regular file 33" \
    "$(stat -c %F "$root/data/file-becomes-dir") $(ls -A "$root/data/file-becomes-dir") $(stat -c '%F %s' "$root/data/dir-becomes-file")"
  check "layers: hard-link group of 4 (one inode)" "1 4" \
    "$(stat -c '%i %h' "$root"/data/hardlinks/{one,two,three} "$root/srv/also-one" | sort -u | awk '{n++; h = $2} END {print n, h}')"
  check "layers: overwritten hard-link target: new inode; the other name keeps the old bytes" \
    "new bytes in a new inode|original bytes|1 1|2" \
    "$(cat "$root/data/overwrite/a-original")|$(cat "$root/data/overwrite/b-link")|$(stat -c %h "$root"/data/overwrite/* | paste -sd' ' -)|$(stat -c %i "$root"/data/overwrite/* | sort -u | wc -l)"
  check "layers: symlinks in /links" "$(
    cat <<'EOF'
a -> b
b -> /links/c
c -> ../bin/busybox
dangling -> /does/not/exist
loop-1 -> loop-2
loop-2 -> loop-1
to-dir -> /data
EOF
  )" "$(cd "$root/links" && for l in *; do echo "$l -> $(readlink "$l")"; done)"
  check "layers: /links/a resolves (in the chroot) to /bin/busybox" "/bin/busybox" "$(chroot "$root" /bin/readlink -f /links/a)"
  check "layers: setuid /usr/local/bin/suid-hello" "4755 0:0 38280" "$(stat -c '%a %u:%g %s' "$root/usr/local/bin/suid-hello")"
  check "layers: security.capability on /usr/local/bin/cap-hello" "0100000200040000000000000000000000000000" \
    "$(/usr/bin/python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "security.capability").hex())' "$root/usr/local/bin/cap-hello")"
  check "layers: /var/cache/big.bin is version 2" "2097152 imgslim sample: version 2 of the big file, the only one left" \
    "$(stat -c %s "$root/var/cache/big.bin") $(head -n1 "$root/var/cache/big.bin")"
  check "layers: applet symlinks to /bin/busybox" "267" "$(find "$root" -type l -lname /bin/busybox | wc -l)"
  check "layers: counts: directories, regular files, symlinks, distinct inodes of regular files" "19 16 275 13" \
    "$(find "$root" -mindepth 1 -type d | wc -l) $(find "$root" -type f | wc -l) $(find "$root" -type l | wc -l) $(find "$root" -type f -printf '%i\n' | sort -u | wc -l)"
  check "layers: bytes of regular files, each inode once" "4156269" \
    "$(find "$root" -type f -printf '%i %s\n' | sort -u | awk '{s += $2} END {print s}')"
  check "layers: /bin/busybox ELF (static)" "EXEC interp= needed= soname= rpath= runpath=" "$(elf "$root/bin/busybox")"
  check "layers: Cmd runs: /bin/sh -c 'echo hi from busybox'" "hi from busybox exit=0" \
    "$(run "$root" 0:0 /bin/sh -c 'echo hi from busybox')"
  check "layers: setuid and capability binaries run" "hello from musl x exit=0|hello from musl y exit=0" \
    "$(run "$root" 65534:65534 /usr/local/bin/suid-hello x)|$(run "$root" 65534:65534 /usr/local/bin/cap-hello y)"
}
