// The rejects file: every record that did not land, in the import format, so it can be fixed
// and imported again. Each record is preceded by a comment with its input line and the reason;
// CONTEXT lines are written whenever the target changes.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { WriteTarget } from '../write/write.js';
import type { Rejection } from './send.js';

export class RejectsFile {
  private out: WriteStream | undefined;
  private db: string | undefined;
  private rp: string | undefined;
  private failed: Error | undefined;
  count = 0;

  constructor(readonly path: string) {}

  async add(target: WriteTarget, rejected: Rejection[]): Promise<void> {
    if (!rejected.length) return;
    if (!this.out) {
      this.out = createWriteStream(this.path);
      this.out.on('error', (e) => (this.failed ??= e));
      this.out.write('# Rejected by influxsh -import: fix the lines and import this file again.\n# DML\n');
    }
    let text = '';
    if (target.database !== this.db) {
      this.db = target.database;
      text += `# CONTEXT-DATABASE: ${this.db ?? ''}\n`;
      this.rp = undefined;
    }
    if ((target.retentionPolicy ?? '') !== (this.rp ?? '')) {
      this.rp = target.retentionPolicy;
      text += `# CONTEXT-RETENTION-POLICY: ${this.rp ?? ''}\n`;
    }
    for (const r of rejected) text += `# line ${r.line}: ${oneLine(r.error)}\n${r.text.toString('utf8')}\n`;
    this.count += rejected.length;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<Error | undefined> {
    if (this.out) {
      this.out.end();
      await once(this.out, 'close').catch(() => undefined);
    }
    return this.failed;
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' | ');
}
