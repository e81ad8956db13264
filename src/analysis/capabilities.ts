/**
 * Decodes the `security.capability` xattr (struct vfs_cap_data / vfs_ns_cap_data, linux/capability.h)
 * into capability names, e.g. `cap_net_bind_service+ep`.
 */
const NAMES = [
  'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap',
  'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner',
  'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice',
  'sys_resource', 'sys_time', 'sys_tty_config', 'mknod', 'lease', 'audit_write', 'audit_control', 'setfcap',
  'mac_override', 'mac_admin', 'syslog', 'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf',
  'checkpoint_restore',
];

const VFS_CAP_REVISION_MASK = 0xff000000;
const VFS_CAP_FLAGS_EFFECTIVE = 0x000001;

/** `cap_x+ep`-style names of the permitted set (`e` when effective, `i` for inheritable-only), or null if malformed. */
export function decodeCapabilities(value: Uint8Array): string[] | null {
  if (value.length < 12) return null;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const magic = view.getUint32(0, true);
  const revision = magic & VFS_CAP_REVISION_MASK;
  const words = revision === 0x01000000 ? 1 : revision === 0x02000000 || revision === 0x03000000 ? 2 : 0;
  if (words === 0 || value.length < 4 + words * 8) return null;
  const effective = (magic & VFS_CAP_FLAGS_EFFECTIVE) !== 0;
  const result: string[] = [];
  for (let bit = 0; bit < words * 32; bit++) {
    const word = bit >> 5;
    const mask = 1 << (bit & 31);
    const permitted = (view.getUint32(4 + word * 8, true) & mask) !== 0;
    const inheritable = (view.getUint32(8 + word * 8, true) & mask) !== 0;
    if (!permitted && !inheritable) continue;
    const name = NAMES[bit] ? `cap_${NAMES[bit]}` : `cap_${bit}`;
    result.push(`${name}+${effective && permitted ? 'e' : ''}${inheritable ? 'i' : ''}${permitted ? 'p' : ''}`);
  }
  return result;
}
