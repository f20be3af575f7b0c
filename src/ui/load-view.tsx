// Live view for `influxsh load` on a terminal: progress, req/s, p50/p99 and failures,
// redrawn a few times a second on stderr. Loaded only when stderr is a TTY.
import React, { useEffect, useState } from 'react';
import { Box, Text, render } from 'ink';
import type { LiveStats } from '../loadgen/load.js';
import { grouped } from '../format/numbers.js';
import { liveMs, liveRps } from '../loadgen/report.js';

const BAR = 30;

function bar(fraction: number): string {
  const full = Math.max(0, Math.min(BAR, Math.round(fraction * BAR)));
  return '█'.repeat(full) + '░'.repeat(BAR - full);
}

function LoadView({ get, note }: { get: () => LiveStats; note?: string }): React.JSX.Element {
  const [s, setS] = useState(get);
  useEffect(() => {
    const t = setInterval(() => setS(get()), 250);
    return () => clearInterval(t);
  }, [get]);
  if (s.phase === 'starting' || s.phase === 'connecting')
    return (
      <Text color="yellow">
        connecting… {s.connected}/{s.connections}
      </Text>
    );
  if (s.phase === 'warmup') return <Text color="yellow">warming up…</Text>;
  const fraction = s.goalRequests ? s.total / s.goalRequests : s.goalMs ? s.elapsedMs / s.goalMs : 0;
  const failed = s.errors + s.timeouts;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="cyan">{bar(fraction)}</Text> {(fraction * 100).toFixed(0)}% {(s.elapsedMs / 1000).toFixed(1)}s
      </Text>
      <Text>
        <Text bold>{liveRps(s)}</Text> req/s p50 <Text bold>{liveMs(s.p50)}</Text> ms p99 <Text bold>{liveMs(s.p99)}</Text> ms {grouped(s.total)} done
      </Text>
      <Text color={failed ? 'red' : 'green'}>
        errors {s.errors} timeouts {s.timeouts} non-2xx {s.non2xx}
        {s.backlog ? `   waiting ${s.backlog}` : ''}
      </Text>
      {note ? <Text dimColor>{note}</Text> : null}
    </Box>
  );
}

/** Starts the view (`note`: a dim line under the figures); the returned function removes it so the report prints below. */
export function showLoadView(get: () => LiveStats, stream: NodeJS.WriteStream, note?: string): () => void {
  const app = render(<LoadView get={get} note={note} />, { stdout: stream, patchConsole: false, exitOnCtrlC: false });
  return () => {
    app.clear();
    app.unmount();
  };
}
