import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppExit } from '../../src/exit-codes.js';
import { drainPhase, stopApp, type DrainDeps, type DrainOptions } from '../../src/shutdown.js';
import type { Outcome } from '../../src/sidecar.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const log = pino({ level: 'silent' });
const OPTS: DrainOptions = { drainMethod: 'healthcheck-fail', shutdownDelayMs: 5000, drainTimeoutMs: 15_000, pollIntervalMs: 100, requestTimeoutMs: 1000 };

/** A sidecar whose calls take `latency` ms of virtual time and are recorded with their start time. */
function sidecar(clock: VirtualClock, connectionsAt: (t: number) => number | Error, opts: { drainLatency?: number; statsLatency?: number; drainOk?: boolean } = {}) {
  const events: string[] = [];
  const deps: DrainDeps = {
    clock,
    log,
    drain: async (timeoutMs) => {
      events.push(`drain@${clock.now()}`);
      const latency = opts.drainLatency ?? 2;
      await clock.sleep(Math.min(latency, timeoutMs));
      return latency > timeoutMs || opts.drainOk === false ? ({ ok: false, error: 'timeout' } as Outcome) : ({ ok: true, status: 200, body: 'OK\n' } as Outcome);
    },
    activeConnections: async (timeoutMs, abort) => {
      events.push(`stats@${clock.now()}`);
      await clock.sleep(Math.min(opts.statsLatency ?? 2, timeoutMs), abort);
      if ((opts.statsLatency ?? 0) > timeoutMs) throw new Error('no answer');
      const value = connectionsAt(clock.now());
      if (value instanceof Error) throw value;
      return value;
    },
  };
  return { deps, events };
}

describe('drainPhase', () => {
  it('drains at t0, waits the delay, polls until the count reaches 0', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, (t) => (t < 7000 ? 3 : 0));
    const report = await clock.drive(drainPhase(OPTS, deps, 0, new AbortController().signal));
    expect(events[0]).toBe('drain@0');
    expect(events[1]).toBe('stats@5000');
    expect(events.filter((e) => e.startsWith('stats')).length).toBeGreaterThan(15);
    expect(report).toMatchObject({ drainOk: true, connectionsLeft: 0, skipped: false });
    expect(report.ms).toBeGreaterThanOrEqual(7000);
    expect(report.ms).toBeLessThan(7200);
  });

  it('a count that never falls is cut off at exactly the drain timeout', async () => {
    const clock = new VirtualClock();
    const { deps } = sidecar(clock, () => 2);
    const report = await clock.drive(drainPhase(OPTS, deps, 0, new AbortController().signal));
    expect(report).toMatchObject({ connectionsLeft: 2, ms: 15_000 });
  });

  it('no connections: ends right after the delay', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, () => 0);
    const report = await clock.drive(drainPhase(OPTS, deps, 0, new AbortController().signal));
    expect(events).toEqual(['drain@0', 'stats@5000']);
    expect(report.ms).toBe(5002);
  });

  it('a hanging drain call costs at most its request timeout, inside the delay', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, () => 0, { drainLatency: 60_000 });
    const report = await clock.drive(drainPhase(OPTS, deps, 0, new AbortController().signal));
    expect(report.drainOk).toBe(false);
    expect(events).toEqual(['drain@0', 'stats@5000']);
  });

  it('with no delay, a hanging drain call delays the first poll by its request timeout only', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, () => 0, { drainLatency: 60_000 });
    await clock.drive(drainPhase({ ...OPTS, shutdownDelayMs: 0 }, deps, 0, new AbortController().signal));
    expect(events).toEqual(['drain@0', 'stats@1000']);
  });

  it('the drain timeout caps the delay', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, () => 5);
    const report = await clock.drive(drainPhase({ ...OPTS, shutdownDelayMs: 5000, drainTimeoutMs: 2000 }, deps, 0, new AbortController().signal));
    expect(report.ms).toBe(2000);
    expect(events).toEqual(['drain@0']);
  });

  it('drain timeout 0: the drain call is sent, nothing is waited for', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, () => 5, { drainLatency: 500 });
    const report = await clock.drive(drainPhase({ ...OPTS, drainTimeoutMs: 0 }, deps, 0, new AbortController().signal));
    expect(report.ms).toBe(0);
    expect(events).toEqual(['drain@0']);
  });

  it('unreadable stats count as drained after the delay', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, () => new Error('HTTP 500'));
    const report = await clock.drive(drainPhase(OPTS, deps, 0, new AbortController().signal));
    expect(events).toEqual(['drain@0', 'stats@5000']);
    expect(report).toMatchObject({ connectionsLeft: undefined, ms: 5002 });
  });

  it('a hanging stats call is bounded by the request timeout and then counts as drained', async () => {
    const clock = new VirtualClock();
    const { deps } = sidecar(clock, () => 9, { statsLatency: 60_000 });
    const report = await clock.drive(drainPhase(OPTS, deps, 0, new AbortController().signal));
    expect(report.ms).toBe(6000);
  });

  it('a stats call never runs past the drain deadline', async () => {
    const clock = new VirtualClock();
    const { deps } = sidecar(clock, () => 9, { statsLatency: 60_000 });
    const report = await clock.drive(drainPhase({ ...OPTS, drainTimeoutMs: 5400 }, deps, 0, new AbortController().signal));
    expect(report.ms).toBe(5400);
  });

  it('skip (second SIGTERM / SIGINT) ends the wait at once', async () => {
    const clock = new VirtualClock();
    const { deps } = sidecar(clock, () => 3);
    const skip = new AbortController();
    void clock.sleep(1000).then(() => skip.abort());
    const report = await clock.drive(drainPhase(OPTS, deps, 0, skip.signal));
    expect(report.skipped).toBe(true);
    expect(report.ms).toBe(1000);
  });

  it('t0 is the signal time, not the call time', async () => {
    const clock = new VirtualClock();
    const { deps, events } = sidecar(clock, () => 0);
    const report = await clock.drive(drainPhase(OPTS, deps, -3000, new AbortController().signal));
    expect(events).toEqual(['drain@0', 'stats@2000']);
    expect(report.ms).toBe(5002);
  });

  it('no sidecar (disabled): only the delay', async () => {
    const clock = new VirtualClock();
    const report = await clock.drive(drainPhase(OPTS, { clock, log }, 0, new AbortController().signal));
    expect(report).toMatchObject({ drainOk: undefined, connectionsLeft: undefined, ms: 5000 });
  });
});

