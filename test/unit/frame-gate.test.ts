// FrameGate: a key's effects wait for the frame that shows the key's state.
import { describe, expect, it } from 'vitest';
import { FrameGate } from '../../src/ui/frame-gate.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('FrameGate', () => {
  it('runs at once when what was rendered is drawn', () => {
    const g = new FrameGate();
    const ran: string[] = [];
    g.afterDrawn(() => ran.push('a'));
    g.changed();
    g.drawn();
    g.afterDrawn(() => ran.push('b'));
    expect(ran).toEqual(['a', 'b']);
  });

  it('waits for the frame, in order, and runs after Ink wrote it (a microtask later)', async () => {
    const g = new FrameGate();
    const ran: string[] = [];
    g.changed();
    g.afterDrawn(() => ran.push('a'));
    g.afterDrawn(() => ran.push('b'));
    await tick();
    expect(ran).toEqual([]);
    g.drawn();
    ran.push('frame written');
    await Promise.resolve();
    expect(ran).toEqual(['frame written', 'a', 'b']);
    // Clean again: the next one runs at once, after those that waited.
    g.afterDrawn(() => ran.push('c'));
    expect(ran).toEqual(['frame written', 'a', 'b', 'c']);
  });

  it('gives up waiting after maxWaitMs when no frame comes', async () => {
    const g = new FrameGate();
    const ran: string[] = [];
    g.changed();
    g.afterDrawn(() => ran.push('late'), 20);
    await new Promise((r) => setTimeout(r, 60));
    expect(ran).toEqual(['late']);
  });

  it('runs everything waiting at once on flush (the view is leaving)', () => {
    const g = new FrameGate();
    const ran: string[] = [];
    g.changed();
    g.afterDrawn(() => ran.push('a'));
    g.afterDrawn(() => ran.push('b'));
    g.flush();
    expect(ran).toEqual(['a', 'b']);
    g.afterDrawn(() => ran.push('c'));
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});
