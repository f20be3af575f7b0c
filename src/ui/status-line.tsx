// One line while a query runs: spinner, elapsed time, series and rows received.
import React from 'react';
import { Text } from 'ink';
import { grouped } from '../format/numbers.js';
import { counted } from '../format/words.js';
import type { Progress } from '../shell/controller.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The line for counts published at `p.at` (the store publishes them every 100 ms). */
export function statusText(p: Progress): string {
  const elapsed = (p.at - p.startedAt) / 1000;
  const frame = FRAMES[Math.floor(p.at / 100) % FRAMES.length];
  const parts = [`${elapsed.toFixed(1)} s`, `${grouped(p.series)} series`, counted(p.rows, 'row', undefined, grouped)];
  // Under `watch` the counts are the current run's, and Ctrl-C ends the watch.
  if (p.watchRun) return `${frame} watch run ${p.watchRun} · ${parts.join(' · ')} · ${p.cancelling ? 'stopping…' : 'Ctrl-C stops'}`;
  return `${frame} ${parts.join(' · ')} · ${p.cancelling ? 'cancelling…' : 'Ctrl-C cancels'}`;
}

export function StatusLine(props: { progress: Progress; color: boolean }): React.ReactElement {
  return (
    <Text wrap="truncate" dimColor={props.color}>
      {statusText(props.progress)}
    </Text>
  );
}
