// A key's effects (run the statement, write text) and the controller's output wait until the
// frame showing the state before them is on the screen. Ink draws at most maxFps frames a
// second, so a frame React has committed can reach the terminal up to one interval later; and
// Ink redraws its last drawn frame under anything written. Output written in that gap was followed, for one interval, by the frame from
// before the key: after Enter typed right behind the text (a paste ending in a newline), the
// result showed the old input line below it.

export class FrameGate {
  private dirty = false;
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** The view is rendering: the frame it makes is not drawn yet. */
  changed(): void {
    this.dirty = true;
  }

  /** Ink is drawing a frame (its onRender, called right before it writes the frame). */
  drawn(): void {
    const run = this.take();
    // Once Ink has written the frame: it does so in the same turn, after onRender.
    if (run.length)
      queueMicrotask(() => {
        for (const f of run) f();
      });
  }

  /** Runs what waits now (the view is about to go: nothing may be left unwritten). */
  flush(): void {
    for (const f of this.take()) f();
  }

  /** Clean again: what waited, to run. */
  private take(): (() => void)[] {
    this.dirty = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const run = this.waiting;
    this.waiting = [];
    return run;
  }

  /**
   * Runs `f` once the last rendered frame is on the screen: at once if it is, else after Ink
   * draws (or after `maxWaitMs`, should a render have been dropped without a frame).
   */
  afterDrawn(f: () => void, maxWaitMs = 100): void {
    if (!this.dirty && !this.waiting.length) return f();
    this.waiting.push(f);
    this.timer ??= setTimeout(() => this.drawn(), maxWaitMs);
  }
}
