/** A fixed-height window onto a list of lines: sticky header, cursor row, blank filler, footer. */
import { Box } from 'ink';
import type { Line } from '../types.js';
import { StyledLine } from './StyledLine.js';

export interface ListPaneProps {
  header: Line | null;
  lines: readonly Line[];
  offset: number;
  /** Index of the highlighted line, or null for scroll-only content. */
  cursor: number | null;
  height: number;
  footer: readonly Line[];
  footerHeight: number;
  color: boolean;
  width: number;
}

export function ListPane({ header, lines, offset, cursor, height, footer, footerHeight, color, width }: ListPaneProps) {
  const visible = lines.slice(offset, offset + height);
  const filler = Math.max(0, height - visible.length);
  return (
    <Box flexDirection="column">
      <StyledLine line={header ?? []} color={color} />
      {visible.map((line, i) => (
        <StyledLine key={offset + i} line={line} color={color} selected={cursor === offset + i} width={width} />
      ))}
      {Array.from({ length: filler }, (_, i) => (
        <StyledLine key={`fill-${i}`} line={[]} color={color} />
      ))}
      {Array.from({ length: footerHeight }, (_, i) => (
        <StyledLine key={`foot-${i}`} line={footer[i] ?? []} color={color} />
      ))}
    </Box>
  );
}
