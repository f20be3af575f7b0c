// The shell's editor, started once the first prompt is on the screen (src/shell/start.ts). It is
// an entry point of the ES module build: bin/influxsh draws the prompt from the CommonJS build,
// which has no Ink, and hands over to this file with plain data only. Everything the editor uses,
// the connection included, comes from this build's own modules, so no object crosses between the
// two copies (a number parsed by one copy's transport is of the other copy's class, say).
import { InfluxHttp } from '../connection/http.js';
import type { Session } from '../core/session.js';
import type { EditorHandOver } from '../shell/start.js';
import { decodeKeepingBytes } from '../write/raw-text.js';

export async function runEditor(h: EditorHandOver): Promise<void> {
  const conn = new InfluxHttp(h.settings);
  const session: Session = { ...h.session, conn };
  try {
    const [{ runInkShell }, { colourWanted }, { commands }] = await Promise.all([import('../ui/mount.js'), import('../format/colour.js'), import('./registry.js')]);
    await runInkShell({
      session,
      commands,
      color: colourWanted(),
      confirm: h.confirm,
      pending: decodeKeepingBytes(h.takeTyped()),
      traffic: h.traffic,
      beforeFirstFrame: () => process.stdout.write('\r\x1b[2K'),
      onReady: h.exitWhenReady ? () => setImmediate(() => process.exit(0)) : undefined,
    });
  } finally {
    conn.close();
  }
}
