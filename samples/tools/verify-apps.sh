# Sourced by samples/verify.sh (which defines check, rootfs_of, json, elf, run and $samples;
# tree comes from verify-small.sh). Facts about glibc-apps.tar (see samples/README.md).

verify_glibc_apps() {
  local tar=$samples/glibc-apps.tar root config
  echo "== glibc-apps.tar (OCI archive)"
  check "apps: index.json: one manifest tagged latest" \
    '[1, "sha256:83a9b9e84de708485659f75144b0c23544fefffab5207ab8abd83c9591200565", "latest"]' \
    "$(tar -xOf "$tar" index.json | json '[len(d["manifests"]), d["manifests"][0]["digest"], d["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"]]')"
  check "apps: two gzip layers (digest, size)" \
    '[["sha256:83db4ff95212e2d1c7eb1f2738cec35b79034a1e99332d9bf9523283de181b7a", 1031463], ["sha256:37123435a42822b0a7bddd151bd8cafdae87d7116871b4874758b40bc758a3b4", 6868]]' \
    "$(tar -xOf "$tar" blobs/sha256/83a9b9e84de708485659f75144b0c23544fefffab5207ab8abd83c9591200565 | json '[[l["digest"], l["size"]] for l in d["layers"]]')"
  config=$(skopeo inspect --config "oci-archive:$tar")
  check "apps: config Entrypoint, Cmd, User, WorkingDir, Env" \
    '[["/app/bin/greet"], ["world"], "app", "/app", ["PATH=/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]]' \
    "$(json '[d["config"][k] for k in ("Entrypoint", "Cmd", "User", "WorkingDir", "Env")]' <<<"$config")"

  root=$(rootfs_of "oci-archive:$tar" apps)
  check "apps: final filesystem" "$(
    cat <<'EOF'
./app/ 755 1000:1000
./app/bin/ 755 0:0
./app/bin/greet 755 0:0 15952
./app/bin/greet-runpath 755 0:0 15952
./app/bin/nss 755 0:0 16240
./app/bin/plugin 755 0:0 16168
./app/lib/ 755 0:0
./app/lib/libgreet.so 755 0:0 15384
./etc/ 755 0:0
./etc/group 644 0:0 22
./etc/hosts 644 0:0 20
./etc/nsswitch.conf 644 0:0 44
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
  check "apps: /etc/nsswitch.conf, /etc/hosts" $'passwd: files\ngroup: files\nhosts: files dns\n127.0.0.1\tlocalhost' \
    "$(cat "$root/etc/nsswitch.conf" "$root/etc/hosts")"
  check "apps: greet ELF (RPATH)" 'DYN interp=/lib64/ld-linux-x86-64.so.2 needed=libgreet.so,libc.so.6 soname= rpath=$ORIGIN/../lib runpath=' \
    "$(elf "$root/app/bin/greet")"
  check "apps: greet-runpath ELF (RUNPATH)" 'DYN interp=/lib64/ld-linux-x86-64.so.2 needed=libgreet.so,libc.so.6 soname= rpath= runpath=$ORIGIN/../lib' \
    "$(elf "$root/app/bin/greet-runpath")"
  check "apps: libgreet.so ELF" "DYN interp= needed=libc.so.6 soname=libgreet.so rpath= runpath=" "$(elf "$root/app/lib/libgreet.so")"
  check "apps: plugin ELF (dlopen, nothing recorded)" "DYN interp=/lib64/ld-linux-x86-64.so.2 needed=libc.so.6 soname= rpath= runpath=" \
    "$(elf "$root/app/bin/plugin")"
  check "apps: plugin imports dlopen" "dlopen@GLIBC_2.34" "$(readelf --dyn-syms -W "$root/app/bin/plugin" | awk '$8 ~ /^dlopen@/ {print $8}')"
  check "apps: nss ELF" "DYN interp=/lib64/ld-linux-x86-64.so.2 needed=libc.so.6 soname= rpath= runpath=" "$(elf "$root/app/bin/nss")"

  # glibc expands $ORIGIN from /proc/self/exe: a container runtime mounts /proc, a chroot must.
  check "apps: without /proc, \$ORIGIN cannot be expanded and greet fails" \
    "/app/bin/greet: error while loading shared libraries: libgreet.so: cannot open shared object file: No such file or directory exit=127" \
    "$(run "$root" 1000:1000 /app/bin/greet world)"
  mkdir -p "$root/proc" && mount -t proc proc "$root/proc"
  check "apps: runs as app: /app/bin/greet world (RPATH \$ORIGIN/../lib)" "greetings, world (from libgreet) exit=0" \
    "$(run "$root" 1000:1000 /app/bin/greet world)"
  check "apps: /app/bin/greet-runpath x (RUNPATH)" "greetings, x (from libgreet) exit=0" "$(run "$root" 1000:1000 /app/bin/greet-runpath x)"
  check "apps: /app/bin/plugin fails: libgreet.so is on no search path" \
    "plugin: cannot load libgreet.so: libgreet.so: cannot open shared object file: No such file or directory exit=2" \
    "$(run "$root" 1000:1000 /app/bin/plugin)"
  check "apps: /app/bin/plugin /app/lib/libgreet.so" "greetings, plugin (from libgreet) exit=0" \
    "$(run "$root" 1000:1000 /app/bin/plugin /app/lib/libgreet.so)"
  check "apps: /app/bin/nss app localhost" $'user app: uid=1000 gid=1000 home=/app shell=/bin/sh\nhost localhost: 127.0.0.1 exit=0' \
    "$(run "$root" 1000:1000 /app/bin/nss app localhost)"
  check "apps: /app/bin/nss nobody-here" $'user nobody-here: not found\nhost localhost: 127.0.0.1 exit=1' \
    "$(run "$root" 1000:1000 /app/bin/nss nobody-here)"
  umount "$root/proc"
}
