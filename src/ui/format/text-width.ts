/**
 * Terminal cell widths without a dependency: ASCII fast path, zero-width marks and joiners,
 * double-width East Asian and emoji ranges. Used to align columns and truncate paths.
 */

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\u200b\ufe00-\ufe0f]/u;

/** [start, end] code point ranges printed two cells wide. */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x2614, 0x2615],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function codePointWidth(codePoint: number, char: string): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if (codePoint < 0x300) return 1;
  if (ZERO_WIDTH.test(char)) return 0;
  for (const [start, end] of WIDE_RANGES) {
    if (codePoint < start) return 1;
    if (codePoint <= end) return 2;
  }
  return 1;
}

/** Number of terminal cells `text` occupies. */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0) ?? 0, char);
  return width;
}

/** The longest prefix of `text` that fits in `width` cells. */
function takeStart(text: string, width: number): string {
  if (PRINTABLE_ASCII.test(text)) return text.slice(0, width);
  let used = 0;
  let end = 0;
  for (const char of text) {
    const w = codePointWidth(char.codePointAt(0) ?? 0, char);
    if (used + w > width) break;
    used += w;
    end += char.length;
  }
  return text.slice(0, end);
}

/** The longest suffix of `text` that fits in `width` cells. */
function takeEnd(text: string, width: number): string {
  if (PRINTABLE_ASCII.test(text)) return width <= 0 ? '' : text.slice(-width);
  const chars = Array.from(text);
  let used = 0;
  let start = chars.length;
  while (start > 0) {
    const char = chars[start - 1] ?? '';
    const w = codePointWidth(char.codePointAt(0) ?? 0, char);
    if (used + w > width) break;
    used += w;
    start--;
  }
  return chars.slice(start).join('');
}

const ELLIPSIS = '…';

/** Cuts the end off with `…` so that the result fits in `width` cells. */
export function truncateEnd(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  return takeStart(text, width - 1) + ELLIPSIS;
}

/**
 * Cuts the middle out with `…`, keeping a little more of the end, for labels whose start and
 * end both matter (progress: `layer 3/12 sha256:…`). Paths use truncatePath.
 */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? ELLIPSIS : '';
  const available = width - 1;
  const head = Math.floor(available * 0.4);
  const tail = takeEnd(text, available - head);
  const start = takeStart(text, available - displayWidth(tail));
  return start + ELLIPSIS + tail;
}

/**
 * Shortens a path from the left so that the end, the file name, stays whole:
 * `/usr/lib/x86_64-linux-gnu/tc/q_atm.so` → `…-linux-gnu/tc/q_atm.so`. Only a name wider
 * than `width` itself loses its start.
 */
export function truncatePath(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? ELLIPSIS : '';
  return ELLIPSIS + takeEnd(text, width - 1);
}

/** Pads with spaces to `width` cells (never truncates). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = width - displayWidth(text);
  if (fill <= 0) return text;
  return align === 'left' ? text + ' '.repeat(fill) : ' '.repeat(fill) + text;
}

/** Word-wraps `text` to `width` cells; words longer than a line are split. */
export function wrap(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    let rest = word;
    while (displayWidth(rest) > limit) {
      if (current) {
        lines.push(current);
        current = '';
      }
      // A character wider than the line still has to go somewhere.
      const head = takeStart(rest, limit) || String.fromCodePoint(rest.codePointAt(0) ?? 0x20);
      lines.push(head);
      rest = rest.slice(head.length);
    }
    if (!current) current = rest;
    else if (displayWidth(current) + 1 + displayWidth(rest) <= limit) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}
