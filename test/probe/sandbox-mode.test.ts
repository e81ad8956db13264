/** The choice of sandbox privilege from the host's facts, and the one line when there is none (pure; real runs in userns.test.ts). */
import { describe, expect, test } from 'vitest';
import { checkSandbox, sandboxMode, type SandboxHost, type UserNamespaceFacts } from '../../src/probe/index.js';
import { UsageError } from '../../src/shared/errors.js';

const OPEN: UserNamespaceFacts = { uid: 1000, maxUserNamespaces: '96367', unprivilegedUsernsClone: null, apparmorRestrictUnprivilegedUserns: null, trialFailure: null };
const PREFIX = 'slim: --probe needs root or unprivileged user namespaces, and neither is available: running as uid 1000, and ';

function message(facts: Partial<UserNamespaceFacts>): string {
  const mode = sandboxMode({ ...OPEN, ...facts });
  if (mode.kind !== 'unavailable') throw new Error(`expected unavailable, got ${mode.kind}`);
  expect(mode.message).not.toContain('\n');
  expect(mode.message.startsWith(PREFIX)).toBe(true);
  return mode.message.slice(PREFIX.length);
}

describe('sandboxMode', () => {
  test('root runs directly, whatever the sysctls say', () => {
    expect(sandboxMode({ ...OPEN, uid: 0, maxUserNamespaces: '0', trialFailure: 'unshare failed: Operation not permitted' })).toEqual({ kind: 'root' });
  });

  test('not root, user namespaces allowed and the trial works: a user namespace', () => {
    expect(sandboxMode(OPEN)).toEqual({ kind: 'userns' });
    expect(sandboxMode({ ...OPEN, unprivilegedUsernsClone: '1', apparmorRestrictUnprivilegedUserns: '0' })).toEqual({ kind: 'userns' });
  });

  test('each sysctl that forbids them is named with the command that allows them', () => {
    expect(message({ maxUserNamespaces: '0' })).toBe('user.max_user_namespaces is 0 (enable them with `sysctl -w user.max_user_namespaces=15000`, or run as root)');
    expect(message({ unprivilegedUsernsClone: '0' })).toBe('kernel.unprivileged_userns_clone is 0 (enable them with `sysctl -w kernel.unprivileged_userns_clone=1`, or run as root)');
    expect(message({ apparmorRestrictUnprivilegedUserns: '1' })).toMatch(/^AppArmor restricts them \(kernel\.apparmor_restrict_unprivileged_userns is 1: set it to 0 with `sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0`, or give imgslim an AppArmor profile with `userns,`, or run as root\)$/);
  });

  test('the first reason wins: a sysctl before the trial that it makes fail', () => {
    expect(message({ maxUserNamespaces: '0', trialFailure: 'unshare failed: No space left on device' })).toMatch(/^user\.max_user_namespaces is 0/);
  });

  test('sysctls allow them but the trial fails (seccomp, an unmapped namespace): its error', () => {
    expect(message({ trialFailure: 'unshare: unshare failed: Operation not permitted' })).toBe(
      'creating one failed (`unshare --user --map-root-user --mount --pid --net`: unshare: unshare failed: Operation not permitted; a container runtime\'s seccomp profile or an unmapped user namespace forbids it: run as root, or where user namespaces are allowed)',
    );
  });
});

describe('checkSandbox', () => {
  const host = (facts: Partial<UserNamespaceFacts> & { tools?: string[] }): SandboxHost => ({
    uid: facts.uid ?? 1000,
    which: (name) => ((facts.tools ?? ['sh', 'unshare', 'mount', 'nsenter', 'ip', 'strace', 'env']).includes(name) ? `/usr/bin/${name}` : null),
    sysctl: (name) => ({ 'user/max_user_namespaces': facts.maxUserNamespaces ?? '100' })[name] ?? null,
    trial: (unshare, args) => {
      expect([unshare, ...args]).toEqual(['/usr/bin/unshare', '--user', '--map-root-user', '--mount', '--pid', '--net', '--fork', '--', 'true']);
      return facts.trialFailure ?? null;
    },
  });

  test('root: the tools, no user namespace', () => {
    expect(checkSandbox(host({ uid: 0 }))).toMatchObject({ strace: '/usr/bin/strace', userns: false });
  });

  test('not root: a user namespace, or a UsageError (exit 2) with the line', () => {
    expect(checkSandbox(host({}))).toMatchObject({ unshare: '/usr/bin/unshare', userns: true });
    expect(() => checkSandbox(host({ maxUserNamespaces: '0' }))).toThrow(UsageError);
    expect(() => checkSandbox(host({ trialFailure: 'unshare failed: Operation not permitted' }))).toThrow(/creating one failed/);
  });

  test('missing tools are named first', () => {
    expect(() => checkSandbox(host({ tools: ['sh', 'mount', 'nsenter', 'ip', 'env'], maxUserNamespaces: '0' }))).toThrow('slim: --probe needs unshare (util-linux), strace (the strace package) on PATH');
  });
});
