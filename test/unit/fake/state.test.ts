import { describe, expect, it } from 'vitest';
import { drainClose, initialState, inScope, planDrainListeners, serverState, STATE_NUMBER, type DrainModel, type EnvoyState } from '../../../src/fake/state.js';

const state = (patch: Partial<EnvoyState>): EnvoyState => ({ ...initialState(), ...patch });

describe('serverState (Utility::serverState)', () => {
  it.each([
    ['PRE_INITIALIZING', false, 'PRE_INITIALIZING'],
    ['PRE_INITIALIZING', true, 'PRE_INITIALIZING'],
    ['INITIALIZING', true, 'INITIALIZING'],
    ['INITIALIZED', false, 'LIVE'],
    ['INITIALIZED', true, 'DRAINING'],
  ] as const)('%s, health check failed %s → %s', (init, failed, expected) => {
    expect(serverState({ init, healthCheckFailed: failed })).toBe(expected);
  });

  it('uses the proto enum numbers', () => expect(STATE_NUMBER).toEqual({ LIVE: 0, DRAINING: 1, PRE_INITIALIZING: 2, INITIALIZING: 3 }));
});

describe('drainClose (DrainManagerImpl::drainClose)', () => {
  const immediate = { strategy: 'immediate' as const, drainTimeMs: 1000, model: 'directional' as DrainModel };
  const gradual = { ...immediate, strategy: 'gradual' as const };
  const inbound = { scope: 'inbound' as const, startedAt: 0, deadline: 1000, stopAtDeadline: true };
  const all = { ...inbound, scope: 'all' as const };

  it.each([
    ['nothing going on', state({ init: 'INITIALIZED' }), 'inbound', immediate, 500, 0, false],
    ['health check failed: every direction, any strategy', state({ healthCheckFailed: true }), 'outbound', gradual, 0, 0.99, true],
    ['health check failed: unspecified (admin, 15021)', state({ healthCheckFailed: true }), 'unspecified', immediate, 0, 0, true],
    ['inbound drain, inbound listener', state({ drain: inbound }), 'inbound', immediate, 10, 0.99, true],
    ['inbound drain, outbound listener', state({ drain: inbound }), 'outbound', immediate, 10, 0, false],
    ['inbound drain, unspecified listener', state({ drain: inbound }), 'unspecified', immediate, 10, 0, false],
    ['classic model drains every direction', state({ drain: inbound }), 'outbound', { ...immediate, model: 'classic' }, 10, 0, true],
    ['all drain, outbound listener', state({ drain: all }), 'outbound', immediate, 10, 0, true],
    ['gradual at 25%: random 0.2 closes', state({ drain: all }), 'inbound', gradual, 250, 0.2, true],
    ['gradual at 25%: random 0.3 keeps', state({ drain: all }), 'inbound', gradual, 250, 0.3, false],
    ['gradual at the start never closes', state({ drain: all }), 'inbound', gradual, 0, 0, false],
    ['gradual after the deadline always closes', state({ drain: all }), 'inbound', gradual, 1000, 0.999, true],
    ['gradual with drain time 0 always closes', state({ drain: { ...all, deadline: 0 } }), 'inbound', { ...gradual, drainTimeMs: 0 }, 0, 0.999, true],
  ] as const)('%s', (_, s, direction, policy, now, random, expected) => {
    expect(drainClose(s, direction, policy, now, random)).toBe(expected);
  });
});

describe('planDrainListeners (ListenersHandler::handlerDrainListeners)', () => {
  const flags = (q: string) => ({ graceful: q.includes('graceful'), inboundOnly: q.includes('inboundonly'), skipExit: q.includes('skip_exit') });
  const running = { scope: 'all' as const, startedAt: 0, deadline: 1, stopAtDeadline: true };

  it.each([
    // classic and directional (Envoy ~1.15 to 1.39)
    ['directional', '', false, undefined, 'all'],
    ['directional', 'inboundonly', false, undefined, 'inbound'],
    ['directional', 'graceful', false, { scope: 'all', stopAtDeadline: true }, undefined],
    ['directional', 'inboundonly&graceful', false, { scope: 'inbound', stopAtDeadline: true }, undefined],
    ['directional', 'inboundonly&graceful&skip_exit', false, { scope: 'inbound', stopAtDeadline: false }, undefined],
    ['directional', 'skip_exit', false, undefined, 'all'],
    ['directional', 'graceful', true, undefined, undefined],
    ['classic', 'inboundonly&graceful', false, { scope: 'inbound', stopAtDeadline: true }, undefined],
    // after PR #47042
    ['pr47042', '', false, { scope: 'all', stopAtDeadline: false }, 'all'],
    ['pr47042', 'inboundonly', false, { scope: 'inbound', stopAtDeadline: false }, 'inbound'],
    ['pr47042', 'graceful', false, { scope: 'all', stopAtDeadline: true }, undefined],
    ['pr47042', 'skip_exit', false, { scope: 'all', stopAtDeadline: false }, undefined],
    ['pr47042', 'inboundonly&graceful&skip_exit', false, { scope: 'inbound', stopAtDeadline: false }, undefined],
    ['pr47042', '', true, undefined, 'all'],
  ] as const)('%s ?%s (draining already: %s)', (model, q, draining, start, stopNow) => {
    const plan = planDrainListeners({ drain: draining ? running : undefined }, flags(q), model);
    expect(plan).toEqual({ start, stopNow });
  });

  it.each([
    ['inbound', 'inbound', true],
    ['inbound', 'outbound', false],
    ['inbound', 'unspecified', false],
    ['all', 'outbound', true],
    ['all', 'unspecified', true],
  ] as const)('stopping %s covers a %s listener: %s', (scope, direction, expected) => expect(inScope(scope, direction)).toBe(expected));
});
