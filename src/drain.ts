// `drain`: the pre-signal half of the shutdown, for the app container's preStop hook. When a `run`
// supervisor is up in this container it does the work (once); otherwise this process does it.
import { realClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { requestDrain } from './control.js';
import { EXIT_OK } from './exit-codes.js';
import type { Logger } from './log.js';
import { drainPhase, type DrainDeps } from './shutdown.js';
import { activeConnections, drainSidecar } from './sidecar.js';

/** The sidecar calls of the drain phase, bound to the configuration; none when disabled. */
export function drainDeps(config: Config, clock: Clock, log: Logger): DrainDeps {
  const deps: DrainDeps = { clock, log };
  const admin = config.disabled ? undefined : config.adminUrl;
  if (admin === undefined) return deps;
  const method = config.drainMethod;
  if (method !== 'none') deps.drain = (timeoutMs) => drainSidecar(admin, method, timeoutMs);
  deps.activeConnections = (timeoutMs, abort) => activeConnections({ ...config, adminUrl: admin }, timeoutMs, abort);
  return deps;
}

export async function drainCommand(config: Config, log: Logger, clock: Clock = realClock): Promise<number> {
  const t0 = clock.now();
  const skip = new AbortController();
  const onSignal = () => skip.abort();
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
  try {
    if (config.controlSocket !== 'none') {
      // The supervisor bounds its drain by its own --drain-timeout; allow for its request timeouts too.
      const budget = config.drainTimeoutMs + 2 * config.requestTimeoutMs + 1000;
      const asked = await requestDrain(config.controlSocket, budget);
      if (asked.kind === 'done') {
        log.info({ ...asked.reply, ms: Math.round(clock.now() - t0) }, 'drained by the running supervisor');
        return EXIT_OK;
      }
      const level = asked.kind === 'lost' ? 'warn' : 'info';
      log[level]({ reason: asked.reason, socket: config.controlSocket }, 'no supervisor answered; draining from here');
    }
    await drainPhase(config, drainDeps(config, clock, log), t0, skip.signal);
    return EXIT_OK;
  } finally {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
  }
}
