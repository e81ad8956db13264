/** Small builders of styled lines shared by every section. */
import { pad, wrap } from '../format/text-width.js';
import type { Line, Tone } from '../types.js';

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
