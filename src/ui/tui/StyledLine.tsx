/** One styled line, cut at the terminal edge; colour only when enabled, inverse for the cursor. */
import { Text } from 'ink';
import { TONE_COLORS } from '../format/palette.js';
import { displayWidth } from '../format/text-width.js';
import type { Line } from '../types.js';

export interface StyledLineProps {
  line: Line;
  color: boolean;
  selected?: boolean;
  /** The cursor bar spans this many cells. */
  width?: number;
}

export function StyledLine({ line, color, selected = false, width = 0 }: StyledLineProps) {
  const empty = line.every((segment) => segment.text === '');
  const fill = selected ? width - line.reduce((sum, segment) => sum + displayWidth(segment.text), 0) : 0;
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {empty
        ? ' '
        : line.map((segment, i) => (
            <Text key={i} bold={segment.bold} color={color && segment.tone ? TONE_COLORS[segment.tone].ink : undefined}>
              {segment.text}
            </Text>
          ))}
      {fill > 0 ? ' '.repeat(fill) : null}
    </Text>
  );
}
