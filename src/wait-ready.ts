// Step 1 of the lifecycle: hold until the sidecar says it is ready.
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import { probeReady } from './sidecar.js';

export interface WaitOptions {
  readyUrl: string;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  /** 0 = forever. */
  waitTimeoutMs: number;
}

export type WaitResult = 'ready' | 'timeout' | 'aborted';

export async function waitForSidecar(opts: WaitOptions, clock: Clock, log: Logger, abort: AbortSignal): Promise<WaitResult> {
  const start = clock.now();
  const deadline = opts.waitTimeoutMs > 0 ? start + opts.waitTimeoutMs : Infinity;
  let attempts = 0;
  let lastError = '';
  log.info({ url: opts.readyUrl, timeoutMs: opts.waitTimeoutMs }, 'waiting for sidecar');
  for (;;) {
    if (abort.aborted) return 'aborted';
    const left = deadline - clock.now();
    if (left <= 0) {
      log.error({ waitedMs: Math.round(clock.now() - start), attempts, lastError }, 'sidecar did not become ready in time');
      return 'timeout';
    }
    attempts++;
    const result = await probeReady(opts.readyUrl, Math.min(opts.requestTimeoutMs, left), abort);
    if (result.ok) {
      log.info({ waitedMs: Math.round(clock.now() - start), attempts }, 'sidecar ready');
      return 'ready';
    }
    if (result.error !== lastError) log.debug({ attempt: attempts, error: result.error }, 'sidecar not ready yet');
    lastError = result.error;
    await clock.sleep(Math.min(opts.pollIntervalMs, deadline - clock.now()), abort);
  }
}
