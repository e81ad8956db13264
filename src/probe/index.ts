/**
 * probe: runs an image's programs in a sandbox (mount, PID and network namespaces, chroot into
 * the unpacked image) under strace, and reports the paths they used and what they did. It runs
 * things; slim decides what to keep (cli passes the paths on as PlanOptions.extraPaths).
 */
export { probeImage, type ProbeImageOptions } from './probe-image.js';
export { checkSandbox, currentHost, type SandboxHost, type SandboxTools } from './sandbox-host.js';
export { sandboxMode, type SandboxMode, type UserNamespaceFacts } from './sandbox-mode.js';
export { firstDifference, outcomeDifference } from './verify.js';
export { parseHttpProbe, parseProbeTimeout } from './probe-args.js';
export { usedPaths, parseCall, unescape, type UsedPath } from './trace-log.js';
export { unpackImage } from './unpack.js';
export { processSpec } from './process-spec.js';
export type { Probe, ProbeOutcome, ProbeRun } from './types.js';
