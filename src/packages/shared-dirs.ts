/**
 * Directories of the filesystem hierarchy (FHS 3.0, Debian policy §9) that every distribution
 * shares between packages, however few packages happen to list them in an image. A package's
 * private directories lie below these, never at them.
 */

const SHARED = new Set([
  '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/media', '/mnt', '/opt',
  '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var',
  '/usr/bin', '/usr/games', '/usr/include', '/usr/lib', '/usr/lib32', '/usr/lib64', '/usr/libx32', '/usr/libexec',
  '/usr/local', '/usr/sbin', '/usr/share', '/usr/src',
  '/usr/share/doc', '/usr/share/doc-base', '/usr/share/info', '/usr/share/lintian', '/usr/share/lintian/overrides',
  '/usr/share/locale', '/usr/share/man', '/usr/share/menu', '/usr/share/applications', '/usr/share/pixmaps',
  '/usr/share/icons', '/usr/share/bug', '/usr/share/common-licenses', '/usr/share/perl5', '/usr/share/zoneinfo',
  '/usr/lib/python3', '/usr/lib/python3/dist-packages', '/usr/share/python3', '/usr/lib/systemd', '/usr/lib/systemd/system',
  '/usr/lib/tmpfiles.d', '/usr/lib/sysusers.d', '/usr/lib/mime', '/usr/lib/mime/packages', '/usr/lib/pkgconfig',
  '/var/backups', '/var/cache', '/var/lib', '/var/local', '/var/lock', '/var/log', '/var/mail', '/var/opt',
  '/var/run', '/var/spool', '/var/tmp', '/var/lib/dpkg', '/var/lib/misc',
  '/etc/default', '/etc/init.d', '/etc/logrotate.d', '/etc/cron.d', '/etc/cron.daily', '/etc/cron.hourly',
  '/etc/cron.weekly', '/etc/cron.monthly', '/etc/profile.d', '/etc/security', '/etc/pam.d', '/etc/systemd',
  '/etc/systemd/system', '/etc/ld.so.conf.d', '/etc/apt', '/etc/sysctl.d', '/etc/tmpfiles.d', '/etc/xdg',
]);

/** Whether `dir` is a shared hierarchy directory (including `/usr/lib/<multiarch triplet>` and man/locale subtrees). */
export function isSharedDirectory(dir: string): boolean {
  if (SHARED.has(dir)) return true;
  if (/^\/(?:usr\/)?lib\/[a-z0-9_]+-linux-[a-z0-9_]+$/.test(dir)) return true;
  return /^\/usr\/share\/(?:man|locale)\//.test(dir);
}
