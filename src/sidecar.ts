// The calls the supervisor makes to the sidecar: readiness, drain, connection count, quit.
// Each has a deadline; none throws for an HTTP status, only the caller decides what matters.
import type { Config, DrainMethod } from './config.js';
import { httpCall, type HttpResult } from './http.js';
import { parseStats, sumActiveConnections } from './stats.js';

export type Outcome = { ok: true; status: number; body: string } | { ok: false; status?: number; error: string };

function outcome(result: HttpResult, okWhen: (status: number) => boolean): Outcome {
  return okWhen(result.status)
    ? { ok: true, status: result.status, body: result.body }
    : { ok: false, status: result.status, error: `HTTP ${result.status} ${result.body.trim().slice(0, 200)}`.trim() };
}

async function call(method: 'GET' | 'POST', url: string, timeoutMs: number, okWhen: (s: number) => boolean, abort?: AbortSignal): Promise<Outcome> {
  try {
    return outcome(await httpCall(method, url, timeoutMs, abort), okWhen);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Istio's pilot-agent and Envoy answer exactly 200 when ready; Linkerd any 2xx (we accept 200 only, as the spec says). */
export function probeReady(url: string, timeoutMs: number, abort?: AbortSignal): Promise<Outcome> {
  return call('GET', url, timeoutMs, (s) => s === 200, abort);
}

export const DRAIN_PATHS: Record<Exclude<DrainMethod, 'none'>, string> = {
  'healthcheck-fail': '/healthcheck/fail',
  // What Istio's own native-sidecar preStop sends: drain-close inbound only, keep listeners open.
  inbound: '/drain_listeners?inboundonly&graceful&skip_exit',
};

export function drainSidecar(adminUrl: string, method: Exclude<DrainMethod, 'none'>, timeoutMs: number): Promise<Outcome> {
  return call('POST', adminUrl + DRAIN_PATHS[method], timeoutMs, (s) => s === 200);
}

/** Sum of the inbound listeners' `downstream_cx_active`; throws when the stats cannot be read. */
export async function activeConnections(
  config: Pick<Config, 'inboundStatRegex'> & { adminUrl: string },
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<number> {
  // encodeURIComponent so `+` in a regex is not read as a space.
  const url = `${config.adminUrl}/stats?usedonly&filter=${encodeURIComponent(config.inboundStatRegex)}`;
  const result = await httpCall('GET', url, timeoutMs, abort);
  if (result.status !== 200) throw new Error(`HTTP ${result.status} from /stats`);
  return sumActiveConnections(parseStats(result.body), new RegExp(config.inboundStatRegex));
}

export function quitSidecar(quitUrl: string, timeoutMs: number): Promise<Outcome> {
  return call('POST', quitUrl, timeoutMs, (s) => s >= 200 && s < 300);
}
