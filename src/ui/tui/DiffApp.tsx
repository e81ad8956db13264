/**
 * The `imgslim diff` terminal UI: the header with the size and efficiency deltas, tabs, the active
 * section (or a binary's before → after) and the key help. Same reducer, keys and panes as App.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import type { DiffModel } from '../model/diff.js';
import { diffHeaderLine, diffTabs, DIFF_SECTION_IDS } from '../view/diff-sections.js';
import { title } from '../view/lines.js';
import { footerLines, position } from './App.js';
import { DiffSectionCache } from './diff-section-cache.js';
import { diffHelpText, HelpLine } from './HelpLine.js';
import { ListPane } from './ListPane.js';
import { initialStateOf } from './state.js';
import { StyledLine } from './StyledLine.js';
import { TabBar } from './TabBar.js';
import { useBrowser } from './use-browser.js';

export interface DiffAppProps {
  model: DiffModel;
  columns: number;
  rows: number;
  color: boolean;
  /** false: one frame, no key handling (stdin is not a terminal). */
  interactive: boolean;
}

const FOOTER_LINES = 2;
const STATIC_NOTE = 'stdin is not a terminal: showing the changed files only (--no-tui prints the whole diff)';

export function DiffApp({ model, columns, rows, color, interactive }: DiffAppProps) {
  const width = Math.max(20, columns);
  const cache = useMemo(() => new DiffSectionCache(model, width), [model, width]);
  const { state, section, pageSize } = useBrowser(cache, () => initialStateOf(model.folded, 'files', DIFF_SECTION_IDS), rows, interactive);

  const detail = state.detail;
  const lines = detail ? cache.detail(detail.binary) : section.lines;
  const header = detail ? title(`Binary ${detail.binary + 1} of ${model.binaries.length}: before (a) → after (b)`) : section.header;
  const offset = detail ? detail.offset : state.offset[state.section];
  const selectable = !detail && section.selectable;
  const cursor = selectable ? state.cursor[state.section] : null;
  const describe = cursor === null ? null : section.describe(cursor);
  return (
    <Box flexDirection="column">
      <StyledLine line={diffHeaderLine(model, width)} color={color} />
      <TabBar tabs={diffTabs(model, state.filter)} active={state.section} color={color} />
      <ListPane
        header={header}
        lines={lines}
        offset={offset}
        cursor={cursor}
        height={pageSize}
        footer={footerLines(describe, width)}
        footerHeight={interactive ? FOOTER_LINES : 0}
        color={color}
        width={width}
      />
      {interactive ? (
        <HelpLine text={diffHelpText(state.section, detail !== null, state.filter, state.editingFilter)} position={position(state, lines.length, selectable, pageSize)} />
      ) : (
        <StyledLine line={[{ text: STATIC_NOTE, tone: 'muted' }]} color={color} />
      )}
    </Box>
  );
}
