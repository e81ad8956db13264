/** One styled line, cut at the terminal edge; colour only when enabled, inverse for the cursor. */
import { Text } from 'ink';
import { TONE_COLORS } from '../format/palette.js';
import type { Line } from '../types.js';

export interface StyledLineProps {
  line: Line;
  color: boolean;
  selected?: boolean;
}

export function StyledLine({ line, color, selected = false }: StyledLineProps) {
  const empty = line.every((segment) => segment.text === '');
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {empty
        ? ' '
        : line.map((segment, i) => (
            <Text key={i} bold={segment.bold} color={color && segment.tone ? TONE_COLORS[segment.tone].ink : undefined}>
              {segment.text}
            </Text>
          ))}
    </Text>
  );
}
