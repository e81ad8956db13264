# Sourced by samples/verify.sh (which defines check, rootfs_of, json, elf, run and $samples).
# Facts about glibc-dynamic.tar, musl-dynamic.tar and static-oci/ (see samples/README.md).

# tree ROOT: every path under ROOT as "path/ mode uid:gid", "path mode uid:gid size" or
# "path -> target", sorted.
tree() {
  (cd "$1" && find . -mindepth 1 \( -type l -printf '%p -> %l\n' \) -o \( -type d -printf '%p/ %m %U:%G\n' \) \
    -o \( -type f -printf '%p %m %U:%G %s\n' \) | sort)
}

# members TAR: the archive's member names, in archive order, on one line.
members() { tar -tf "$1" | paste -sd' ' -; }

verify_glibc_dynamic() {
  local tar=$samples/glibc-dynamic.tar root config
  local l1=0eb4aa59eca0c16f05a8dc134ff0208611f2f7cb0476ed3745f711700b8196d5
  local l2=edd3ca7ba1a8597d13f2c0f3d8549b43b6ddc926b72574d76b77c03f36412420
  echo "== glibc-dynamic.tar (docker-archive)"
  check "glibc: manifest.json: config, RepoTags, layers" \
    "[\"ba9fcd52169d205e050abbb1c0c5b3c71c32e66f5012cdf0b7617c529b460439.json\", [\"docker.io/imgslim/glibc-dynamic:latest\"], [\"$l1.tar\", \"$l2.tar\"]]" \
    "$(tar -xOf "$tar" manifest.json | json '[d[0]["Config"], d[0]["RepoTags"], d[0]["Layers"]]')"
  check "glibc: layers are uncompressed tars named by their diff_id" "$l1 $l2" \
    "$(for l in $l1 $l2; do tar -xOf "$tar" $l.tar | sha256sum | cut -c1-64; done | paste -sd' ' -)"
  config=$(skopeo inspect --config "docker-archive:$tar")
  check "glibc: config Entrypoint, Cmd, User, WorkingDir, ExposedPorts" \
    '[["/app/hello"], ["world"], "app", "/app", ["8080/tcp"]]' \
    "$(json '[d["config"][k] for k in ("Entrypoint", "Cmd", "User", "WorkingDir")] + [list(d["config"]["ExposedPorts"])]' <<<"$config")"
  check "glibc: config Env and Labels" \
    '[["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], {"org.opencontainers.image.source": "https://github.com/imgslim/imgslim", "org.opencontainers.image.title": "glibc-dynamic"}]' \
    "$(json '[d["config"]["Env"], d["config"]["Labels"]]' <<<"$config")"
  check "glibc: history (empty_layer flags)" "[false, false, true]" \
    "$(json '[h.get("empty_layer", False) for h in d["history"]]' <<<"$config")"

  root=$(rootfs_of "docker-archive:$tar" glibc)
  check "glibc: final filesystem" "$(
    cat <<'EOF'
./app/ 755 1000:1000
./app/hello 755 0:0 16256
./etc/ 755 0:0
./etc/group 644 0:0 22
./etc/passwd 644 0:0 63
./lib -> usr/lib
./lib64 -> usr/lib64
./usr/ 755 0:0
./usr/lib/ 755 0:0
./usr/lib/x86_64-linux-gnu/ 755 0:0
./usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 755 0:0 215000
./usr/lib/x86_64-linux-gnu/libc.so.6 755 0:0 1926232
./usr/lib64/ 755 0:0
./usr/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
EOF
  )" "$(tree "$root")"
  check "glibc: /app/hello ELF" "DYN interp=/lib64/ld-linux-x86-64.so.2 needed=libc.so.6 soname= rpath= runpath=" \
    "$(elf "$root/app/hello")"
  check "glibc: libc.so.6 ELF" "DYN interp=/lib64/ld-linux-x86-64.so.2 needed=ld-linux-x86-64.so.2 soname=libc.so.6 rpath= runpath=" \
    "$(elf "$root/usr/lib/x86_64-linux-gnu/libc.so.6")"
  check "glibc: loader ELF" "DYN interp= needed= soname=ld-linux-x86-64.so.2 rpath= runpath=" \
    "$(elf "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")"
  check "glibc: runs as app: /app/hello world" "hello from glibc world exit=0" "$(run "$root" 1000:1000 /app/hello world)"
  check "glibc: HELLO_EXIT=3 /app/hello a b" "hello from glibc a b exit=3" "$(HELLO_EXIT=3 run "$root" 1000:1000 /app/hello a b)"
}

