/**
 * The strace log reader on lines as strace 6.1 writes them with -f -qq -y (taken from a real
 * trace of `unshare --root=/r --wd=/data sh -c …` and of a musl program), including host events
 * before the chroot, relative paths against AT_FDCWD, unfinished/resumed pairs, NOFOLLOW flags,
 * creating calls and escaped names.
 */
import { expect, test } from 'vitest';
import { parseCall, unescape, usedPaths } from '../../src/probe/index.js';

const LOG = String.raw`13    execve("/usr/bin/env", ["/usr/bin/env", "-i", "PATH=/bin"], 0x7fff46840810 /* 40 vars */) = 0
13    openat(AT_FDCWD</tmp/w>, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>
13    execve("/bin/unshare", ["unshare", "--root=/tmp/w/r", "--wd=/data"], 0x55d0635acc70 /* 2 vars */) = 0
13    chroot("/tmp/w/r")         = 0
13    chdir("/data")                    = 0
13    execve("/bin/sh", ["sh", "-c", "cat x; ls /"...], 0x7ffc70151828 /* 2 vars */) = 0
13    readlink("/proc/self/exe", "/bin/busybox", 4096) = 12
13    newfstatat(AT_FDCWD</tmp/w/r/data>, "/etc/busybox.conf", 0x7ffe834d9198, 0) = -1 ENOENT (No such file or directory)
13    clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x2bf3e690) = 14
13    wait4(-1,  <unfinished ...>
14    openat(AT_FDCWD</tmp/w/r/data>, "x", O_RDONLY) = 3</tmp/w/r/data/x>
14    exit_group(0)                     = ?
13    <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 14
15    openat(AT_FDCWD</tmp/w/r/data>, "/", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3</tmp/w/r>
15    getdents64(3</tmp/w/r>, 0x2bf40e70 /* 8 entries */, 32768) = 192
15    newfstatat(AT_FDCWD</tmp/w/r/data>, "/etc", {st_mode=S_IFDIR|0755, st_size=4096, ...}, AT_SYMLINK_NOFOLLOW) = 0
15    newfstatat(1</tmp/bash_jobs/stdout>, "", {st_mode=S_IFREG|0644, st_size=3, ...}, AT_EMPTY_PATH) = 0
18    execve("/proc/self/exe", ["cat", "/proc/self/status"], 0x2bf40b68 /* 5 vars */ <unfinished ...>
19    newfstatat(0<pipe:[728328]>, "",  <unfinished ...>
18    <... execve resumed>)             = 0
16    openat(AT_FDCWD</tmp/w/r/data>, "../var/log/app.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = 4</tmp/w/r/var/log/app.log>
16    open("/usr/lib/libfoo.so", O_RDONLY|O_NOFOLLOW|O_CLOEXEC) = 5</tmp/w/r/usr/lib/libfoo.so.1>
16    lstat("/usr/bin/python3", {st_mode=S_IFLNK|0777, st_size=9, ...}) = 0
16    stat("/usr/bin/python3", {st_mode=S_IFREG|0755, st_size=9, ...}) = 0
16    mkdirat(AT_FDCWD</tmp/w/r/data>, "cache/new", 0755) = 0
16    openat(AT_FDCWD</tmp/w/r/data>, "caf\303\251 \"q\".txt", O_RDONLY) = -1 ENOENT (No such file or directory)
16    access("/tmp/scratch", W_OK) = 0
16    newfstatat(AT_FDCWD</tmp/w/r/data>, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=14} ---
`;

test('paths inside the root, resolved as the kernel did, host events and the sandbox mounts left out', () => {
  const used = usedPaths(LOG, '/tmp/w/r');
  expect(used).toEqual([
    { path: '/', followLast: true },
    { path: '/bin/sh', followLast: true },
    { path: '/data', followLast: true },
    { path: '/data/cache', followLast: true },
    { path: '/data/cache/new', followLast: true },
    { path: '/data/café "q".txt', followLast: true },
    { path: '/data/x', followLast: true },
    { path: '/etc', followLast: false },
    { path: '/etc/busybox.conf', followLast: true },
    { path: '/usr/bin/python3', followLast: true },
    { path: '/usr/lib/libfoo.so', followLast: false },
    { path: '/var/log', followLast: true },
    { path: '/var/log/app.log', followLast: true },
  ]);
  // Nothing of the host: /etc/ld.so.cache was opened by env before the chroot, stdout is a host file.
  expect(used.some((item) => item.path === '/etc/ld.so.cache')).toBe(false);
});

test('a call with its arguments: strings, annotated descriptors, nested structures', () => {
  const call = parseCall(String.raw`renameat2(3</tmp/w/r/etc>, "a,b", AT_FDCWD</tmp/w/r>, "c)d", RENAME_NOREPLACE) = 0`);
  expect(call).toEqual({
    name: 'renameat2',
    ok: true,
    args: [
      { kind: 'fd', path: '/tmp/w/r/etc' },
      { kind: 'string', value: 'a,b' },
      { kind: 'fd', path: '/tmp/w/r' },
      { kind: 'string', value: 'c)d' },
      { kind: 'other', text: 'RENAME_NOREPLACE' },
    ],
  });
  expect(parseCall('--- SIGCHLD {si_signo=SIGCHLD} ---')).toBeNull();
  expect(parseCall('chroot("/r") = -1 EPERM (Operation not permitted)')?.ok).toBe(false);
});

test('C escapes back to UTF-8', () => {
  expect(unescape(String.raw`caf\303\251\n\x41\\\"`)).toBe('café\nA\\"');
});
