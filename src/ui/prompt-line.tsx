// The editor rows (prompt, buffer, ghost text) as laid out by layout.ts, one Text per row.
import React from 'react';
import { Box, Text } from 'ink';

export function PromptLine(props: { rows: string[] }): React.ReactElement {
  return (
    <Box flexDirection="column">
      {props.rows.map((r, i) => (
        <Text key={i} wrap="truncate">
          {r}
        </Text>
      ))}
    </Box>
  );
}
