// The shutdown timeline, measured from the moment the shutdown signal arrived (t0):
//   a. drain the sidecar (one call, bounded by its request timeout)
//   b. wait the shutdown delay, then while inbound connections remain; never past t0 + drain timeout
//   c. signal the app; SIGKILL it if it outlives the stop timeout
// Time and sidecar calls are injected so the whole timeline is unit-tested with a virtual clock.
import type { Clock } from './clock.js';
import type { DrainMethod } from './config.js';
import type { AppExit } from './exit-codes.js';
import type { Logger } from './log.js';
import type { Outcome } from './sidecar.js';

export interface DrainOptions {
  drainMethod: DrainMethod;
  shutdownDelayMs: number;
  drainTimeoutMs: number;
  pollIntervalMs: number;
  requestTimeoutMs: number;
}

export interface DrainDeps {
  clock: Clock;
  log: Logger;
  /** Undefined when there is no sidecar to drain (disabled, or drain method none). */
  drain?: (timeoutMs: number) => Promise<Outcome>;
  /** Undefined when there are no stats to read; throws when they cannot be read. */
  activeConnections?: (timeoutMs: number, abort: AbortSignal) => Promise<number>;
}

export interface DrainReport {
  drainOk: boolean | undefined;
  connectionsLeft: number | undefined;
  skipped: boolean;
  ms: number;
}

/** Steps a and b. `skip` aborts the waiting (a second SIGTERM, or SIGINT). Never throws. */
export async function drainPhase(opts: DrainOptions, deps: DrainDeps, t0: number, skip: AbortSignal): Promise<DrainReport> {
  const { clock, log } = deps;
  const deadline = t0 + opts.drainTimeoutMs;
  const delayEnd = Math.min(t0 + opts.shutdownDelayMs, deadline);
  const left = () => deadline - clock.now();
  const report: DrainReport = { drainOk: undefined, connectionsLeft: undefined, skipped: false, ms: 0 };

  if (deps.drain && opts.drainMethod !== 'none') {
    // The call is bounded by its own timeout and by the drain deadline: with --drain-timeout 0
    // it is sent but not awaited.
    const callStart = clock.now();
    const call = deps.drain(opts.requestTimeoutMs).then((result) => {
      report.drainOk = result.ok;
      const fields = { method: opts.drainMethod, ms: Math.round(clock.now() - callStart) };
      if (result.ok) log.info(fields, 'sidecar drain started');
      else log.warn({ ...fields, error: result.error }, 'sidecar drain call failed; continuing');
    });
    await Promise.race([call, clock.sleep(left(), skip)]);
  }

  await clock.sleep(delayEnd - clock.now(), skip);
  if (deps.activeConnections) {
    while (!skip.aborted && left() > 0) {
      let count: number;
      try {
        count = await deps.activeConnections(Math.min(opts.requestTimeoutMs, left()), skip);
      } catch (error) {
        if (!skip.aborted) log.warn({ error: (error as Error).message }, 'cannot read sidecar stats; treating as drained');
        break;
      }
      report.connectionsLeft = count;
      if (count === 0) break;
      log.debug({ connections: count }, 'inbound connections still open');
      await clock.sleep(Math.min(opts.pollIntervalMs, left()), skip);
    }
  }
  report.skipped = skip.aborted;
  report.ms = Math.round(clock.now() - t0);
  log.info(
    { connectionsLeft: report.connectionsLeft ?? null, ms: report.ms, skipped: report.skipped, timedOut: !report.skipped && left() <= 0 },
    'drain finished',
  );
  return report;
}

export interface StopDeps {
  clock: Clock;
  log: Logger;
  signalApp: (signal: NodeJS.Signals) => boolean;
  exited: Promise<AppExit>;
}

/** Step c: the app signal, then SIGKILL after the stop timeout. Resolves when the app is gone. */
export async function stopApp(appSignal: NodeJS.Signals, stopTimeoutMs: number, deps: StopDeps): Promise<AppExit> {
  const { clock, log } = deps;
  const start = clock.now();
  deps.signalApp(appSignal);
  log.info({ signal: appSignal, stopTimeoutMs }, 'signalled app');
  const stopped = new AbortController();
  const timedOut = clock.sleep(stopTimeoutMs, stopped.signal).then(() => !stopped.signal.aborted);
  const first = await Promise.race([deps.exited.then(() => false), timedOut]);
  stopped.abort();
  if (first) {
    log.warn({ afterMs: Math.round(clock.now() - start) }, 'app did not stop in time; sending SIGKILL');
    deps.signalApp('SIGKILL');
  }
  return deps.exited;
}
