/** The section tabs; the active one stands out (inverse), the others are dimmed (red when they hold a failure). */
import { Box, Text } from 'ink';

export interface Tab {
  id: string;
  label: string;
  /** A failure inside (errors among the findings, a failed check): red when not active. */
  alert?: boolean;
}

export function TabBar({ tabs, active, color }: { tabs: readonly Tab[]; active: string; color: boolean }) {
  return (
    <Box>
      <Text wrap="truncate-end">
        {tabs.map(({ id, label, alert = false }) => (
          <Text key={id}>
            <Text inverse={id === active} bold={id === active} color={color && alert && id !== active ? 'red' : undefined} dimColor={id !== active && !alert}>
              {` ${label} `}
            </Text>
            <Text> </Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
