# Sourced by samples/build.sh (which defines the helpers and $samples, $native, $work).
# The small images: glibc-dynamic.tar, musl-dynamic.tar, static-oci/ and glibc-apps.tar.

# glibc_base ROOT: the glibc loader and libc.so.6 from this machine's libc6, laid out as Debian
# 12 lays them out (merged /usr: /lib -> usr/lib, /lib64 -> usr/lib64, and the PT_INTERP
# /lib64/ld-linux-x86-64.so.2 an absolute symlink to /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2),
# plus /etc/passwd and /etc/group with root and app (1000).
glibc_base() {
  local root=$1
  mkdir -p "$root/usr/lib/x86_64-linux-gnu" "$root/usr/lib64" "$root/etc"
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  ln -s /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/usr/lib64/ld-linux-x86-64.so.2"
  install -m 0755 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /usr/lib/x86_64-linux-gnu/libc.so.6 \
    "$root/usr/lib/x86_64-linux-gnu/"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/app:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' >"$root/etc/group"
}

# docker-archive: the glibc hello with exactly the glibc pieces it needs.
build_glibc_dynamic() {
  local layout=$work/glibc-dynamic image=$work/glibc-dynamic:latest root=$work/bundle/rootfs
  new_image "$layout" latest

  unpack "$image" "$work/bundle"
  glibc_base "$root"
  repack "$image" "$work/bundle" "glibc 2.36 from Debian 12 libc6: loader, libc.so.6; /etc/passwd, /etc/group"

  unpack "$image" "$work/bundle"
  install -d -o 1000 -g 1000 "$root/app"
  install -m 0755 "$native/glibc/hello" "$root/app/hello"
  repack "$image" "$work/bundle" "COPY native/build/glibc/hello /app/hello"

  configure "$image" "ENTRYPOINT, CMD, ENV, USER, WORKDIR, EXPOSE, LABEL" \
    --config.entrypoint /app/hello --config.cmd world \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.user app --config.workingdir /app --config.exposedports 8080/tcp \
    --config.label org.opencontainers.image.title=glibc-dynamic \
    --config.label org.opencontainers.image.source=https://github.com/imgslim/imgslim
  umoci gc --layout "$layout"
  to_docker_archive "$layout" latest "$samples/glibc-dynamic.tar" imgslim/glibc-dynamic:latest
}

# OCI archive, two layers: the musl loader (which is also libc.so: musl's loader answers
# DT_NEEDED "libc.so" itself), then the musl hello.
build_musl_dynamic() {
  local layout=$work/musl-dynamic image=$work/musl-dynamic:latest root=$work/bundle/rootfs
  new_image "$layout" latest

  unpack "$image" "$work/bundle"
  mkdir -p "$root/lib"
  install -m 0755 /lib/x86_64-linux-musl/libc.so "$root/lib/ld-musl-x86_64.so.1"
  repack "$image" "$work/bundle" "musl 1.2.3 from Debian 12: /lib/ld-musl-x86_64.so.1"

  unpack "$image" "$work/bundle"
  mkdir -p "$root/app"
  install -m 0755 "$native/musl/hello" "$root/app/hello"
  repack "$image" "$work/bundle" "COPY native/build/musl/hello /app/hello"

  configure "$image" "ENTRYPOINT, CMD, ENV" --config.entrypoint /app/hello --config.cmd world \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  umoci gc --layout "$layout"
  to_oci_archive "$layout" latest "$samples/musl-dynamic.tar"
}

# OCI image layout directory, FROM scratch: the static hello (ET_EXEC) and the static-pie hello
# (ET_DYN without PT_INTERP), running as a numeric user that needs no /etc/passwd. Tag "1.0".
build_static_oci() {
  local layout=$work/static-oci image=$work/static-oci:1.0 root=$work/bundle/rootfs
  new_image "$layout" 1.0

  unpack "$image" "$work/bundle"
  mkdir -p "$root/app"
  install -m 0755 "$native/static/hello" "$root/app/hello"
  install -m 0755 "$native/static-pie/hello" "$root/app/hello-pie"
  repack "$image" "$work/bundle" "COPY native/build/static/hello native/build/static-pie/hello /app/"

  configure "$image" "ENTRYPOINT, CMD, USER" --config.entrypoint /app/hello --config.cmd world \
    --config.user 65532:65532
  umoci gc --layout "$layout"
  rm -rf "$samples/static-oci"
  cp -r "$layout" "$samples/static-oci"
}

# OCI archive: glibc programs whose dependencies static analysis sees only partly: greet finds
# libgreet.so through RPATH $ORIGIN/../lib (greet-runpath through RUNPATH), plugin dlopens
# "libgreet.so" by a name no ELF field records, and nss needs /etc/nsswitch.conf, /etc/passwd
# and /etc/hosts at run time.
build_glibc_apps() {
  local layout=$work/glibc-apps image=$work/glibc-apps:latest root=$work/bundle/rootfs
  new_image "$layout" latest

  unpack "$image" "$work/bundle"
  glibc_base "$root"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
  printf '127.0.0.1\tlocalhost\n' >"$root/etc/hosts"
  repack "$image" "$work/bundle" "glibc 2.36 from Debian 12 libc6; /etc/passwd, group, nsswitch.conf, hosts"

  unpack "$image" "$work/bundle"
  install -d -o 1000 -g 1000 "$root/app"
  mkdir -p "$root/app/bin" "$root/app/lib"
  install -m 0755 "$native/glibc/bin/greet" "$native/glibc/bin/greet-runpath" "$native/glibc/plugin" \
    "$native/glibc/nss" "$root/app/bin/"
  install -m 0755 "$native/glibc/lib/libgreet.so" "$root/app/lib/libgreet.so"
  repack "$image" "$work/bundle" "COPY greet greet-runpath plugin nss /app/bin/; COPY libgreet.so /app/lib/"

  configure "$image" "ENTRYPOINT, CMD, ENV, USER, WORKDIR" --config.entrypoint /app/bin/greet --config.cmd world \
    --config.env PATH=/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.user app --config.workingdir /app
  umoci gc --layout "$layout"
  to_oci_archive "$layout" latest "$samples/glibc-apps.tar"
}
