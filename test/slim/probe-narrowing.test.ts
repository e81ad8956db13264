/**
 * With probes, a program the probes ran keeps, of what the static rules add for it, only the
 * programs and shared objects the probes touched: its package's private helpers, the other plugins
 * of a plugin's directory, the tree of a directory its config names, the programs its strings name. Data files stay; what was left out is a
 * risk naming the --keep that keeps it; without narrowing (or when the program did not run under
 * the probes) the static rules keep everything.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/peer-corpus.js';
import { baseLayer, canBuildC, compileC, programEntry } from './_host-images.js';
import { dpkgDatabase } from './_dpkg.js';
import { compile, layer, planHarness, reasonsOf, risks } from './_plan.js';
import { scratch } from './_support.js';
import type { ExtraPath } from '../../src/slim/index.js';

const plan = planHarness('narrowing');
const TOOL_C = `#include <unistd.h>
int main(int argc, char **argv) { if (argc > 1) execlp("tool-extra", "tool-extra", (char *)0); return 0; }
`;

function sharedObject(name: string): string {
  const dir = scratch('plan/narrowing-plugins');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${name}.so`);
  execFileSync('gcc', ['-O2', '-fPIC', '-shared', '-o', out, path.join(repoRoot, 'native', 'libgreet.c')]);
  return out;
}

describe.skipIf(!canBuildC)('probe narrowing', () => {
  const image = () => ({
    layers: [
      layer(baseLayer({ tmp: true })),
      layer([
        programEntry('usr/bin/tool', compile('narrowing-tool', TOOL_C)),
        programEntry('usr/lib/tool/tool-fetch', compileC('hello')),
        programEntry('usr/lib/tool/tool-push', compileC('hello')),
        { path: 'usr/lib/tool/tool-sh-lib', content: 'helpers() { :; }\n', mode: 0o644 },
        { path: 'usr/share/tool/templates/description', content: 'unnamed\n' },
        programEntry('usr/bin/tool-extra', compileC('hello')),
        programEntry('usr/lib/tool/plugins/a.so', sharedObject('a')),
        programEntry('usr/lib/tool/plugins/b.so', sharedObject('b')),
        { path: 'usr/lib/tool/plugins/b.la', content: "dlname='b.so'\n" },
        { path: 'etc/tool/policy.xml', content: '<policymap/>\n' },
        { path: 'etc/tool/tool.conf', content: 'filter-path /usr/lib/tool/filters\n' },
        programEntry('usr/lib/tool/filters/sharpen.so', sharedObject('sharpen')),
        ...dpkgDatabase([
          {
            name: 'tool',
            source: 'tool',
            conffiles: ['/etc/tool/tool.conf'],
            files: ['/etc/tool/tool.conf', '/usr/bin/tool', '/usr/lib/tool', '/usr/lib/tool/tool-fetch', '/usr/lib/tool/tool-push', '/usr/lib/tool/tool-sh-lib', '/usr/share/tool', '/usr/share/tool/templates', '/usr/share/tool/templates/description'],
          },
          { name: 'tool-plugins', source: 'plugins', files: ['/usr/lib/tool/plugins', '/usr/lib/tool/plugins/a.so', '/usr/lib/tool/plugins/b.so', '/usr/lib/tool/plugins/b.la', '/etc/tool/policy.xml'], conffiles: ['/etc/tool/policy.xml'] },
        ]),
      ]),
    ],
    containerConfig: { Entrypoint: ['/usr/bin/tool'], Cmd: null },
  });
  const probed = (paths: string[]): ExtraPath[] => paths.map((item) => ({ path: item, reason: "used by probe 'tool x'" }));

  test('helpers, sibling plugins and programs run by name that the probed program never used are left out, with a risk', async () => {
    const used = probed(['/usr/bin/tool', '/usr/lib/tool/tool-fetch', '/usr/lib/tool/plugins', '/usr/lib/tool/plugins/a.so']);
    const { plan: p } = await plan(image(), { extraPaths: used, narrowToProbes: true });
    expect(p.kept.has('/usr/lib/tool/tool-fetch')).toBe(true);
    expect(p.kept.has('/usr/lib/tool/plugins/a.so')).toBe(true);
    for (const left of ['/usr/lib/tool/tool-push', '/usr/lib/tool/plugins/b.so', '/usr/bin/tool-extra', '/usr/lib/tool/filters/sharpen.so']) expect(p.kept.has(left), left).toBe(false);
    // Data stays: a sourced shell library without x, templates, a libtool .la, the plugin family's policy.
    for (const data of ['/usr/lib/tool/tool-sh-lib', '/usr/share/tool/templates/description', '/usr/lib/tool/plugins/b.la', '/etc/tool/policy.xml']) expect(p.kept.has(data), data).toBe(true);
    expect(risks(p)).toEqual(
      expect.arrayContaining([
        "/usr/bin/tool: the probes ran /usr/bin/tool and never used these programs of tool's /usr/lib/tool, so they were left out: /usr/lib/tool/tool-push; a workload the probes did not cover may need them: --keep /usr/lib/tool/tool-push (or --keep-unprobed) keeps them",
        '/usr/lib/tool/plugins/a.so: the probes loaded /usr/lib/tool/plugins/a.so and no other plugin of /usr/lib/tool/plugins, so they were left out: /usr/lib/tool/plugins/b.so; a workload the probes did not cover may need them: --keep /usr/lib/tool/plugins/b.so (or --keep-unprobed) keeps them',
        '/usr/bin/tool: the probes ran /usr/bin/tool and it never ran these programs its strings name, so they were left out: /usr/bin/tool-extra; a workload the probes did not cover may need them: --keep /usr/bin/tool-extra (or --keep-unprobed) keeps them',
        '/usr/bin/tool: the probes ran /usr/bin/tool and used no other program or plugin of /usr/lib/tool/filters, which /etc/tool/tool.conf names, so they were left out: /usr/lib/tool/filters/sharpen.so; a workload the probes did not cover may need them: --keep /usr/lib/tool/filters/sharpen.so (or --keep-unprobed) keeps them',
      ]),
    );
  });

  test('without narrowing, or when the probes never ran the program, the static rules keep everything', async () => {
    const used = probed(['/usr/bin/tool', '/usr/lib/tool/plugins/a.so']);
    const wide = await plan(image(), { extraPaths: used });
    const idle = await plan(image(), { extraPaths: probed(['/usr/share/tool/templates/description']), narrowToProbes: true });
    for (const { plan: p } of [wide, idle]) {
      expect(reasonsOf(p, '/usr/lib/tool/tool-push')[0]).toMatch(/^data of tool/);
      expect(reasonsOf(p, '/usr/bin/tool-extra')).toEqual(['run by name by /usr/bin/tool (found in PATH as /usr/bin/tool-extra)']);
      expect(risks(p).some((risk) => risk.includes('left out'))).toBe(false);
    }
    expect(wide.plan.kept.has('/usr/lib/tool/plugins/b.so')).toBe(true);
    expect(wide.plan.kept.has('/usr/lib/tool/filters/sharpen.so')).toBe(true);
  });
});
