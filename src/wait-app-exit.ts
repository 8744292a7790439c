// `wait-for-app-exit` (the proxy container's preStop): poll /proc/net/tcp{,6} until the app's
// listeners are gone, so the kubelet's SIGTERM to the proxy comes only after the app is done.
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { Clock } from './clock.js';
import { EXIT_OK, EXIT_UNAVAILABLE } from './exit-codes.js';
import type { Logger } from './log.js';
import { parseProcNetTcp, type TcpSocket } from './proc-net.js';
import { appListeners, describeListener, type ListenerRule } from './wait-app-exit-listeners.js';

export interface WaitAppExitOptions {
  rule: ListenerRule;
  pollIntervalMs: number;
  /** 0 = no limit of our own: the pod's grace period bounds the hook. */
  timeoutMs: number;
}

export interface WaitAppExitDeps {
  clock: Clock;
  log: Logger;
  readSockets: () => Promise<TcpSocket[]>;
}

/** Reads `<dir>/tcp` and `<dir>/tcp6`; a missing tcp6 (IPv6 disabled) is no error. */
export async function readSockets(dir = '/proc/net'): Promise<TcpSocket[]> {
  const order = endianness();
  const tcp = await readFile(join(dir, 'tcp'), 'utf8');
  const tcp6 = await readFile(join(dir, 'tcp6'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return [...parseProcNetTcp(tcp, order), ...parseProcNetTcp(tcp6, order)];
}

/** Exit 0 once no matching listener is left; 69 on timeout or when the tables cannot be read. */
export async function waitForAppExit(opts: WaitAppExitOptions, deps: WaitAppExitDeps): Promise<number> {
  const { clock, log } = deps;
  const start = clock.now();
  const rule = opts.rule.kind === 'ports' ? { ports: opts.rule.ports } : { proxyUid: opts.rule.proxyUid, proxyPorts: opts.rule.proxyPorts };
  let last: string[] | undefined;
  for (;;) {
    let listening: string[];
    try {
      listening = appListeners(await deps.readSockets(), opts.rule).map(describeListener);
    } catch (error) {
      // Without the tables we cannot tell; release the proxy rather than hold it to the grace period.
      log.error({ error: (error as Error).message }, 'cannot read /proc/net/tcp; not waiting');
      return EXIT_UNAVAILABLE;
    }
    const ms = Math.round(clock.now() - start);
    if (listening.length === 0) {
      log.info({ ms }, last === undefined ? 'no app listener; not waiting' : 'app listeners gone');
      return EXIT_OK;
    }
    if (last === undefined) log.info({ listening, ...rule }, 'waiting for the app to stop listening');
    else if (listening.join() !== last.join()) log.debug({ listening }, 'still listening');
    last = listening;
    if (opts.timeoutMs > 0 && ms >= opts.timeoutMs) {
      log.error({ listening, ms }, 'timed out; the app still listens');
      return EXIT_UNAVAILABLE;
    }
    const wait = opts.timeoutMs > 0 ? Math.min(opts.pollIntervalMs, start + opts.timeoutMs - clock.now()) : opts.pollIntervalMs;
    await clock.sleep(Math.max(wait, 0));
  }
}