describe('stopApp', () => {
  function app(clock: VirtualClock, exitAfterSignal: number | undefined) {
    const signals: string[] = [];
    let exit!: (e: AppExit) => void;
    const exited = new Promise<AppExit>((resolve) => (exit = resolve));
    const signalApp = (signal: NodeJS.Signals) => {
      signals.push(`${signal}@${clock.now()}`);
      if (signal === 'SIGKILL') void clock.sleep(1).then(() => exit({ kind: 'signaled', signal: 'SIGKILL' }));
      else if (exitAfterSignal !== undefined) void clock.sleep(exitAfterSignal).then(() => exit({ kind: 'exited', code: 0 }));
      return true;
    };
    return { signals, deps: { clock, log, signalApp, exited } };
  }

  it('an app that stops in time is not killed', async () => {
    const clock = new VirtualClock();
    const { signals, deps } = app(clock, 3000);
    const exit = await clock.drive(stopApp('SIGTERM', 10_000, deps));
    expect(exit).toEqual({ kind: 'exited', code: 0 });
    expect(signals).toEqual(['SIGTERM@0']);
  });

  it('an app that ignores its signal gets SIGKILL at the stop timeout', async () => {
    const clock = new VirtualClock();
    const { signals, deps } = app(clock, undefined);
    const exit = await clock.drive(stopApp('SIGQUIT', 10_000, deps));
    expect(signals).toEqual(['SIGQUIT@0', 'SIGKILL@10000']);
    expect(exit).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
  });

  it('stop timeout 0: SIGKILL right after the signal', async () => {
    const clock = new VirtualClock();
    const { signals, deps } = app(clock, 5);
    await clock.drive(stopApp('SIGTERM', 0, deps));
    expect(signals).toEqual(['SIGTERM@0', 'SIGKILL@0']);
  });
});
