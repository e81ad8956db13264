/**
 * The byte-task worker pool (compiled: workers load dist/): results come back, many chunks
 * respect flow control, every byte arrives in order through the shared ring (the source's buffer stays
 * usable), errors thrown in a task keep class and code, a failing source aborts the task, and a
 * worker is reused after a failure. A local file range is read by the worker itself, which
 * checks its size and digest; so does it for a stream whose expected bytes the job names.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { testTmp } from '../helpers/tools.js';

interface FileSource {
  file: { path: string; offset: number; size: number; digest: string; label: string };
  onRead?: (bytes: number) => void;
}
interface StreamSource {
  stream: AsyncIterable<Uint8Array>;
  expected: { digest: string; size: number; label: string };
  onRead?: (bytes: number) => void;
}
interface Pool {
  run<R>(module: URL, options: unknown, source: AsyncIterable<Uint8Array> | FileSource | StreamSource): Promise<R>;
  close(): Promise<void>;
}
let WorkerPool: new (size: number) => Pool;
let prestartWorkers: (size: number, module: URL) => void;
let takeWorkers: (size: number) => (Pool & { size: number }) | null;
let task: URL;
let hashTask: URL;

beforeAll(async () => {
  ensureBuilt();
  ({ WorkerPool, prestartWorkers, takeWorkers } = (await import(pathToFileURL(path.join(repoRoot, 'dist', 'archive', 'index.js')).href)) as {
    WorkerPool: typeof WorkerPool;
    prestartWorkers: typeof prestartWorkers;
    takeWorkers: typeof takeWorkers;
  });
  // A task module as a worker loads it: counts bytes and sums them; fails on a byte 0xEE, or at the end when asked.
  const dir = testTmp('worker-pool');
  mkdirSync(dir, { recursive: true });
  const errors = pathToFileURL(path.join(repoRoot, 'dist', 'shared', 'errors.js')).href;
  writeFileSync(
    path.join(dir, 'sum-task.mjs'),
    `import { InputError } from ${JSON.stringify(errors)};
export function createTask(options) {
  let bytes = 0, sum = 0, abandoned = false;
  return {
    write(chunk) { for (const b of chunk) { if (b === 0xee) throw new InputError('bad byte at ' + bytes, { code: 'E_TEST' }); sum += b; bytes++; } },
    end() { if (options.failAtEnd) throw new Error('end failed'); return { bytes, sum, label: options.label }; },
    abandon() { abandoned = true; },
  };
}
`,
  );
  task = pathToFileURL(path.join(dir, 'sum-task.mjs'));
  // Hashes the bytes in the order they arrive.
  writeFileSync(
    path.join(dir, 'hash-task.mjs'),
    `import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
export function createTask() {
  const hash = createHash('sha256');
  return { write(chunk) { hash.update(chunk); }, end() { return hash.digest('hex'); }, abandon() {} };
}
`,
  );
  hashTask = pathToFileURL(path.join(dir, 'hash-task.mjs'));
});

async function* chunks(count: number, size: number, fill = 1): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield new Uint8Array(size).fill(fill);
}

describe('WorkerPool', () => {
  it('streams many chunks to tasks in parallel and returns their results in order', async () => {
    const pool = new WorkerPool(2);
    try {
      const results = await Promise.all([1, 2, 3].map((n) => pool.run(task, { label: `job ${n}` }, chunks(40, 1 << 18, n))));
      expect(results).toEqual([1, 2, 3].map((n) => ({ bytes: 40 << 18, sum: n * (40 << 18), label: `job ${n}` })));
    } finally {
      await pool.close();
    }
  });

  it('copies chunks that are views into a larger buffer, leaving the source buffer intact', async () => {
    const pool = new WorkerPool(1);
    const shared = new Uint8Array(1000).fill(2);
    async function* views() {
      yield shared.subarray(0, 500);
      yield shared.subarray(500);
    }
    try {
      expect(await pool.run(task, { label: 'views' }, views())).toEqual({ bytes: 1000, sum: 2000, label: 'views' });
      expect(shared.byteLength).toBe(1000);
      expect(shared[999]).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects with the task error (class and code kept) and reuses the worker', async () => {
    const pool = new WorkerPool(1);
    try {
      async function* bad() {
        yield new Uint8Array([1, 2, 3]);
        yield new Uint8Array([0xee]);
        yield* chunks(100, 1 << 16);
      }
      await expect(pool.run(task, {}, bad())).rejects.toMatchObject({ name: 'InputError', code: 'E_TEST', exitCode: 3, message: 'bad byte at 3' });
      await expect(pool.run(task, { failAtEnd: true }, chunks(2, 10))).rejects.toMatchObject({ message: 'end failed' });
      expect(await pool.run(task, { label: 'after' }, chunks(1, 10))).toEqual({ bytes: 10, sum: 10, label: 'after' });
    } finally {
      await pool.close();
    }
  });

  it('passes a source error through and keeps working', async () => {
    const pool = new WorkerPool(1);
    try {
      async function* failing() {
        yield new Uint8Array(10);
        throw Object.assign(new Error('disk gone'), { code: 'EIO' });
      }
      await expect(pool.run(task, {}, failing())).rejects.toMatchObject({ message: 'disk gone', code: 'EIO' });
      expect(await pool.run(task, { label: 'next' }, chunks(1, 5))).toEqual({ bytes: 5, sum: 5, label: 'next' });
    } finally {
      await pool.close();
    }
  });
});

describe('WorkerPool with a file range', () => {
  // 3 MiB of bytes 1..5 behind a 100-byte prefix: the range is read in several chunks.
  const body = new Uint8Array(3 << 20).map((_, i) => (i % 5) + 1);
  const sum = body.reduce((a, b) => a + b, 0);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  let file: string;
  beforeAll(() => {
    const dir = testTmp('worker-pool');
    mkdirSync(dir, { recursive: true });
    file = path.join(dir, 'range.bin');
    writeFileSync(file, Buffer.concat([Buffer.alloc(100, 0xee), body]));
  });
  const range = (changes: Partial<FileSource['file']> = {}) => ({ path: file, offset: 100, size: body.length, digest, label: 'blob X', ...changes });

  it('reads the range in the worker, feeds the task and reports progress', async () => {
    const pool = new WorkerPool(1);
    let read = 0;
    try {
      expect(await pool.run(task, { label: 'file' }, { file: range(), onRead: (bytes) => (read += bytes) })).toEqual({ bytes: body.length, sum, label: 'file' });
      expect(read).toBe(body.length);
    } finally {
      await pool.close();
    }
  });

  it('fails with IntegrityError on a digest mismatch, InputError when the file is short, and keeps working', async () => {
    const pool = new WorkerPool(1);
    const other = `sha256:${'0'.repeat(64)}`;
    try {
      await expect(pool.run(task, {}, { file: range({ digest: other }) })).rejects.toMatchObject({
        name: 'IntegrityError',
        code: 'E_DIGEST_MISMATCH',
        exitCode: 4,
        message: `blob X: digest mismatch: expected ${other}, got ${digest}`,
      });
      await expect(pool.run(task, {}, { file: range({ size: body.length + 1 }) })).rejects.toMatchObject({ name: 'InputError', code: 'E_TRUNCATED' });
      await expect(pool.run(task, {}, { file: range({ path: `${file}.missing` }) })).rejects.toMatchObject({ name: 'InputError', code: 'E_OPEN' });
      expect(await pool.run(task, { label: 'after' }, { file: range() })).toEqual({ bytes: body.length, sum, label: 'after' });
    } finally {
      await pool.close();
    }
  });
});

describe('WorkerPool with a stream the worker verifies', () => {
  // 2.5 MiB in 100 KiB pieces (an HTTP body's shape): several ring slots.
  const body = new Uint8Array(5 << 19).map((_, i) => (i % 7) + 1);
  const sum = body.reduce((a, b) => a + b, 0);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  async function* pieces(bytes: Uint8Array = body): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += 100 << 10) yield bytes.slice(at, at + (100 << 10));
  }
  const expected = (changes: Partial<StreamSource['expected']> = {}) => ({ digest, size: body.length, label: 'blob Y', ...changes });

  it('feeds the task, reports progress from the acks, and passes bytes of the right size and digest', async () => {
    const pool = new WorkerPool(1);
    let read = 0;
    try {
      expect(await pool.run(task, { label: 'stream' }, { stream: pieces(), expected: expected(), onRead: (bytes) => (read += bytes) })).toEqual({ bytes: body.length, sum, label: 'stream' });
      expect(read).toBe(body.length);
    } finally {
      await pool.close();
    }
  });

  it('fails with IntegrityError on a digest mismatch, on bytes short of or past the size, and keeps working', async () => {
    const pool = new WorkerPool(1);
    const other = `sha256:${'0'.repeat(64)}`;
    try {
      await expect(pool.run(task, {}, { stream: pieces(), expected: expected({ digest: other }) })).rejects.toMatchObject({
        name: 'IntegrityError',
        code: 'E_DIGEST_MISMATCH',
        exitCode: 4,
        message: `blob Y: digest mismatch: expected ${other}, got ${digest}`,
      });
      await expect(pool.run(task, {}, { stream: pieces(), expected: expected({ size: body.length + 1 }) })).rejects.toMatchObject({ name: 'IntegrityError', code: 'E_SIZE_MISMATCH' });
      await expect(pool.run(task, {}, { stream: pieces(), expected: expected({ size: body.length - 1 }) })).rejects.toMatchObject({ name: 'IntegrityError', code: 'E_SIZE_MISMATCH' });
      expect(await pool.run(task, { label: 'after' }, { stream: pieces(), expected: expected() })).toEqual({ bytes: body.length, sum, label: 'after' });
      // A plain stream after a checked one is not checked against the last job's bytes.
      expect(await pool.run(task, { label: 'plain' }, pieces(body.subarray(0, 1000)))).toMatchObject({ bytes: 1000, label: 'plain' });
    } finally {
      await pool.close();
    }
  });
});

describe('prestarted workers', () => {
  it('are taken by the next takeWorkers of the same count, which otherwise makes a new pool or none', async () => {
    prestartWorkers(2, task);
    const taken = takeWorkers(2)!;
    try {
      expect(taken.size).toBe(2);
      expect(await taken.run(task, { label: 'early' }, chunks(3, 100))).toEqual({ bytes: 300, sum: 300, label: 'early' });
    } finally {
      await taken.close();
    }
    prestartWorkers(2, task);
    const other = takeWorkers(1)!;
    try {
      expect(other.size).toBe(1);
      expect(await other.run(task, { label: 'one' }, chunks(1, 10))).toEqual({ bytes: 10, sum: 10, label: 'one' });
    } finally {
      await other.close();
    }
    prestartWorkers(2, task);
    expect(takeWorkers(0)).toBeNull();
    expect(takeWorkers(0)).toBeNull();
  });

  it('do not keep a process alive that never gives them a job (imgslim slim --help)', () => {
    const pool = pathToFileURL(path.join(repoRoot, 'dist', 'archive', 'worker-pool.js')).href;
    const script = `import { prestartWorkers } from ${JSON.stringify(pool)}; prestartWorkers(2, new URL(${JSON.stringify(task.href)}));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
  });
});

describe('the main thread young generation', () => {
  // V8 grows the main heap's new space to 32 MiB under churn. Once a worker has come online the
  // pool holds it at its start size (a new isolate resets the growth factor, so the pool sets it
  // as each worker comes online), and it stays there after the workers have exited.
  const newSpaceAfterChurn = (when: 'no pool' | 'pool open' | 'pool closed') => {
    const pool = pathToFileURL(path.join(repoRoot, 'dist', 'archive', 'worker-pool.js')).href;
    const script = `import v8 from 'node:v8';
import { WorkerPool } from ${JSON.stringify(pool)};
const when = ${JSON.stringify(when)};
const pool = when === 'no pool' ? null : new WorkerPool(2);
await pool?.run(new URL(${JSON.stringify(task.href)}), { label: 'x' }, (async function* () { yield new Uint8Array(8); })());
if (when === 'pool closed') await pool.close();
let live = [];
for (let i = 0; i < 3e6; i++) { live.push({ i, s: 'x' + i }); if (live.length > 1000) live = []; }
console.log(v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size);
await pool?.close();`;
    // A file, not -e: workers inherit the process's exec arguments, and --input-type fails them.
    const file = path.join(testTmp('worker-pool'), `young-generation-${when.replace(' ', '-')}.mjs`);
    writeFileSync(file, script);
    const run = spawnSync(process.execPath, [file], { timeout: 30_000, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return Number(run.stdout) / 2 ** 20;
  };

  it('stays at its start size while workers run and after they have exited', () => {
    expect(newSpaceAfterChurn('no pool')).toBeGreaterThanOrEqual(16);
    expect(newSpaceAfterChurn('pool open')).toBeLessThanOrEqual(4);
    expect(newSpaceAfterChurn('pool closed')).toBeLessThanOrEqual(4);
  });
});

describe('WorkerPool ring', () => {
  // Pieces of every size around the 1 MiB slot and the 4 MiB ring, through one source buffer the
  // source overwrites as soon as each piece has been taken.
  const sizes = [100, 900, 1500, (1 << 20) - 2500, 1 << 20, 3, (4 << 20) + 7, 65_536, 10 << 20, 1];
  const bytes = new Uint8Array(sizes.reduce((a, b) => a + b, 0)).map((_, i) => (i * 7 + (i >> 16)) & 0xff);
  const digest = createHash('sha256').update(bytes).digest('hex');
  async function* pieces(failAfter = Infinity) {
    const buffer = new Uint8Array(Math.max(...sizes));
    let at = 0;
    for (const [n, size] of sizes.entries()) {
      if (n === failAfter) throw new Error('source failed');
      buffer.set(bytes.subarray(at, at + size));
      yield buffer.subarray(0, size);
      buffer.fill(0xee, 0, size);
      at += size;
    }
  }

  it('delivers every byte in order whatever the chunk sizes, and after a job that stopped with bytes in flight', async () => {
    const pool = new WorkerPool(1);
    try {
      expect(await pool.run(hashTask, {}, pieces())).toBe(digest);
      await expect(pool.run(hashTask, {}, pieces(7))).rejects.toMatchObject({ message: 'source failed' });
      expect(await pool.run(hashTask, {}, pieces())).toBe(digest);
    } finally {
      await pool.close();
    }
  });
});
