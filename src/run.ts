// `run`: wait for the sidecar, spawn the app, forward signals, drain-aware shutdown, exit as the app did.
import { spawnApp, type App } from './app.js';
import { realClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { serveControl, type DrainReply } from './control.js';
import { drainDeps } from './drain.js';
import { appExitCode, EXIT_UNAVAILABLE, signalExitCode, type AppExit } from './exit-codes.js';
import type { Logger } from './log.js';
import { quitIfWanted } from './quit.js';
import { drainPhase, stopApp, type DrainReport } from './shutdown.js';
import { trapSignals } from './signals.js';
import { timelineWarnings } from './timeline.js';
import { waitForSidecar } from './wait-ready.js';

type Phase = 'waiting' | 'running' | 'stopping';

/** Runs the whole lifecycle and resolves with the supervisor's exit code. */
export async function run(config: Config, command: string[], log: Logger, clock: Clock = realClock): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  let phase: Phase = 'waiting';
  let app: App | undefined;
  let earlySignal: NodeJS.Signals | undefined;
  const stopWaiting = new AbortController();
  const skipDrain = new AbortController();
  let drained: Promise<DrainReport> | undefined;
  let drainDone = false;
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));

  // The drain runs once, whoever asks first: the preStop hook (through the control socket) or the signal.
  const drain = () => {
    drained ??= drainPhase(config, drainDeps(config, clock, log), clock.now(), skipDrain.signal).finally(() => (drainDone = true));
    return drained;
  };

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
      phase = 'stopping';
      log.info({ signal, drainedByPreStop: drainDone }, 'shutdown started');
      // The kubelet sends SIGTERM only once the preStop hook has returned or timed out; a drain
      // still running now has overrun the grace period: cut it short.
      if (drained && !drainDone) skipDrain.abort();
      void drain();
      requestStop();
    } else if (phase === 'stopping' && !drainDone && (isShutdown || signal === 'SIGINT')) {
      log.info({ signal }, 'second signal: skipping the rest of the drain');
      skipDrain.abort();
    } else {
      const delivered = app?.signal(signal) ?? false;
      log.debug({ signal, delivered }, 'forwarded signal');
    }
  });
  for (const warning of timelineWarnings(config)) log.warn(warning);
  const closeControl =
    config.controlSocket === 'none'
      ? () => undefined
      : await serveControl(config.controlSocket, async (): Promise<DrainReply> => {
          if (phase === 'waiting') return { status: 'not-started' };
          log.info({ byPreStop: true }, 'drain requested');
          return { status: 'drained', ...(await drain()) };
        }, log);

  try {
    // 1-2. Startup gate.
    if (config.disabled) {
      log.info('sidecar integration disabled; starting the app at once');
    } else {
      const waited = await waitForSidecar(config, clock, log, stopWaiting.signal);
      if (waited === 'timeout') {
        if (config.onWaitTimeout === 'fail') return await finish(config, EXIT_UNAVAILABLE, false, log);
        log.warn('starting the app without a ready sidecar (--on-wait-timeout start)');
      }
    }
    // A SIGTERM/SIGINT during start-up wins, even one handled after the last probe succeeded:
    // never start the app after it.
    if (earlySignal) {
      log.info({ signal: earlySignal }, 'stopped before the app started');
      return await finish(config, signalExitCode(earlySignal), false, log);
    }

    // 3. Spawn. Handlers were installed first, so no signal can be lost or kill us from here on.
    const started = clock.now();
    const running = spawnApp(file, args, { signalGroup: config.signalGroup });
    app = running;
    phase = 'running';
    if (running.pid !== undefined) log.info({ pid: running.pid, command: file }, 'app started');

    // 4-5. Until the app exits, a shutdown signal runs the rest of the timeline.
    const stopped = stopRequested.then(async () => {
      // The app may exit by itself during the drain; then there is nothing left to stop.
      const early = await Promise.race([running.exited, drain().then(() => undefined)]);
      return early ?? stopApp(config.appSignal, config.stopTimeoutMs, { clock, log, signalApp: (s) => running.signal(s), exited: running.exited });
    });
    const exit = await Promise.race([running.exited, stopped]);
    return await finish(config, appExitCode(exit), exit.kind === 'exited' && exit.code === 0, log, exit, clock.now() - started);
  } finally {
    untrap();
    closeControl();
  }
}

async function finish(config: Config, code: number, success: boolean, log: Logger, exit?: AppExit, ranMs?: number): Promise<number> {
  if (exit?.kind === 'not-started') log.error({ exitCode: code }, exit.reason);
  else if (exit) log.info({ exitCode: code, signal: exit.kind === 'signaled' ? exit.signal : undefined, ranMs: Math.round(ranMs ?? 0) }, 'app exited');
  await quitIfWanted(config, success, log);
  return code;
}
