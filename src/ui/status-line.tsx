// One line while a query runs: spinner, elapsed time, series and rows received.
import React from 'react';
import { Text } from 'ink';
import { fmtCount } from '../format/table-render.js';
import type { Progress } from '../shell/controller.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function statusText(p: Progress, now: number): string {
  const elapsed = (now - p.startedAt) / 1000;
  const frame = FRAMES[Math.floor(now / 100) % FRAMES.length];
  const s = p.stats;
  const parts = [`${elapsed.toFixed(1)} s`, `${fmtCount(s.series)} series`, `${fmtCount(s.rows)} rows`];
  // Under `watch` the counts are the current run's, and Ctrl-C ends the watch.
  if (p.watchRun) return `${frame} watch run ${p.watchRun} · ${parts.join(' · ')} · ${p.cancelling ? 'stopping…' : 'Ctrl-C stops'}`;
  return `${frame} ${parts.join(' · ')} · ${p.cancelling ? 'cancelling…' : 'Ctrl-C cancels'}`;
}

export function StatusLine(props: { progress: Progress; now: number; color: boolean }): React.ReactElement {
  return (
    <Text wrap="truncate" dimColor={props.color}>
      {statusText(props.progress, props.now)}
    </Text>
  );
}
