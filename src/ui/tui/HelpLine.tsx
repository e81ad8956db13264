/** The key help at the bottom, with the position in the list on the right. */
import { Box, Text } from 'ink';
import type { SectionId } from '../view/sections.js';

export function helpText(section: SectionId, detailOpen: boolean): string {
  if (detailOpen) return '↑↓ scroll  PgUp/PgDn page  Enter/Esc back  Tab/←→ section  q quit';
  const enter =
    section === 'binaries' ? '  Enter details' : section === 'files' ? '  Enter fold  [ ] layer' : section === 'layers' ? "  Enter layer's files" : '';
  return `Tab/←→ section  ↑↓ move  PgUp/PgDn page${enter}  q quit`;
}

export function HelpLine({ text, position }: { text: string; position: string }) {
  return (
    <Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text dimColor wrap="truncate-end">
          {text}
        </Text>
      </Box>
      {position ? (
        <Box flexShrink={0} marginLeft={1}>
          <Text dimColor>{position}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
