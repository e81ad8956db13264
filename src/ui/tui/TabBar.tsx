/** The section tabs; the active one stands out (inverse), the others are dimmed. */
import { Box, Text } from 'ink';
import { sectionIds, sectionLabel, type SectionId } from '../view/sections.js';
import type { ReportModel } from '../model/report-model.js';

export function TabBar({ model, active, color, filter = '' }: { model: ReportModel; active: SectionId; color: boolean; filter?: string }) {
  return (
    <Box>
      <Text wrap="truncate-end">
        {sectionIds(model).map((id) => {
          const label = ` ${sectionLabel(model, id, filter)} `;
          const failing = (id === 'findings' && model.summary.counts.findings.error > 0) || (id === 'check' && model.check?.passed === false);
          return (
            <Text key={id}>
              <Text inverse={id === active} bold={id === active} color={color && failing && id !== active ? 'red' : undefined} dimColor={id !== active && !failing}>
                {label}
              </Text>
              <Text> </Text>
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}
