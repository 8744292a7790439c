// Stopping the sidecar when the app is done, so Jobs complete.
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { quitSidecar } from './sidecar.js';

/** Applies --quit-sidecar on every exit path. Failure is logged, never fatal. */
export async function quitIfWanted(config: Config, appSucceeded: boolean, log: Logger): Promise<boolean | undefined> {
  const wanted = config.quitSidecar === 'always' || (config.quitSidecar === 'on-success' && appSucceeded);
  if (!wanted || config.disabled) return undefined;
  return quit(config, log);
}

export async function quit(config: Pick<Config, 'quitUrl' | 'requestTimeoutMs'>, log: Logger): Promise<boolean> {
  const start = performance.now();
  const result = await quitSidecar(config.quitUrl, config.requestTimeoutMs);
  const fields = { url: config.quitUrl, ms: Math.round(performance.now() - start) };
  if (result.ok) log.info({ ...fields, status: result.status }, 'sidecar quit');
  else log.warn({ ...fields, error: result.error }, 'sidecar quit failed');
  return result.ok;
}
