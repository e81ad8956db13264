/** Small builders of styled lines shared by every section. */
import { displayWidth, pad, wrap } from '../format/text-width.js';
import type { Line, Segment, Tone } from '../types.js';

export const LABEL_WIDTH = 12;

/** `label      value`, the value word-wrapped under itself. */
export function field(label: string, value: string, width: number, tone?: Tone, indent = 2): Line[] {
  const prefix = ' '.repeat(indent);
  const valueWidth = Math.max(10, width - indent - LABEL_WIDTH - 1);
  return wrap(value, valueWidth).map((text, i) => [
    { text: prefix + (i === 0 ? pad(label, LABEL_WIDTH) : ' '.repeat(LABEL_WIDTH)) + ' ', tone: 'muted' as const },
    { text, tone },
  ]);
}

/** A section title, e.g. `Binaries (42)`. */
export function title(text: string): Line {
  return [{ text, bold: true, tone: 'accent' }];
}

/** Free text word-wrapped at `indent`. */
export function paragraph(text: string, width: number, tone?: Tone, indent = 2, marker = ''): Line[] {
  const prefix = ' '.repeat(indent);
  const continuation = ' '.repeat(indent + marker.length);
  return wrap(text, Math.max(10, width - indent - marker.length)).map((part, i) => [
    { text: i === 0 ? prefix + marker : continuation, tone },
    { text: part, tone },
  ]);
}

export const blank = (): Line => [{ text: '' }];

/** Packs groups of segments onto lines of `width`, two spaces apart; later lines start at `indent`. */
export function pack(groups: Segment[][], width: number, indent = 0): Line[] {
  const lines: Line[] = [];
  let current: Line = [];
  let used = 0;
  for (const group of groups) {
    const groupWidth = group.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
    if (current.length > 0 && used + 2 + groupWidth > width) {
      lines.push(current);
      current = [{ text: ' '.repeat(indent) }];
      used = indent;
    } else if (current.length > 0) {
      current.push({ text: '  ' });
      used += 2;
    }
    current.push(...group);
    used += groupWidth;
  }
  if (current.length > 0) lines.push(current);
  return lines;
}
