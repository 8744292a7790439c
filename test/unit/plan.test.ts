import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../src/config.js';
import { renderPlan } from '../../src/plan.js';

const plan = (input: ConfigInput = {}) => renderPlan(resolveConfig(input));
const row = (text: string, label: string) => text.split('\n').find((l) => l.startsWith(`  ${label}`)) ?? '';
/** Column of the first `char` in a chart row, relative to the bar's start. */
const at = (line: string, char: string) => line.indexOf(char) - 22;

describe('renderPlan', () => {
  it('defaults: the chart at 1 column per second, the proxy warning', () => {
    const { text, warnings } = plan();
    expect(text).toContain('grace period 30s (Kubernetes default), proxy hold none, proxy drain duration 5s');
    expect(text).toMatch(/^ {22}0s {8}10s {7}20s {7}30s$/m);
    expect(row(text, 'drain call')).toContain('^');
    expect(row(text, 'shutdown delay')).toMatch(/^ {2}shutdown delay {6}={5} /);
    expect(at(row(text, 'drain window'), '~')).toBe(5);
    expect(at(row(text, 'app stop'), 'K')).toBe(25);
    expect(at(row(text, 'istio-proxy'), 'X')).toBe(5);
    expect(at(row(text, 'kubelet SIGKILL'), 'X')).toBe(30);
    expect(warnings).toHaveLength(1);
    expect(text).toContain(`WARNING: ${warnings[0]}`);
  });

  it.each<[string, ConfigInput, string[]]>([
    ['prestop hold', { proxyHold: 'prestop', proxyDrainDurationMs: 10_000, gracePeriodMs: 60_000 }, ['held by wait-for-app-exit', 'fits: no warnings']],
    ['native', { proxyHold: 'native' }, ['native sidecar: the kubelet starts the app container only after the proxy has started', 'SIGTERM only after the app container exits (by 25s)', 'fits: no warnings']],
    ['linkerd', { mesh: 'linkerd' }, ['http://127.0.0.1:4191/ready', "the linkerd proxy's own shutdown is not modelled"]],
    ['disabled', { disabled: true }, ['no sidecar (--disabled): the app starts at once']],
    ['wait forever', { waitTimeoutMs: 0 }, ['wait forever for GET']],
    ['start on timeout', { onWaitTimeout: 'start' }, ['not ready after 1m: warn and start the app anyway']],
    ['a Job', { quitSidecar: 'always' }, ['after the app exits: POST http://127.0.0.1:15020/quitquitquit (--quit-sidecar always)']],
    ['delay capped', { shutdownDelayMs: 30_000 }, ['0-15s (capped by --drain-timeout)']],
    ['drain preStop near the grace period', { drainTimeoutMs: 29_000, stopTimeoutMs: 1000, proxyHold: 'native' }, ['only its 2s minimum', 'fits: no warnings']],
  ])('%s', (_, input, expected) => {
    const { text } = plan(input);
    for (const e of expected) expect(text).toContain(e);
  });

  it('long grace periods scale the chart', () => {
    const { text } = plan({ gracePeriodMs: 600_000, proxyHold: 'native' });
    const ruler = text.split('\n').find((l) => l.includes('|----'))!;
    expect(ruler.trim().length).toBeLessThanOrEqual(60);
    expect(at(row(text, 'kubelet SIGKILL'), 'X')).toBe(ruler.trim().length - 1);
  });
});
