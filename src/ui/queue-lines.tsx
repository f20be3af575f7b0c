// Statements typed ahead while another runs: shown under the prompt until their turn, so none
// seems lost. At most a few lines, so the live region stays small.
import React from 'react';
import { Text } from 'ink';

const SHOWN = 3;

/** One line per queued statement (its first line), then how many more are waiting. */
export function queueText(queue: string[]): string[] {
  const waiting = queue.filter((q) => q.trim());
  const lines = waiting.slice(0, SHOWN).map((q) => {
    const first = q.trim().split('\n');
    return `queued: ${first[0]}${first.length > 1 ? ' …' : ''}`;
  });
  if (waiting.length > SHOWN) lines.push(`queued: ${waiting.length - SHOWN} more`);
  if (lines.length) lines.push('(they run after this one; Ctrl-C twice brings them back to the editor)');
  return lines;
}

export function QueueLines(props: { queue: string[]; color: boolean }): React.ReactElement | null {
  const lines = queueText(props.queue);
  if (!lines.length) return null;
  return (
    <>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate" dimColor={props.color}>
          {l}
        </Text>
      ))}
    </>
  );
}
