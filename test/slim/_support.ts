/**
 * Running images the way a container runtime would, with independent tools: skopeo copies any
 * format into an OCI layout, umoci unpacks it (whiteouts, hard links, xattrs applied), and a
 * small python3 runner does what runc does before exec: a private mount namespace with /proc and
 * /dev/null, chroot, chdir to WorkingDir, the User (resolved from the rootfs's own /etc/passwd
 * and /etc/group, HOME set from it), then execvpe with the image's Env (PATH lookup included).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';

import { hasTool, isRoot, testTmp } from '../helpers/tools.js';

export { hasTool };

/** Root, skopeo, umoci and unshare: what running an image under chroot takes. */
export const canRunImages = isRoot('the tests that run images under chroot') && ['skopeo', 'umoci', 'unshare', 'python3'].every((name) => hasTool(name));

/** A fresh scratch directory testTmp("slim", name). */
export function scratch(name: string): string {
  const dir = testTmp('slim', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export type ImageFormat = 'docker-archive' | 'oci-archive' | 'oci-layout';

function skopeoName(format: ImageFormat, image: string): string {
  return format === 'oci-layout' ? `oci:${image}` : `${format}:${image}`;
}

/** The image config (skopeo inspect --config). */
export function imageConfig(image: string, format: ImageFormat): Record<string, any> {
  return JSON.parse(execFileSync('skopeo', ['inspect', '--config', skopeoName(format, image)], { encoding: 'utf8' }));
}

/** skopeo inspect (manifest-level facts), which accepts every format. */
export function skopeoInspect(image: string, format: ImageFormat): Record<string, any> {
  return JSON.parse(execFileSync('skopeo', ['inspect', skopeoName(format, image)], { encoding: 'utf8' }));
}

/** Unpacks with skopeo copy + umoci unpack into `dir`/bundle; returns the rootfs. (Layers are recompressed to gzip on the way: umoci 0.4 cannot read zstd.) */
export function unpack(image: string, format: ImageFormat, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const layout = path.join(dir, 'oci');
  execFileSync('skopeo', ['copy', '-q', '--dest-compress', '--dest-compress-format', 'gzip', skopeoName(format, image), `oci:${layout}:unpack`], {
    stdio: 'pipe',
  });
  execFileSync('umoci', ['unpack', '--image', `${layout}:unpack`, path.join(dir, 'bundle')], { stdio: 'pipe' });
  return path.join(dir, 'bundle', 'rootfs');
}

export interface FsItem {
  type: 'file' | 'directory' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  link: string | null;
  ino: number;
}

/** Every path below `root` (lstat), as `/path` → facts. */
export function listRootfs(root: string): Map<string, FsItem> {
  const items = new Map<string, FsItem>();
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir)).sort()) {
      const rel = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const stat = lstatSync(path.join(root, rel));
      const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'other';
      items.set(rel, {
        type,
        mode: stat.mode & 0o7777,
        uid: stat.uid,
        gid: stat.gid,
        size: type === 'file' ? stat.size : 0,
        link: type === 'symlink' ? readlinkSync(path.join(root, rel)) : null,
        ino: stat.ino,
      });
      if (type === 'directory') walk(rel);
    }
  };
  walk('/');
  return items;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const RUNNER = String.raw`
import json, os, subprocess, sys
spec = json.loads(sys.argv[1])
root = spec["root"]
os.makedirs(root + "/proc", exist_ok=True)
os.makedirs(root + "/dev", exist_ok=True)
open(root + "/dev/null", "a").close()
subprocess.run(["mount", "-t", "proc", "proc", root + "/proc"], check=True)
subprocess.run(["mount", "--bind", "/dev/null", root + "/dev/null"], check=True)

def entries(name):
    try:
        with open(root + name, encoding="latin-1") as f:
            return [line.rstrip("\n").split(":") for line in f if line.strip() and not line.startswith("#")]
    except FileNotFoundError:
        return []

user, _, group = (spec["user"] or "").partition(":")
uid, gid, home = 0, 0, "/"
if user:
    match = [e for e in entries("/etc/passwd") if len(e) >= 7 and (e[0] == user or e[2] == user)]
    if match:
        uid, gid, home = int(match[0][2]), int(match[0][3]), match[0][5]
    elif user.isdigit():
        uid = int(user)
    else:
        print("unable to find user " + user, file=sys.stderr); sys.exit(125)
names = [e[0] for e in entries("/etc/passwd") if len(e) >= 3 and int(e[2]) == uid]
groups = sorted({int(e[2]) for e in entries("/etc/group") if len(e) >= 4 and set(e[3].split(",")) & set(names)})
if group:
    match = [e for e in entries("/etc/group") if len(e) >= 3 and (e[0] == group or e[2] == group)]
    gid = int(match[0][2]) if match else int(group)
env = dict(item.split("=", 1) for item in spec["env"] if "=" in item)
env.setdefault("HOME", home)
os.chroot(root)
os.chdir(spec["cwd"] or "/")
os.setgroups(groups)
os.setgid(gid)
os.setuid(uid)
sys.stdout.flush()
try:
    os.execvpe(spec["argv"][0], spec["argv"], env)
except OSError as error:
    print("exec failed: %s" % error, file=sys.stderr); sys.exit(127)
`;

export interface RunSpec {
  argv: string[];
  env: string[];
  user?: string | null;
  cwd?: string | null;
}

/** The command line that runs argv inside `rootfs` as runc would (for a server started with spawn). */
export function runnerCommand(rootfs: string, spec: RunSpec): string[] {
  const json = JSON.stringify({ root: rootfs, argv: spec.argv, env: spec.env, user: spec.user ?? '', cwd: spec.cwd ?? '/' });
  return ['unshare', '-m', '--propagation', 'private', 'python3', '-c', RUNNER, json];
}

/** Runs argv inside `rootfs` as runc would (see the file comment). */
export function runInRootfs(rootfs: string, spec: RunSpec): RunResult {
  const json = JSON.stringify({ root: rootfs, argv: spec.argv, env: spec.env, user: spec.user ?? '', cwd: spec.cwd ?? '/' });
  const result = spawnSync('unshare', ['-m', '--propagation', 'private', 'python3', '-c', RUNNER, json], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The run spec of an image's config (Entrypoint + Cmd, Env, User, WorkingDir), argv optionally replaced. */
export function runSpecOf(config: Record<string, any>, argv?: string[]): RunSpec {
  const c = config.config ?? {};
  const command = argv ?? [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])];
  return { argv: command, env: c.Env ?? [], user: c.User ?? null, cwd: c.WorkingDir ?? '/' };
}

export function fileText(file: string): string {
  return readFileSync(file, 'utf8');
}
