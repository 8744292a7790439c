// `wait`: the startup gate alone, for scripts, init containers and postStart hooks.
import { realClock } from './clock.js';
import type { Config } from './config.js';
import { EXIT_OK, EXIT_UNAVAILABLE, signalExitCode } from './exit-codes.js';
import type { Logger } from './log.js';
import { quit } from './quit.js';
import { waitForSidecar } from './wait-ready.js';

export async function waitCommand(config: Config, log: Logger): Promise<number> {
  if (config.disabled) {
    log.info('sidecar integration disabled; not waiting');
    return EXIT_OK;
  }
  const abort = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal;
    abort.abort();
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
  try {
    const result = await waitForSidecar(config, realClock, log, abort.signal);
    if (result === 'ready') return EXIT_OK;
    if (result === 'timeout') return EXIT_UNAVAILABLE;
    return signalExitCode(received ?? 'SIGTERM');
  } finally {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
  }
}

/** `quit`: POST the quit URL; 0 on 2xx, 69 when unreachable or answered otherwise. */
export async function quitCommand(config: Config, log: Logger): Promise<number> {
  if (config.disabled) {
    log.info('sidecar integration disabled; nothing to quit');
    return EXIT_OK;
  }
  return (await quit(config, log)) ? EXIT_OK : EXIT_UNAVAILABLE;
}
