/**
 * `JSON.stringify(value, null, 2)` as a sequence of pieces, so that a large report is written
 * without first building one string the size of the whole output (and its garbage). The
 * concatenation of the pieces is byte-identical to JSON.stringify's output.
 */

/** Objects and arrays above this depth are stringified whole (their elements are small). */
const SPLIT_DEPTH = 3;

export function* jsonChunks(value: unknown, indent = '', depth = 0): Generator<string> {
  const json = (v: unknown) => JSON.stringify(v, null, 2).replace(/\n/g, `\n${indent}`);
  if (depth >= SPLIT_DEPTH || value === null || typeof value !== 'object' || isEmpty(value)) {
    yield json(value);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      // JSON.stringify writes undefined, functions and symbols in arrays as null.
      const item = value[i] === undefined || typeof value[i] === 'function' || typeof value[i] === 'symbol' ? null : value[i];
      yield* jsonChunks(item, inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield json(value);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* jsonChunks(item, inner, depth + 1);
  }
  yield `\n${indent}}`;
}

function isEmpty(value: object): boolean {
  return Array.isArray(value) ? value.length === 0 : false;
}

/** Writes `value` as pretty JSON plus a newline through `write`, in pieces of about 64 KiB. */
export function writeJson(value: unknown, write: (text: string) => void): void {
  let buffer = '';
  for (const piece of jsonChunks(value)) {
    buffer += piece;
    if (buffer.length >= 65536) {
      write(buffer);
      buffer = '';
    }
  }
  write(`${buffer}\n`);
}
