// The shutdown timeline against the pod's grace period (issue 4: `plan`, and run's startup check).
// Pure: worst-case times in ms from t=0, the moment the pod is deleted, which is also when the
// kubelet SIGTERMs `run` (or runs the app container's `drain` preStop: the same steps, same times).
import type { Config } from './config.js';
import { formatDuration as d } from './duration.js';
import { DRAIN_PATHS } from './sidecar.js';

/** `plan` assumes Kubernetes' default terminationGracePeriodSeconds when none is given. */
export const DEFAULT_PLAN_GRACE_MS = 30_000;
/** kubelet `minimumGracePeriodInSeconds`: a container whose preStop overran still gets 2 s after SIGTERM. */
export const KUBELET_MIN_GRACE_MS = 2000;

export type ProxyModel =
  /** Not an Istio proxy we can reason about (Linkerd, plain Envoy, or no sidecar). */
  | { kind: 'unmodelled'; reason: string }
  /** Classic Istio sidecar, nothing holds it: SIGTERM at 0, Envoy killed after terminationDrainDuration. */
  | { kind: 'not-held'; goneMs: number }
  /**
   * wait-for-app-exit in the proxy's preStop: released when the app stops listening, which most
   * servers do as soon as they get their signal, then alive terminationDrainDuration longer.
   */
  | { kind: 'prestop'; releaseMs: readonly [number, number]; goneMs: readonly [number, number] }
  /** Native sidecar: the kubelet SIGTERMs it only after the app container exited. */
  | { kind: 'native'; goneMs: number };

export interface Timeline {
  graceMs: number;
  /** The drain request at t=0, e.g. `POST http://127.0.0.1:15000/healthcheck/fail`; undefined when none. */
  drainCall: string | undefined;
  /** End of the shutdown delay: min(--shutdown-delay, --drain-timeout). */
  delayEndMs: number;
  delayCapped: boolean;
  /** Whether run polls inbound connections after the delay (needs an Envoy admin URL). */
  waitsForConnections: boolean;
  /** The app's signal: at delayEnd at the earliest, at the drain deadline at the latest. */
  signalMs: readonly [number, number];
  stopTimeoutMs: number;
  /** Latest moment the app is gone: latest signal + stop timeout (run SIGKILLs it then). */
  appGoneMs: number;
  proxy: ProxyModel;
  proxyDrainMs: number;
  /** The kubelet's SIGKILL: the grace period (see KUBELET_MIN_GRACE_MS for preStop overruns). */
  killMs: number;
}

export function computeTimeline(config: Config, graceMs: number): Timeline {
  const admin = config.disabled ? undefined : config.adminUrl;
  const drainCall = admin !== undefined && config.drainMethod !== 'none' ? `POST ${admin}${DRAIN_PATHS[config.drainMethod]}` : undefined;
  const delayEndMs = Math.min(config.shutdownDelayMs, config.drainTimeoutMs);
  // Same rule as run.ts: connections are polled whenever there is an admin URL to read stats from.
  const waitsForConnections = admin !== undefined && config.drainTimeoutMs > delayEndMs;
  const signalMs = [delayEndMs, waitsForConnections ? config.drainTimeoutMs : delayEndMs] as const;
  const appGoneMs = signalMs[1] + config.stopTimeoutMs;
  const P = config.proxyDrainDurationMs;
  const cap = (ms: number) => Math.min(ms, graceMs + KUBELET_MIN_GRACE_MS);

  let proxy: ProxyModel;
  if (config.disabled) proxy = { kind: 'unmodelled', reason: 'no sidecar (--disabled)' };
  else if (config.proxyHold === 'native') proxy = { kind: 'native', goneMs: cap(appGoneMs) };
  else if (config.mesh !== 'istio') proxy = { kind: 'unmodelled', reason: `the ${config.mesh} proxy's own shutdown is not modelled; only Istio's terminationDrainDuration and native sidecars are` };
  else if (config.proxyHold === 'none') proxy = { kind: 'not-held', goneMs: Math.min(P, graceMs) };
  else {
    // Released at r, pilot-agent gets SIGTERM with max(grace - r, 2s) left and kills Envoy P later.
    const gone = (r: number) => Math.min(r + P, Math.max(graceMs, r + KUBELET_MIN_GRACE_MS));
    proxy = { kind: 'prestop', releaseMs: [signalMs[0], appGoneMs], goneMs: [gone(signalMs[0]), gone(appGoneMs)] };
  }

  return {
    graceMs,
    drainCall,
    delayEndMs,
    delayCapped: config.shutdownDelayMs > config.drainTimeoutMs,
    waitsForConnections,
    signalMs,
    stopTimeoutMs: config.stopTimeoutMs,
    appGoneMs,
    proxy,
    proxyDrainMs: P,
    killMs: graceMs,
  };
}

/** What does not fit, one sentence each; empty when the timeline fits. */
export function checkTimeline(t: Timeline): string[] {
  const warnings: string[] = [];
  if (t.appGoneMs > t.graceMs) {
    warnings.push(
      `the app may still run at ${d(t.graceMs)}, when the kubelet sends SIGKILL: app signal at up to ${d(t.signalMs[1])} ` +
        `+ --stop-timeout ${d(t.stopTimeoutMs)} = ${d(t.appGoneMs)} > grace period ${d(t.graceMs)} (terminationGracePeriodSeconds); ` +
        `lower --drain-timeout or --stop-timeout, or raise terminationGracePeriodSeconds`,
    );
  }
  const p = t.proxy;
  if (p.kind === 'not-held' && t.appGoneMs > p.goneMs) {
    warnings.push(
      `the Istio proxy exits at ${d(p.goneMs)} (terminationDrainDuration, not held: --proxy-hold none) but the app may run until ${d(t.appGoneMs)}, ` +
        `cut off from the mesh; hold the proxy (wait-for-app-exit preStop, or native sidecars) or raise terminationDrainDuration ` +
        `(--proxy-drain-duration) to at least ${d(t.appGoneMs)}`,
    );
  }
  if (p.kind === 'prestop' && t.stopTimeoutMs > t.proxyDrainMs) {
    warnings.push(
      `the proxy's preStop hold ends when the app stops listening, for most servers at their signal, and the proxy exits ` +
        `${d(t.proxyDrainMs)} later (terminationDrainDuration) but the app may take up to ${d(t.stopTimeoutMs)} (--stop-timeout) to exit; ` +
        `raise terminationDrainDuration (--proxy-drain-duration) to at least ${d(t.stopTimeoutMs)} or lower --stop-timeout`,
    );
  }
  return warnings;
}

/** Warnings when the timeline does not fit; empty when it fits or no grace period is known. */
export function timelineWarnings(config: Config): string[] {
  if (config.gracePeriodMs === undefined) return [];
  return checkTimeline(computeTimeline(config, config.gracePeriodMs));
}
