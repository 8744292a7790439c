// `run`: wait for the sidecar, spawn the app, forward signals, drain-aware shutdown, exit as the app did.
import { spawnApp, type App } from './app.js';
import { realClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { appExitCode, EXIT_UNAVAILABLE, signalExitCode, type AppExit } from './exit-codes.js';
import type { Logger } from './log.js';
import { quitIfWanted } from './quit.js';
import { drainPhase, stopApp, type DrainDeps } from './shutdown.js';
import { activeConnections, drainSidecar } from './sidecar.js';
import { trapSignals } from './signals.js';
import { timelineWarnings } from './timeline.js';
import { waitForSidecar } from './wait-ready.js';

type Phase = 'waiting' | 'running' | 'draining' | 'stopping';

/** Runs the whole lifecycle and resolves with the supervisor's exit code. */
export async function run(config: Config, command: string[], log: Logger, clock: Clock = realClock): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  let phase: Phase = 'waiting';
  let app: App | undefined;
  const stopWaiting = new AbortController();
  const skipDrain = new AbortController();
  let shutdownRequested: ((t0: number) => void) | undefined;
  const shutdownSignal = new Promise<number>((resolve) => (shutdownRequested = resolve));
  let earlySignal: NodeJS.Signals | undefined;

  const untrap = trapSignals((signal) => {
    const isShutdown = signal === config.shutdownSignal;
    if (phase === 'waiting') {
      if (isShutdown || signal === 'SIGTERM' || signal === 'SIGINT') {
        earlySignal ??= signal;
        stopWaiting.abort();
      } else {
        log.info({ signal }, 'signal before the app started; ignored');
      }
    } else if (phase === 'running' && isShutdown) {
      phase = 'draining';
      log.info({ signal }, 'shutdown started');
      shutdownRequested!(clock.now());
    } else if (phase === 'draining' && (isShutdown || signal === 'SIGINT')) {
      log.info({ signal }, 'second signal: skipping the rest of the drain');
      skipDrain.abort();
    } else {
      const delivered = app?.signal(signal) ?? false;
      log.debug({ signal, delivered }, 'forwarded signal');
    }
  });

  for (const warning of timelineWarnings(config)) log.warn(warning);

  try {
    // 1-2. Startup gate.
    if (config.disabled) {
      log.info('sidecar integration disabled; starting the app at once');
    } else {
      const waited = await waitForSidecar(config, clock, log, stopWaiting.signal);
      // A signal handled after the last probe succeeded still wins: never start the app after it.
      if (waited === 'aborted' || earlySignal) {
        log.info({ signal: earlySignal }, 'stopped before the app started');
        return await finish(config, signalExitCode(earlySignal ?? 'SIGTERM'), false, log);
      }
      if (waited === 'timeout') {
        if (config.onWaitTimeout === 'fail') return await finish(config, EXIT_UNAVAILABLE, false, log);
        log.warn('starting the app without a ready sidecar (--on-wait-timeout start)');
      }
    }

    // 3. Spawn. A signal that arrived during the await above has already been handled.
    app = spawnApp(file, args, { signalGroup: config.signalGroup });
    phase = 'running';
    const started = clock.now();
    if (app.pid !== undefined) log.info({ pid: app.pid, command: file }, 'app started');

    // 4-5. Until the app exits, a shutdown signal runs the timeline.
    const exit = await Promise.race([app.exited, shutdownSignal.then((t0) => shutdown(config, app!, t0, skipDrain.signal, log, clock))]);
    return await finish(config, appExitCode(exit), exit.kind === 'exited' && exit.code === 0, log, exit, clock.now() - started);
  } finally {
    untrap();
  }
}

async function shutdown(config: Config, app: App, t0: number, skip: AbortSignal, log: Logger, clock: Clock): Promise<AppExit> {
  const deps: DrainDeps = { clock, log };
  const admin = config.disabled ? undefined : config.adminUrl;
  if (admin !== undefined) {
    if (config.drainMethod !== 'none') {
      const method = config.drainMethod;
      deps.drain = (timeoutMs) => drainSidecar(admin, method, timeoutMs);
    }
    deps.activeConnections = (timeoutMs, abort) => activeConnections({ ...config, adminUrl: admin }, timeoutMs, abort);
  }
  // The app may exit by itself during the drain; then there is nothing left to stop.
  const drained = drainPhase(config, deps, t0, skip);
  const early = await Promise.race([app.exited, drained.then(() => undefined)]);
  if (early) return early;
  return stopApp(config.appSignal, config.stopTimeoutMs, { clock, log, signalApp: (s) => app.signal(s), exited: app.exited });
}

async function finish(config: Config, code: number, success: boolean, log: Logger, exit?: AppExit, ranMs?: number): Promise<number> {
  if (exit?.kind === 'not-started') log.error({ exitCode: code }, exit.reason);
  else if (exit) log.info({ exitCode: code, signal: exit.kind === 'signaled' ? exit.signal : undefined, ranMs: Math.round(ranMs ?? 0) }, 'app exited');
  await quitIfWanted(config, success, log);
  return code;
}