verify_musl_dynamic() {
  local tar=$samples/musl-dynamic.tar root config manifest
  echo "== musl-dynamic.tar (OCI archive)"
  check "musl: archive members" \
    "blobs/ blobs/sha256/ blobs/sha256/45fc4b693da08556bd087ee4a695c66ab5ea4dd7bd58e91a7a448810b650cda1 blobs/sha256/50df918ccebc074b5b58a36452ddfd38f0a74b43730639369565531c482fe412 blobs/sha256/6f4aa9bc9c9aa14e042399b9aebbde576058cb7bd1bfa97549fef9b706eae368 blobs/sha256/c143e0935701954cf0dff128ec866e948844c80d23ac7431808e3a4a1edaa73e index.json oci-layout" \
    "$(members "$tar")"
  check "musl: index.json: one manifest tagged latest" \
    '[1, "sha256:50df918ccebc074b5b58a36452ddfd38f0a74b43730639369565531c482fe412", "latest"]' \
    "$(tar -xOf "$tar" index.json | json '[len(d["manifests"]), d["manifests"][0]["digest"], d["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"]]')"
  manifest=$(tar -xOf "$tar" blobs/sha256/50df918ccebc074b5b58a36452ddfd38f0a74b43730639369565531c482fe412)
  check "musl: two gzip layers" '["application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.oci.image.layer.v1.tar+gzip"]' \
    "$(json '[l["mediaType"] for l in d["layers"]]' <<<"$manifest")"
  config=$(skopeo inspect --config "oci-archive:$tar")
  check "musl: config Entrypoint, Cmd, Env" '[["/app/hello"], ["world"], ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]]' \
    "$(json '[d["config"][k] for k in ("Entrypoint", "Cmd", "Env")]' <<<"$config")"

  root=$(rootfs_of "oci-archive:$tar" musl)
  check "musl: final filesystem" "$(
    cat <<'EOF'
./app/ 755 0:0
./app/hello 755 0:0 18272
./lib/ 755 0:0
./lib/ld-musl-x86_64.so.1 755 0:0 702960
EOF
  )" "$(tree "$root")"
  check "musl: /app/hello ELF" "DYN interp=/lib/ld-musl-x86_64.so.1 needed=libc.so soname= rpath= runpath=" "$(elf "$root/app/hello")"
  check "musl: loader ELF (no SONAME, no NEEDED)" "DYN interp= needed= soname= rpath= runpath=" "$(elf "$root/lib/ld-musl-x86_64.so.1")"
  check "musl: /app/hello world" "hello from musl world exit=0" "$(run "$root" 0:0 /app/hello world)"
  check "musl: HELLO_EXIT=5 /app/hello" "hello from musl exit=5" "$(HELLO_EXIT=5 run "$root" 0:0 /app/hello)"
}

verify_static_oci() {
  local dir=$samples/static-oci root config
  echo "== static-oci/ (OCI image layout directory)"
  check "static: oci-layout version" '{"imageLayoutVersion":"1.0.0"}' "$(cat "$dir/oci-layout")"
  check "static: index.json: one manifest tagged 1.0" '[1, "1.0"]' \
    "$(json '[len(d["manifests"]), d["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"]]' <"$dir/index.json")"
  config=$(skopeo inspect --config "oci:$dir:1.0")
  check "static: config Entrypoint, Cmd, User; one layer" '[["/app/hello"], ["world"], "65532:65532", 1]' \
    "$(json '[d["config"]["Entrypoint"], d["config"]["Cmd"], d["config"]["User"], len(d["rootfs"]["diff_ids"])]' <<<"$config")"

  root=$(rootfs_of "oci:$dir:1.0" static)
  check "static: final filesystem" "$(
    cat <<'EOF'
./app/ 755 0:0
./app/hello 755 0:0 762512
./app/hello-pie 755 0:0 808096
EOF
  )" "$(tree "$root")"
  check "static: /app/hello ELF (static, ET_EXEC)" "EXEC interp= needed= soname= rpath= runpath=" "$(elf "$root/app/hello")"
  check "static: /app/hello-pie ELF (static-pie, ET_DYN)" "DYN interp= needed= soname= rpath= runpath=" "$(elf "$root/app/hello-pie")"
  check "static: runs as 65532: /app/hello world" "hello from glibc world exit=0" "$(run "$root" 65532:65532 /app/hello world)"
  check "static: /app/hello-pie world" "hello from glibc world exit=0" "$(run "$root" 65532:65532 /app/hello-pie world)"
  check "static: HELLO_EXIT=9 /app/hello" "hello from glibc exit=9" "$(HELLO_EXIT=9 run "$root" 65532:65532 /app/hello)"
}
