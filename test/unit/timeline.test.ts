import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../src/config.js';
import { computeTimeline, timelineWarnings } from '../../src/timeline.js';

const cfg = (input: ConfigInput) => resolveConfig(input);
const s = (n: number) => n * 1000;

describe('computeTimeline', () => {
  it('defaults (istio): health check fail at 0, delay 5s, drain to 15s, app gone by 25s, proxy gone at 5s', () => {
    const t = computeTimeline(cfg({}), s(30));
    expect(t).toMatchObject({
      drainCall: 'POST http://127.0.0.1:15000/healthcheck/fail',
      delayEndMs: s(5),
      delayCapped: false,
      waitsForConnections: true,
      signalMs: [s(5), s(15)],
      appGoneMs: s(25),
      proxy: { kind: 'not-held', goneMs: s(5) },
      killMs: s(30),
    });
  });

  it.each<[string, ConfigInput, Partial<ReturnType<typeof computeTimeline>>]>([
    ['delay capped by drain timeout', { shutdownDelayMs: s(30), drainTimeoutMs: s(20) }, { delayEndMs: s(20), delayCapped: true, waitsForConnections: false, signalMs: [s(20), s(20)] }],
    ['drain timeout 0: signal at once', { drainTimeoutMs: 0 }, { delayEndMs: 0, signalMs: [0, 0], appGoneMs: s(10) }],
    ['linkerd: no admin, no connection polling', { mesh: 'linkerd' }, { drainCall: undefined, waitsForConnections: false, signalMs: [s(5), s(5)], appGoneMs: s(15) }],
    ['disabled: delay only', { disabled: true }, { drainCall: undefined, waitsForConnections: false, signalMs: [s(5), s(5)], proxy: { kind: 'unmodelled', reason: 'no sidecar (--disabled)' } }],
    ['drain method none still polls connections', { drainMethod: 'none' }, { drainCall: undefined, waitsForConnections: true, signalMs: [s(5), s(15)] }],
    ['inbound drain', { drainMethod: 'inbound' }, { drainCall: 'POST http://127.0.0.1:15000/drain_listeners?inboundonly&graceful&skip_exit' }],
  ])('%s', (_, input, expected) => {
    expect(computeTimeline(cfg(input), s(30))).toMatchObject(expected);
  });

  it.each<[string, ConfigInput, number, unknown]>([
    ['istio none: gone at terminationDrainDuration', { proxyDrainDurationMs: s(40) }, s(30), { kind: 'not-held', goneMs: s(30) }],
    // Released between the earliest signal (5s) and the app's end (25s), alive 5s longer; the
    // kubelet gives it max(grace − release, 2s).
    ['istio prestop', { proxyHold: 'prestop' }, s(30), { kind: 'prestop', releaseMs: [s(5), s(25)], goneMs: [s(10), s(30)] }],
    ['istio prestop past the grace period: 2s minimum', { proxyHold: 'prestop', proxyDrainDurationMs: s(10) }, s(26), { kind: 'prestop', goneMs: [s(15), s(27)] }],
    ['native: after the app', { proxyHold: 'native' }, s(30), { kind: 'native', goneMs: s(25) }],
    ['native, linkerd too', { proxyHold: 'native', mesh: 'linkerd' }, s(30), { kind: 'native', goneMs: s(15) }],
    ['linkerd none: not modelled', { mesh: 'linkerd' }, s(30), { kind: 'unmodelled' }],
    ['envoy prestop: not modelled', { mesh: 'envoy', proxyHold: 'prestop' }, s(30), { kind: 'unmodelled' }],
  ])('proxy: %s', (_, input, grace, proxy) => {
    expect(computeTimeline(cfg(input), grace).proxy).toMatchObject(proxy as object);
  });
});

describe('timelineWarnings', () => {
  it('says nothing without a grace period (run without --grace-period)', () => {
    expect(timelineWarnings(cfg({ drainTimeoutMs: s(600) }))).toEqual([]);
  });

  it.each<[string, ConfigInput, RegExp[]]>([
    ['defaults: the unheld proxy exits at 5s', {}, [/Istio proxy exits at 5s .* app may run until 25s/]],
    ['proxy drain duration covers the app', { proxyDrainDurationMs: s(25) }, []],
    ['prestop hold, stop timeout ≤ terminationDrainDuration', { proxyHold: 'prestop', stopTimeoutMs: s(5) }, []],
    ['prestop hold, stop timeout > terminationDrainDuration', { proxyHold: 'prestop' }, [/preStop hold ends when the app stops listening.* up to 10s/]],
    ['native: fits', { proxyHold: 'native' }, []],
    ['drain + stop beyond the grace period', { proxyHold: 'native', drainTimeoutMs: s(25), stopTimeoutMs: s(10) }, [/35s > grace period 30s/]],
    ['exactly the grace period fits', { proxyHold: 'native', drainTimeoutMs: s(20), stopTimeoutMs: s(10) }, []],
    ['both at once', { drainTimeoutMs: s(25) }, [/35s > grace period 30s/, /Istio proxy exits at 5s/]],
    // Linkerd never polls connections: the app is signalled after the delay, not at the drain timeout.
    ['linkerd: the delay, not the drain timeout, counts', { mesh: 'linkerd', drainTimeoutMs: s(60) }, []],
    ['linkerd: long delay', { mesh: 'linkerd', shutdownDelayMs: s(25), drainTimeoutMs: s(60) }, [/25s \+ --stop-timeout 10s = 35s/]],
  ])('%s', (_, input, expected) => {
    const warnings = timelineWarnings(cfg({ gracePeriodMs: s(30), ...input }));
    expect(warnings).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(warnings[i]).toMatch(re));
  });
});
