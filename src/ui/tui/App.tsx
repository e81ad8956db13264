/**
 * The terminal UI: header, tabs, the active section (or a binary's details) and the key help.
 * State lives in the pure reducer (state.ts); this component only wires keys and lays out.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import { wrap } from '../format/text-width.js';
import type { ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';
import { title } from '../view/lines.js';
import { headerLine } from '../view/summary-lines.js';
import { sectionTabs, type SectionId } from '../view/sections.js';
import { AsidePane } from './AsidePane.js';
import { HelpLine, helpText } from './HelpLine.js';
import { ListPane } from './ListPane.js';
import { SectionCache } from './section-cache.js';
import { initialState, type UiState } from './state.js';
import { StyledLine } from './StyledLine.js';
import { TabBar } from './TabBar.js';
import { useBrowser } from './use-browser.js';

export { CHROME_LINES, pageSizeFor } from './use-browser.js';

export interface AppProps {
  model: ReportModel;
  columns: number;
  rows: number;
  color: boolean;
  /** false: one frame, no key handling (stdin is not a terminal). */
  interactive: boolean;
  initialSection?: SectionId;
}

const FOOTER_LINES = 2;
const STATIC_NOTE = 'stdin is not a terminal: showing the summary only (--no-tui prints the full report)';

/** The selected line's full text under the list, at most two lines. */
export function footerLines(text: string | null, width: number): Line[] {
  if (!text) return [];
  return wrap(text, width)
    .slice(0, FOOTER_LINES)
    .map((part) => [{ text: part, tone: 'muted' as const }]);
}

/** `12/40` (the cursor) or `1–17/40` (the scroll) for the help line. */
export function position<S extends string>(state: UiState<S>, length: number, selectable: boolean, page: number): string {
  if (state.detail) return length > page ? `${state.detail.offset + 1}–${Math.min(length, state.detail.offset + page)}/${length}` : '';
  if (selectable) return length > 0 ? `${state.cursor[state.section] + 1}/${length}` : '';
  const offset = state.offset[state.section];
  return length > page ? `${offset + 1}–${Math.min(length, offset + page)}/${length}` : '';
}

export function App({ model, columns, rows, color, interactive, initialSection }: AppProps) {
  const width = Math.max(20, columns);
  const cache = useMemo(() => new SectionCache(model, width), [model, width]);
  const { state, section, pageSize } = useBrowser(
    cache,
    () => initialState(model.folded, initialSection ?? (model.check ? 'check' : 'summary')),
    rows,
    interactive,
  );

  const detail = state.detail;
  const lines = detail ? cache.detail(detail.binary) : section.lines;
  const header = detail ? title(`Binary ${detail.binary + 1} of ${model.binaries.length}`) : section.header;
  const offset = detail ? detail.offset : state.offset[state.section];
  const cursor = !detail && section.selectable ? state.cursor[state.section] : null;
  const describe = cursor === null ? null : section.describe(cursor);
  const selectable = !detail && section.selectable;
  const aside = detail ? undefined : section.aside;
  const listWidth = aside ? width - aside.width - 1 : width;
  return (
    // No explicit width: Ink lays out at the terminal's own width, so a frame drawn at a stale
    // size (Ink redraws on resize before we re-render) is cut at the edge, never wrapped.
    <Box flexDirection="column">
      <StyledLine line={headerLine(model.header, width)} color={color} />
      <TabBar tabs={sectionTabs(model, state.filter)} active={state.section} color={color} />
      <Box flexDirection="row">
        {aside ? <AsidePane aside={aside} height={pageSize} color={color} /> : null}
        <ListPane
          header={header}
          lines={lines}
          offset={offset}
          cursor={cursor}
          height={pageSize}
          footer={footerLines(describe, listWidth)}
          footerHeight={interactive ? FOOTER_LINES : 0}
          color={color}
          width={listWidth}
        />
      </Box>
      {interactive ? (
        <HelpLine text={helpText(state.section, detail !== null, state.filter, state.editingFilter)} position={position(state, lines.length, selectable, pageSize)} />
      ) : (
        <StyledLine line={[{ text: STATIC_NOTE, tone: 'muted' }]} color={color} />
      )}
    </Box>
  );
}
