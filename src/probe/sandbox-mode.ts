/**
 * How the probe sandbox gets the privileges it needs (mounts, chroot, namespaces), decided from
 * facts about the host gathered by sandbox-host.ts: as root, directly; otherwise inside an
 * unprivileged user namespace where the caller is mapped to root; or not at all, with one line
 * that says what is missing and how to enable it.
 */

export interface UserNamespaceFacts {
  /** The effective uid imgslim runs as. */
  uid: number;
  /** user.max_user_namespaces (/proc/sys/user/max_user_namespaces), null when unreadable. */
  maxUserNamespaces: string | null;
  /** kernel.unprivileged_userns_clone (Debian's and Ubuntu's older kernels), null when absent. */
  unprivilegedUsernsClone: string | null;
  /** kernel.apparmor_restrict_unprivileged_userns (Ubuntu 23.10 and later), null when absent. */
  apparmorRestrictUnprivilegedUserns: string | null;
  /** How a trial `unshare --user --map-root-user --mount --pid --net` failed (its last stderr line); null when it worked. */
  trialFailure: string | null;
}

export type SandboxMode = { kind: 'root' } | { kind: 'userns' } | { kind: 'unavailable'; message: string };

/** The trial run that proves user namespaces work here, as the sandbox creates them. */
export const USERNS_TRIAL = ['--user', '--map-root-user', '--mount', '--pid', '--net', '--fork', '--', 'true'];

export function sandboxMode(facts: UserNamespaceFacts): SandboxMode {
  if (facts.uid === 0) return { kind: 'root' };
  const missing = missingUserNamespaces(facts);
  if (missing === null) return { kind: 'userns' };
  return { kind: 'unavailable', message: `slim: --probe needs root or unprivileged user namespaces, and neither is available: running as uid ${facts.uid}, and ${missing}` };
}

/** What keeps unprivileged user namespaces from working, with the way to enable them; null when nothing does. */
function missingUserNamespaces(facts: UserNamespaceFacts): string | null {
  if (facts.maxUserNamespaces !== null && facts.maxUserNamespaces.trim() === '0') {
    return 'user.max_user_namespaces is 0 (enable them with `sysctl -w user.max_user_namespaces=15000`, or run as root)';
  }
  if (facts.unprivilegedUsernsClone !== null && facts.unprivilegedUsernsClone.trim() === '0') {
    return 'kernel.unprivileged_userns_clone is 0 (enable them with `sysctl -w kernel.unprivileged_userns_clone=1`, or run as root)';
  }
  if (facts.apparmorRestrictUnprivilegedUserns !== null && facts.apparmorRestrictUnprivilegedUserns.trim() !== '0') {
    return 'AppArmor restricts them (kernel.apparmor_restrict_unprivileged_userns is 1: set it to 0 with `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or give imgslim an AppArmor profile with `userns,`, or run as root)';
  }
  if (facts.trialFailure !== null) {
    return `creating one failed (\`unshare ${USERNS_TRIAL.slice(0, 5).join(' ')}\`: ${facts.trialFailure}; a container runtime's seccomp profile or an unmapped user namespace forbids it: run as root, or where user namespaces are allowed)`;
  }
  return null;
}
