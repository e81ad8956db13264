/**
 * One definition of "file" in slim's output: an entry that is not a directory. The summary's
 * after.files, its kept list, the audit's totals.files and the before/dropped counts agree on an
 * image with --keep, symlinks, hard links and directories (nginx used to say files 3,759 → 17,
 * "kept 25 files", "Kept files (24)" and 34 audit entries).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { compileC, glibcEntries, hasGcc, HELLO_C, scratchDir, writeImage } from '../analysis/_images.js';

describe.skipIf(!hasGcc)('slim counts files one way', () => {
  test('--keep with symlinks, a hard link and directories: kept + dropped = total, summary = audit', async () => {
    const image = await writeImage(
      'oci-archive',
      {
        layers: [
          {
            entries: [
              ...glibcEntries(),
              { path: 'app/', type: 'dir' },
              { path: 'app/hello', content: compileC(HELLO_C), mode: 0o755 },
              { path: 'usr/share/zoneinfo/Europe/', type: 'dir' },
              { path: 'usr/share/zoneinfo/Europe/Paris', content: 'TZif2 paris' },
              { path: 'usr/share/zoneinfo/Europe/Berlin', content: 'TZif2 berlin' },
              { path: 'usr/share/zoneinfo/CET', type: 'hardlink', target: 'usr/share/zoneinfo/Europe/Paris' },
              { path: 'usr/share/zoneinfo/posix', type: 'symlink', target: '.' },
              { path: 'etc/localtime', type: 'symlink', target: '/usr/share/zoneinfo/Europe/Paris' },
              { path: 'var/empty/', type: 'dir' },
              { path: 'usr/share/doc/readme', content: 'dropped' },
              { path: 'usr/share/doc/link', type: 'symlink', target: 'readme' },
            ],
          },
        ],
        containerConfig: { Entrypoint: ['/app/hello'] },
      },
      'file-counts',
    );
    const dir = scratchDir('file-counts');
    const audit = path.join(dir, 'audit.json');
    const result = await runCliInProcess(['slim', image, '-o', path.join(dir, 'out.tar'), '--keep', '/usr/share/zoneinfo', '--audit', audit, '-f', 'json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const slim = JSON.parse(result.stdout).slim;
    const totals = JSON.parse(readFileSync(audit, 'utf8')).totals;
    const auditFiles = JSON.parse(readFileSync(audit, 'utf8')).files.filter((file: { type: string }) => file.type !== 'directory');

    expect(slim.after.files).toBe(slim.kept.length);
    expect(totals.files).toEqual({ kept: slim.kept.length, created: slim.created, dropped: slim.dropped.count });
    expect(slim.before.files).toBe(slim.kept.length - slim.created + slim.dropped.count);
    expect(slim.before.files).toBe(auditFiles.filter((file: { change: string | null }) => file.change !== 'added').length);
    expect(slim.kept.map((file: { path: string }) => file.path)).toEqual(
      auditFiles.filter((file: { kept: boolean }) => file.kept).map((file: { path: string }) => file.path).sort(),
    );
    // Directories are not files: /var/empty and /usr/share/zoneinfo/Europe are in the audit only.
    expect(slim.kept.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining(['/usr/share/zoneinfo/CET', '/usr/share/zoneinfo/posix', '/usr/share/zoneinfo/Europe/Berlin']));
    expect(slim.kept.some((file: { path: string }) => file.path === '/usr/share/zoneinfo/Europe')).toBe(false);
    expect(slim.dropped.count).toBeGreaterThanOrEqual(2);

    const text = await runCliInProcess(['slim', image, '--dry-run', '--keep', '/usr/share/zoneinfo', '-q']);
    expect(text.stdout).toContain(`Kept (${slim.kept.length})`);
    expect(text.stdout).toMatch(new RegExp(`kept\\s+${slim.kept.length} files`));
  });
});
