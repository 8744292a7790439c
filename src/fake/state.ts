// The fake Envoy's server state and its pure decisions: the `/ready` state (Utility::serverState),
// the drain-close rule (DrainManagerImpl::drainClose) and what `/drain_listeners` does
// (ListenersHandler::handlerDrainListeners) under each modelled Envoy version.

export type InitState = 'PRE_INITIALIZING' | 'INITIALIZING' | 'INITIALIZED';
export type ServerState = 'LIVE' | 'DRAINING' | 'PRE_INITIALIZING' | 'INITIALIZING';
/** Proto enum numbers, also the values of the `server.state` gauge. */
export const STATE_NUMBER: Record<ServerState, number> = { LIVE: 0, DRAINING: 1, PRE_INITIALIZING: 2, INITIALIZING: 3 };

/** A listener's traffic_direction; Istio's 15021 listener sets none. */
export type Direction = 'inbound' | 'outbound' | 'unspecified';
/** What a drain or a stop covers: `?inboundonly` or everything. */
export type Scope = 'inbound' | 'all';
export type DrainStrategy = 'immediate' | 'gradual';
/**
 * classic: Envoy before PR #37873 (a graceful drain drain-closes every direction, even with inboundonly);
 * directional: PR #37873 on (≈1.34): only the drained direction; pr47042: plain `/drain_listeners`
 * also drains, and `skip_exit` no longer needs `graceful`.
 */
export type DrainModel = 'classic' | 'directional' | 'pr47042';

export interface Drain {
  scope: Scope;
  startedAt: number;
  deadline: number;
  /** Stop the scope's listeners at the deadline; false with `skip_exit`. */
  stopAtDeadline: boolean;
}

export interface EnvoyState {
  init: InitState;
  healthCheckFailed: boolean;
  drain: Drain | undefined;
  stopped: Record<Scope, boolean>;
  shuttingDown: boolean;
}

export const initialState = (): EnvoyState => ({
  init: 'PRE_INITIALIZING',
  healthCheckFailed: false,
  drain: undefined,
  stopped: { inbound: false, all: false },
  shuttingDown: false,
});

export function serverState(state: Pick<EnvoyState, 'init' | 'healthCheckFailed'>): ServerState {
  if (state.init !== 'INITIALIZED') return state.init;
  return state.healthCheckFailed ? 'DRAINING' : 'LIVE';
}

export interface DrainPolicy {
  strategy: DrainStrategy;
  drainTimeMs: number;
  model: DrainModel;
}

/**
 * Asked when a response is about to be sent on a connection that is not draining yet.
 * `random` is in [0, 1); the gradual strategy closes with probability elapsed / drain time.
 */
export function drainClose(state: EnvoyState, direction: Direction, policy: DrainPolicy, now: number, random: number): boolean {
  // 1. A failed health check drain-closes every (DEFAULT drain_type) listener, whatever the strategy.
  if (state.healthCheckFailed) return true;
  const drain = state.drain;
  if (!drain) return false;
  // 2. Outside the drained direction nothing happens, except in the classic (pre-#37873) model.
  if (policy.model !== 'classic' && drain.scope === 'inbound' && direction !== 'inbound') return false;
  if (policy.strategy === 'immediate') return true;
  if (policy.drainTimeMs === 0 || now >= drain.deadline) return true;
  return random < (now - drain.startedAt) / policy.drainTimeMs;
}

export interface DrainFlags {
  graceful: boolean;
  inboundOnly: boolean;
  skipExit: boolean;
}

export interface DrainPlan {
  /** Start a drain sequence (undefined when none starts, e.g. one is already running). */
  start: { scope: Scope; stopAtDeadline: boolean } | undefined;
  /** Stop these listeners right now. */
  stopNow: Scope | undefined;
}

export function planDrainListeners(state: Pick<EnvoyState, 'drain'>, flags: DrainFlags, model: DrainModel): DrainPlan {
  const scope: Scope = flags.inboundOnly ? 'inbound' : 'all';
  // A repeated drain while one runs is silently ignored (still 200 OK).
  const start = (stopAtDeadline: boolean) => (state.drain ? undefined : { scope, stopAtDeadline });
  if (model === 'pr47042') {
    if (flags.skipExit) return { start: start(false), stopNow: undefined };
    if (flags.graceful) return { start: start(true), stopNow: undefined };
    return { start: start(false), stopNow: scope };
  }
  // Before #47042, skip_exit only means something together with graceful.
  if (flags.graceful) return { start: start(!flags.skipExit), stopNow: undefined };
  return { start: undefined, stopNow: scope };
}

/** Does stopping `scope` stop a listener of this direction? */
export const inScope = (scope: Scope, direction: Direction) => scope === 'all' || direction === 'inbound';
