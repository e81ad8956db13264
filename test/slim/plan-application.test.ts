/**
 * The application's own directory: the directory of the script an interpreter runs, the
 * WorkingDir of an interpreter, and node's node_modules and package.json on the way up; never a
 * shared hierarchy directory. A native program's neighbours are a risk, not kept.
 */
import { describe, expect, test } from 'vitest';
import type { ImageSpec } from '../helpers/image-builder.js';
import { baseLayer, canBuildC, compileC, programEntry } from './_host-images.js';
import { layer, planHarness, reasonsOf, risks } from './_plan.js';

const plan = planHarness('application');

function image(entries: ImageSpec['layers'][number]['entries'], config: Record<string, unknown>): ImageSpec {
  return { layers: [layer(baseLayer({ tmp: true })), layer(entries)], containerConfig: { Cmd: null, ...config } };
}

describe.skipIf(!canBuildC)('application directories', () => {
  test('python running a script keeps the script directory and the WorkingDir; files elsewhere stay out', async () => {
    const entries = [
      programEntry('usr/bin/python3.11', compileC('hello')),
      { path: 'srv/app/main.py', content: 'import helpers\n' },
      { path: 'srv/app/helpers.py', content: 'X = 1\n' },
      { path: 'srv/app/templates/index.html', content: '<p>hi</p>\n' },
      { path: 'work/data.csv', content: 'a,b\n' },
      { path: 'elsewhere/unused.py', content: '\n' },
    ];
    const { plan: p } = await plan(image(entries, { Entrypoint: ['python3.11', '/srv/app/main.py'], WorkingDir: '/work' }));
    expect(reasonsOf(p, '/srv/app/helpers.py')).toEqual(['application directory: the directory of /srv/app/main.py, which python runs (its own modules and files)']);
    expect(p.kept.has('/srv/app/templates/index.html')).toBe(true);
    expect(reasonsOf(p, '/work/data.csv')).toEqual(['application directory: WorkingDir of the config, where python resolves relative imports and files']);
    expect(p.kept.has('/elsewhere/unused.py')).toBe(false);
    // `-m`: no script runs; the WorkingDir is where the module comes from.
    const { plan: module } = await plan(image(entries, { Entrypoint: ['python3.11', '-m', 'helpers'], WorkingDir: '/srv/app' }));
    expect(module.kept.has('/srv/app/helpers.py')).toBe(true);
  });

  test("node keeps the script's directory and every node_modules and package.json on the way up", async () => {
    const { plan: p } = await plan(
      image(
        [
          programEntry('usr/bin/node', compileC('hello')),
          { path: 'app/package.json', content: '{"type":"module"}\n' },
          { path: 'app/node_modules/express/index.js', content: 'export default 1;\n' },
          { path: 'app/dist/index.js', content: 'import "express";\n' },
          { path: 'app/README.md', content: 'docs\n' },
        ],
        { Entrypoint: ['node', 'dist/index.js'], WorkingDir: '/app' },
      ),
    );
    expect(p.kept.has('/app/dist/index.js')).toBe(true);
    expect(p.kept.has('/app/node_modules/express/index.js')).toBe(true);
    expect(p.kept.has('/app/package.json')).toBe(true);
  });

  test('a native program keeps only what names it; what is dropped beside it in a directory of its own is a risk', async () => {
    const own = await plan(
      image([programEntry('app/server', compileC('hello')), { path: 'app/templates/page.html', content: '<p>x</p>\n' }], { Entrypoint: ['/app/server'] }),
    );
    expect(own.plan.kept.has('/app/templates/page.html')).toBe(false);
    expect(risks(own.plan)).toContain("/app/server: a file beside it is dropped (/app/templates/page.html): a program that opens files by a relative path or from its own directory needs them: --probe /app/server or --keep '/app/**'");
    const shared = await plan(image([programEntry('usr/local/bin/server', compileC('hello')), programEntry('usr/local/bin/other', compileC('hello'))], { Entrypoint: ['/usr/local/bin/server'] }));
    expect(shared.plan.kept.has('/usr/local/bin/other')).toBe(false);
    expect(risks(shared.plan).some((risk) => risk.includes('beside it'))).toBe(false);
  });
});
