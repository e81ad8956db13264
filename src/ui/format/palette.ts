/**
 * One palette for both renderers: each tone maps to an SGR code (plain text with colour) and
 * an Ink colour name. Colour is decided once per run (see `colorEnabled`).
 */
import type { Line, Tone } from '../types.js';

export const TONE_COLORS: Readonly<Record<Tone, { sgr: string; ink: string }>> = {
  error: { sgr: '31', ink: 'red' },
  warning: { sgr: '33', ink: 'yellow' },
  info: { sgr: '36', ink: 'cyan' },
  ok: { sgr: '32', ink: 'green' },
  accent: { sgr: '35', ink: 'magenta' },
  muted: { sgr: '90', ink: 'gray' },
  kept: { sgr: '32', ink: 'green' },
  dropped: { sgr: '31', ink: 'red' },
};

/** Joins a line's segments, with SGR colour and bold only when `color` is on. */
export function lineToString(line: Line, color: boolean): string {
  let out = '';
  for (const segment of line) {
    const codes: string[] = [];
    if (color && segment.bold) codes.push('1');
    if (color && segment.tone) codes.push(TONE_COLORS[segment.tone].sgr);
    out += codes.length > 0 && segment.text ? `\x1b[${codes.join(';')}m${segment.text}\x1b[0m` : segment.text;
  }
  return out;
}

/** Plain text of a line, styles dropped. */
export function lineText(line: Line): string {
  return line.map((segment) => segment.text).join('');
}

/** Text in a tone's colour (SGR), for renderers outside ui/ that take a painter (check's text report). */
export function paintTone(text: string, tone: Tone): string {
  return lineToString([{ text, tone }], true);
}
