/** In-memory terminals for presentReport and progress tests: captured output, optional TTY flags. */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Terminal } from '../../src/ui/index.js';

export class CapturedOutput extends EventEmitter {
  text = '';
  constructor(
    public isTTY: boolean,
    public columns?: number,
    public rows?: number,
  ) {
    super();
  }
  write = (chunk: string | Uint8Array): boolean => {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  };
}

export type KeyboardInput = PassThrough & { isTTY: boolean; setRawMode(mode: boolean): void; ref(): void; unref(): void; rawMode: boolean };

function keyboard(isTTY: boolean): KeyboardInput {
  const stream = new PassThrough() as KeyboardInput;
  stream.isTTY = isTTY;
  stream.rawMode = false;
  if (isTTY) {
    stream.setRawMode = (mode: boolean) => {
      stream.rawMode = mode;
    };
  }
  stream.ref = () => {};
  stream.unref = () => {};
  return stream;
}

export interface FakeTerminal extends Terminal {
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  stdin: KeyboardInput;
}

export function fakeTerminal(options: { tty?: boolean; stdinTty?: boolean; stderrTty?: boolean; columns?: number; rows?: number; env?: NodeJS.ProcessEnv } = {}): FakeTerminal {
  const tty = options.tty ?? false;
  return {
    stdout: new CapturedOutput(tty, tty ? (options.columns ?? 100) : undefined, tty ? (options.rows ?? 30) : undefined),
    stderr: new CapturedOutput(options.stderrTty ?? tty, options.columns ?? 100),
    stdin: keyboard(options.stdinTty ?? tty),
    env: options.env ?? {},
  };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/;
