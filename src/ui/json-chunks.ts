/**
 * `JSON.stringify(value, null, 2)` as a sequence of pieces, so that a large report is written
 * without first building one string the size of the whole output (and its garbage). The
 * concatenation of the pieces is byte-identical to JSON.stringify's output.
 */

/**
 * Objects at this depth or deeper are stringified whole: a report's binaries, layers and
 * filesystem entries (at most a few hundred KB each). Arrays are split at every depth, so that
 * a long list (filesystem.entries) never becomes one piece: 11 MB more peak RSS on the 2×
 * bench image when it did.
 */
const SPLIT_DEPTH = 2;

export function* jsonChunks(value: unknown, depth = 0): Generator<string> {
  const whole = Array.isArray(value) ? value.length === 0 : depth >= SPLIT_DEPTH;
  if (whole || value === null || typeof value !== 'object' || hasToJson(value)) {
    yield nestedJson(value, depth);
    return;
  }
  const indent = '  '.repeat(depth);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      // JSON.stringify writes undefined, functions and symbols in arrays as null.
      const item = value[i] === undefined || typeof value[i] === 'function' || typeof value[i] === 'symbol' ? null : value[i];
      yield* jsonChunks(item, depth + 1);
    }
    yield `\n${indent}]`;
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
    yield* jsonChunks(item, depth + 1);
  }
  yield `\n${indent}}`;
}

/**
 * `value` as JSON.stringify(…, null, 2) writes it `depth` levels deep: stringified inside
 * `depth` one-element arrays, whose brackets are then cut off. V8 indents it in one call: the
 * bench image's JSON took half the time it did when a shallow stringify's lines were re-indented
 * afterwards (docs/benchmarks.md, sixth session).
 */
function nestedJson(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Level i (1-based) opens with "[\n" and 2i spaces, and closes with "\n", 2(i-1) spaces and "]".
  const opening = depth * (depth + 3);
  const closing = depth * (depth + 1);
  return depth === 0 ? text : text.slice(opening, text.length - closing);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
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
