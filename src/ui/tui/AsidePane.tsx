/** A fixed-width column left of the list (the Files section's layer list), its selected row inverse, a rule on its right. */
import { Box } from 'ink';
import type { Aside } from '../view/sections.js';
import { StyledLine } from './StyledLine.js';

export function AsidePane({ aside, height, color }: { aside: Aside; height: number; color: boolean }) {
  // Keep the selected row in view when the layers outnumber the lines.
  const offset = Math.max(0, Math.min(aside.selected - Math.floor(height / 2), aside.lines.length - height));
  const visible = aside.lines.slice(offset, offset + height);
  const rows = [aside.header, ...visible, ...Array.from({ length: Math.max(0, height - visible.length) }, () => [])];
  return (
    <Box flexDirection="column" width={aside.width + 1} flexShrink={0} borderStyle="single" borderTop={false} borderBottom={false} borderLeft={false} borderDimColor>
      {rows.map((line, i) => (
        <StyledLine key={i} line={line} color={color} selected={i > 0 && offset + i - 1 === aside.selected} width={aside.width} />
      ))}
    </Box>
  );
}
