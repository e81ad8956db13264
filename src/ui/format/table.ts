/**
 * Column layout shared by the text report and the terminal UI: natural widths, flexible
 * columns that shrink (paths lose their start, free text its end), and low-priority columns
 * that disappear when the width runs out. With an infinite width (plain text off a terminal)
 * every column is shown whole.
 */
import type { Line, Segment, Tone } from '../types.js';
import { displayWidth, pad, truncateEnd, truncatePath } from './text-width.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** 0: always shown; higher numbers are hidden first when the width runs out. */
  priority: number;
  /** A flexible column shrinks before any column is hidden: a path loses its start (the file name stays), free text its end. */
  flex?: 'path' | 'end';
  /** Narrowest a flexible column may get (default: its header, at least 8). */
  min?: number;
  /** At least this wide, so that a column does not jump as the visible rows change. */
  width?: number;
  /** Fraction of the line a flexible column keeps before the columns filled earlier take the rest. */
  share?: number;
}

export interface Cell {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export interface Table {
  columns: Column[];
  rows: Cell[][];
}

export interface TableLayout {
  header: Line;
  rows: Line[];
  /** Indices of the columns shown, in order. */
  visible: number[];
  widths: number[];
}

const GAP = 2;

function naturalWidths(table: Table): number[] {
  return table.columns.map((column, i) =>
    table.rows.reduce(
      (max, row) => Math.max(max, displayWidth(row[i]?.text ?? '')),
      Math.max(displayWidth(column.header), column.width ?? 0),
    ),
  );
}

function minWidth(column: Column, natural: number): number {
  if (!column.flex) return natural;
  return Math.min(natural, column.min ?? Math.max(displayWidth(column.header), 8));
}

/** Hides empty optional columns, then the least important ones until the narrowest layout fits in `width`. */
function chooseVisible(table: Table, natural: number[], width: number): number[] {
  const columns = table.columns;
  // An optional column with nothing in it (no binary has a problem) only costs room.
  const visible = columns.map((_, i) => i).filter((i) => columns[i]!.priority === 0 || table.rows.some((row) => (row[i]?.text ?? '') !== ''));
  for (;;) {
    const need = visible.reduce((sum, i) => sum + minWidth(columns[i]!, natural[i]!), 0) + GAP * (visible.length - 1);
    if (need <= width) return visible;
    let drop = -1;
    for (const i of visible) {
      const priority = columns[i]!.priority;
      if (priority > 0 && (drop < 0 || priority >= columns[drop]!.priority)) drop = i;
    }
    if (drop < 0) return visible;
    visible.splice(visible.indexOf(drop), 1);
  }
}

/**
 * Shares the width left by fixed columns among flexible ones: paths (cut from the left) before
 * free text (cut at the end, which takes the rest of the line), more important first. Each takes
 * up to its natural width while leaving the later ones their minimum (or their `share`).
 */
function assignWidths(columns: Column[], natural: number[], visible: number[], width: number): number[] {
  const widths = natural.slice();
  const fillOrder = (i: number) => (columns[i]!.flex === 'end' ? 1 : 0);
  const flexible = visible
    .filter((i) => columns[i]!.flex)
    .sort((a, b) => fillOrder(a) - fillOrder(b) || columns[a]!.priority - columns[b]!.priority || a - b);
  const fixed = visible.filter((i) => !columns[i]!.flex).reduce((sum, i) => sum + natural[i]!, 0);
  let remaining = width - fixed - GAP * (visible.length - 1);
  const reserve = (j: number) =>
    Math.min(natural[j]!, Math.max(minWidth(columns[j]!, natural[j]!), Math.floor(width * (columns[j]!.share ?? 0))));
  flexible.forEach((i, k) => {
    const reserved = flexible.slice(k + 1).reduce((sum, j) => sum + reserve(j), 0);
    const min = minWidth(columns[i]!, natural[i]!);
    widths[i] = Math.max(min, Math.min(natural[i]!, remaining - reserved));
    remaining -= widths[i]!;
  });
  return widths;
}

/** The least important hideable path column narrower than its content, if any. */
function squeezedOptionalPath(columns: Column[], natural: number[], visible: number[], widths: number[]): number {
  let drop = -1;
  for (const i of visible) {
    const column = columns[i]!;
    if (column.flex !== 'path' || column.priority === 0 || widths[i]! >= natural[i]!) continue;
    if (drop < 0 || column.priority >= columns[drop]!.priority) drop = i;
  }
  return drop;
}

function fit(column: Column, text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  return column.flex === 'path' ? truncatePath(text, width) : truncateEnd(text, width);
}

/** Drops trailing blanks, e.g. the gap and padding before an empty last cell. */
function trimEnd(line: Line): Line {
  while (line.length > 0 && line[line.length - 1]!.text.trim() === '') line.pop();
  const last = line[line.length - 1];
  if (last) line[line.length - 1] = { ...last, text: last.text.trimEnd() };
  return line;
}

/** Lays `table` out in `width` cells (`Infinity`: nothing cut or hidden); rows carry no trailing blanks. */
export function layoutTable(table: Table, width: number): TableLayout {
  const natural = naturalWidths(table);
  const visible = chooseVisible(table, natural, width);
  let widths = Number.isFinite(width) ? assignWidths(table.columns, natural, visible, width) : natural;
  // An optional path column cut short is noise when a more important path is cut too: hide it.
  for (let drop = squeezedOptionalPath(table.columns, natural, visible, widths); drop >= 0; drop = squeezedOptionalPath(table.columns, natural, visible, widths)) {
    visible.splice(visible.indexOf(drop), 1);
    widths = assignWidths(table.columns, natural, visible, width);
  }
  const renderRow = (cells: Cell[], isHeader: boolean): Line => {
    const line: Segment[] = [];
    visible.forEach((i, k) => {
      const column = table.columns[i]!;
      const cell = cells[i] ?? { text: '' };
      const last = k === visible.length - 1;
      const text = fit(column, cell.text, widths[i]!);
      const padded = last && column.align !== 'right' ? text : pad(text, widths[i]!, column.align);
      if (k > 0) line.push({ text: ' '.repeat(GAP) });
      line.push(isHeader ? { text: padded, tone: 'muted', bold: true } : { ...cell, text: padded });
    });
    return trimEnd(line);
  };
  return {
    header: renderRow(
      table.columns.map((c) => ({ text: c.header })),
      true,
    ),
    rows: table.rows.map((row) => renderRow(row, false)),
    visible,
    widths,
  };
}
