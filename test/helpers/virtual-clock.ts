// Virtual time for the shutdown timeline: sleeps are timers on a virtual axis, and `drive`
// jumps to the next timer whenever everything else is idle. No real waiting.
import type { Clock } from '../../src/clock.js';

interface Timer {
  at: number;
  wake: () => void;
}

export class VirtualClock implements Clock {
  private t = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer: Timer = { at: this.t + ms, wake: resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      });
    });
  }

  /** Runs `work` to completion, advancing virtual time only when nothing else can progress. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let done = false;
    void work.finally(() => (done = true)).catch(() => undefined);
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done) return work;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) throw new Error(`deadlock at t=${this.t}: no timers and work not done`);
      this.t = next.at;
      next.wake();
    }
  }
}
