/** The key help at the bottom, with the position in the list on the right. */
import { Box, Text } from 'ink';
import type { SectionId } from '../view/sections.js';

export function helpText(section: SectionId, detailOpen: boolean, filter = '', editingFilter = false): string {
  if (editingFilter) return `/${filter}▏  paths in Files and Binaries containing this  Enter keep  Esc clear`;
  if (detailOpen) return '↑↓ scroll  PgUp/PgDn page  Enter/Esc back  Tab/←→ section  q quit';
  const enter =
    section === 'binaries' ? '  Enter details' : section === 'files' ? '  Enter fold  [ ] layer' : section === 'layers' ? "  Enter layer's files" : section === 'check' ? '  Enter file in tree' : '';
  const filtered = filter !== '' ? `filter '${filter}' (Esc clears)  ` : '';
  return `${filtered}Tab/←→ section  ↑↓ move  PgUp/PgDn page${enter}  / filter  q quit`;
}

/** The diff view's key help: Enter folds in Files and opens a binary's before → after. */
export function diffHelpText(section: string, detailOpen: boolean, filter = '', editingFilter = false): string {
  if (editingFilter) return `/${filter}▏  changed paths in Files and Binaries containing this  Enter keep  Esc clear`;
  if (detailOpen) return '↑↓ scroll  PgUp/PgDn page  Enter/Esc back  Tab/←→ section  q quit';
  const enter = section === 'binaries' ? '  Enter before → after' : section === 'files' ? '  Enter fold' : '';
  const filtered = filter !== '' ? `filter '${filter}' (Esc clears)  ` : '';
  return `${filtered}Tab/←→ section  ↑↓ move  PgUp/PgDn page${enter}  / filter  q quit`;
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
