/**
 * A loopback docker-registry for the bench (issue 11): started once per bench run with the OCI
 * bench image pushed by skopeo, so `analyze docker://…` is timed against `analyze` of the same
 * OCI layout in the same rounds. No project imports.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/v2/', timeout: 1000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

/** Starts the registry under `dir` and pushes `layout`; returns { reference, stop }. */
export async function startBenchRegistry(dir, layout) {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'data')}`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill())));
  for (let tries = 0; !(await answers(port)); tries++) {
    if (child.exitCode !== null || tries > 100) {
      await stop();
      throw new Error('docker-registry did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reference = `docker://127.0.0.1:${port}/bench/image:1`;
  const copy = spawnSync('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${layout}`, reference], { encoding: 'utf8' });
  if (copy.status !== 0) {
    await stop();
    throw new Error(`skopeo copy into the bench registry failed: ${copy.stderr}`);
  }
  return { reference, stop };
}
